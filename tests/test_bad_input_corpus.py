"""A corpus of bad input, sent to the running assistant the way an attacker or a broken client would,
in each language: what is refused gets the exact text of messages.yml in the page's (or Telegram
app's) language; what is passed on to Rasa is answered with the domain's responses in the
conversation's language. After every case the same conversation (a new one when the case named no
usable sender, or flooded it) still answers a greeting, and no answer is ever a 5xx.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional, Set

import pytest
import requests

from actions.conversation.texts import texts as conversation_texts
from bot.channels.inbound import MAX_BODY_BYTES, MAX_MESSAGE_CHARS, error_text
from bot.channels.rate_limit import DEFAULT_SENDER_RATE, SENDER_SETTING, Rate
from bot.servers import quiet_env
from tests import rasa_api
from tests.conftest import Chat
from tests.responses import _responses, response_text
from tests.test_telegram_channel import message, new_chat_id, post, sent_to, text_update, update, user_events
from tests.uploads.samples import ELEVEN_MB, EXECUTABLE

LANGUAGES = ("nl", "fr", "en")
GREETING = {"nl": "hallo", "fr": "bonjour", "en": "hello"}
CARD_NUMBER = {"nl": "Met mijn kaart 4111 1111 1111 1111 is betaald zonder dat ik het wist",
               "fr": "On a payé avec ma carte 4111 1111 1111 1111 sans que je le sache",
               "en": "Someone paid with my card 4111 1111 1111 1111 without my consent"}
# A question, not an incident: an incident would open its form, and the greeting after it be a question.
LONG_BUT_ALLOWED = {"nl": "Wat dekt mijn verzekering precies? ", "fr": "Que couvre mon assurance exactement ? ",
                    "en": "What does my insurance cover exactly? "}


# ============================================================ what the bot may say

@lru_cache(maxsize=None)
def _patterns(lang: str) -> List[re.Pattern]:
    """Every response of the domain in `lang`, and every text the actions say in it (actions/conversation/texts.yml:
    "which incident?" when not understood), their {placeholders} matching anything."""
    said = [variation["text"] for variations in _responses().values() for variation in variations
            if any(c.get("value") == lang for c in variation["condition"]) and variation.get("text")]
    said += [entry[lang] for entry in conversation_texts().values()
             if isinstance(entry, dict) and isinstance(entry.get(lang), str)]
    return [re.compile("(?s)" + ".+?".join(re.escape(part) for part in re.split(r"\{[a-z_]+\}", text)))
            for text in said]


def languages_of(text: str) -> Set[str]:
    """The languages in which `text` is one of the domain's responses."""
    return {lang for lang in LANGUAGES if any(p.fullmatch(text) for p in _patterns(lang))}


def assert_answered_in(messages: List[Dict[str, Any]], lang: str) -> None:
    texts = [m.get("text") or "" for m in messages]
    assert texts and all(texts), f"no answer: {messages}"
    assert all(lang in languages_of(text) for text in texts), f"not all in {lang}: {texts}"


# ============================================================ the web chat

# The web chat sessions of the corpus's conversations, by their id (new_sender opens one).
_CHATS: Dict[str, Chat] = {}


def webhook(stack, raw: bytes, lang: str, sender: str) -> requests.Response:
    """POST webhook with `raw` as the page of `sender`'s session sends it (its cookie)."""
    reply = _CHATS[sender].webhook(raw, headers={"Content-Type": "application/json", "X-Chat-Language": lang})
    assert reply.status_code < 500, reply.text
    return reply


def body(sender: Any, lang: str, **fields: Any) -> bytes:
    return json.dumps({"sender": sender, **fields, "metadata": {"language": lang}}).encode()


def text_body(value: Any) -> Callable[[str, str], bytes]:
    return lambda sender, lang: body(sender, lang, message=value)


def with_sender(bad_sender: Any) -> Callable[[str, str], bytes]:
    return lambda sender, lang: body(bad_sender, lang, message=GREETING[lang])


def raw(data: bytes) -> Callable[[str, str], bytes]:
    return lambda sender, lang: data


