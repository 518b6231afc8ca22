"""Flooding protection (bot/channels/rate_limit.py): a sender or a client address over its rate is
told so in its language and nothing reaches Rasa; the count is shared by workers through Redis; a
malformed setting stops the channel at start; an unreachable Redis locks nobody out.

Unit tests of both backends (Redis: the real one at redis://127.0.0.1:6379/0, keys under a random
prefix), then the web chat and Telegram of the running assistant (tests/conftest.py `stack`).
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from types import SimpleNamespace
from typing import List

import pytest
import requests

from actions.claims import files
from actions.claims.db import get_database
from bot.channels.inbound import error_text
from bot.channels.rate_limit import (
    ADDRESS_SETTING,
    DEFAULT_ADDRESS_RATE,
    DEFAULT_SENDER_RATE,
    PROXY_SETTING,
    SENDER_SETTING,
    ChannelLimits,
    MemoryBackend,
    Rate,
    RateLimiter,
    RedisBackend,
    shared_backend,
)
from bot.servers import quiet_env
from tests import rasa_api
from tests.conftest import TELEGRAM_SECRET, TELEGRAM_TOKEN, Chat
from tests.responses import response_text
from tests.test_telegram_channel import new_chat_id, post, sent_to, text_update, user_events
from tests.uploads.samples import PDF

REDIS_URL = "redis://127.0.0.1:6379/0"
LANGUAGES = ("nl", "fr", "en")


class Clock:
    """A clock the test moves by hand: windows pass without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run(coroutine):
    return asyncio.run(coroutine)


# ============================================================ settings

@pytest.mark.parametrize("value, expected", [("20/60", Rate(20, 60.0)), (" 5 / 0.5 ", Rate(5, 0.5)),
                                             ("300/60", Rate(300, 60.0)), ("1/3600", Rate(1, 3600.0))])
def test_a_rate_is_messages_per_seconds(value, expected):
    assert Rate.parse(value, SENDER_SETTING) == expected


@pytest.mark.parametrize("value", ["", "20", "abc", "0/60", "20/0", "-1/60", "20/60/1", "20 per minute",
                                   "1e3/60", "20/-5", "twenty/60"])
def test_a_malformed_rate_is_refused_naming_the_setting_and_the_format(value):
    with pytest.raises(ValueError) as refused:
        Rate.parse(value, ADDRESS_SETTING)
    assert str(refused.value).startswith(f"{ADDRESS_SETTING}: expected \"<messages>/<seconds>\"")
    assert repr(value) in str(refused.value)


def test_the_defaults_without_settings():
    limits = ChannelLimits.from_env({})
    assert (limits.sender.rate, limits.address.rate) == (Rate(20, 60.0), Rate(300, 60.0))
    assert (DEFAULT_SENDER_RATE, DEFAULT_ADDRESS_RATE) == ("20/60", "300/60")
    assert isinstance(limits.backend, MemoryBackend) and limits.proxies == frozenset()
    assert ChannelLimits.from_env({SENDER_SETTING: "  ", ADDRESS_SETTING: ""}).sender.rate == Rate(20, 60.0)


@pytest.mark.parametrize("setting, value", [(SENDER_SETTING, "lots"), (ADDRESS_SETTING, "300"),
                                            (PROXY_SETTING, "proxy.internal"), (PROXY_SETTING, "10.0.0.1,nope")])
def test_both_channels_refuse_to_start_with_a_malformed_setting(monkeypatch, setting, value):
    from bot.channels.telegram import TelegramInput
    from bot.channels.webchat import WebChatInput

    monkeypatch.setenv(setting, value)
    with pytest.raises(ValueError, match=f"^{setting}: expected"):
        WebChatInput.from_credentials(None)
    with pytest.raises(ValueError, match=f"^{setting}: expected"):
        TelegramInput.from_credentials({"token": TELEGRAM_TOKEN, "webhook_secret": TELEGRAM_SECRET})


def test_the_channels_read_their_rates_at_start(monkeypatch):
    from bot.channels.webchat import WebChatInput

    monkeypatch.setenv(SENDER_SETTING, "7/30")
    monkeypatch.setenv(ADDRESS_SETTING, "70/30")
    monkeypatch.delenv("REDIS_URL", raising=False)
    channel = WebChatInput.from_credentials(None)
    assert (channel.limits.sender.rate, channel.limits.address.rate) == (Rate(7, 30.0), Rate(70, 30.0))
    assert channel.limits.backend is shared_backend(None)  # the masking memory is the same one


