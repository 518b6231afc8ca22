"""The web chat: serves the chat page and takes its messages (POST /webhooks/webchat/webhook).

Like Rasa's REST channel, but every message is checked first (bot.channels.inbound), and the
page's language travels as metadata, a hint LanguagePolicy uses when the text is unclear.
Messages that do not answer the page's request (an agent's replies, the bot after the hand-back)
come as server-sent events: GET /webhooks/webchat/events (bot.channels.push).

Who may act for a conversation (bot.channels.sessions): the page first opens a session (POST
session: the cookie `cybercare_session`), then webhook, upload, history and events act for the
cookie's conversation only; no conversation id travels in a URL. Rasa's API token lets a trusted
server-side caller name any conversation.

Flooding (bot.channels.rate_limit): every route counts against the client address's rate (429),
messages and uploads against the sender's too; at most CYBERCARE_STREAMS_PER_ADDRESS open event
streams and CYBERCARE_UPLOAD_LIMIT_ADDRESS megabytes of files per address; a body over its route's
limit is refused from its Content-Length, before it is read (ROUTE_MAX_BYTES).
"""
from __future__ import annotations

import logging
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple, Union

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_speedups
from bot.channels import masking, payloads, uploads
from bot.channels.inbound import MAX_BODY_BYTES, InboundError, error_text, language_hint, parse_webchat
from bot.channels.page_headers import page_headers
from bot.channels.push import stream_events, webchat_topic
from bot.channels.rate_limit import REFUSED, ChannelLimits, RateLimiter, Verdict
from bot.channels.relay import after_user_message
from bot.channels.sessions import Refused, Sessions
from bot.channels.transcript import transcript
from bot.dialogue.language_policy import decided_language

