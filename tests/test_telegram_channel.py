"""The Telegram channel: real Telegram updates posted to the running assistant's webhook, answers
caught by a fake Bot API server (tests/telegram_fake.py) speaking HTTP like Telegram.

The webhook handles an update before it answers, so once the POST returned, every Bot API call
for that update has been made: "nothing sent" can be checked right away.
Each test uses its own chat ids, so tests do not depend on each other or on their order.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from typing import Any, List, Optional

import pytest
import requests
import yaml

from bot.channels.inbound import error_text
from bot.channels.telegram import (
    MAX_CALLBACK_DATA,
    MAX_TEXT_LENGTH,
    TelegramInput,
    TelegramOutput,
    callback_data_fits,
    inline_keyboard,
    split_text,
)
from tests import rasa_api
from tests.conftest import ROOT, TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.responses import response_text
from tests.telegram_fake import FakeTelegramServer

_CHAT_IDS = itertools.count(random.randint(10**8, 9 * 10**8))
_UPDATE_IDS = itertools.count(random.randint(10**6, 9 * 10**6))


def new_chat_id() -> int:
    return next(_CHAT_IDS)


def user(chat_id: int, language_code: Optional[str]) -> dict:
    sender = {"id": chat_id, "is_bot": False, "first_name": "Sam"}
    if language_code:
        sender["language_code"] = language_code
    return sender


def message(chat_id: int, language_code: Optional[str] = "fr", **content: Any) -> dict:
    """A private-chat message as Telegram sends it; `content` is text=..., photo=[...], etc."""
    return {
        "message_id": random.randint(1, 10**6),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
        "from": user(chat_id, language_code),
        **content,
    }


def update(**kind: Any) -> dict:
    return {"update_id": next(_UPDATE_IDS), **kind}


def text_update(chat_id: int, text: str, language_code: Optional[str] = "fr") -> dict:
    return update(message=message(chat_id, language_code, text=text))


def button_press(chat_id: int, data: str, language_code: str = "fr") -> dict:
    """A pressed inline button under one of the bot's messages."""
    bot_message = {
        "message_id": random.randint(1, 10**6), "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
        "from": {"id": 7000000001, "is_bot": True, "first_name": "Cyber Care",
                 "username": "CyberCareTestBot"},
        "text": "Que s'est-il passé ?",
    }
    return update(callback_query={
        "id": f"{chat_id}{random.randint(1000, 9999)}", "from": user(chat_id, language_code),
        "message": bot_message, "chat_instance": "-5730165463290351637", "data": data,
    })


def domain_buttons(name: str, lang: str) -> List[dict]:
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    for variation in responses[name]:
        if any(c.get("value") == lang for c in variation["condition"]):
            return variation.get("buttons", [])
    raise KeyError(f"{name} has no {lang} variation")


# ============================================================ unit tests: no server

def test_texts_up_to_the_limit_are_one_message():
    assert split_text("Bonjour") == ["Bonjour"]
    assert split_text("a" * MAX_TEXT_LENGTH) == ["a" * MAX_TEXT_LENGTH]


def test_long_texts_are_split_at_4096_never_cut():
    text = "\n".join(f"{i}. " + "mot " * 40 for i in range(60))  # ~9,800 characters
    pieces = split_text(text)
    assert len(pieces) == 3
    assert "".join(pieces) == text
    assert all(len(p) <= MAX_TEXT_LENGTH for p in pieces)
    assert all(p.endswith("\n") for p in pieces[:-1])  # at line breaks, not mid-line


def test_a_text_without_breaks_is_split_hard_and_kept_whole():
    text = "x" * 10_000
    assert [len(p) for p in split_text(text)] == [4096, 4096, 1808]
    assert "".join(split_text(text)) == text


