"""Files over HTTP against the running assistant: a PDF during a declaration in each language (the
police report taken as that evidence; a complaint added to the draft; a file sent before
identification linked once the policyholder is known), refused files with the reason in the user's
language, and the history a reloaded page shows. The desk's view of the files: tests/desk/test_desk_files.py."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from actions.claims import files
from actions.claims.db import get_database
from bot.channels.inbound import error_text
from tests import rasa_api
from tests.declaration.helpers import Declaration, new_policy
from tests.responses import response_text
from tests.uploads.samples import ELEVEN_MB, EXECUTABLE, PDF, PNG

TODAY = date.today()


def upload(stack, conversation, data, name, kind="other", language=None, content_type="application/pdf",
           **form_fields):
    """POST upload as the page sends it, with the conversation's session cookie (a Chat)."""
    form = {"kind": kind, **form_fields}
    if language:
        form["language"] = language
    return conversation.post(f"{stack.settings.webchat_url}upload", data=form,  # the page's language header too
                             headers={"X-Chat-Language": language} if language else {},
                             files={"file": (name, data, content_type)}, timeout=60)


def files_of(stack, sender):
    return files.files_of(sender, db=get_database(stack.settings.claims_db_url))


def test_fr_a_police_report_pdf_is_that_evidence_when_the_form_asks_for_it(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=500), language="fr")
    talk = Declaration(stack, chat(page_language="fr"))
    talk.say("Quelqu'un a ouvert un compte bancaire à mon nom chez Belfius, je l'ai découvert avant-hier")
    talk.identify(policy)
    assert talk.last.endswith(response_text("utter_ask_police_report", "fr"))
    sent = upload(stack, talk.chat, PDF, "pv-police.pdf", "police_report", "fr")
    assert sent.status_code == 200, sent.text
    assert sent.headers["X-Conversation-Language"] == "fr"
    body = sent.json()
    assert body["file"] == {"id": body["file"]["id"], "name": "pv-police.pdf", "kind": "police_report",
                            "size": len(PDF), "content_type": "application/pdf"}
    answer = "\n".join(m["text"] for m in body["messages"])
    assert response_text("utter_file_received", "fr").format(name="pv-police.pdf", kind="procès-verbal") in answer
    assert answer.endswith(response_text("utter_ask_expenses", "fr"))  # the report is not asked again
    assert talk.slots()["police_report"] == "procès-verbal: pv-police.pdf"
    draft = talk.store().find_draft(talk.chat.sender)
    assert [(f["name"], f["reference"]) for f in files_of(stack, talk.chat.sender)] == [
        ("pv-police.pdf", draft["reference"])]


def test_nl_a_complaint_pdf_is_added_to_the_draft_and_the_question_comes_again(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800))
    talk = Declaration(stack, chat(page_language="nl"))
    talk.say("Ik heb zeven weken geleden een robotstofzuiger van 329 euro besteld bij Coolblue en hij is nooit "
             "aangekomen")
    talk.identify(policy)
    asked = response_text("utter_ask_complaint_date", "nl")
    assert talk.last.endswith(asked)
    sent = upload(stack, talk.chat, PDF, "klacht coolblue.pdf", "merchant_complaint", "nl")
    answer = "\n".join(m["text"] for m in sent.json()["messages"])
    assert response_text("utter_file_received", "nl").format(name="klacht coolblue.pdf",
                                                             kind="klacht bij de webshop") in answer
    assert answer.endswith(asked)


def test_en_a_photo_sent_before_identification_is_linked_once_the_policyholder_is_known(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=400), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say("I bought a camera online for 400 euros and it never arrived")
    sent = upload(stack, talk.chat, PNG, "order.png", "order_confirmation", "en", "image/png")
    assert sent.status_code == 200 and sent.json()["file"]["content_type"] == "image/png"
    assert [f["reference"] for f in files_of(stack, talk.chat.sender)] == [None]
    talk.identify(policy)
    draft = talk.store().find_draft(talk.chat.sender)
    assert [f["reference"] for f in files_of(stack, talk.chat.sender)] == [draft["reference"]]


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_renamed_executable_and_an_11_mb_file_are_refused_in_the_users_language(stack, chat, lang):
    conversation = chat()
    sender = conversation.sender
    renamed = upload(stack, conversation, EXECUTABLE, "factuur.pdf", language=lang)
    assert renamed.status_code == 415
    assert renamed.json() == {"error": "file_type", "message": error_text("file_type", lang)}
    big = upload(stack, conversation, ELEVEN_MB, "scan.pdf", language=lang)
    assert big.status_code == 413 and big.json()["message"] == error_text("file_too_big", lang)
    assert files_of(stack, sender) == []
    missing = conversation.post(f"{stack.settings.webchat_url}upload", data={"language": lang}, timeout=30)
    assert missing.status_code == 400 and missing.json()["error"] == "no_file"
    bad_sender = upload(stack, conversation, PDF, "a.pdf", language=lang, sender="../etc")
    assert bad_sender.status_code == 400 and bad_sender.json()["error"] == "bad_sender"


def test_a_typed_upload_payload_names_no_file_and_proves_nothing(stack, chat):
    conversation = chat(page_language="en")
    conversation.say('/upload{"file_id": 1, "file_kind": "police_report", "file_name": "fake.pdf"}')
    events = rasa_api.events(stack.settings, conversation.sender)
    typed = [e for e in events if e.get("event") == "user"][-1]
    assert typed["text"].startswith("upload{") and typed["parse_data"]["intent"]["name"] != "upload"
    assert files_of(stack, conversation.sender) == []


def test_the_history_of_a_conversation_for_a_reloaded_page(stack, chat):
    conversation = chat(page_language="en")
    first = conversation.send("Je voudrais parler à un conseiller")
    pressed = conversation.send(first[0]["buttons"][0]["payload"])
    history = conversation.get(f"{stack.settings.webchat_url}history", timeout=30).json()
    assert history["language"] == "fr"
    assert [(m["from"], m["text"]) for m in history["messages"]] == [
        ("user", "Je voudrais parler à un conseiller"), ("bot", first[0]["text"]),
        ("user", first[0]["buttons"][0]["title"]), ("bot", pressed[0]["text"])]
    assert history["messages"][1]["buttons"] == first[0]["buttons"]
    unknown = chat().get(f"{stack.settings.webchat_url}history", timeout=30)  # a new session: nothing yet
    assert unknown.json() == {"language": None, "messages": []}
    assert conversation.get(f"{stack.settings.webchat_url}history", params={"sender": "a/b"},
                            timeout=30).status_code == 400
