"""Flooding protection for the channels: a sender (conversation id, Telegram chat) and a client
address may send so many messages in a window; beyond that they are told so in their language
(messages.yml: rate_limited) and the message never reaches Rasa.

A fixed window per key, started by its first message. The counts live in this process, or in Redis
when REDIS_URL is set: production runs several Sanic workers, which must share one count, so the
window is kept with SET NX PX + INCR + PTTL in one MULTI/EXEC (atomic across workers). When Redis
cannot be reached the message passes and a warning is logged: flooding protection must never lock
everyone out.

Settings, read when a channel starts (a malformed value stops the server then, not at a user):
CYBERCARE_RATE_LIMIT (per sender, default "20/60": 20 messages per 60 seconds),
CYBERCARE_RATE_LIMIT_ADDRESS (per client address of the web chat, default "300/60": its messages,
uploads, session openings and history reads), CYBERCARE_STREAMS_PER_ADDRESS (open event streams per
client address, default 20), CYBERCARE_UPLOAD_LIMIT_ADDRESS (megabytes of files per client address
per window, default "50/3600"), and CYBERCARE_TRUSTED_PROXY (the reverse proxy's address or addresses, comma-separated: only requests
from it have their X-Forwarded-For read; without it the peer address counts).
"""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import re
import time
import uuid
from abc import ABC, abstractmethod
from collections import OrderedDict
from dataclasses import dataclass
from typing import Awaitable, Callable, Dict, FrozenSet, List, Mapping, Optional, Tuple, TypeVar, Union

logger = logging.getLogger(__name__)

SENDER_SETTING = "CYBERCARE_RATE_LIMIT"
ADDRESS_SETTING = "CYBERCARE_RATE_LIMIT_ADDRESS"
PROXY_SETTING = "CYBERCARE_TRUSTED_PROXY"
STREAMS_SETTING = "CYBERCARE_STREAMS_PER_ADDRESS"
UPLOADS_SETTING = "CYBERCARE_UPLOAD_LIMIT_ADDRESS"
DEFAULT_SENDER_RATE = "20/60"
DEFAULT_ADDRESS_RATE = "300/60"
DEFAULT_STREAMS = 20  # open event streams (web chat pages) per client address
DEFAULT_UPLOADS_RATE = "50/3600"  # megabytes of files per client address per hour
KEY_PREFIX = "cybercare:"  # rate counts under cybercare:rate:, "told once" marks under cybercare:told:
REFUSED = "rate_limited"  # the text's code in messages.yml
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*$")
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
T = TypeVar("T")


@dataclass(frozen=True)
class Rate:
    """At most `messages` in `seconds`."""

    messages: int
    seconds: float

    @classmethod
    def parse(cls, value: str, setting: str) -> "Rate":
        """"20/60" -> Rate(20, 60.0); ValueError naming the setting for anything else."""
        match = _RATE.match(value)
        if not match or int(match[1]) < 1 or float(match[2]) <= 0:
            raise ValueError(f'{setting}: expected "<messages>/<seconds>" with both above 0, '
                             f'such as "20/60" (20 messages per 60 seconds), got {value!r}')
        return cls(int(match[1]), float(match[2]))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # The first message refused in this window: the one worth an answer (Telegram, logs).
    first_refusal: bool = False
    retry_after: float = 0.0  # seconds until the window ends


class BackendUnavailable(Exception):
    """The shared store cannot be reached; callers let the message through."""


class Backend(ABC):
    """Where counts and "already told" marks are kept: this process, or Redis for several workers."""

    @abstractmethod
    async def hit(self, key: str, window: float, amount: int = 1) -> Tuple[int, float]:
        """Counts `amount` (one message, or bytes) for `key`: (the count in its window, this included;
        seconds left)."""

    @abstractmethod
    async def first_time(self, key: str, ttl: float) -> bool:
        """True the first time `key` is seen within `ttl` seconds, False after."""

    @abstractmethod
    async def hold(self, key: str, member: str, limit: int, ttl: float) -> bool:
        """`member` takes (or keeps) one of `limit` places of `key` for `ttl` seconds; False when all
        are taken by others. Holding again renews the place; a holder that dies loses it after `ttl`."""

    @abstractmethod
    async def let_go(self, key: str, member: str) -> None:
        """`member` gives its place of `key` back."""


