"""Live messages from the server to open pages, as server-sent events (no polling).

A hub of topics: `webchat:<sender>` carries an agent's replies (and the bot's messages after the
hand-back) to the user's open chat page; `desk` tells the agents' consoles that a conversation
changed. With one Rasa process (`make run`) the hub is in memory. With several workers or instances
(REDIS_URL set: production mode) the page may be open on one process and the agent write on another,
so events go through Redis pub/sub: each process subscribes to the topics its own pages follow.
A subscriber that cannot keep up loses its oldest events, never blocks the publisher.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from collections import defaultdict
from contextlib import aclosing
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Optional, Set, Text

from rasa.core.channels.channel import CollectingOutputChannel
from sanic.request import Request

logger = logging.getLogger(__name__)

KEEP_ALIVE_SECONDS = 15.0
QUEUE_SIZE = 100
DESK_TOPIC = "desk"
# A stream that carried no event for this long is closed (a page that is still open reconnects by
# itself): abandoned or hoarded connections do not stay open for ever.
IDLE_SETTING = "CYBERCARE_STREAM_IDLE_SECONDS"
IDLE_SECONDS = float(os.environ.get(IDLE_SETTING) or 3600)


def webchat_topic(sender_id: str) -> str:
    return f"webchat:{sender_id}"


class Hub:
    """In memory: the publisher and the subscribers are in this process."""

    def __init__(self) -> None:
        self._subscribers: Dict[str, Set[asyncio.Queue]] = defaultdict(set)

    async def publish(self, topic: str, event: Dict[str, Any]) -> int:
        """Hands `event` to every subscriber of `topic`; returns how many got it (0: no page open)."""
        return self.deliver(topic, event)

    def deliver(self, topic: str, event: Dict[str, Any]) -> int:
        queues = self._subscribers.get(topic, ())
        for queue in list(queues):
            if queue.full():
                queue.get_nowait()  # a stalled page loses its oldest event, the others go on
            queue.put_nowait(event)
        return len(queues)

    def subscribers(self, topic: str) -> int:
        return len(self._subscribers.get(topic, ()))

    async def subscribe(self, topic: str,
                        keep_alive: float = KEEP_ALIVE_SECONDS) -> AsyncIterator[Dict[str, Any] | None]:
        """Events of `topic` as they come; None every `keep_alive` seconds of silence."""
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        first = not self._subscribers.get(topic)
        self._subscribers[topic].add(queue)
        try:
            if first:
                await self._first_subscriber(topic)
            while True:
                try:
                    yield await asyncio.wait_for(queue.get(), keep_alive)
                except asyncio.TimeoutError:
                    yield None
        finally:
            self._subscribers[topic].discard(queue)
            if not self._subscribers[topic]:
                del self._subscribers[topic]
                await self._last_subscriber_left(topic)

    async def _first_subscriber(self, topic: str) -> None:
        """This process now follows `topic` (the Redis hub subscribes to it)."""

    async def _last_subscriber_left(self, topic: str) -> None:
        """This process no longer follows `topic`."""


class RedisHub(Hub):
    """Across processes: an event is published on the Redis channel of its topic, and every process
    with a page (or console) following that topic hands it to its own subscribers. Redis's count of
    receiving processes tells whether a page is open anywhere."""

    PREFIX = "cybercare:push:"

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url
        self._redis = None
        self._pubsub = None
        self._reader: Optional[asyncio.Task] = None

    def _client(self):
        # Made in the worker's own event loop, after Sanic forked: connections are never shared.
        if self._redis is None:
            import redis.asyncio as redis

            self._redis = redis.Redis.from_url(self._url)
            self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        return self._redis

    async def publish(self, topic: str, event: Dict[str, Any]) -> int:
        return int(await self._client().publish(self.PREFIX + topic, json.dumps(event, ensure_ascii=False)))

    async def _first_subscriber(self, topic: str) -> None:
        self._client()
        await self._pubsub.subscribe(self.PREFIX + topic)
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read())

    async def _last_subscriber_left(self, topic: str) -> None:
        try:
            await self._pubsub.unsubscribe(self.PREFIX + topic)
        except Exception:  # the connection is gone; the reader re-subscribes what is still followed
            logger.warning("push: unsubscribing from %s failed", topic.split(":", 1)[0])

    async def _read(self) -> None:
        """Hands what Redis delivers to this process's subscribers, while any topic is followed."""
        while self._subscribers:
            try:
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("push: Redis connection lost; subscribing again in 1 s")
                await asyncio.sleep(1)
                await self._resubscribe()
                continue
            if message and message.get("type") == "message":
                topic = message["channel"].decode("utf-8")[len(self.PREFIX):]
                self.deliver(topic, json.loads(message["data"]))

    async def _resubscribe(self) -> None:
        try:
            await self._pubsub.reset()
            if self._subscribers:
                await self._pubsub.subscribe(*[self.PREFIX + topic for topic in self._subscribers])
        except Exception:
            logger.warning("push: Redis still unreachable")


def _hub() -> Hub:
    url = os.environ.get("REDIS_URL")
    return RedisHub(url) if url else Hub()


HUB = _hub()


async def stream_events(request: Request, topic: str,
                        only: Optional[Callable[[Dict[str, Any]], Optional[Dict[str, Any]]]] = None,
                        alive: Optional[Callable[[], Awaitable[None]]] = None,
                        idle_seconds: Optional[float] = None) -> None:
    """Answers `request` with the server-sent events of `topic` until the client goes away or nothing
    was sent for `idle_seconds` (default IDLE_SECONDS). `only` gives what this client may see of an
    event (None: nothing); `alive` is awaited at each keep-alive."""
    idle = IDLE_SECONDS if idle_seconds is None else idle_seconds
    response = await request.respond(content_type="text/event-stream; charset=utf-8", headers={
        "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    loop = asyncio.get_running_loop()
    last_sent = loop.time()
    try:
        await response.send(": connected\n\n")
        async with aclosing(HUB.subscribe(topic, min(KEEP_ALIVE_SECONDS, idle))) as events:
            async for event in events:
                if event is not None and only is not None:
                    event = only(event)
                if event is not None:
                    last_sent = loop.time()
                    await response.send(f"data: {json.dumps(event, ensure_ascii=False)}\n\n")
                elif loop.time() - last_sent >= idle:
                    break
                else:
                    await response.send(": keep-alive\n\n")
                    if alive is not None:
                        await alive()
        await response.eof()
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
        await HUB.publish(webchat_topic(message["recipient_id"]), event)
