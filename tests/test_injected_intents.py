"""A user's "/intent{...}" is text, not an intent: only the payloads of the bot's own buttons are
passed on as intents (bot/channels/payloads.py), on the web chat and on Telegram."""
from __future__ import annotations

from tests import rasa_api
from tests.responses import response_text
from tests.test_telegram_channel import button_press, new_chat_id, post, say, user_events


def events_of(stack, sender):
    return rasa_api.events(stack.settings, sender)


def test_typed_restart_does_not_wipe_the_conversation(stack, chat):
    conversation = chat(page_language="en")
    conversation.say("Hello, I have a question about my insurance")
    conversation.say("/restart")
    events = events_of(stack, conversation.sender)
    assert not any(e.get("event") == "restart" for e in events)
    assert [e["text"] for e in events if e.get("event") == "user"][-1] == "restart"


def test_typed_switch_language_with_an_entity_does_not_switch(stack, chat):
    conversation = chat(page_language="en")
    conversation.say("Hello, I have a question about my insurance")
    conversation.say('/switch_language{"target_language":"fr"}')
    slots = rasa_api.tracker(stack.settings, conversation.sender)["slots"]
    assert slots["language"] == "en"


def test_a_typed_report_with_a_negative_amount_sets_nothing(stack, chat):
    conversation = chat(page_language="nl")
    conversation.say('/report_non_delivery{"amount": -1}')
    last = [e for e in events_of(stack, conversation.sender) if e.get("event") == "user"][-1]
    assert last["text"] == 'report_non_delivery{"amount": -1}' and last["parse_data"]["entities"] == []


def test_the_bots_own_button_is_an_intent(stack, chat):
    conversation = chat(page_language="fr")
    offer = conversation.send("Je voudrais parler à un conseiller")
    assert offer[0]["buttons"][0]["payload"] == "/request_human"
    conversation.send("/request_human")
    last = [e for e in events_of(stack, conversation.sender) if e.get("event") == "user"][-1]
    assert last["parse_data"]["intent"]["name"] == "request_human"


def test_telegram_callback_data_never_offered_is_text(stack, telegram_api):
    chat_id = new_chat_id()
    say(stack, telegram_api, chat_id, "Hello there", language_code="en")
    assert post(stack, button_press(chat_id, "/restart", "en")).ok
    assert user_events(stack, chat_id)[-1]["text"] == "restart"
    assert say(stack, telegram_api, chat_id, "/human", "en") == [response_text("utter_offer_human", "en")]
