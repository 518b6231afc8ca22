"""The whole hand-off over HTTP against the running assistant, in each language: a declaration is
filed and queued for the desk as a case while the bot goes on answering; an agent claims it (the page is told
who takes over, the bot pauses), reads the dossier and the transcript, answers (pushed live to the open web
chat), the user answers back, the agent hands back and the bot resumes in the user's language with the tips.
Plus: tokens (401), double claims (409), languages, the second request for a person, two
misunderstandings in a row, and a Telegram user who gets the agent's reply through the Bot API."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import requests

from bot.channels.inbound import error_text
from tests import rasa_api
from tests.declaration.helpers import Declaration, new_policy
from tests.responses import response_text

TODAY = date.today()


def before_placeholder(name: str, lang: str) -> str:
    """The response's text up to its first {placeholder}: what must appear word for word."""
    return response_text(name, lang).split("{", 1)[0]


def tracker(stack, sender: str) -> dict:
    return rasa_api.tracker(stack.settings, sender)


def declare_nl(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800))
    talk = Declaration(stack, chat(page_language="nl"))
    talk.say("Ik heb zeven weken geleden een robotstofzuiger van 329 euro besteld bij Coolblue en hij is "
             "nooit aangekomen")
    talk.identify(policy)
    talk.say(f"ja, op {(TODAY - timedelta(days=40)).strftime('%d/%m/%Y')}")
    talk.say("ze hebben nooit geantwoord")
    return talk, talk.say("ja dat klopt")


def declare_fr(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=500), language="fr")
    talk = Declaration(stack, chat(page_language="fr"))
    talk.say("Quelqu'un a ouvert un compte bancaire à mon nom, je l'ai découvert avant-hier")
    talk.identify(policy)
    talk.say("chez ING je crois")
    talk.say("pas encore")
    talk.say("35 euros pour une nouvelle carte d'identité et 12 € de recommandés")
    return talk, talk.say("oui")


def declare_en(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=400), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say("I bought an e-bike online for 1,850 euros and it never arrived")
    talk.identify(policy)
    return talk, talk.answer_questions({
        "merchant": "fietsdeal.be", "order_date": "two months ago", "relation": "myself",
        "complaint_date": f"I complained on {(TODAY - timedelta(days=45)).strftime('%d/%m/%Y')}",
        "merchant_response": "they refused", "confirmed": "yes"})