def test_the_limit_counts_utf16_units_like_telegram():
    text = "😀" * 3000  # 6,000 UTF-16 units
    pieces = split_text(text)
    assert "".join(pieces) == text
    assert all(len(p.encode("utf-16-le")) // 2 <= MAX_TEXT_LENGTH for p in pieces)


def test_callback_data_must_be_1_to_64_bytes():
    assert callback_data_fits("/report_non_delivery")
    assert callback_data_fits("/" + "a" * (MAX_CALLBACK_DATA - 1))
    assert not callback_data_fits("/" + "a" * MAX_CALLBACK_DATA)
    assert not callback_data_fits("/é" * 32)  # 32 characters but 97 bytes
    assert not callback_data_fits("")
    assert not callback_data_fits(None)


def test_buttons_too_long_for_telegram_are_left_out_with_a_warning(caplog):
    buttons = [{"title": "Colis", "payload": "/report_non_delivery"},
               {"title": "Trop long", "payload": "/inform" + json.dumps({"text": "x" * 80})},
               {"title": "Français", "payload": '/switch_language{"target_language":"fr"}'}]
    keyboard = inline_keyboard(buttons)
    assert [[b.callback_data for b in row] for row in keyboard.inline_keyboard] == [
        ["/report_non_delivery"], ['/switch_language{"target_language":"fr"}']]
    assert "Trop long" in caplog.text
    assert inline_keyboard([{"title": "x", "payload": "y" * 65}]) is None


def test_every_button_payload_in_the_domain_fits_telegram():
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    payloads = [button["payload"] for variations in responses.values() for variation in variations
                for button in variation.get("buttons", [])]
    assert payloads
    assert [p for p in payloads if not callback_data_fits(p)] == []


def test_settings_come_from_the_environment_when_credentials_yml_has_none(monkeypatch):
    monkeypatch.setenv("TELEGRAM_TOKEN", "42:ENV")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "env-secret")
    monkeypatch.delenv("TELEGRAM_API_BASE", raising=False)
    channel = TelegramInput.from_credentials(None)
    assert channel.configured and channel.webhook_secret == "env-secret"
    assert channel.output.bot.base_url == "https://api.telegram.org/bot42:ENV"
    channel = TelegramInput.from_credentials({"token": "7:YML", "webhook_secret": "yml",
                                              "api_base": "http://127.0.0.1:1/bot"})
    assert channel.output.bot.base_url == "http://127.0.0.1:1/bot7:YML"
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET")
    assert not TelegramInput.from_credentials({}).configured


# ============================================================ the channel against the fake API only

class Recorder:
    """Stands in for Rasa: records the user messages; answers with one text, or fails."""

    def __init__(self, fail: bool = False) -> None:
        self.messages: List[Any] = []
        self.fail = fail

    async def __call__(self, user_message: Any) -> None:
        self.messages.append(user_message)
        if self.fail:
            raise RuntimeError("Rasa is down")
        # As Rasa's processor does: every answer goes through send_response.
        await user_message.output_channel.send_response(user_message.sender_id, {"text": "réponse"})


def run_updates(api: FakeTelegramServer, *updates: dict, fail: bool = False) -> Recorder:
    """Feeds parsed updates to a channel pointed at `api`, as the webhook route does."""
    from telegram import Update

    async def feed() -> Recorder:
        channel = TelegramInput(TELEGRAM_TOKEN, TELEGRAM_SECRET, api.api_base)
        recorder = Recorder(fail)
        for raw in updates:
            await channel.handle_update(Update.de_json(raw, None), recorder)
        await channel.output.close()
        return recorder

    return asyncio.run(feed())


def test_the_bot_is_initialized_once_not_per_message(fake_api):
    chat_id = new_chat_id()
    recorder = run_updates(fake_api, text_update(chat_id, "Bonjour"), text_update(chat_id, "Merci"))
    assert [m.text for m in recorder.messages] == ["Bonjour", "Merci"]
    assert len(fake_api.calls("getMe")) == 1
    assert [(c["chat_id"], c["text"]) for c in fake_api.calls("sendMessage")] == [(chat_id, "réponse")] * 2


def test_messages_reach_rasa_with_sender_and_language_hint(fake_api):
    chat_id = new_chat_id()
    recorder = run_updates(fake_api, text_update(chat_id, " Hallo\x00 ", language_code="nl-BE"),
                           text_update(chat_id, "Hi", language_code="de"))
    first, second = recorder.messages
    assert (first.text, first.sender_id, first.input_channel) == ("Hallo", f"telegram-{chat_id}", "telegram")
    assert first.metadata == {"language": "nl", "telegram_chat_id": chat_id}
    assert second.metadata == {"telegram_chat_id": chat_id}  # German app: no hint


def test_start_command_greets(fake_api):
    recorder = run_updates(fake_api, text_update(new_chat_id(), "/start"),
                           text_update(new_chat_id(), "/start@CyberCareTestBot campaign-7"))
    assert [m.text for m in recorder.messages] == ["/greet", "/greet"]


