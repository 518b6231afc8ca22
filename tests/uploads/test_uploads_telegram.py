"""Telegram: photos and documents through the webhook (with and without the secret), fetched once
from the Bot API stand-in with getFile and linked like web uploads; the commands; and
`make telegram-webhook`'s registration against the stand-in."""
from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from actions.claims import files
from actions.claims.db import get_database
from bot.channels.inbound import error_text
from tests.conftest import TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.nlu_data import ROOT
from tests.responses import response_text
from tests.test_telegram_channel import message, new_chat_id, post, say, sent_to, update
from tests.uploads.samples import EXECUTABLE, PDF, PNG


def files_of(stack, chat_id):
    return files.files_of(f"telegram-{chat_id}", db=get_database(stack.settings.claims_db_url))


def photo_update(chat_id, file_id, size, caption=None, lang="nl"):
    sizes = [{"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 100},
             {"file_id": file_id, "file_unique_id": "b", "width": 1280, "height": 960, "file_size": size}]
    content = {"photo": sizes}
    if caption:
        content["caption"] = caption
    return update(message=message(chat_id, lang, **content))


def document_update(chat_id, file_id, name, size, caption=None, lang="fr"):
    content = {"document": {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                            "mime_type": "application/pdf", "file_size": size}}
    if caption:
        content["caption"] = caption
    return update(message=message(chat_id, lang, **content))


def file_id() -> str:
    return f"BQACAgQ{random.randint(10**8, 10**9)}"


def test_a_photo_without_the_secret_is_refused_and_never_fetched(stack, telegram_api):
    chat_id, photo = new_chat_id(), file_id()
    telegram_api.add_file(photo, PNG)
    assert post(stack, photo_update(chat_id, photo, len(PNG)), secret="wrong").status_code == 403
    assert [c for c in telegram_api.calls("getFile") if c.get("file_id") == photo] == []
    assert files_of(stack, chat_id) == []


def test_a_photo_is_fetched_once_kept_and_acknowledged(stack, telegram_api):
    chat_id, photo = new_chat_id(), file_id()
    telegram_api.add_file(photo, PNG)
    assert post(stack, photo_update(chat_id, photo, len(PNG))).status_code == 200
    assert [c["file_id"] for c in telegram_api.calls("getFile") if c.get("file_id") == photo] == [photo]
    kept = files_of(stack, chat_id)
    assert [(f["kind"], f["content_type"], f["channel"]) for f in kept] == [("photo", "image/png", "telegram")]
    answer = sent_to(telegram_api, chat_id)[-1]["text"]
    assert answer == response_text("utter_file_kept", "nl").format(name=kept[0]["name"], kind="foto")


def test_a_pdf_with_a_caption_naming_the_police_report_and_refusals(stack, telegram_api):
    chat_id, document = new_chat_id(), file_id()
    telegram_api.add_file(document, PDF)
    assert post(stack, document_update(chat_id, document, "pv.pdf", len(PDF), caption="voici mon PV")).ok
    assert [(f["name"], f["kind"]) for f in files_of(stack, chat_id)] == [("pv.pdf", "police_report")]
    # A renamed executable is fetched, looked at and refused; a file over 10 MB is not even fetched.
    renamed, big = file_id(), file_id()
    telegram_api.add_file(renamed, EXECUTABLE)
    post(stack, document_update(chat_id, renamed, "facture.pdf", len(EXECUTABLE)))
    assert sent_to(telegram_api, chat_id)[-1]["text"] == error_text("file_type", "fr")
    post(stack, document_update(chat_id, big, "scan.pdf", 11 * 1024 * 1024))
    assert sent_to(telegram_api, chat_id)[-1]["text"] == error_text("file_too_big", "fr")
    assert [c for c in telegram_api.calls("getFile") if c.get("file_id") == big] == []
    assert len(files_of(stack, chat_id)) == 1


def test_the_commands_language_and_human(stack, telegram_api):
    chat_id = new_chat_id()
    assert say(stack, telegram_api, chat_id, "/language", "en") == [response_text("utter_ask_which_language", "en")]
    assert say(stack, telegram_api, chat_id, "/human@CyberCareTestBot", "en") == [
        response_text("utter_offer_human", "en")]
    assert say(stack, telegram_api, chat_id, "/help", "en") == [response_text("utter_greet", "en")]


@pytest.mark.stack  # starts a process of its own
def test_make_telegram_webhook_registers_the_webhook_and_the_commands(telegram_api):
    env = {**os.environ, "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
           "TELEGRAM_WEBHOOK_URL": "https://bot.example.be/webhooks/telegram/webhook",
           "TELEGRAM_API_BASE": telegram_api.api_base}
    run = subprocess.run([sys.executable, "-m", "bot.channels.telegram_setup"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    hook = telegram_api.calls("setWebhook")[-1]
    assert (hook["url"], hook["secret_token"]) == ("https://bot.example.be/webhooks/telegram/webhook",
                                                   TELEGRAM_SECRET)
    commands = telegram_api.calls("setMyCommands")[-3:]
    assert sorted(c.get("language_code") or "default" for c in commands) == ["default", "fr", "nl"]
    assert [c["command"] for c in commands[0]["commands"]] == ["start", "help", "language", "human"]
    missing = subprocess.run([sys.executable, "-m", "bot.channels.telegram_setup"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60, env={k: v for k, v in env.items() if k != "TELEGRAM_WEBHOOK_URL"})
    assert missing.returncode == 2 and "TELEGRAM_WEBHOOK_URL" in missing.stderr