# ============================================================ the client address

def limits_behind(proxies: str) -> ChannelLimits:
    return ChannelLimits.from_env({PROXY_SETTING: proxies})


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored():
    assert limits_behind("").client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_the_trusted_proxy_the_address_it_saw_counts_not_what_the_client_claims():
    limits = limits_behind("10.0.0.5")
    assert limits.client_address("10.0.0.5", "198.51.100.7") == "198.51.100.7"
    # A client writing its own X-Forwarded-For: the proxy appends the real address, which counts.
    assert limits.client_address("10.0.0.5", "1.2.3.4, 5.6.7.8, 198.51.100.7") == "198.51.100.7"
    # Another peer is not the proxy: what it says is not believed.
    assert limits.client_address("203.0.113.9", "198.51.100.7") == "203.0.113.9"
    # A proxy sending garbage, or nothing: the proxy's own address counts.
    assert limits.client_address("10.0.0.5", "not-an-address") == "10.0.0.5"
    assert limits.client_address("10.0.0.5", None) == "10.0.0.5"


def test_several_proxies_networks_and_ipv6():
    limits = limits_behind("10.0.0.5, 172.16.0.0/12, ::1")
    assert limits.client_address("::1", "198.51.100.7, 172.20.1.1") == "198.51.100.7"
    assert limits.client_address("::ffff:10.0.0.5", "2001:db8::7") == "2001:db8::7"


def test_the_web_chat_counts_request_ip_and_the_header_only_from_the_proxy(monkeypatch):
    from bot.channels.webchat import WebChatInput

    monkeypatch.setenv(PROXY_SETTING, "10.0.0.5")
    channel = WebChatInput.from_credentials(None)
    proxied = SimpleNamespace(ip="10.0.0.5", headers={"x-forwarded-for": "9.9.9.9, 198.51.100.7"})
    direct = SimpleNamespace(ip="203.0.113.9", headers={"x-forwarded-for": "198.51.100.7"})
    assert (channel.client_address(proxied), channel.client_address(direct)) == ("198.51.100.7", "203.0.113.9")


# ============================================================ the in-memory backend

def test_memory_counts_each_key_refuses_past_the_rate_and_forgets_after_the_window():
    clock = Clock()
    limiter = RateLimiter(Rate(3, 60), "sender", MemoryBackend(clock))

    async def scenario() -> List[tuple]:
        seen = []
        for second in range(5):
            clock.now += 1
            verdict = await limiter.check("web-a")
            seen.append((verdict.allowed, verdict.first_refusal, round(verdict.retry_after)))
        seen.append((await limiter.check("web-b")).allowed)
        clock.now += 57  # 61 s after the first message of web-a
        seen.append((await limiter.check("web-a")).allowed)
        return seen

    assert run(scenario()) == [(True, False, 0), (True, False, 0), (True, False, 0),
                               (False, True, 57), (False, False, 56), True, True]


def test_memory_first_time_is_true_once_per_key_until_it_expires():
    clock = Clock()
    memory = MemoryBackend(clock)

    async def scenario() -> List[bool]:
        seen = [await memory.first_time("told:a", 100), await memory.first_time("told:a", 100),
                await memory.first_time("told:b", 100)]
        clock.now += 101
        return seen + [await memory.first_time("told:a", 100)]

    assert run(scenario()) == [True, False, True, True]


def test_memory_stays_bounded_under_a_flood_of_new_keys(monkeypatch):
    monkeypatch.setattr(MemoryBackend, "MAX_KEYS", 50)
    clock = Clock()
    memory = MemoryBackend(clock)
    limiter = RateLimiter(Rate(1, 60), "address", memory)

    async def flood() -> tuple:
        for number in range(500):
            await limiter.check(f"10.0.{number // 256}.{number % 256}")
            await memory.first_time(f"told:{number}", 60)
        newest_still_counted = not (await limiter.check("10.0.1.243")).allowed
        sizes = (len(memory._windows), len(memory._seen))
        clock.now += 61  # every window over: the next new key sweeps them all out
        await limiter.check("198.51.100.1")
        return newest_still_counted, sizes, len(memory._windows)

    newest_still_counted, sizes, after_the_windows = run(flood())
    assert newest_still_counted
    assert sizes == (50, 50)
    assert after_the_windows == 1


