"""Only the bot's own buttons may speak in intents.

Rasa reads a message starting with "/" as an intent with entities ("/restart", "/switch_language{...}",
"/report_non_delivery{"amount": -1}"). From a user that would be an injection: typed, such a message is
passed on as the words it contains ("/restart" -> "restart"). It is passed on as is only when it is
the payload of a button the bot sent in one of its last messages. Channel-made messages (Telegram
commands, file messages) are built by the channel itself and do not come through here.

A typed title of a button the bot has just offered ("Nee, er klopt iets niet", "livraison erronee ou
endommagee") is that button: its payload is passed on, whatever the case and the accents.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Set

from rasa.shared.core.events import BotUttered, UserUttered

from actions.evidence.text import fold

INTENT_PREFIX = "/"
RECENT_BOT_MESSAGES = 5  # a button of one of these may still be pressed on the page
# Longer than this, a message is no button title typed again (and the conversation is not read for it).
TITLE_MAX_WORDS = 8


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text or "")).split())


async def offered_titles(sender_id: str, tracker_store: Optional[Any]) -> Dict[str, str]:
    """The buttons of the bot's messages since the user last wrote: plain title -> payload."""
    if tracker_store is None:
        return {}
    tracker = await tracker_store.retrieve(sender_id)
    if tracker is None:
        return {}
    titles: Dict[str, str] = {}
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            for button in (event.data or {}).get("buttons") or []:
                if button.get("title") and button.get("payload"):
                    titles.setdefault(_plain(button["title"]), button["payload"])
    return titles


async def offered_payloads(sender_id: str, tracker_store: Optional[Any]) -> Set[str]:
    """The payloads of the buttons in the bot's last messages to this conversation."""
    if tracker_store is None:
        return set()
    tracker = await tracker_store.retrieve(sender_id)
    if tracker is None:
        return set()
    payloads: Set[str] = set()
    seen = 0
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            payloads |= {b.get("payload") for b in (event.data or {}).get("buttons") or [] if b.get("payload")}
            seen += 1
            if seen >= RECENT_BOT_MESSAGES:
                break
    return payloads


async def as_user_message(text: str, sender_id: str, tracker_store: Optional[Any]) -> str:
    """`text` as Rasa may receive it from this user."""
    if not text.startswith(INTENT_PREFIX):
        if len(text.split()) <= TITLE_MAX_WORDS:
            return (await offered_titles(sender_id, tracker_store)).get(_plain(text), text)
        return text
    if text in await offered_payloads(sender_id, tracker_store):
        return text
    return text.lstrip(INTENT_PREFIX).strip() or "?"
