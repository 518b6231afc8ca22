"""The push hub across processes (production mode): a page following a topic in one Rasa process
gets what another process publishes, through the Redis of this machine. Two RedisHub objects stand
for two workers; the in-memory hub is checked against the same contract."""
from __future__ import annotations

import asyncio
import secrets

import pytest

from bot.channels.push import Hub, RedisHub

REDIS_URL = "redis://127.0.0.1:6379/0"


async def _first_event(hub: Hub, topic: str, ready: asyncio.Event):
    stream = hub.subscribe(topic)
    pending = asyncio.ensure_future(stream.__anext__())
    await asyncio.sleep(0.2)  # the subscription is registered (and, for Redis, sent) before this returns
    ready.set()
    try:
        return await asyncio.wait_for(pending, 5)
    finally:
        await stream.aclose()


def _topic() -> str:
    return f"webchat:test-{secrets.token_hex(6)}"


def test_an_event_published_by_one_worker_reaches_the_page_open_on_another():
    async def scenario():
        page_worker, agent_worker = RedisHub(REDIS_URL), RedisHub(REDIS_URL)
        topic = _topic()
        assert await agent_worker.publish(topic, {"text": "nobody"}) == 0  # no page open anywhere
        ready = asyncio.Event()
        received = asyncio.ensure_future(_first_event(page_worker, topic, ready))
        await ready.wait()
        assert await agent_worker.publish(topic, {"from": "agent", "text": "Bonjour, ici Sofie"}) == 1
        assert await received == {"from": "agent", "text": "Bonjour, ici Sofie"}
        await asyncio.sleep(0.2)  # the page closed: its worker unsubscribed
        assert await agent_worker.publish(topic, {"text": "late"}) == 0
        assert page_worker.subscribers(topic) == 0

    asyncio.run(scenario())


def test_another_topic_is_not_delivered():
    async def scenario():
        page_worker, agent_worker = RedisHub(REDIS_URL), RedisHub(REDIS_URL)
        mine, other = _topic(), _topic()
        ready = asyncio.Event()
        received = asyncio.ensure_future(_first_event(page_worker, mine, ready))
        await ready.wait()
        assert await agent_worker.publish(other, {"text": "for someone else"}) == 0
        assert await agent_worker.publish(mine, {"text": "for me"}) == 1
        assert await received == {"text": "for me"}

    asyncio.run(scenario())


@pytest.mark.parametrize("make", [Hub, lambda: RedisHub(REDIS_URL)], ids=["memory", "redis"])
def test_both_hubs_keep_the_same_contract_within_one_process(make):
    async def scenario():
        hub, topic, ready = make(), _topic(), asyncio.Event()
        received = asyncio.ensure_future(_first_event(hub, topic, ready))
        await ready.wait()
        assert hub.subscribers(topic) == 1
        assert await hub.publish(topic, {"text": "é ü ç"}) == 1
        assert await received == {"text": "é ü ç"}

    asyncio.run(scenario())
