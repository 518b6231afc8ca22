"""Never left alone (issue 16), over HTTP against the running assistant: first aid before identification for
what is urgent, prevention tips after every declaration, a `not_yet` that files nothing, a two-place story
decided on where the content is published, and questions after the claim answered by the bot."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

import pytest

from actions.conversation.texts import texts
from tests import rasa_api
from tests.declaration.helpers import Declaration, new_policy
from tests.responses import response_text

TODAY = date.today()


@pytest.mark.parametrize("lang, story, aid", [
    ("nl", "Help, er staat een bericht op mijn scherm dat ik moet betalen in bitcoin, al mijn bestanden zijn "
           "versleuteld", "utter_first_aid_malware"),
    ("fr", "Quelqu'un a ouvert un crédit à mon nom avec ma carte d'identité, je viens de recevoir le courrier",
     "utter_first_aid_identity_theft"),
    ("en", "My daughter is 14 and a girl from her class posted humiliating videos of her on TikTok, she cries all "
           "the time", "utter_first_aid_minor"),
])
def test_urgent_incidents_get_their_first_aid_before_identification(stack, chat, lang, story, aid):
    talk = Declaration(stack, chat(page_language=lang))
    first = talk.say(story)
    assert response_text(aid, lang) in first
    # First aid comes before the question of who the user is.
    assert first.index(response_text(aid, lang)) < first.index(response_text("utter_ask_policy_number", lang))


def test_a_harassed_minor_brings_the_support_the_cover_gives(stack, chat):
    talk = Declaration(stack, chat(page_language="fr"))
    first = talk.say("Ma fille de 15 ans se fait harceler sur Instagram par des filles de sa classe, elle pleure tout "
                     "le temps")
    assert "Child Focus" in first or "116 000" in first
    assert "psycholog" in first.lower()


def test_not_yet_files_nothing_and_says_when_to_come_back(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    complained = TODAY - timedelta(days=10)
    talk.say(f"I ordered a coffee machine for 120 euros at Bol.com on {(TODAY - timedelta(days=40)):%d/%m/%Y} and "
             f"it never arrived. I complained on {complained:%d/%m/%Y}, no answer yet")
    talk.identify(policy)
    final = talk.answer_questions({"relation": "myself", "confirmed": "yes", "merchant_response": "no answer yet",
                                   "goods_category": "appliances", "return_shipping_cost": "no"})
    slots = talk.slots()
    assert slots["coverage_decision"] == "not_yet" and slots["claim_reference"] is None
    assert (complained + timedelta(days=30)).strftime("%d/%m/%Y") in final
    assert response_text("utter_prevention_tips_ecommerce", "en") in final
    assert not any(d["status"] != "draft" for d in talk.store().dossiers_of(policy.number))


@pytest.mark.parametrize("lang, answers", [
    ("nl", {"confirmed": "ja"}),
])
def test_prevention_tips_follow_a_covered_declaration_too(stack, chat, lang, answers):
    talk, _ = _declared(stack, chat, lang, "Er is gisteren 250 euro van mijn rekening gehaald met mijn bankkaart, "
                        "betalingen die ik niet ken. Mijn kaart is al geblokkeerd en ik heb KBC gebeld", holder="nl")
    final = talk.answer_questions({**answers, "police_report": "PV BR.12.L3.054321/2026", "bank": "KBC",
                                   "payee": "geen idee, een naam die ik niet ken"})
    assert talk.slots()["coverage_decision"] == "covered"
    assert response_text("utter_prevention_tips_payment_fraud", lang) in final
    # Cyber Care pays nothing back for card fraud: no "when will I be paid?", and the question gets the bank's part.
    assert final.endswith(texts()["after_claim_unpaid"][lang])
    assert talk.say("en wanneer krijg ik dat geld dan?") == texts()["no_payment"]["payment_fraud"][lang]


def test_a_live_call_then_a_forum_is_decided_on_the_forum(stack, chat):
    talk, _ = _declared(stack, chat, "en", "Last week someone recorded me during a live video call on Discord and "
                        "since Saturday the recording is on a forum with horrible comments")
    final = talk.answer_questions({"relation": "me", "urls": "https://forum.example.be/t/4412",
                                   "police_report": "BR.12.L3.054321/2026", "confirmed": "yes",
                                   "started_on": "last saturday", "channel": "a forum",
                                   "offender": "no idea, an anonymous account"})
    slots = talk.slots()
    assert (slots["channel"], slots["origin_channel"]) == ("forum", "video_conference")
    assert slots["coverage_decision"] == "covered"
    assert "live" in final.lower()


def _declared(stack, chat, lang: str, story: str, holder: Optional[str] = None):
    """A policyholder of two years who tells `story` on a page in `lang` and identifies: the conversation and the
    policy (whose language is `holder`, else `lang`)."""
    policy = new_policy(stack, start=TODAY - timedelta(days=800), language=holder or lang)
    talk = Declaration(stack, chat(page_language=lang))
    talk.say(story)
    talk.identify(policy)
    return talk, policy


def _filed_parcel_claim(stack, chat, lang: str):
    """A covered parcel declaration, filed: the conversation and its policy."""
    story = {"nl": "Ik heb op {o} een tv van 499 euro besteld bij Vandenborre en die is nooit geleverd. Ik heb op {c} "
                   "geklaagd en ze antwoorden niet",
             "fr": "J'ai commandé une télé de 499 euros chez Vanden Borre le {o}, jamais livrée. J'ai réclamé le {c} "
                   "et ils ne répondent pas",
             "en": "I ordered a tv for 499 euros at Vandenborre on {o} and it never came. I complained on {c} and "
                   "they don't answer"}[lang]
    talk, policy = _declared(stack, chat, lang, story.format(o=f"{TODAY - timedelta(days=70):%d/%m/%Y}",
                                                             c=f"{TODAY - timedelta(days=45):%d/%m/%Y}"))
    talk.answer_questions({"confirmed": {"nl": "ja", "fr": "oui", "en": "yes"}[lang],
                           "relation": {"nl": "ikzelf", "fr": "moi", "en": "me"}[lang],
                           "return_shipping_cost": {"nl": "nee", "fr": "non", "en": "no"}[lang]})
    assert talk.slots()["claim_reference"]
    return talk, policy


@pytest.mark.parametrize("lang, questions, topics", [
    ("nl", ["en wanneer krijg ik dat geld dan?", "moet ik nu nog iets doen?", "hoe doe ik aangifte bij de politie?"],
     ["utter_faq/refund_delay", "utter_faq/next_steps", "utter_faq/police_report"]),
    ("fr", ["et je serai remboursé quand ?", "je dois encore faire quelque chose ?",
            "comment je fais pour introduire une plainte à la police ?"],
     ["utter_faq/refund_delay", "utter_faq/next_steps", "utter_faq/police_report"]),
    ("en", ["so when do i get my money?", "do i still need to do anything?", "how do i file a police report?"],
     ["utter_faq/refund_delay", "utter_faq/next_steps", "utter_faq/police_report"]),
])
def test_after_a_filed_claim_the_bot_answers_the_questions_that_follow(stack, chat, lang, questions, topics):
    talk, _ = _filed_parcel_claim(stack, chat, lang)
    for question, topic in zip(questions, topics):
        assert talk.say(question).startswith(response_text(topic, lang).strip()[:60])
    assert talk.slots()["language"] == lang


@pytest.mark.parametrize("lang, question", [
    # Seen in the played conversations: each opened a new declaration after the claim ("how much did you pay?").
    ("fr", "d'accord merci. et pour la télé alors vous m'avez pas repondu, je la jette pas hein?"),
    ("en", "ok thanks. but can they also take a loan in my name with that copy of my id card?"),
    ("nl", "en mijn pakje, moet ik da nog terugsturen als het toch nog komt?"),
])
def test_a_question_after_the_claim_opens_no_new_declaration(stack, chat, lang, question):
    talk, policy = _filed_parcel_claim(stack, chat, lang)
    filed = talk.slots()["claim_reference"]
    answer = talk.say(question)
    tracker = rasa_api.tracker(stack.settings, talk.chat.sender)
    assert answer.strip(), "the question got no answer"
    assert not (tracker.get("active_loop") or {}).get("name"), answer
    assert tracker["slots"]["claim_reference"] == filed and tracker["slots"]["coverage_decision"] == "covered"
    assert [d["status"] for d in talk.store().dossiers_of(policy.number)] == ["submitted"]


def test_a_question_typed_with_an_answer_in_the_form_is_answered_and_the_answer_taken(stack, chat):
    """Seen: 'nee nog nie. moet ik naar de politie? ze is toch nog maar 15' skipped to the summary unanswered."""
    talk, _ = _declared(stack, chat, "nl", "mijn dochter lotte wordt gepest, meisjes van haar klas hebben een vals "
                        "instagram account gemaakt met haar fotos en zetten er beledigingen op, sinds 15 november")
    talk.answer_questions({"relation": "mijn dochter, ze woont bij mij", "urls": "instagram.com/lotte_fake_2011",
                           "offender": "meisjes van haar klas", "started_on": "15 november",
                           "police_report": "nee nog nie. moet ik naar de politie? ze is toch nog maar 15",
                           "confirmed": "ja"})
    asked_at_police = next(a for a in talk.answers if "politie" in a and a.startswith("Ja,"))
    assert asked_at_police.startswith("Ja, fraude, beledigingen")
    slots = talk.slots()
    assert "police_report" in (slots["declaration_state"] or {}).get("declined", [])
    assert slots["claim_reference"]
