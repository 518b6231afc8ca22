"""Checks what a user sends before it reaches Rasa, for every channel.

Bad input gets a clear answer in the user's language (texts in messages.yml, never in Python)
and is not passed on; good input is passed on cleaned of control characters, never cut.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 64 * 1024
# A web chat conversation id; never one of another channel's ("telegram-<chat id>"), so that a page
# cannot write into, read the history of, or follow a Telegram user's conversation.
SENDER_PATTERN = re.compile(r"^(?!telegram-)[A-Za-z0-9_.:@-]{1,128}$")
_MESSAGES = Path(__file__).with_name("messages.yml")


class InboundError(Exception):
    """A message that cannot be passed on; `code` names the text in messages.yml."""

    def __init__(self, code: str, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Inbound:
    sender: Any  # as given (None when not given): bot/channels/sessions.py decides whether it may be used
    text: str
    language_hint: Optional[str]


@lru_cache(maxsize=1)
def _texts() -> dict:
    return yaml.safe_load(_MESSAGES.read_text(encoding="utf-8"))


def error_text(code: str, language: Optional[str]) -> str:
    texts = _texts()[code]
    return texts.get(language or "", texts["nl"]) if language in texts else texts["nl"]


def clean_text(value: Any) -> str:
    """The user's text without control characters; raises InboundError when nothing usable."""
    if value is None:
        raise InboundError("empty")
    if not isinstance(value, str):
        raise InboundError("not_text")
    # Keep line breaks and tabs; drop NUL and other control/format characters (binary junk).
    text = "".join(
        ch for ch in value
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    ).strip()
    if not text:
        raise InboundError("empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InboundError("too_long", status=413)
    return text


def language_hint(value: Any) -> Optional[str]:
    return value if value in ("nl", "fr", "en") else None


def json_object(body: bytes, max_bytes: int = MAX_BODY_BYTES) -> dict:
    """A request body as a JSON object; InboundError when it is too big, not UTF-8, not JSON or not an object."""
    if len(body) > max_bytes:
        raise InboundError("too_long", status=413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InboundError("malformed")
    if not isinstance(payload, dict):
        raise InboundError("malformed")
    return payload


def parse_webchat(body: bytes) -> Inbound:
    """Validates a web chat POST body: {"message": str, "metadata": {"language"}, "sender": optional}."""
    payload = json_object(body)
    sender = payload.get("sender")
    metadata = payload.get("metadata")
    hint = language_hint(metadata.get("language")) if isinstance(metadata, dict) else None
    return Inbound(sender, clean_text(payload.get("message")), hint)
