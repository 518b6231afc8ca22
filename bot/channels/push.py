"""Live messages from the server to open pages, as server-sent events (no polling).

One in-process hub of topics: `webchat:<sender>` carries an agent's replies (and the bot's messages
after the hand-back) to the user's open chat page; `desk` tells the agents' consoles that a
conversation changed. The hub lives in the Rasa server process, where the web chat, Telegram and the
desk channels all run; several Rasa processes would need a shared bus (Redis pub/sub) instead.
A subscriber that cannot keep up loses its oldest events, never blocks the publisher.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any, AsyncIterator, Dict, Set, Text

from rasa.core.channels.channel import CollectingOutputChannel
from sanic.request import Request

logger = logging.getLogger(__name__)

KEEP_ALIVE_SECONDS = 15.0
QUEUE_SIZE = 100
DESK_TOPIC = "desk"


def webchat_topic(sender_id: str) -> str:
    return f"webchat:{sender_id}"


class Hub:
    def __init__(self) -> None:
        self._subscribers: Dict[str, Set[asyncio.Queue]] = defaultdict(set)

    def publish(self, topic: str, event: Dict[str, Any]) -> int:
        """Hands `event` to every subscriber of `topic`; returns how many got it."""
        queues = self._subscribers.get(topic, ())
        for queue in list(queues):
            if queue.full():
                queue.get_nowait()  # a stalled page loses its oldest event, the others go on
            queue.put_nowait(event)
        return len(queues)

    def subscribers(self, topic: str) -> int:
        return len(self._subscribers.get(topic, ()))

    async def subscribe(self, topic: str) -> AsyncIterator[Dict[str, Any] | None]:
        """Events of `topic` as they come; None every KEEP_ALIVE_SECONDS of silence."""
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self._subscribers[topic].add(queue)
        try:
            while True:
                try:
                    yield await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except asyncio.TimeoutError:
                    yield None
        finally:
            self._subscribers[topic].discard(queue)
            if not self._subscribers[topic]:
                del self._subscribers[topic]


HUB = Hub()


async def stream_events(request: Request, topic: str) -> None:
    """Answers `request` with the server-sent events of `topic` until the client goes away."""
    response = await request.respond(content_type="text/event-stream; charset=utf-8", headers={
        "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    try:
        await response.send(": connected\n\n")
        async for event in HUB.subscribe(topic):
            if event is None:
                await response.send(": keep-alive\n\n")
            else:
                await response.send(f"data: {json.dumps(event, ensure_ascii=False)}\n\n")
    except (asyncio.CancelledError, ConnectionError):
        pass  # the page was closed or reloaded: its subscription ends with it
    finally:
        logger.debug("event stream of %s closed", topic.split(":", 1)[0])


class WebChatPushOutput(CollectingOutputChannel):
    """The bot's answers for a web chat page, pushed to it rather than returned by a request: used
    when the bot speaks without the user having just written (the agent handed back)."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    async def _persist_message(self, message: Dict[Text, Any]) -> None:
        await super()._persist_message(message)
        event = {"from": "bot", "text": message.get("text") or ""}
        if message.get("buttons"):
            event["buttons"] = message["buttons"]
        HUB.publish(webchat_topic(message["recipient_id"]), event)
