"""Between a user's channel and the desk, both ways.

- `after_user_message`: called by the web chat and Telegram after each user message. If the
  conversation is with the desk, the agents' consoles are told (they re-read it). While the user waits
  for a person the bot still answers; the answer then says a person will read along (at most once every
  few minutes), and should the bot have said nothing, the user is told their message was kept.
- `tell_user`: a line from the desk to the user ("Sofie is taking over your conversation").
- `output_for` / `send_agent_message`: what an agent writes, and the bot's answer after the hand-back,
  reach the user in their own channel: pushed to the open web chat page, or sent through Telegram.
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any, Dict, Optional

from rasa.core.channels.channel import OutputChannel

from actions.claims import handoffs
from bot.channels import outputs
from bot.channels.inbound import error_text
from bot.channels.push import DESK_TOPIC, HUB, WebChatPushOutput, webchat_topic

logger = logging.getLogger(__name__)

NOTICE_INTERVAL_SECONDS = 300
_last_notice: Dict[str, float] = {}


class ChannelUnavailable(Exception):
    """The user's channel cannot be reached from here (Telegram not configured)."""


async def conversation_changed(sender_id: str, language: str) -> None:
    """Tells the consoles; each agent's stream passes it on only in the agent's languages
    (bot/desk/channel.py), so the language travels with it."""
    await HUB.publish(DESK_TOPIC, {"type": "conversation", "sender_id": sender_id, "language": language})


async def after_user_message(sender_id: str, answered: bool, received_at: Optional[datetime] = None) -> Optional[str]:
    """Tells the desk about a message in a handed-off conversation; returns a line for the user while
    they wait for a person: that a person will read along, or, if the bot did not answer, that the
    message was kept. A case (a filed claim only) and a conversation an agent has taken get none, nor the
    message that asked for the person (`received_at`, UTC, before the hand-off): its answer says the place."""
    try:
        handoff = await asyncio.to_thread(handoffs.open_handoff_of, sender_id)
    except Exception:  # the user's message is in the tracker already; the desk learns of it on reload
        logger.exception("handoff lookup failed")
        return None
    if handoff is None:
        return None
    await conversation_changed(sender_id, handoff["language"])
    if handoff["status"] != "waiting" or not handoff.get("live"):
        return None
    position = handoff["position"] or 1
    if received_at is not None and datetime.fromisoformat(handoff["live_since"]) >= received_at:
        return None
    if not answered:
        return error_text("with_agent_waiting", handoff["language"]).format(position=position)
    now = time.monotonic()
    if now - _last_notice.get(sender_id, -NOTICE_INTERVAL_SECONDS) < NOTICE_INTERVAL_SECONDS:
        return None
    _last_notice[sender_id] = now
    return error_text("with_agent_note", handoff["language"]).format(position=position)


async def tell_user(sender_id: str, channel: str, text: str) -> bool:
    """A line from the desk to the user in their own channel; True when it reached them live."""
    if channel == "telegram":
        output = output_for(channel)
        await output.send_text_message(sender_id, text)
        return True
    return await HUB.publish(webchat_topic(sender_id), {"from": "bot", "text": text}) > 0


def output_for(channel: str) -> OutputChannel:
    """Where the bot's messages to a user of `channel` go when they do not answer a request."""
    if channel == "telegram":
        output = outputs.registered(channel)
        if output is None:
            raise ChannelUnavailable("telegram")
        return output
    return WebChatPushOutput()


async def send_agent_message(sender_id: str, channel: str, agent: str, text: str) -> bool:
    """Sends an agent's message to the user; True when it reached them live (Telegram, or an open
    chat page), False when the page is closed (the message waits in the transcript)."""
    if channel == "telegram":
        output = output_for(channel)
        await output.send_text_message(sender_id, text)
        return True
    event: Dict[str, Any] = {"from": "agent", "agent": agent, "text": text}
    return await HUB.publish(webchat_topic(sender_id), event) > 0