class MemoryBackend(Backend):
    """One process (embedded mode). Bounded: past MAX_KEYS the oldest windows are dropped."""

    MAX_KEYS = 100_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._windows: "OrderedDict[str, List[float]]" = OrderedDict()  # key -> [window end, count]
        self._seen: "OrderedDict[str, List[float]]" = OrderedDict()  # key -> [until when it counts as seen]
        self._held: Dict[str, Dict[str, float]] = {}  # key -> {member: until when it holds its place}
        self._next_sweep: Dict[int, float] = {}  # per dict (its id): when expired entries may be swept again

    async def hit(self, key: str, window: float, amount: int = 1) -> Tuple[int, float]:
        now = self._clock()
        entry = self._windows.get(key)
        if entry is None or entry[0] <= now:
            self._windows.pop(key, None)  # re-inserted last: the dict stays ordered by window start
            self._make_room(self._windows, now)
            entry = self._windows[key] = [now + window, 0]
        entry[1] += amount
        return int(entry[1]), entry[0] - now

    async def first_time(self, key: str, ttl: float) -> bool:
        now = self._clock()
        if self._seen.get(key, [now])[0] > now:
            return False
        self._seen.pop(key, None)
        self._make_room(self._seen, now)
        self._seen[key] = [now + ttl]
        return True

    async def hold(self, key: str, member: str, limit: int, ttl: float) -> bool:
        now = self._clock()
        places = {m: until for m, until in self._held.get(key, {}).items() if until > now}
        if member not in places and len(places) >= limit:
            self._held[key] = places
            return False
        places[member] = now + ttl
        self._held[key] = places
        return True

    async def let_go(self, key: str, member: str) -> None:
        places = self._held.get(key)
        if places is not None:
            places.pop(member, None)
            if not places:
                del self._held[key]

    def _make_room(self, entries: "OrderedDict[str, List[float]]", now: float) -> None:
        """Keeps `entries` under MAX_KEYS: expired ones go first (swept at most once a second, a
        flood of new keys must not make every message walk them all), then the oldest."""
        if len(entries) < self.MAX_KEYS:
            return
        if now >= self._next_sweep.get(id(entries), 0.0):
            self._next_sweep[id(entries)] = now + 1
            for key in [key for key, value in entries.items() if value[0] <= now]:
                del entries[key]
        while len(entries) >= self.MAX_KEYS:
            entries.popitem(last=False)