# ============================================================ the Redis backend

@pytest.fixture
def redis_keys():
    """A random key prefix on the real Redis, and a client to look at it; its keys are deleted afterwards."""
    import redis

    keys = SimpleNamespace(prefix=f"cybercare-test:{uuid.uuid4().hex[:10]}:", client=redis.Redis.from_url(REDIS_URL))
    assert keys.client.ping()
    yield keys
    for key in keys.client.scan_iter(f"{keys.prefix}*"):
        keys.client.delete(key)
    keys.client.close()


def test_two_workers_share_one_count_through_redis(redis_keys):
    """Two backends, each with its own connection: two Sanic worker processes."""
    async def scenario() -> tuple:
        workers = [RateLimiter(Rate(5, 60), "sender", RedisBackend(REDIS_URL, redis_keys.prefix)) for _ in range(2)]
        verdicts = [await workers[index % 2].check("web-flood") for index in range(8)]
        other = await workers[1].check("web-calm")
        for worker in workers:
            await worker.backend.close()
        return verdicts, other

    verdicts, other = run(scenario())
    ttl = redis_keys.client.pttl(f"{redis_keys.prefix}rate:sender:web-flood")
    assert [v.allowed for v in verdicts] == [True] * 5 + [False] * 3
    assert [v.first_refusal for v in verdicts] == [False] * 5 + [True, False, False]
    assert 55 < verdicts[-1].retry_after <= 60
    assert other.allowed
    assert 55_000 < ttl <= 60_000  # the key goes away with its window


def test_concurrent_messages_on_both_workers_never_pass_more_than_the_rate(redis_keys):
    async def scenario() -> List[bool]:
        workers = [RateLimiter(Rate(10, 60), "address", RedisBackend(REDIS_URL, redis_keys.prefix)) for _ in range(2)]
        verdicts = await asyncio.gather(*(workers[index % 2].check("198.51.100.7") for index in range(40)))
        for worker in workers:
            await worker.backend.close()
        return [v.allowed for v in verdicts]

    assert run(scenario()).count(True) == 10


def test_the_redis_window_resets(redis_keys):
    async def scenario() -> List[bool]:
        backend = RedisBackend(REDIS_URL, redis_keys.prefix)
        limiter = RateLimiter(Rate(2, 0.4), "sender", backend)
        seen = [(await limiter.check("web-a")).allowed for _ in range(3)]
        await asyncio.sleep(0.5)
        seen += [(await limiter.check("web-a")).allowed for _ in range(3)]
        await backend.close()
        return seen

    assert run(scenario()) == [True, True, False, True, True, False]


def test_told_once_is_shared_by_the_workers(redis_keys):
    async def scenario() -> List[bool]:
        first, second = RedisBackend(REDIS_URL, redis_keys.prefix), RedisBackend(REDIS_URL, redis_keys.prefix)
        seen = [await first.first_time("told:web-a", 60), await second.first_time("told:web-a", 60),
                await second.first_time("told:web-b", 60)]
        await first.close()
        await second.close()
        return seen

    assert run(scenario()) == [True, False, True]


def test_an_unreachable_redis_lets_messages_through_with_one_warning(caplog):
    from bot.channels import masking

    async def scenario() -> tuple:
        backend = RedisBackend("redis://127.0.0.1:1/0")  # nothing listens on port 1
        limiter = RateLimiter(Rate(1, 60), "sender", backend)
        verdicts = [await limiter.check("web-a") for _ in range(5)]
        told = await masking.mask_message("web-a", "mijn kaart 4111 1111 1111 1111", backend)
        return verdicts, told

    with caplog.at_level(logging.WARNING, logger="bot.channels.rate_limit"):
        verdicts, told = run(scenario())
    assert all(v.allowed for v in verdicts)
    assert told == ("mijn kaart [card number]", True)  # telling twice is better than never
    assert caplog.text.count("Redis unreachable") == 1


# ============================================================ the web chat of the running assistant