def user_events_of(stack, sender: str) -> List[dict]:
    return [e for e in rasa_api.events(stack.settings, sender) if e.get("event") == "user"]


def tracker_of(stack, sender: str) -> dict:
    return rasa_api.tracker(stack.settings, sender)


@dataclass(frozen=True)
class Refused:
    """Bad input: refused with this code and status, never passed on."""

    name: str
    make: Callable[[str, str], bytes]
    code: str
    status: int = 400
    breaks_sender: bool = False  # the case names no usable sender: the greeting comes from a new one


@dataclass(frozen=True)
class PassedOn:
    """Odd but acceptable text: passed on as plain text (`seen_as`), answered in the conversation's
    language; `check(stack, sender, lang)` looks at what Rasa made of it."""

    name: str
    text: Callable[[str], str]
    seen_as: Callable[[str], str]
    check: Optional[Callable[[Any, str, str], None]] = None
    answered_in: Callable[[str], str] = lambda lang: lang  # the conversation's language after it
    # Words that tell an incident open its declaration: a greeting after them is answered inside the form.
    opens_declaration: bool = False


REFUSED = [
    Refused("empty string", text_body(""), "empty"),
    Refused("whitespace only", text_body(" \n\t  "), "empty"),
    Refused("null", text_body(None), "empty"),
    Refused("missing message key", lambda sender, lang: body(sender, lang), "empty"),
    Refused("control characters only", text_body("\x00\x01\x07\x1b\x7f"), "empty"),
    Refused("zero-width characters only", text_body("\u200b\u200d\ufeff"), "empty"),
    Refused("a number", text_body(42), "not_text"),
    Refused("a boolean", text_body(True), "not_text"),
    Refused("a list", text_body(["hallo", "hello"]), "not_text"),
    Refused("a dict", text_body({"text": "hello"}), "not_text"),
    Refused("a message over 2000 characters", text_body("a" * (MAX_MESSAGE_CHARS + 1)), "too_long", 413),
    Refused("a body over the size limit", raw(b'{"message": "' + b"x" * MAX_BODY_BYTES + b'"}'), "too_long", 413),
    Refused("empty body", raw(b""), "malformed"),
    Refused("body not JSON", raw(b"sender=web-1&message=hallo"), "malformed"),
    Refused("JSON array body", lambda sender, lang: json.dumps([sender, GREETING[lang]]).encode(), "malformed"),
    Refused("JSON string body", raw(b'"hallo"'), "malformed"),
    Refused("body not UTF-8", lambda sender, lang: b'{"sender": "%s", "message": "\xff\xfe\xc0"}' % sender.encode(),
            "malformed"),
    # No sender is the normal case (the cookie's conversation); another well-formed one is not this page's.
    Refused("sender of another conversation", with_sender("web-" + "0" * 32), "wrong_sender", 403),
    Refused("sender empty", with_sender(""), "bad_sender", breaks_sender=True),
    Refused("sender a number", with_sender(12345), "bad_sender", breaks_sender=True),
    Refused("sender too long", with_sender("a" * 129), "bad_sender", breaks_sender=True),
    Refused("sender with spaces", with_sender("web chat 1"), "bad_sender", breaks_sender=True),
    Refused("sender with SQL injection", with_sender("x'; DROP TABLE events;--"), "bad_sender", breaks_sender=True),
    Refused("sender a path", with_sender("../../etc/passwd"), "bad_sender", breaks_sender=True),
    Refused("sender a Telegram chat's conversation", with_sender("telegram-4242"), "bad_sender", breaks_sender=True),
]


def no_restart(stack, sender: str, lang: str) -> None:
    assert not any(e.get("event") == "restart" for e in tracker_of(stack, sender)["events"])


def no_language_entity(stack, sender: str, lang: str) -> None:
    assert user_events_of(stack, sender)[-1]["parse_data"]["entities"] == []


def no_entities(stack, sender: str, lang: str) -> None:
    assert user_events_of(stack, sender)[-1]["parse_data"]["entities"] == []
    assert tracker_of(stack, sender)["slots"].get("amount") is None


