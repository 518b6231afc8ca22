"""Bad input is refused with a clear message in the user's language; good input passes cleaned."""
import json

import pytest

from bot.channels.inbound import (
    MAX_MESSAGE_CHARS,
    InboundError,
    clean_text,
    error_text,
    parse_webchat,
)


def body(**fields) -> bytes:
    return json.dumps({"sender": "web-123", **fields}).encode()


def test_a_normal_message_passes_with_its_language_hint():
    inbound = parse_webchat(body(message=" Mon colis n'est jamais arrivé ", metadata={"language": "fr"}))
    assert (inbound.sender, inbound.text, inbound.language_hint) == ("web-123", "Mon colis n'est jamais arrivé", "fr")


@pytest.mark.parametrize(
    "raw, code",
    [
        (b"", "malformed"),
        (b"{not json", "malformed"),
        (b"\xff\xfe\x00binary", "malformed"),
        (b"[1, 2, 3]", "malformed"),
        (json.dumps({"sender": "web-1"}).encode(), "empty"),
        (body(message=""), "empty"),
        (body(message="   \n "), "empty"),
        (body(message="\x00\x01\x02"), "empty"),
        (body(message=42), "not_text"),
        (body(message=["a"]), "not_text"),
        (body(message={"text": "hi"}), "not_text"),
        (body(message="a" * (MAX_MESSAGE_CHARS + 1)), "too_long"),
        (b"x" * 70_000, "too_long"),
    ],
)
def test_bad_input_is_refused_with_a_code(raw, code):
    with pytest.raises(InboundError) as refused:
        parse_webchat(raw)
    assert refused.value.code == code


def test_injection_text_is_passed_on_as_plain_text():
    text = "'; DROP TABLE events; -- <script>alert(1)</script> {{ 7*7 }}"
    assert clean_text(text) == text


def test_control_characters_are_removed_but_line_breaks_kept():
    assert clean_text("hallo\x00\u200b\nwereld\x07") == "hallo\nwereld"


def test_a_message_of_exactly_the_limit_passes():
    assert len(clean_text("é" * MAX_MESSAGE_CHARS)) == MAX_MESSAGE_CHARS


@pytest.mark.parametrize("given, caller, acts_for", [
    (None, "web-own", "web-own"), ("web-own", "web-own", "web-own"),       # the cookie's conversation
    ("web-other", "web-own", 403), ("'; DROP TABLE events;--", "web-own", 400), ("", "web-own", 400),
    (12345, "web-own", 400),
    # A trusted caller (Rasa's API token) names the conversation, but never a Telegram user's.
    ("web-any", None, "web-any"), (None, None, 400), ("telegram-4242", None, 400), ("../etc", None, 400),
])
def test_a_request_acts_for_its_sessions_conversation_only(given, caller, acts_for):
    from bot.channels.sessions import Caller, Refused

    if isinstance(acts_for, int):
        with pytest.raises(Refused) as refused:
            Caller(caller).act_for(given)
        assert (refused.value.status, refused.value.code) == (acts_for, {403: "wrong_sender"}.get(acts_for, "bad_sender"))
    else:
        assert Caller(caller).act_for(given) == acts_for


@pytest.mark.parametrize("code", ["empty", "not_text", "too_long", "malformed", "bad_sender", "unavailable",
                                  "no_session", "wrong_sender", "too_many_streams", "too_many_uploads"])
def test_every_refusal_has_a_text_in_each_language(code):
    texts = {lang: error_text(code, lang) for lang in ("nl", "fr", "en")}
    assert len(set(texts.values())) == 3 and all(texts.values())


def test_unknown_language_gets_dutch():
    assert error_text("empty", "de") == error_text("empty", "nl")