def stack_rate(stack, setting: str, default: str) -> Rate:
    """The rate the running assistant was started with (os.environ + the stack's settings)."""
    return Rate.parse(quiet_env(stack.settings).get(setting) or default, setting)


def webchat_post(conversation: Chat, text: str, language: str = "nl") -> requests.Response:
    return conversation.webhook({"message": text, "metadata": {"language": language}},
                                headers={"X-Chat-Language": language})


def user_texts(stack, sender: str) -> List[str]:
    return [e["text"] for e in rasa_api.events(stack.settings, sender) if e.get("event") == "user"]


def test_a_web_chat_sender_over_the_limit_gets_429_in_the_page_language_and_rasa_hears_nothing(stack):
    rate = stack_rate(stack, SENDER_SETTING, DEFAULT_SENDER_RATE)
    flooding = Chat(stack.settings)
    flooder = flooding.sender
    started = time.monotonic()
    for number in range(rate.messages):
        assert webchat_post(flooding, f"hallo {number}").status_code == 200
    assert time.monotonic() - started < rate.seconds - 5, "the flood took longer than the window"
    for lang in LANGUAGES:
        refused = webchat_post(flooding, f"refused in {lang}", lang)
        assert refused.status_code == 429
        assert refused.json() == {"error": "rate_limited", "message": error_text("rate_limited", lang)}
        assert 1 <= int(refused.headers["Retry-After"]) <= rate.seconds
    upload = flooding.post(f"{stack.settings.webchat_url}upload", data={"language": "fr"},
                           files={"file": ("a.pdf", PDF, "application/pdf")}, timeout=30)
    assert (upload.status_code, upload.json()["error"]) == (429, "rate_limited")
    assert upload.json()["message"] == error_text("rate_limited", "fr")
    assert files.files_of(flooder, db=get_database(stack.settings.claims_db_url)) == []  # not kept either

    texts = user_texts(stack, flooder)
    assert texts == [f"hallo {number}" for number in range(rate.messages)]
    calm_chat = Chat(stack.settings)
    calm = webchat_post(calm_chat, "hallo")
    assert calm.status_code == 200
    assert "\n".join(m["text"] for m in calm.json()) == response_text("utter_greet", "nl")
    calm_upload = calm_chat.post(f"{stack.settings.webchat_url}upload", timeout=30, data={"language": "nl"},
                                 files={"file": ("pv.pdf", PDF, "application/pdf")})
    assert calm_upload.status_code == 200 and calm_upload.json()["file"]["name"] == "pv.pdf"


def test_the_rate_limited_texts_exist_in_each_language_and_differ():
    texts = {lang: error_text("rate_limited", lang) for lang in LANGUAGES}
    assert len(set(texts.values())) == 3
    assert " je " in texts["nl"] and "vous" in texts["fr"].lower()  # informal Dutch, formal French
    assert "niet verloren" in texts["nl"] and "pas perdu" in texts["fr"] and "was lost" in texts["en"]


# ============================================================ Telegram

def test_a_telegram_chat_over_the_limit_is_told_once_and_the_webhook_says_200(stack, telegram_api):
    rate = stack_rate(stack, SENDER_SETTING, DEFAULT_SENDER_RATE)
    chat_id = new_chat_id()
    started = time.monotonic()
    for number in range(rate.messages):
        assert post(stack, text_update(chat_id, f"Bonjour {number}", "fr")).json() == {"status": "processed"}
    assert time.monotonic() - started < rate.seconds - 5, "the flood took longer than the window"
    for number in range(4):
        reply = post(stack, text_update(chat_id, f"de trop {number}", "fr"))
        assert (reply.status_code, reply.json()) == (200, {"status": "rate_limited"})
    texts = [c["text"] for c in sent_to(telegram_api, chat_id)]
    assert texts.count(error_text("rate_limited", "fr")) == 1
    assert texts[-1] == error_text("rate_limited", "fr")  # and nothing answered after it
    assert [e["text"] for e in user_events(stack, chat_id)] == [f"Bonjour {n}" for n in range(rate.messages)]


class Answering:
    """Stands in for Rasa: records each user message and answers it with one text, as Rasa does
    (send_response: the channel wraps its output to count the answers)."""

    def __init__(self) -> None:
        self.texts: List[str] = []

    async def __call__(self, user_message) -> None:
        self.texts.append(user_message.text)
        await user_message.output_channel.send_response(user_message.sender_id, {"text": "réponse"})


