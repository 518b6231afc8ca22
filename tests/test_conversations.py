"""Whole conversations with the running assistant (Rasa server + action server) over HTTP."""
from __future__ import annotations

import json

import pytest

from tests import rasa_api
from tests.responses import response_text, response_texts

GREETINGS = {"nl": "Hallo!", "fr": "Bonjour !", "en": "Hello!"}
PREMIUM_QUESTIONS = {
    "nl": "Wat moet ik maandelijks betalen voor Cyber Care?",
    "fr": "Quel est le prix mensuel de Cyber Care ?",
    "en": "What do I pay each month for Cyber Care?",
}
NON_DELIVERY = {
    "nl": "Ik heb een GSM besteld bij een webshop maar het pakje is nooit geleverd",
    "fr": "J'ai commandé un GSM sur un site mais le colis n'a jamais été livré",
    "en": "I ordered a phone from a web shop but the parcel was never delivered",
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_greeting_faq_and_incident_are_answered_in_the_users_language(chat, lang):
    conversation = chat()
    assert conversation.say(GREETINGS[lang]) == response_text("utter_greet", lang)
    assert conversation.say(PREMIUM_QUESTIONS[lang]) == response_text("utter_faq/premium", lang)
    # An incident is acknowledged, then its declaration form asks who the policyholder is.
    answer = conversation.say(NON_DELIVERY[lang])
    assert answer.endswith(response_text("utter_ask_policy_number", lang))
    assert answer.startswith(tuple(response_texts("utter_care_ecommerce_non_delivery", lang)))


def test_short_ambiguous_messages_keep_the_conversation_language(chat):
    conversation = chat()
    conversation.say("Hello, I have a question about my insurance")
    # lingua alone calls "ok" Dutch; the conversation stays English.
    assert conversation.say("ok") == response_text("utter_ask_how_help", "en")


def test_a_clear_message_in_another_language_switches(chat):
    conversation = chat()
    assert conversation.say("hallo") == response_text("utter_greet", "nl")
    assert conversation.say("Combien coûte cette assurance par mois ?") == response_text("utter_faq/premium", "fr")


def test_switch_language_names_the_new_language_and_sticks(chat):
    conversation = chat()
    conversation.say("Goeiemiddag")
    assert conversation.say("Kunnen we in het Frans verder praten?") == response_text("utter_language_switched", "fr")
    assert conversation.say("ja") == response_text("utter_ask_how_help", "fr")


def test_switch_language_without_a_language_offers_buttons(chat):
    conversation = chat()
    conversation.say("Hi there")
    messages = conversation.send("Can we change the language please?")
    assert messages[0]["text"] == response_text("utter_ask_which_language", "en")
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == [f'/switch_language{{"target_language":"{lang}"}}' for lang in ("nl", "fr", "en")]
    # Pressing "Français" sends its payload: the answer comes in French.
    assert conversation.say(payloads[1]) == response_text("utter_language_switched", "fr")


def test_the_page_language_decides_an_unclear_first_message(chat):
    conversation = chat(page_language="en")
    assert conversation.say("ok") == response_text("utter_ask_how_help", "en")


def test_parse_result_names_the_language(stack):
    parsed = rasa_api.parse(stack.settings, "Quelqu'un a volé mon identité sur Facebook")
    assert parsed["language"] == "fr"
    assert parsed["intent"]["name"] == "report_identity_theft"


def test_the_conversation_is_stored_with_its_language(stack, chat):
    conversation = chat()
    conversation.say("Bonjour, j'ai un problème avec une commande en ligne")
    tracker = rasa_api.tracker(stack.settings, conversation.sender)
    assert tracker["slots"]["language"] == "fr"
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == [
        "Bonjour, j'ai un problème avec une commande en ligne"]


@pytest.mark.parametrize("lang, opener, gibberish", [
    ("nl", "Hallo, goeiemiddag", "grmbl fnorq zzzt"),
    ("fr", "Bonjour, bon après-midi", "blorf zwix gnak"),
    ("en", "Hello, good afternoon", "xqzt vlorp brimble snark"),
])
def test_gibberish_is_not_guessed_at(chat, lang, opener, gibberish):
    conversation = chat()
    conversation.say(opener)
    assert conversation.say(gibberish) == response_text("utter_ask_rephrase", lang)


@pytest.mark.parametrize("lang, opener", [("nl", "Goeiemorgen"), ("fr", "Bonsoir"), ("en", "Good morning")])
def test_two_failed_understandings_in_a_row_lead_to_a_person(chat, lang, opener):
    conversation = chat()
    conversation.say(opener)
    # Two words of no language the model knows (too few to switch language): the fallback, twice.
    assert conversation.say("xqzvtr plomqwx") == response_text("utter_ask_rephrase", lang)
    second = conversation.say("zzkrvq bwqxtl")
    assert second.startswith(response_text("utter_handoff_queued", lang).split("{", 1)[0])


WEBHOOK_BAD_INPUT = [
    (b"{oops", "malformed", 400),
    (b"\x00\xff\xfe binary", "malformed", 400),
    (json.dumps({"message": ""}).encode(), "empty", 400),
    (json.dumps({"message": 12}).encode(), "not_text", 400),
    (json.dumps({"message": "x" * 5000}).encode(), "too_long", 413),
    (json.dumps({"sender": "../../etc/passwd", "message": "hi"}).encode(), "bad_sender", 400),
]


@pytest.mark.parametrize("body, code, status", WEBHOOK_BAD_INPUT)
@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_bad_input_gets_a_clear_answer_in_the_page_language(stack, chat, body, code, status, lang):
    from bot.channels.inbound import error_text

    reply = chat().webhook(body, headers={"Content-Type": "application/json", "X-Chat-Language": lang})
    assert reply.status_code == status
    assert reply.json() == {"error": code, "message": error_text(code, lang)}


def test_injection_strings_are_just_text(chat):
    conversation = chat()
    conversation.say("Hello there, I need some help")
    answer = conversation.say("'; DROP TABLE events; -- <script>alert(1)</script>")
    assert answer  # answered, nothing crashed
    assert "<script>" not in answer
    # The conversation goes on afterwards (whatever the model made of the junk, even a form it opened).
    assert conversation.say("What does Cyber Care cost per month?").startswith(
        response_text("utter_faq/premium", "en"))


@pytest.mark.parametrize("lang, question", [
    ("nl", "Hoe staat het met mijn dossier {ref}?"),
    ("fr", "Où en est mon dossier {ref} ?"),
    ("en", "What is the status of my claim {ref}?"),
])
def test_claim_status_is_read_from_the_claims_store_after_identification(stack, chat, lang, question):
    from actions.claims.db import get_database
    from actions.claims.store import create_dossier

    reference = create_dossier("CC-DEMO-0001", "ecommerce", {"cover": "ecommerce"}, None, language=lang,
                               status="submitted", db=get_database(stack.settings.claims_db_url))
    conversation = chat(page_language=lang)
    # References are sequential: the policyholder proves who they are before seeing one.
    assert conversation.say(question.format(ref=reference)) == response_text("utter_ask_policy_number", lang)
    assert conversation.say("CC-DEMO-0001") == response_text("utter_ask_birth_date", lang)
    answer = conversation.say("12/04/1985")
    assert answer.endswith(response_text("utter_claim_status_submitted", lang).replace("{reference}", reference))


def test_unknown_claim_reference_is_said_plainly(chat):
    conversation = chat(page_language="en")
    conversation.say("Where is my claim CC-2019-999999 at?")
    conversation.say("CC-DEMO-0003")
    answer = conversation.say("05/01/1992")
    assert answer.endswith(response_text("utter_claim_reference_unknown", "en").replace("{reference}",
                                                                                          "CC-2019-999999"))


def test_the_page_is_told_the_conversations_language_after_each_message(stack, chat):
    """X-Conversation-Language (the page's own texts follow it) is what LanguagePolicy decided for
    this very message: Dutch, then French after a clear switch, and kept for a short "ok"."""
    conversation = chat()
    said = []
    for text in ("hallo", "Combien coûte cette assurance par mois ?", "ok"):
        reply = conversation.webhook({"message": text})
        said.append(reply.headers.get("X-Conversation-Language"))
    assert said == ["nl", "fr", "fr"]
    slots = rasa_api.tracker(stack.settings, conversation.sender)
    assert slots["slots"]["language"] == "fr"