logger = logging.getLogger(__name__)
PAGE = Path(__file__).with_name("static") / "webchat.html"
# The largest body each route reads (a file of 10 MB and its multipart envelope; a message); larger
# is refused from its Content-Length (or as soon as a chunked body passes it), never read whole.
UPLOAD_MAX_BYTES = 11 * 1024 * 1024
ROUTE_MAX_BYTES = {"webchat.receive": MAX_BODY_BYTES, "webchat.upload": UPLOAD_MAX_BYTES,
                   "webchat.open_session": 4096}


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def __init__(self) -> None:
        # Read when the server starts: a malformed setting stops it here, not at a user's message.
        self.limits = ChannelLimits.from_env()
        self.sessions = Sessions.from_env(self.came_over_tls)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat", __name__)
        page = PAGE.read_text(encoding="utf-8")
        headers = page_headers(page)

        @webchat.listener("after_server_start")
        async def model_loaded(app, loop) -> None:  # Rasa loads the model before the server starts: a hook on
            # a channel of ours is the one place of our code that runs in every worker once it is loaded.
            rasa_speedups.freeze_startup_objects()

        @webchat.signal("http.routing.after")
        async def body_limit(request: Request, route: Any, kwargs: Any, handler: Any) -> None:
            """Runs for every route once it is known and before its body is read (Sanic reads it
            before any middleware): a lower limit here makes Sanic refuse a larger body at once."""
            limit = ROUTE_MAX_BYTES.get(".".join(route.name.split(".")[-2:]))
            if limit is not None and request.stream is not None:
                request.stream.request_max_size = min(request.stream.request_max_size, limit)

        @webchat.exception(PayloadTooLarge)
        async def too_large(request: Request, exception: Exception) -> HTTPResponse:
            upload = request.path.endswith("/upload")
            return _refused("file_too_big" if upload else "too_long", _page_language(request), 413)

        @webchat.route("/", methods=["GET"])
        async def chat_page(request: Request) -> HTTPResponse:
            return response.html(page, headers=headers)

        @webchat.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webchat.route("/session", methods=["POST"])
        async def open_session(request: Request) -> HTTPResponse:
            """The page's conversation: the valid cookie's, else a new one (and its cookie)."""
            flooding = await self.flooding(self.limits.address, self.client_address(request),
                                           _page_language(request))
            if flooding:
                return flooding
            sender, token = await self.sessions.issue(request)
            answer = response.json({"sender": sender}, headers={"Cache-Control": "no-store"})
            if token:
                self.sessions.set_cookie(request, answer, token)
            return answer

        @webchat.route("/events", methods=["GET"])
        async def events(request: Request) -> Optional[HTTPResponse]:
            language = _page_language(request)
            address = self.client_address(request)
            refused = await self.flooding(self.limits.address, address, language)
            if refused:
                return refused
            try:
                sender = await self.sessions.conversation(request, request.args.get("sender"))
            except Refused as refusal:
                return _refused(refusal.code, language, refusal.status)
            ticket = await self.limits.streams.open(address)
            if ticket is None:
                return _refused("too_many_streams", language, 429)
            try:
                await stream_events(request, webchat_topic(sender),
                                    alive=lambda: self.limits.streams.renew(address, ticket))
            finally:
                await self.limits.streams.close(address, ticket)
            return None

        @webchat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            page_language = _page_language(request)
            flooding = await self.flooding(self.limits.address, self.client_address(request), page_language)
            if flooding:
                return flooding
            try:
                caller = await self.sessions.caller(request)
                inbound = parse_webchat(request.body or b"")
                sender = caller.act_for(inbound.sender)
            except (InboundError, Refused) as error:
                return _refused(error.code, page_language, error.status)
            language = language_hint(page_language) or inbound.language_hint
            flooding = await self.flooding(self.limits.sender, sender, language)
            if flooding:
                return flooding
            text = await payloads.as_user_message(inbound.text, sender, request.app.ctx.agent.tracker_store)
            text, tell = await masking.mask_message(sender, text, self.limits.backend)
            answered = await self.pass_on(request, on_new_message, sender, text, inbound.language_hint)
            if isinstance(answered, HTTPResponse):
                return answered
            messages, language = answered
            if tell:
                messages.insert(0, {"recipient_id": sender, "text": error_text(masking.NOTICE, language)})
            return response.json(messages, headers=_language_header(language))

        @webchat.route("/upload", methods=["POST"])
        async def upload(request: Request) -> HTTPResponse:
            """multipart/form-data: file, kind (optional), language (the page's, optional), sender
            (optional: the cookie's)."""
            address = self.client_address(request)
            hint = language_hint(request.form.get("language")) or _page_language(request)
            flooding = await self.flooding(self.limits.address, address, hint)
            if flooding:
                return flooding
            try:
                sender = await self.sessions.conversation(request, request.form.get("sender"))
            except Refused as refusal:
                return _refused(refusal.code, hint, refusal.status)
            flooding = await self.flooding(self.limits.sender, sender, hint)
            if flooding:
                return flooding
            sent = (request.files.get("file") if request.files else None)
            if sent is None:
                return _refused("no_file", hint, 400)
            budget = await self.limits.uploads.spend(address, len(request.body or b""))
            if not budget.allowed:
                if budget.first_refusal:
                    logger.warning("webchat: address %s over its upload budget (%g MB in %g s)", address,
                                   self.limits.uploads.rate.messages, self.limits.uploads.rate.seconds)
                return _rate_limited(budget, hint, "too_many_uploads")
            try:
                kept = await uploads.keep(sender, sent.body, sent.name, request.form.get("kind"), self.name())
            except uploads.FileRefused as refused:
                return _refused(refused.code, hint, {"file_too_big": 413, "file_type": 415}.get(refused.code, 400))
            answered = await self.pass_on(request, on_new_message, sender, uploads.upload_message(kept), hint)
            if isinstance(answered, HTTPResponse):
                return answered
            messages, language = answered
            return response.json({"file": uploads.public(kept), "messages": messages},
                                 headers=_language_header(language))

        @webchat.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            """The conversation so far, for a reloaded page: its messages and language."""
            language = _page_language(request)
            flooding = await self.flooding(self.limits.address, self.client_address(request), language)
            if flooding:
                return flooding
            try:
                sender = await self.sessions.conversation(request, request.args.get("sender"))
            except Refused as refusal:
                return _refused(refusal.code, language, refusal.status)
            tracker = await request.app.ctx.agent.tracker_store.retrieve_full_tracker(sender)
            if tracker is None:
                return response.json({"language": None, "messages": []}, headers={"Cache-Control": "no-store"})
            events = [event.as_dict() for event in tracker.events]
            return response.json({"language": tracker.get_slot("language"), "messages": transcript(events)},
                                 headers={"Cache-Control": "no-store"})

        return webchat

    def client_address(self, request: Request) -> str:
        """The address a flood is counted against (X-Forwarded-For only from CYBERCARE_TRUSTED_PROXY)."""
        return self.limits.client_address(request.ip, request.headers.get("x-forwarded-for"))

    def came_over_tls(self, request: Request) -> bool:
        """TLS to this server, or to the trusted proxy in front of it (X-Forwarded-Proto: https)."""
        if request.scheme == "https":
            return True
        forwarded = (request.headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
        return forwarded == "https" and self.limits.is_proxy(request.ip)

    async def flooding(self, limiter: RateLimiter, key: str, language: Optional[str]) -> Optional[HTTPResponse]:
        """429 when `key` (a client address, a sender) sent more than its rate: nothing is passed on."""
        verdict = await limiter.check(key)
        if verdict.allowed:
            return None
        if verdict.first_refusal:  # once per window: a flood must not flood the log too
            logger.warning("webchat: %s %s over its rate (%d in %g s), refused until the window ends",
                           limiter.scope, key, limiter.rate.messages, limiter.rate.seconds)
        return _rate_limited(verdict, language)

    async def pass_on(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str,
                      text: str, hint: Optional[str]) -> Union[HTTPResponse, Tuple[List[Dict[str, Any]], Optional[str]]]:
        """Hands the message to Rasa; (its answers, the conversation's language), or an error response."""
        collector = CollectingOutputChannel()
        metadata = {"language": hint} if hint else {}
        message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
        received_at = datetime.now(timezone.utc)
        try:
            await on_new_message(message)
        except Exception:  # the user still gets an answer; the trace goes to the log
            logger.exception("webchat: message from %s failed", sender)
            return _refused("unavailable", hint, 503)
        # In a conversation with the desk the bot is silent: the desk hears of the message, and
        # a user still waiting for an agent is told the message was kept.
        notice = await after_user_message(sender, answered=bool(collector.messages), received_at=received_at)
        if notice:
            collector.messages.append({"recipient_id": sender, "text": notice})
        language = decided_language(sender, message.message_id)  # what LanguagePolicy decided for it
        if language is None:  # no prediction ran for it (the conversation is with the desk)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
            language = tracker.get_slot("language") if tracker else hint
        return collector.messages, language


def _page_language(request: Request) -> Optional[str]:
    """The page's language: its header, else the browser's first choice among ours."""
    hint = language_hint(request.headers.get("x-chat-language"))
    if hint:
        return hint
    for part in (request.headers.get("accept-language") or "").split(","):
        hint = language_hint(part.split(";")[0].strip()[:2].lower())
        if hint:
            return hint
    return None


def _refused(code: str, language: Optional[str], status: int) -> HTTPResponse:
    return response.json({"error": code, "message": error_text(code, language)}, status=status)


def _rate_limited(verdict: Verdict, language: Optional[str], code: str = REFUSED) -> HTTPResponse:
    return response.json({"error": code, "message": error_text(code, language)}, status=429,
                         headers={"Retry-After": str(max(1, math.ceil(verdict.retry_after)))})


def _language_header(language: Optional[str]) -> Dict[str, str]:
    """The conversation's language, which the page's own texts follow."""
    return {"X-Conversation-Language": language} if language in ("nl", "fr", "en") else {}