PATHS = {
    "nl": (declare_nl, "Sofie", "covered", "ecommerce", "Dag, ik ben Sofie van Cyber Care. Ik bekijk je dossier.",
           "Dank je, tot later"),
    "fr": (declare_fr, "Sofie", "incomplete", "identity_theft",
           "Bonjour, je suis Sofie de Cyber Care. Il nous manque le procès-verbal.", "D'accord, merci"),
    "en": (declare_en, "Marc", "not_covered", "ecommerce", "Hello, this is Marc from Cyber Care. I have your file.",
           "Thanks, bye for now"),
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_declaration_hand_off_agent_reply_and_hand_back(stack, chat, desk, webchat_events, lang):
    declare, agent_name, decision, cover, agent_says, user_says = PATHS[lang]
    talk, final = declare(stack, chat)
    sender = talk.chat.sender
    slots = talk.slots()
    assert slots["coverage_decision"] == decision
    reference = slots["claim_reference"]
    # The claim is a case for the desk: the bot says so and stays (it is not paused).
    assert before_placeholder("utter_case_queued", lang) in final
    assert tracker(stack, sender)["paused"] is False

    agent = desk(agent_name)
    item = agent.queue()[sender]
    assert (item["status"], item["reason"], item["language"], item["channel"], item["live"]) == (
        "waiting", "claim_filed", lang, "webchat", False)
    assert item["reference"] == reference and item["waiting_seconds"] >= 0
    assert len(item["summary"].splitlines()) == 3 and reference in item["summary"]

    # While nobody has it, the bot answers: where the case stands.
    waiting = talk.say("Hallo? Is daar iemand?" if lang == "nl" else "Allô ? Il y a quelqu'un ?"
                       if lang == "fr" else "Hello? Anyone there?")
    assert waiting.strip() and reference in waiting

    page = webchat_events(sender)
    claimed = agent.post(f"conversations/{sender}/claim")
    assert claimed.status_code == 200 and claimed.json()["conversation"]["agent"] == agent_name
    # The agent taking the case is told on the open page; from now on the bot is silent.
    assert page.next() == {"from": "bot", "text": error_text("agent_joined", lang).format(agent=agent_name)}
    assert tracker(stack, sender)["paused"] is True

    view = agent.get(f"conversations/{sender}").json()
    assert view["dossier"]["reference"] == reference and view["dossier"]["decision"] == decision
    assert view["dossier"]["explanation"] and view["dossier"]["facts"]
    lines = [line["from"] for line in view["transcript"]]
    assert agent_name in view["transcript"][-1]["text"]  # the line that the agent took over
    assert lines.count("bot") >= 5 and "user" in lines

    sent = agent.post(f"conversations/{sender}/messages", {"text": agent_says})
    assert sent.status_code == 200 and sent.json()["live"] is True
    assert page.next() == {"from": "agent", "agent": agent_name, "text": agent_says}
    assert talk.chat.send(user_says) == []  # the bot stays silent: the agent reads it
    transcript = agent.get(f"conversations/{sender}").json()["transcript"]
    assert [(line["from"], line["text"]) for line in transcript[-2:]] == [("agent", agent_says), ("user", user_says)]
    assert transcript[-2]["agent"] == agent_name

    released = agent.post(f"conversations/{sender}/release")
    assert released.status_code == 200 and released.json()["conversation"]["status"] == "closed"
    assert page.next()["text"] == response_text("utter_handed_back", lang)
    assert page.next()["text"] == response_text(f"utter_prevention_tips_{cover}", lang).strip()
    state = tracker(stack, sender)
    assert state["paused"] is False and state["slots"]["language"] == lang
    assert sender not in agent.queue()

    # The bot answers again, in the user's language.
    if lang == "fr":  # and the missing police report completes the same dossier
        later = talk.say("mon PV est BR.21.L4.000777/2026")
        assert response_text("utter_dossier_completed", "fr").replace("{reference}", reference) in later
        assert talk.dossier(reference)["decision"]["decision"] == "covered"
    else:
        question = "Wat kost de verzekering?" if lang == "nl" else "How much does the insurance cost?"
        assert talk.say(question).strip()


def test_without_or_with_a_wrong_token_the_desk_says_401_and_nothing_else(stack, desk):
    anonymous = desk(None)
    for method, path in (("get", "queue"), ("get", "me"), ("get", "conversations/x"),
                         ("post", "conversations/x/claim"), ("post", "conversations/x/release")):
        reply = getattr(anonymous, method)(path)
        assert reply.status_code == 401 and reply.json() == {"error": "unauthorized"}
    wrong = desk("Sofie")
    wrong.token = wrong.token[:-2] + "xx"
    assert wrong.get("queue").status_code == 401
    basic = requests.get(f"{stack.settings.rasa_url}/webhooks/desk/api/queue",
                         headers={"Authorization": "Basic c29maWU6eA=="}, timeout=10)
    assert basic.status_code == 401
    events = requests.get(f"{stack.settings.rasa_url}/webhooks/desk/api/events", timeout=10)
    assert events.status_code == 401
    assert desk("Sofie").get("me").json() == {"name": "Sofie", "languages": ["nl", "fr"]}


def ask_for_a_person_twice(chat, lang, first, second):
    conversation = chat(page_language=lang)
    assert conversation.say(first).startswith(response_text("utter_offer_human", lang))
    return conversation, conversation.say(second)


def test_the_second_request_for_a_person_hands_off_and_a_double_claim_is_409(stack, chat, desk):
    conversation, second = ask_for_a_person_twice(chat, "nl", "Ik wil met een medewerker spreken",
                                                  "Ik wil echt een mens spreken")
    assert before_placeholder("utter_handoff_queued", "nl") in second
    item = desk("Lotte").queue()[conversation.sender]
    assert item["reason"] == "request_human" and item["policyholder"] is None and item["reference"] is None
    assert desk("Lotte").post(f"conversations/{conversation.sender}/claim").status_code == 200
    double = desk("Sofie").post(f"conversations/{conversation.sender}/claim")
    assert double.status_code == 409 and double.json()["agent"] == "Lotte"
    # Only the agent who has it may write or hand back.
    assert desk("Sofie").post(f"conversations/{conversation.sender}/messages", {"text": "hi"}).status_code == 409
    assert desk("Sofie").post(f"conversations/{conversation.sender}/release").status_code == 409
    assert desk("Lotte").post(f"conversations/{conversation.sender}/release").status_code == 200


def test_an_agent_without_french_does_not_see_a_french_conversation(stack, chat, desk):
    conversation, second = ask_for_a_person_twice(chat, "fr", "Je voudrais parler à quelqu'un",
                                                  "Je veux parler à un conseiller")
    assert before_placeholder("utter_handoff_queued", "fr") in second
    sender = conversation.sender
    assert sender in desk("Sofie").queue(language="fr")
    for name in ("Marc", "Lotte"):
        assert sender not in desk(name).queue() and sender not in desk(name).queue(language="fr")
        assert desk(name).get(f"conversations/{sender}").status_code == 404
        assert desk(name).post(f"conversations/{sender}/claim").status_code == 404
    assert sender not in desk("Sofie").queue(language="nl")


def test_yes_to_the_offer_hands_off_and_bad_agent_messages_are_refused(stack, chat, desk):
    conversation = chat(page_language="en")
    assert conversation.say("Can I talk to a human?").startswith(response_text("utter_offer_human", "en"))
    assert before_placeholder("utter_handoff_queued", "en") in conversation.say("yes please")
    marc = desk("Marc")
    assert marc.post(f"conversations/{conversation.sender}/claim").status_code == 200
    path = f"conversations/{conversation.sender}/messages"
    for body, data, code in (({"text": ""}, None, "empty"), ({"text": 5}, None, "not_text"),
                             (None, b"{not json", "malformed"), ({"text": "x" * 5000}, None, "too_long")):
        reply = marc.post(path, body, data=data)
        assert reply.status_code in (400, 413) and reply.json()["error"] == code, reply.text
        assert reply.json()["message"] == error_text(code, "en")
    assert marc.get("queue", status="finished").status_code == 400
    assert marc.post(f"conversations/{conversation.sender}/release").status_code == 200


def test_two_misunderstandings_in_a_row_hand_off(stack, chat, desk):
    conversation = chat(page_language="nl")
    conversation.say("Goeiemorgen")
    assert conversation.say("xqzvtr plomqwx") == response_text("utter_ask_rephrase", "nl")
    assert before_placeholder("utter_handoff_queued", "nl") in conversation.say("zzkrvq bwqxtl")
    assert desk("Sofie").queue()[conversation.sender]["reason"] == "misunderstood"


def test_the_console_is_served_by_the_assistant_without_outside_assets(stack):
    page = requests.get(f"{stack.settings.rasa_url}/webhooks/desk/", timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="token"' in page.text and "api/" in page.text
    assert "http://" not in page.text and "https://" not in page.text and "//cdn" not in page.text


def test_a_telegram_user_handed_off_gets_the_agents_reply_through_the_bot_api(stack, telegram_api, desk):
    from tests.test_telegram_channel import new_chat_id, say, sent_to

    chat_id = new_chat_id()
    sender = f"telegram-{chat_id}"
    assert say(stack, telegram_api, chat_id, "Je voudrais parler à un conseiller")[0].startswith(
        response_text("utter_offer_human", "fr"))
    handed = say(stack, telegram_api, chat_id, "Je veux vraiment parler à une personne")
    assert before_placeholder("utter_handoff_queued", "fr") in handed[0]
    sofie = desk("Sofie")
    assert sofie.queue()[sender]["channel"] == "telegram"
    assert sofie.post(f"conversations/{sender}/claim").status_code == 200
    sent = sofie.post(f"conversations/{sender}/messages", {"text": "Bonjour, ici Sofie. Je vous écoute."})
    assert sent.status_code == 200 and sent.json()["live"] is True
    assert sent_to(telegram_api, chat_id)[-1]["text"] == "Bonjour, ici Sofie. Je vous écoute."
    # The user's answer reaches the desk, not the bot.
    assert say(stack, telegram_api, chat_id, "Merci, c'est pour une fraude à la carte") == []
    assert sofie.get(f"conversations/{sender}").json()["transcript"][-1]["text"].startswith("Merci")
    assert sofie.post(f"conversations/{sender}/release").status_code == 200
    back = telegram_api.wait_for("sendMessage", 1, where=lambda c: c.get("chat_id") == chat_id
                                 and c.get("text") == response_text("utter_handed_back", "fr"))
    assert back