def at_the_limit(lang: str) -> str:
    text = (LONG_BUT_ALLOWED[lang] * 100)[:MAX_MESSAGE_CHARS].rstrip()
    return text + "." * (MAX_MESSAGE_CHARS - len(text))


def same(text: str) -> Callable[[str], str]:
    return lambda lang: text


PASSED_ON = [
    PassedOn("SQL injection text", same("'; DROP TABLE events; --"), same("'; DROP TABLE events; --")),
    PassedOn("<script> text", same("<script>alert('x')</script>"), same("<script>alert('x')</script>")),
    PassedOn("template injection text", same("{{7*7}} ${7*7} %s%n"), same("{{7*7}} ${7*7} %s%n")),
    PassedOn("emoji only", same("👍👍👍"), same("👍👍👍")),
    PassedOn("NUL and bell inside a word", lambda lang: GREETING[lang][:2] + "\x00\x07" + GREETING[lang][2:],
             lambda lang: GREETING[lang]),
    PassedOn("/restart", same("/restart"), same("restart"), no_restart),
    # The two below read as English words ("switch language", "report non delivery amount"): like any
    # clear message in another language they turn the conversation to English, never to the entity's "fr".
    PassedOn("/switch_language with an entity", same('/switch_language{"language":"fr"}'),
             same('switch_language{"language":"fr"}'), no_language_entity, answered_in=lambda lang: "en"),
    PassedOn("/report_non_delivery with a negative amount", same('/report_non_delivery{"amount": -1}'),
             same('report_non_delivery{"amount": -1}'), no_entities, answered_in=lambda lang: "en",
             opens_declaration=True),
    PassedOn("exactly 2000 characters", at_the_limit, at_the_limit),
]


def new_sender(stack) -> str:
    """A new conversation: a session opened as the page opens it."""
    chat = Chat(stack.settings)
    _CHATS[chat.sender] = chat
    return chat.sender


