"""Between a user's channel and the desk, both ways.

- `after_user_message`: called by the web chat and Telegram after each user message. If the
  conversation is with the desk, the agents' consoles are told (they re-read it), and while it still
  waits for an agent the user is told their message was kept (at most once every few minutes).
- `output_for` / `send_agent_message`: what an agent writes, and the bot's answer after the hand-back,
  reach the user in their own channel: pushed to the open web chat page, or sent through Telegram.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Dict, Optional

from rasa.core.channels.channel import OutputChannel

from actions.claims import handoffs
from bot.channels.inbound import error_text
from bot.channels.push import DESK_TOPIC, HUB, WebChatPushOutput, webchat_topic

logger = logging.getLogger(__name__)

NOTICE_INTERVAL_SECONDS = 300
_last_notice: Dict[str, float] = {}


class ChannelUnavailable(Exception):
    """The user's channel cannot be reached from here (Telegram not configured)."""


async def conversation_changed(sender_id: str) -> None:
    await HUB.publish(DESK_TOPIC, {"type": "conversation", "sender_id": sender_id})


async def after_user_message(sender_id: str, answered: bool) -> Optional[str]:
    """Tells the desk about a message in a handed-off conversation; returns a notice for the user
    when nobody answered them (the bot is paused and no agent has taken the conversation yet)."""
    try:
        handoff = await asyncio.to_thread(handoffs.open_handoff_of, sender_id)
    except Exception:  # the user's message is in the tracker already; the desk learns of it on reload
        logger.exception("handoff lookup failed")
        return None
    if handoff is None:
        return None
    await conversation_changed(sender_id)
    if answered or handoff["status"] != "waiting":
        return None
    now = time.monotonic()
    if now - _last_notice.get(sender_id, -NOTICE_INTERVAL_SECONDS) < NOTICE_INTERVAL_SECONDS:
        return None
    _last_notice[sender_id] = now
    return error_text("with_agent_waiting", handoff["language"]).format(position=handoff["position"] or 1)


def output_for(channel: str) -> OutputChannel:
    """Where the bot's messages to a user of `channel` go when they do not answer a request."""
    if channel == "telegram":
        from bot.channels import telegram  # here: the Telegram channel itself calls this module

        output = telegram.active_output()
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