def test_a_failure_in_rasa_gets_the_user_an_apology(fake_api):
    chat_id = new_chat_id()
    run_updates(fake_api, text_update(chat_id, "Bonjour", language_code="fr"), fail=True)
    assert [c["text"] for c in fake_api.calls("sendMessage")] == [error_text("unavailable", "fr")]


def test_a_refused_token_stays_out_of_the_logs_and_is_retried(fake_api, caplog):
    from telegram import Update

    wrong = "999:WRONG-TOKEN"

    async def feed() -> Recorder:
        channel = TelegramInput(wrong, TELEGRAM_SECRET, fake_api.api_base)
        recorder = Recorder()
        for _ in range(2):
            await channel.handle_update(Update.de_json(text_update(new_chat_id(), "Bonjour"), None),
                                        recorder)
        return recorder

    recorder = asyncio.run(feed())
    assert len(recorder.messages) == 2
    assert fake_api.calls("getMe") == []  # the wrong token's calls are 404s, not recorded
    assert "refused the bot token" in caplog.text
    assert wrong not in caplog.text and "WRONG" not in caplog.text
    assert caplog.text.count("refused the bot token") >= 4  # both messages tried getMe again


def test_long_answers_and_buttons_over_the_wire(fake_api):
    chat_id = new_chat_id()
    text = ("Ligne de réponse assez longue.\n" * 300).strip()  # ~9,300 characters

    async def send() -> None:
        output = TelegramOutput(TELEGRAM_TOKEN, fake_api.api_base)
        await output.send_text_with_buttons(f"telegram-{chat_id}", text, [
            {"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}])
        await output.send_image_url(f"telegram-{chat_id}", "https://example.org/tip.png")
        await output.send_custom_json(f"telegram-{chat_id}", {"text": "Du JSON"})
        await output.send_custom_json(f"telegram-{chat_id}", {"blocks": []})
        await output.close()

    asyncio.run(send())
    sent = fake_api.calls("sendMessage")
    assert "".join(c["text"] for c in sent[:3]) == text
    assert [c.get("reply_markup") for c in sent[:3]][:2] == [None, None]
    assert sent[2]["reply_markup"] == {"inline_keyboard": [
        [{"text": "Oui", "callback_data": "/affirm"}], [{"text": "Non", "callback_data": "/deny"}]]}
    assert sent[3]["text"] == "Du JSON" and len(sent) == 4
    assert fake_api.calls("sendPhoto") == [{"chat_id": chat_id, "photo": "https://example.org/tip.png"}]


def test_the_fake_refuses_a_wrong_token_like_telegram(fake_api):
    reply = requests.post(f"{fake_api.api_base}999:WRONG/getMe", timeout=5)
    assert reply.status_code == 404
    assert reply.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    reply = requests.post(f"{fake_api.api_base}{TELEGRAM_TOKEN}/sendMessage",
                          json={"chat_id": 5, "text": "hi"}, timeout=5)
    assert reply.json()["result"]["chat"]["id"] == 5 and fake_api.calls("sendMessage")[0]["text"] == "hi"


# ============================================================ the running assistant

def webhook_url(stack) -> str:
    return f"{stack.settings.rasa_url}/webhooks/telegram/webhook"


def post(stack, body: Any, secret: Optional[str] = TELEGRAM_SECRET) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    return requests.post(webhook_url(stack), data=data, headers=headers, timeout=60)


def sent_to(telegram_api: FakeTelegramServer, chat_id: int, method: str = "sendMessage") -> List[dict]:
    return [c for c in telegram_api.calls(method) if c.get("chat_id") == chat_id]


def say(stack, telegram_api, chat_id: int, text: str, language_code: Optional[str] = "fr") -> List[str]:
    """Sends `text` from `chat_id`; the texts the bot answered with."""
    before = len(sent_to(telegram_api, chat_id))
    reply = post(stack, text_update(chat_id, text, language_code))
    assert reply.status_code == 200, reply.text
    return [c["text"] for c in sent_to(telegram_api, chat_id)[before:]]


def user_events(stack, chat_id: int) -> List[dict]:
    tracker = rasa_api.tracker(stack.settings, f"telegram-{chat_id}")
    return [e for e in tracker.get("events", []) if e.get("event") == "user"]


def test_health_says_configured(stack):
    reply = requests.get(f"{stack.settings.rasa_url}/webhooks/telegram/health", timeout=10)
    assert reply.json() == {"status": "ok", "configured": True}


def test_a_french_user_is_greeted_in_french_in_their_chat(stack, telegram_api):
    chat_id = new_chat_id()
    assert say(stack, telegram_api, chat_id, "Bonjour") == [response_text("utter_greet", "fr")]
    first = telegram_api.wait_for("sendMessage", 1, where=lambda c: c.get("chat_id") == chat_id)[0]
    assert first["chat_id"] == chat_id and "reply_markup" not in first
    metadata = user_events(stack, chat_id)[0]["metadata"]  # Rasa adds assistant_id and model_id
    assert (metadata["language"], metadata["telegram_chat_id"]) == ("fr", chat_id)


def test_the_app_language_decides_an_unclear_first_message(stack, telegram_api):
    assert say(stack, telegram_api, new_chat_id(), "ok", language_code="en") == [
        response_text("utter_ask_how_help", "en")]


def test_the_bot_is_initialized_once_for_all_updates(stack, telegram_api):
    chat_id = new_chat_id()
    say(stack, telegram_api, chat_id, "Bonjour")  # the bot is initialized by now (getMe), once
    initialized = len(telegram_api.calls("getMe"))
    assert initialized >= 1  # once per start of the Rasa server (tests/desk restarts it once)
    say(stack, telegram_api, chat_id, "Merci")
    say(stack, telegram_api, new_chat_id(), "Bonsoir")
    assert len(telegram_api.calls("getMe")) == initialized


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", TELEGRAM_SECRET + "x", TELEGRAM_TOKEN])
def test_updates_without_the_secret_are_refused(stack, telegram_api, secret):
    chat_id = new_chat_id()
    reply = post(stack, text_update(chat_id, "Bonjour"), secret=secret)
    assert reply.status_code == 403
    assert sent_to(telegram_api, chat_id) == []
    assert user_events(stack, chat_id) == []


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00", b"[1, 2]", b'"text"',
                                  b'{"update_id": 1, "message": {"text": "no chat"}}'])
def test_malformed_updates_are_refused(stack, body):
    assert post(stack, body).status_code == 400


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_video_gets_the_notice_of_what_is_read(stack, telegram_api, lang):
    # Photos and PDFs are evidence (tests/uploads); a video is not.
    chat_id = new_chat_id()
    video = {"file_id": "BAACAgQAAxkBAAM", "file_unique_id": "AQADsr", "width": 90, "height": 67,
             "duration": 3, "file_size": 1254}
    reply = post(stack, update(message=message(chat_id, lang, video=video, caption="regardez")))
    assert reply.status_code == 200
    assert [c["text"] for c in sent_to(telegram_api, chat_id)] == [error_text("not_text", lang)]
    assert user_events(stack, chat_id) == []


def test_voice_stickers_and_locations_get_the_notice_too(stack, telegram_api):
    chat_id = new_chat_id()
    attachments = [
        {"voice": {"file_id": "AwACAgQ", "file_unique_id": "AgADv", "duration": 3}},
        {"sticker": {"file_id": "CAACAgI", "file_unique_id": "AgADs", "type": "regular",
                     "width": 512, "height": 512, "is_animated": False, "is_video": False}},
        {"location": {"latitude": 50.8466, "longitude": 4.3528}},
    ]
    for attachment in attachments:
        assert post(stack, update(message=message(chat_id, "en", **attachment))).status_code == 200
    assert [c["text"] for c in sent_to(telegram_api, chat_id)] == [error_text("not_text", "en")] * 3


def test_a_too_long_message_is_refused_and_not_passed_to_rasa(stack, telegram_api):
    chat_id = new_chat_id()
    assert say(stack, telegram_api, chat_id, "Mon colis " * 500) == [error_text("too_long", "fr")]
    assert user_events(stack, chat_id) == []


def test_buttons_become_an_inline_keyboard_and_a_press_is_the_payload(stack, telegram_api):
    chat_id = new_chat_id()
    assert say(stack, telegram_api, chat_id, "Je voudrais déclarer un sinistre") == [
        response_text("utter_ask_incident_type", "fr")]
    keyboard = sent_to(telegram_api, chat_id)[-1]["reply_markup"]["inline_keyboard"]
    expected = domain_buttons("utter_ask_incident_type", "fr")
    assert len(keyboard) == len(expected) == 6
    assert [[(b["text"], b["callback_data"]) for b in row] for row in keyboard] == [
        [(b["title"], b["payload"])] for b in expected]

    press = button_press(chat_id, "/report_non_delivery")
    before = len(sent_to(telegram_api, chat_id))
    assert post(stack, press).status_code == 200
    answers = telegram_api.calls("answerCallbackQuery")
    assert {"callback_query_id": press["callback_query"]["id"]} in answers
    texts = [c["text"] for c in sent_to(telegram_api, chat_id)[before:]]
    assert texts[-1] == response_text("utter_ask_policy_number", "fr")  # the declaration form starts
    assert user_events(stack, chat_id)[-1]["text"] == "/report_non_delivery"


def test_a_language_button_switches_the_language(stack, telegram_api):
    chat_id = new_chat_id()
    say(stack, telegram_api, chat_id, "Hi there", language_code="en")
    # A language button not offered is only text; /language offers them, and then one is pressed.
    say(stack, telegram_api, chat_id, "/language", language_code="en")
    before = len(sent_to(telegram_api, chat_id))
    assert post(stack, button_press(chat_id, '/switch_language{"target_language":"fr"}', "en")).ok
    texts = [c["text"] for c in sent_to(telegram_api, chat_id)[before:]]
    assert texts == [response_text("utter_language_switched", "fr")]


@pytest.mark.parametrize("kind", ["edited_message", "channel_post"])
def test_other_updates_are_acknowledged_and_ignored(stack, telegram_api, kind):
    chat_id = new_chat_id()
    body = update(**{kind: {**message(chat_id, text="Bonjour"), "edit_date": int(time.time())}})
    reply = post(stack, body)
    assert reply.status_code == 200 and reply.json() == {"status": "ignored"}
    assert sent_to(telegram_api, chat_id) == []
    assert user_events(stack, chat_id) == []


def test_a_member_update_is_acknowledged_and_ignored(stack, telegram_api):
    chat_id = new_chat_id()
    member = {"chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
              "from": user(chat_id, "fr"), "date": int(time.time()),
              "old_chat_member": {"status": "member", "user": {"id": 7000000001, "is_bot": True,
                                                               "first_name": "Cyber Care"}},
              "new_chat_member": {"status": "kicked", "until_date": 0,
                                  "user": {"id": 7000000001, "is_bot": True, "first_name": "Cyber Care"}}}
    reply = post(stack, update(my_chat_member=member))
    assert reply.status_code == 200 and reply.json() == {"status": "ignored"}
    assert sent_to(telegram_api, chat_id) == []


def test_a_declaration_on_telegram_is_filed_with_its_channel(stack, telegram_api):
    """A payment fraud declared from Telegram: first aid, identification, a button pressed for a yes/no
    question, the dossier filed with channel `telegram` and the conversation as its sender."""
    from datetime import date, timedelta

    from tests.declaration.helpers import Declaration, new_policy

    policy = new_policy(stack, start=date.today() - timedelta(days=400), language="fr")
    chat_id = new_chat_id()
    first = say(stack, telegram_api, chat_id, "Quelqu'un a fait des paiements avec ma carte bancaire hier")
    assert response_text("utter_first_aid_payment_fraud", "fr") in first and any("078 170 170" in line for line in first)
    say(stack, telegram_api, chat_id, policy.number)
    say(stack, telegram_api, chat_id, policy.birth_text)
    assert say(stack, telegram_api, chat_id, "300 euros") == [response_text("utter_ask_card_blocked", "fr")]
    assert sent_to(telegram_api, chat_id)[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/affirm"
    assert post(stack, button_press(chat_id, "/affirm")).ok  # "Oui"
    say(stack, telegram_api, chat_id, "oui j'ai prévenu ma banque")
    # Which bank and who was paid, for the agent: then the police report the cover demands.
    say(stack, telegram_api, chat_id, "BNP Paribas Fortis")
    assert say(stack, telegram_api, chat_id, "aucune idée, un nom bizarre")[-1] == response_text(
        "utter_ask_police_report", "fr")
    say(stack, telegram_api, chat_id, "PV BR.12.L3.054321/2026")
    say(stack, telegram_api, chat_id, "oui")
    store = Declaration.store_of(stack)
    dossier = store.dossiers_of(policy.number)[0]
    assert (dossier["channel"], dossier["sender_id"]) == ("telegram", f"telegram-{chat_id}")
    assert dossier["decision"]["decision"] == "covered"
    assert dossier["case"]["incident"]["card_blocked"] is True
