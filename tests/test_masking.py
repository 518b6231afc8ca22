"""Card numbers, IBANs and national register numbers never reach Rasa: masked in the channel, the
user told once, in their language; the rest of the message goes on as usual."""
from __future__ import annotations

import requests

from bot.channels.inbound import error_text
from tests.test_telegram_channel import new_chat_id, say, user_events


def user_texts(stack, sender):
    events = requests.get(f"{stack.settings.rasa_url}/conversations/{sender}/tracker", timeout=30).json()["events"]
    return [e["text"] for e in events if e.get("event") == "user"]


def test_a_card_number_and_an_iban_in_the_web_chat_are_masked_and_the_user_told_once(stack, chat):
    conversation = chat(page_language="nl")
    first = conversation.send("Er zijn betalingen gedaan met mijn kaart 4111 1111 1111 1111 die ik niet ken")
    assert first[0]["text"] == error_text("personal_number_masked", "nl")
    assert len(first) > 1  # and the bot answers the rest
    second = conversation.send("mijn rekening is BE68 5390 0754 7034")
    assert error_text("personal_number_masked", "nl") not in [m["text"] for m in second]
    texts = user_texts(stack, conversation.sender)
    assert texts[0] == "Er zijn betalingen gedaan met mijn kaart [card number] die ik niet ken"
    assert texts[1] == "mijn rekening is [IBAN]"
    assert "4111" not in " ".join(texts) and "5390" not in " ".join(texts)


def test_a_national_number_on_telegram_is_masked(stack, telegram_api):
    chat_id = new_chat_id()
    answers = say(stack, telegram_api, chat_id, "Mon numéro national est 85.07.30-033.28, on a volé mon identité",
                  "fr")
    assert answers[0] == error_text("personal_number_masked", "fr")
    assert user_events(stack, chat_id)[-1]["text"] == "Mon numéro national est [national number], on a volé mon identité"


def test_no_message_text_reaches_the_logs(stack, chat):
    """At the default level (INFO) neither the Rasa server nor the action server writes what users say."""
    conversation = chat(page_language="nl")
    phrase = "paarse olifant zwemt in de Schelde"
    conversation.send(f"Iemand heeft mijn pakje gestolen, {phrase}")
    conversation.send(phrase)
    for process in stack.processes:
        log = process.log_path.read_text(errors="replace")
        assert log, process.name  # the log is there and is written to
        assert "paarse olifant" not in log, process.name
