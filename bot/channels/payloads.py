"""Only the bot's own buttons may speak in intents.

Rasa reads a message starting with "/" as an intent with entities ("/restart", "/switch_language{...}",
"/report_non_delivery{"amount": -1}"). From a user that would be an injection: typed, such a message is
passed on as the words it contains ("/restart" -> "restart"). It is passed on as is only when it is
the payload of a button the bot sent in one of its last messages. Channel-made messages (Telegram
commands, file messages) are built by the channel itself and do not come through here.
"""
from __future__ import annotations

from typing import Any, Optional, Set

from rasa.shared.core.events import BotUttered

INTENT_PREFIX = "/"
RECENT_BOT_MESSAGES = 5  # a button of one of these may still be pressed on the page


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
    if not text.startswith(INTENT_PREFIX) or text in await offered_payloads(sender_id, tracker_store):
        return text
    return text.lstrip(INTENT_PREFIX).strip() or "?"