class RedisBackend(Backend):
    """Shared by every worker and instance using the same Redis; keys under `prefix`."""

    TIMEOUT = 0.5  # seconds: a slow Redis must not hold every message up
    PAUSE_AFTER_FAILURE = 5.0  # seconds during which Redis is not tried again (messages pass)
    WARN_EVERY = 60.0  # seconds between two warnings while Redis stays unreachable

    def __init__(self, url: str, prefix: str = KEY_PREFIX, clock: Callable[[], float] = time.monotonic) -> None:
        from redis import asyncio as redis_asyncio

        self.prefix = prefix
        self._client = redis_asyncio.from_url(url, socket_timeout=self.TIMEOUT,
                                              socket_connect_timeout=self.TIMEOUT)
        self._clock = clock
        self._paused_until = 0.0
        self._warned_at: Optional[float] = None

    async def hit(self, key: str, window: float, amount: int = 1) -> Tuple[int, float]:
        name = self.prefix + key
        window_ms = max(1, int(window * 1000))

        async def count() -> Tuple[int, int]:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.set(name, 0, px=window_ms, nx=True).incrby(name, amount).pttl(name)
                _, hits, left_ms = await pipe.execute()
            if left_ms < 0:  # a key without expiry (made by hand?) would count forever
                await self._client.pexpire(name, window_ms)
                left_ms = window_ms
            return int(hits), left_ms

        hits, left_ms = await self._call(count)
        return hits, left_ms / 1000

    async def first_time(self, key: str, ttl: float) -> bool:
        name = self.prefix + key

        async def mark() -> bool:
            return bool(await self._client.set(name, 1, px=max(1, int(ttl * 1000)), nx=True))

        return await self._call(mark)

    async def hold(self, key: str, member: str, limit: int, ttl: float) -> bool:
        # A sorted set of holders scored by when their place lapses (wall clock: shared by machines).
        name = self.prefix + key

        async def take() -> bool:
            now = time.time()
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(name, "-inf", now).zscore(name, member).zcard(name)
                _, mine, taken = await pipe.execute()
            if mine is None and taken >= limit:
                return False
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.zadd(name, {member: now + ttl}).pexpire(name, max(1, int(ttl * 1000)))
                await pipe.execute()
            return True

        return await self._call(take)

    async def let_go(self, key: str, member: str) -> None:
        async def give_back() -> None:
            await self._client.zrem(self.prefix + key, member)

        await self._call(give_back)

    async def close(self) -> None:
        await self._client.close()

    async def _call(self, operation: Callable[[], Awaitable[T]]) -> T:
        from redis.exceptions import RedisError

        if self._clock() < self._paused_until:
            raise BackendUnavailable("Redis paused after a failure")
        try:
            return await operation()
        except (RedisError, OSError, asyncio.TimeoutError) as error:
            now = self._clock()
            self._paused_until = now + self.PAUSE_AFTER_FAILURE
            if self._warned_at is None or now - self._warned_at >= self.WARN_EVERY:
                self._warned_at = now
                logger.warning("rate limit: Redis unreachable (%s): messages pass unlimited until it is back",
                               type(error).__name__)
            raise BackendUnavailable(str(error)) from error


_SHARED: Dict[Optional[str], Backend] = {}


def shared_backend(redis_url: Optional[str]) -> Backend:
    """One backend per process and Redis URL (None: in memory), shared by the channels and masking."""
    if redis_url not in _SHARED:
        _SHARED[redis_url] = RedisBackend(redis_url) if redis_url else MemoryBackend()
    return _SHARED[redis_url]


class RateLimiter:
    """Counts the messages of one kind of key ("sender", "address") against one Rate."""

    def __init__(self, rate: Rate, scope: str, backend: Backend) -> None:
        self.rate = rate
        self.scope = scope
        self.backend = backend

    async def check(self, key: str) -> Verdict:
        """Counts this message; whether it may go on. Without the backend it may (logged there)."""
        try:
            hits, left = await self.backend.hit(f"rate:{self.scope}:{key}", self.rate.seconds)
        except BackendUnavailable:
            return Verdict(True)
        if hits <= self.rate.messages:
            return Verdict(True)
        return Verdict(False, first_refusal=hits == self.rate.messages + 1, retry_after=left)


class StreamLimit:
    """At most `limit` open event streams per client address (a place per stream, renewed at each
    keep-alive, so that a worker that dies frees its places)."""

    def __init__(self, limit: int, backend: Backend, ttl: float = 60.0) -> None:
        self.limit = limit
        self.backend = backend
        self.ttl = ttl

    async def open(self, address: str) -> Optional[str]:
        """A ticket for one more stream from `address`, or None when it has `limit` open already."""
        ticket = uuid.uuid4().hex
        try:
            return ticket if await self.backend.hold(f"streams:{address}", ticket, self.limit, self.ttl) else None
        except BackendUnavailable:
            return ticket

    async def renew(self, address: str, ticket: str) -> None:
        try:
            await self.backend.hold(f"streams:{address}", ticket, self.limit, self.ttl)  # its own: kept
        except BackendUnavailable:
            pass

    async def close(self, address: str, ticket: str) -> None:
        try:
            await self.backend.let_go(f"streams:{address}", ticket)
        except BackendUnavailable:
            pass


