"""Card numbers, IBANs and national register numbers never reach Rasa: masked in the channel, the
user told once, in their language; the rest of the message goes on as usual."""
from __future__ import annotations

import re

from bot.channels.inbound import error_text
from tests import rasa_api
from tests.test_telegram_channel import new_chat_id, say, user_events


def user_texts(stack, sender):
    events = rasa_api.events(stack.settings, sender)
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


SEPARATED = {"no-break spaces": ("4111\u00a01111\u00a01111\u00a01111", "BE68\u00a05390\u00a00754\u00a07034"),
             "narrow no-break spaces": ("4111\u202f1111\u202f1111\u202f1111", "BE68\u202f5390\u202f0754\u202f7034"),
             "tabs": ("4111\t1111\t1111\t1111", "BE68\t5390\t0754\t7034"),
             "dots": ("4111.1111.1111.1111", "BE68.5390.0754.7034"),
             "slashes": ("4111/1111/1111/1111", "BE68/5390/0754/7034"),
             "dashes": ("4111-1111-1111-1111", "BE68-5390-0754-7034")}


def test_card_numbers_and_ibans_split_by_any_separator_never_reach_the_tracker(stack, chat):
    """Issue 18, item 5: a number split by U+00A0 (French, copied bank data), U+202F, tabs, dots or
    slashes was stored as typed."""
    conversation = chat(page_language="fr")
    for name, (card, iban) in SEPARATED.items():
        conversation.send(f"Ma carte {card} et mon compte {iban} ({name})")
    texts = user_texts(stack, conversation.sender)
    assert texts == [f"Ma carte [card number] et mon compte [IBAN] ({name})" for name in SEPARATED]
    stored = str(rasa_api.tracker(stack.settings, conversation.sender))
    # A group of the card or the IBAN anywhere (not inside a timestamp such as 1796353985.1111305).
    assert not re.search(r"(?<![\d.])(?:1111|5390)", stored)


def test_an_upload_name_and_telegram_callback_data_are_masked(stack, chat, telegram_api):
    from tests.test_telegram_channel import button_press, post
    from tests.uploads.samples import PDF
    from tests.uploads.test_uploads_http import upload

    conversation = chat(page_language="nl")
    sent = upload(stack, conversation, PDF, "kaart 4111 1111 1111 1111.pdf", language="nl")
    assert sent.status_code == 200 and sent.json()["file"]["name"] == "kaart [card number].pdf"
    assert "4111" not in str(rasa_api.tracker(stack.settings, conversation.sender))
    chat_id = new_chat_id()
    say(stack, telegram_api, chat_id, "Bonjour", "fr")
    assert post(stack, button_press(chat_id, "BE68\u00a05390\u00a00754\u00a07034", "fr")).ok
    assert user_events(stack, chat_id)[-1]["text"] == "[IBAN]"
