"""Who may act for a web chat conversation: the session cookie the server issued, or a trusted
server-side caller with Rasa's API token.

POST /webhooks/webchat/session answers {"sender": id} and sets the cookie `cybercare_session`
(HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it; Path=/webhooks/webchat;
Secure when the request came over TLS). The token is random and kept hashed in the claims store
(actions/claims/sessions.py), so it cannot be forged or guessed, and no conversation id needs to
travel in a URL. A page that still has a valid cookie gets its own conversation back.

`conversation(request, given)` is what every route asks: the cookie's conversation; 401 without a
valid cookie; 403 when the request names another conversation. With `Authorization: Bearer
<RASA_API_TOKEN>` any well-formed conversation id is accepted (a trusted server-side caller).
"""
from __future__ import annotations

import asyncio
import hmac
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable, Mapping, Optional, Tuple

from sanic.request import Request
from sanic.response import HTTPResponse

from actions.claims import sessions as stored
from bot.channels.inbound import SENDER_PATTERN

COOKIE = "cybercare_session"
COOKIE_PATH = "/webhooks/webchat"
RETENTION_SETTING = "CYBERCARE_RETENTION_DAYS"  # a session lasts while its conversation is kept
DEFAULT_RETENTION_DAYS = 90


class Refused(Exception):
    """The request may not act for a conversation; `code` names the text in messages.yml."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Caller:
    """`sender`: the cookie's conversation; None for a trusted caller, who names any."""

    sender: Optional[str]

    def act_for(self, given: Any) -> str:
        """The conversation to act for when the request names `given` (None: names none)."""
        if self.sender is None:
            if not isinstance(given, str) or not SENDER_PATTERN.match(given):
                raise Refused("bad_sender", 400)
            return given
        if given is None or given == self.sender:
            return self.sender
        if not isinstance(given, str) or not SENDER_PATTERN.match(given):
            raise Refused("bad_sender", 400)
        raise Refused("wrong_sender", 403)


@dataclass(frozen=True)
class Sessions:
    api_token: Optional[str]
    max_idle: timedelta
    came_over_tls: Callable[[Request], bool]

    @classmethod
    def from_env(cls, came_over_tls: Callable[[Request], bool],
                 env: Optional[Mapping[str, str]] = None) -> "Sessions":
        env = os.environ if env is None else env
        days = (env.get(RETENTION_SETTING) or str(DEFAULT_RETENTION_DAYS)).strip()
        if not days.isdecimal() or int(days) < 1:
            raise ValueError(f"{RETENTION_SETTING}: expected a whole number of days, got {days!r}")
        return cls(env.get("RASA_API_TOKEN") or None, timedelta(days=int(days)), came_over_tls)

    def trusted(self, request: Request) -> bool:
        """A server-side caller holding Rasa's API token."""
        scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
        return bool(self.api_token) and scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode(), self.api_token.encode())

    async def issue(self, request: Request) -> Tuple[str, Optional[str]]:
        """(the conversation of the request's valid cookie, None), else (a new session's, its token)."""
        sender = await self._cookie_sender(request)
        if sender is not None:
            return sender, None
        token, sender = await asyncio.to_thread(stored.open_session)
        return sender, token

    def set_cookie(self, request: Request, response: HTTPResponse, token: str) -> None:
        response.cookies[COOKIE] = token
        cookie = response.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = COOKIE_PATH
        cookie["max-age"] = int(self.max_idle.total_seconds())
        if self.came_over_tls(request):
            cookie["secure"] = True

    async def caller(self, request: Request) -> "Caller":
        """Who is asking: a trusted caller, or a valid cookie's conversation; Refused (401) otherwise."""
        if self.trusted(request):
            return Caller(None)
        sender = await self._cookie_sender(request)
        if sender is None:
            raise Refused("no_session", 401)
        return Caller(sender)

    async def conversation(self, request: Request, given: Any) -> str:
        """The conversation this request acts for (see the module docstring); Refused otherwise."""
        return (await self.caller(request)).act_for(given)

    async def _cookie_sender(self, request: Request) -> Optional[str]:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        return await asyncio.to_thread(stored.sender_of, token, max_idle=self.max_idle)