def test_a_telegram_chat_is_served_again_after_the_window(monkeypatch, fake_api):
    """The channel itself, with a half-second window, fed updates as its webhook does."""
    from telegram import Update

    from bot.channels.telegram import TelegramInput

    monkeypatch.setenv(SENDER_SETTING, "2/0.5")
    monkeypatch.delenv("REDIS_URL", raising=False)
    chat_id = new_chat_id()

    async def feed() -> tuple:
        channel = TelegramInput(TELEGRAM_TOKEN, TELEGRAM_SECRET, fake_api.api_base)
        recorder = Answering()

        async def send(text: str) -> str:
            return await channel.handle_update(Update.de_json(text_update(chat_id, text, "en"), None), recorder)

        statuses = [await send(f"flood {n}") for n in range(4)]
        await asyncio.sleep(0.6)
        statuses.append(await send("later"))
        await channel.output.close()
        return statuses, recorder.texts

    statuses, passed_on = run(feed())
    assert statuses == ["processed", "processed", "rate_limited", "rate_limited", "processed"]
    assert passed_on == ["flood 0", "flood 1", "later"]
    assert [c["text"] for c in fake_api.calls("sendMessage")] == [
        "réponse", "réponse", error_text("rate_limited", "en"), "réponse"]


# ============================================================ open streams and upload bytes (issue 18)

def test_stream_places_per_address_in_memory_are_freed_by_closing_or_by_lapsing():
    from bot.channels.rate_limit import StreamLimit

    clock = Clock()
    limit = StreamLimit(2, MemoryBackend(clock), ttl=60)

    async def scenario() -> list:
        first, second = await limit.open("10.0.0.1"), await limit.open("10.0.0.1")
        said = [first is not None, second is not None, await limit.open("10.0.0.1") is None,
                await limit.open("10.0.0.2") is not None]  # another address has its own places
        await limit.close("10.0.0.1", first)
        said.append(await limit.open("10.0.0.1") is not None)  # the closed one's place
        clock.now += 61  # nobody renewed: a worker that died frees its places
        said.append(await limit.open("10.0.0.1") is not None)
        return said

    assert run(scenario()) == [True] * 6


def test_stream_places_are_shared_by_workers_through_redis(redis_keys):
    from bot.channels.rate_limit import StreamLimit

    async def scenario() -> list:
        workers = [StreamLimit(3, RedisBackend(REDIS_URL, redis_keys.prefix)) for _ in range(2)]
        tickets = [await workers[n % 2].open("10.0.0.9") for n in range(4)]
        await workers[0].renew("10.0.0.9", tickets[0])
        await workers[1].close("10.0.0.9", tickets[1])
        tickets.append(await workers[0].open("10.0.0.9"))
        return [ticket is not None for ticket in tickets]

    assert run(scenario()) == [True, True, True, False, True]


def test_an_upload_budget_counts_bytes_per_address():
    from bot.channels.rate_limit import ByteBudget

    clock = Clock()
    budget = ByteBudget(Rate(1, 3600), "uploads", MemoryBackend(clock))  # 1 MB an hour

    async def scenario() -> list:
        verdicts = [await budget.spend("10.0.0.1", 600_000), await budget.spend("10.0.0.1", 600_000),
                    await budget.spend("10.0.0.2", 600_000)]
        clock.now += 3601
        verdicts.append(await budget.spend("10.0.0.1", 600_000))
        return [v.allowed for v in verdicts]

    assert run(scenario()) == [True, False, True, True]


def test_the_new_bounds_default_and_refuse_a_malformed_setting():
    from bot.channels import push
    from bot.channels.rate_limit import STREAMS_SETTING, UPLOADS_SETTING

    limits = ChannelLimits.from_env({})
    assert (limits.streams.limit, limits.uploads.rate) == (20, Rate(50, 3600.0))
    assert push.IDLE_SECONDS == 3600 or "CYBERCARE_STREAM_IDLE_SECONDS" in __import__("os").environ
    for setting, value in ((STREAMS_SETTING, "0"), (STREAMS_SETTING, "many"), (UPLOADS_SETTING, "50MB")):
        with pytest.raises(ValueError, match=setting):
            ChannelLimits.from_env({setting: value})