def greet(stack, sender: str, lang: str) -> List[Dict[str, Any]]:
    reply = webhook(stack, body(sender, lang, message=GREETING[lang]), lang, sender)
    assert reply.status_code == 200, reply.text
    return reply.json()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_web_chat_bad_input_is_refused_with_the_exact_text(stack, case: Refused, lang):
    sender = new_sender(stack)
    reply = webhook(stack, case.make(sender, lang), lang, sender)
    assert (reply.status_code, reply.json()) == (case.status, {"error": case.code,
                                                               "message": error_text(case.code, lang)})
    assert user_events_of(stack, sender) == []  # nothing reached Rasa
    if case.breaks_sender:
        sender = new_sender(stack)
    assert "\n".join(m["text"] for m in greet(stack, sender, lang)) == response_text("utter_greet", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", PASSED_ON, ids=lambda case: case.name)
def test_web_chat_odd_text_is_passed_on_as_text_and_answered_in_the_language(stack, case: PassedOn, lang):
    sender = new_sender(stack)
    greet(stack, sender, lang)  # the conversation's language is set, as a real one's would be
    reply = webhook(stack, body(sender, lang, message=case.text(lang)), lang, sender)
    assert reply.status_code == 200, reply.text
    assert_answered_in(reply.json(), case.answered_in(lang))
    assert tracker_of(stack, sender)["slots"]["language"] == case.answered_in(lang)
    assert user_events_of(stack, sender)[-1]["text"] == case.seen_as(lang)
    if case.check:
        case.check(stack, sender, lang)
    answer = "\n".join(m["text"] for m in greet(stack, sender, lang))
    if case.opens_declaration and tracker_of(stack, sender)["slots"]["requested_slot"] is not None:
        assert tracker_of(stack, sender)["slots"]["requested_slot"] == "policy_number"
    else:
        assert answer == response_text("utter_greet", case.answered_in(lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_card_number_is_masked_and_the_user_told_in_the_language(stack, lang):
    sender = new_sender(stack)
    greet(stack, sender, lang)
    reply = webhook(stack, body(sender, lang, message=CARD_NUMBER[lang]), lang, sender)
    assert reply.status_code == 200, reply.text
    messages = reply.json()
    assert messages[0]["text"] == error_text("personal_number_masked", lang)
    assert_answered_in(messages[1:], lang)
    assert user_events_of(stack, sender)[-1]["text"] == CARD_NUMBER[lang].replace("4111 1111 1111 1111",
                                                                                  "[card number]")
    # The payment fraud opened its form: the greeting is answered with the form's next question.
    assert_answered_in(greet(stack, sender, lang), lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_web_chat_without_a_session_or_for_another_conversation_is_refused(stack, lang):
    """The conversation is the session cookie's: none, a forged one or another conversation's id is
    refused with the exact text, and nothing reaches Rasa."""
    victim = new_sender(stack)
    url = f"{stack.settings.webchat_url}webhook"
    headers = {"X-Chat-Language": lang}
    for cookies in ({}, {"cybercare_session": "forged-" + "x" * 40}):
        reply = requests.post(url, json={"sender": victim, "message": GREETING[lang]}, headers=headers,
                              cookies=cookies, timeout=30)
        assert (reply.status_code, reply.json()) == (401, {"error": "no_session",
                                                           "message": error_text("no_session", lang)})
    attacker = new_sender(stack)
    reply = webhook(stack, body(victim, lang, message=GREETING[lang]), lang, attacker)
    assert (reply.status_code, reply.json()) == (403, {"error": "wrong_sender",
                                                       "message": error_text("wrong_sender", lang)})
    assert user_events_of(stack, victim) == [] and user_events_of(stack, attacker) == []
    assert "\n".join(m["text"] for m in greet(stack, victim, lang)) == response_text("utter_greet", lang)


# ------------------------------------------------------------ flooding

@pytest.fixture(scope="module")
def flooded(stack) -> Callable[[], str]:
    """A web chat sender that has just sent its whole rate; flooded again once its window is half gone."""
    rate = Rate.parse(quiet_env(stack.settings).get(SENDER_SETTING) or DEFAULT_SENDER_RATE, SENDER_SETTING)
    current: Dict[str, Any] = {}

    def sender() -> str:
        if not current or time.monotonic() - current["since"] > rate.seconds / 2:
            current.update(sender=new_sender(stack), since=time.monotonic())
            for number in range(rate.messages):
                sent = webhook(stack, body(current["sender"], "en", message=f"hello {number}"), "en",
                               current["sender"])
                assert sent.status_code == 200, sent.text
        return current["sender"]

    return sender


@pytest.mark.parametrize("lang", LANGUAGES)
def test_flooding_is_refused_politely_and_a_new_conversation_is_served(stack, flooded, lang):
    sender = flooded()
    before = len(user_events_of(stack, sender))
    reply = webhook(stack, body(sender, lang, message=GREETING[lang]), lang, sender)
    assert (reply.status_code, reply.json()) == (429, {"error": "rate_limited",
                                                       "message": error_text("rate_limited", lang)})
    assert len(user_events_of(stack, sender)) == before
    assert "\n".join(m["text"] for m in greet(stack, new_sender(stack), lang)) == response_text("utter_greet", lang)


# ============================================================ uploads

def upload(stack, sender: str, lang: str, file: Optional[tuple], named: Optional[str] = None) -> requests.Response:
    """POST upload from `sender`'s page (its session cookie), naming the conversation `named` if given."""
    form = {"language": lang, **({"sender": named} if named is not None else {})}
    reply = _CHATS[sender].post(f"{stack.settings.webchat_url}upload", data=form, headers={"X-Chat-Language": lang},
                                files={"file": file} if file else None, timeout=60)
    assert reply.status_code < 500, reply.text
    return reply


UPLOADS = [
    ("no file", None, "no_file", 400),
    ("an executable named .pdf", ("factuur.pdf", EXECUTABLE, "application/pdf"), "file_type", 415),
    ("a text file", ("notes.txt", b"just some words", "text/plain"), "file_type", 415),
    ("an empty file", ("leeg.pdf", b"", "application/pdf"), "file_empty", 400),
    ("a file over 10 MB", ("scan.pdf", ELEVEN_MB, "application/pdf"), "file_too_big", 413),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name, file, code, status", UPLOADS, ids=[u[0] for u in UPLOADS])
def test_a_bad_upload_is_refused_with_the_exact_text(stack, name, file, code, status, lang):
    sender = new_sender(stack)
    reply = upload(stack, sender, lang, file)
    assert (reply.status_code, reply.json()) == (status, {"error": code, "message": error_text(code, lang)})
    assert user_events_of(stack, sender) == []
    assert "\n".join(m["text"] for m in greet(stack, sender, lang)) == response_text("utter_greet", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_upload_with_a_bad_sender_is_refused(stack, lang):
    reply = upload(stack, new_sender(stack), lang, ("a.pdf", b"%PDF-1.4\n", "application/pdf"), named="../uploads/x")
    assert (reply.status_code, reply.json()) == (400, {"error": "bad_sender",
                                                       "message": error_text("bad_sender", lang)})


# ============================================================ Telegram

STICKER = {"sticker": {"file_id": "CAACAgI", "file_unique_id": "AgADs", "type": "regular",
                       "width": 512, "height": 512, "is_animated": False, "is_video": False}}
TELEGRAM_REFUSED = [
    ("control characters only", lambda chat_id, lang: text_update(chat_id, "\x00\x01\u200b", lang), "empty"),
    ("a message over 2000 characters", lambda chat_id, lang: text_update(chat_id, "a " * 1500, lang), "too_long"),
    ("a sticker", lambda chat_id, lang: update(message=message(chat_id, lang, **STICKER)), "not_text"),
]


def telegram_greeting(stack, telegram_api, chat_id: int, lang: str) -> List[str]:
    before = len(sent_to(telegram_api, chat_id))
    reply = post(stack, text_update(chat_id, GREETING[lang], lang))
    assert reply.status_code == 200, reply.text
    return [c["text"] for c in sent_to(telegram_api, chat_id)[before:]]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name, make, code", TELEGRAM_REFUSED, ids=[t[0] for t in TELEGRAM_REFUSED])
def test_telegram_bad_input_gets_the_exact_text_in_the_apps_language(stack, telegram_api, name, make, code, lang):
    chat_id = new_chat_id()
    reply = post(stack, make(chat_id, lang))
    assert (reply.status_code, reply.json()) == (200, {"status": "refused"})
    assert [c["text"] for c in sent_to(telegram_api, chat_id)] == [error_text(code, lang)]
    assert user_events(stack, chat_id) == []
    assert telegram_greeting(stack, telegram_api, chat_id, lang) == [response_text("utter_greet", lang)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_telegram_typed_restart_is_text_answered_in_the_language(stack, telegram_api, lang):
    chat_id = new_chat_id()
    telegram_greeting(stack, telegram_api, chat_id, lang)
    before = len(sent_to(telegram_api, chat_id))
    assert post(stack, text_update(chat_id, "/restart", lang)).json() == {"status": "processed"}
    assert_answered_in([{"text": c["text"]} for c in sent_to(telegram_api, chat_id)[before:]], lang)
    assert user_events(stack, chat_id)[-1]["text"] == "restart"
    assert telegram_greeting(stack, telegram_api, chat_id, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_telegram_flooding_gets_one_polite_answer_and_a_new_chat_is_served(stack, telegram_api, lang):
    """Stickers are refused without Rasa, yet count: a cheap flood."""
    rate = Rate.parse(quiet_env(stack.settings).get(SENDER_SETTING) or DEFAULT_SENDER_RATE, SENDER_SETTING)
    chat_id = new_chat_id()
    statuses = [post(stack, update(message=message(chat_id, lang, **STICKER))).json()["status"]
                for _ in range(rate.messages + 3)]
    assert statuses == ["refused"] * rate.messages + ["rate_limited"] * 3
    texts = [c["text"] for c in sent_to(telegram_api, chat_id)]
    assert texts == [error_text("not_text", lang)] * rate.messages + [error_text("rate_limited", lang)]
    assert telegram_greeting(stack, telegram_api, new_chat_id(), lang) == [response_text("utter_greet", lang)]