class ByteBudget:
    """At most `rate.messages` megabytes per `rate.seconds` from one key (the uploads of an address)."""

    def __init__(self, rate: Rate, scope: str, backend: Backend) -> None:
        self.rate = rate
        self.scope = scope
        self.backend = backend

    async def spend(self, key: str, size: int) -> Verdict:
        """Counts `size` bytes; refused when the window's total goes over the budget."""
        try:
            total, left = await self.backend.hit(f"bytes:{self.scope}:{key}", self.rate.seconds, size)
        except BackendUnavailable:
            return Verdict(True)
        budget = self.rate.messages * 1024 * 1024
        if total <= budget:
            return Verdict(True)
        return Verdict(False, first_refusal=total - size <= budget, retry_after=left)


def trusted_proxies(value: str) -> FrozenSet[Network]:
    """CYBERCARE_TRUSTED_PROXY: addresses (or networks) separated by commas; ValueError otherwise."""
    networks = set()
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            networks.add(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{PROXY_SETTING}: expected the proxy's IP address (several separated by "
                             f"commas), got {part!r}") from None
    return frozenset(networks)


def _address(value: str) -> Optional[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # "::ffff:10.0.0.5" is 10.0.0.5
    return mapped or address


@dataclass(frozen=True)
class ChannelLimits:
    """What a channel checks: each sender, each client address, and whom to believe about the latter."""

    sender: RateLimiter
    address: RateLimiter
    proxies: FrozenSet[Network]
    backend: Backend
    streams: StreamLimit
    uploads: ByteBudget

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "ChannelLimits":
        """The settings (see the module docstring); ValueError on a malformed one."""
        env = os.environ if env is None else env
        backend = shared_backend(env.get("REDIS_URL") or None)

        def rate(setting: str, default: str) -> Rate:
            value = env.get(setting) or ""
            return Rate.parse(value if value.strip() else default, setting)

        streams = (env.get(STREAMS_SETTING) or "").strip() or str(DEFAULT_STREAMS)
        if not streams.isdecimal() or int(streams) < 1:
            raise ValueError(f"{STREAMS_SETTING}: expected a whole number of at least 1, got {streams!r}")
        return cls(RateLimiter(rate(SENDER_SETTING, DEFAULT_SENDER_RATE), "sender", backend),
                   RateLimiter(rate(ADDRESS_SETTING, DEFAULT_ADDRESS_RATE), "address", backend),
                   trusted_proxies(env.get(PROXY_SETTING) or ""), backend,
                   StreamLimit(int(streams), backend),
                   ByteBudget(rate(UPLOADS_SETTING, DEFAULT_UPLOADS_RATE), "uploads", backend))

    def is_proxy(self, peer: str) -> bool:
        """Whether `peer` is one of CYBERCARE_TRUSTED_PROXY."""
        address = _address(peer or "")
        return address is not None and any(address in network for network in self.proxies)

    def client_address(self, peer: str, forwarded_for: Optional[str]) -> str:
        """The address to count: the peer's, unless the peer is a trusted proxy; then the nearest
        X-Forwarded-For entry that is not a trusted proxy (entries further left are the client's say)."""
        current = _address(peer or "")
        if current is None:
            return peer or "unknown"
        for entry in reversed((forwarded_for or "").split(",")):
            if not any(current in network for network in self.proxies):
                break
            forwarded = _address(entry)
            if forwarded is None:  # a proxy that writes garbage: count the proxy itself
                break
            current = forwarded
        return str(current)
