"""The web chat: serves the chat page and takes its messages (POST /webhooks/webchat/webhook).

Like Rasa's REST channel, but every message is checked first (bot.channels.inbound), and the
page's language travels as metadata, a hint LanguagePolicy uses when the text is unclear.
Messages that do not answer the page's request (an agent's replies, the bot after the hand-back)
come as server-sent events: GET /webhooks/webchat/events?sender=<id> (bot.channels.push).
Flooding (bot.channels.rate_limit): /webhook and /upload answer 429 to a client address, then to a
sender, over its rate; the page puts the refused text back in the box.
"""
from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple, Union

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_speedups
from bot.channels import masking, payloads, uploads
from bot.channels.inbound import SENDER_PATTERN, InboundError, error_text, language_hint, parse_webchat
from bot.channels.push import stream_events, webchat_topic
from bot.channels.rate_limit import REFUSED, ChannelLimits, RateLimiter, Verdict
from bot.desk.relay import after_user_message
from bot.dialogue.language_policy import decided_language
from bot.desk.views import transcript

logger = logging.getLogger(__name__)
# The web chat is in every Rasa server of ours (credentials.yml): Rasa's own hot spots are corrected here.
rasa_speedups.apply()
PAGE = Path(__file__).with_name("static") / "webchat.html"


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def __init__(self) -> None:
        # Read when the server starts: a malformed setting stops it here, not at a user's message.
        self.limits = ChannelLimits.from_env()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat", __name__)
        page = PAGE.read_text(encoding="utf-8")

        @webchat.listener("after_server_start")
        async def model_loaded(app, loop) -> None:  # Rasa loads the model before the server starts
            rasa_speedups.freeze_startup_objects()

        @webchat.route("/", methods=["GET"])
        async def chat_page(request: Request) -> HTTPResponse:
            return response.html(page, headers={"Cache-Control": "no-cache"})

        @webchat.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webchat.route("/events", methods=["GET"])
        async def events(request: Request) -> Optional[HTTPResponse]:
            sender = request.args.get("sender") or ""
            if not SENDER_PATTERN.match(sender):
                return response.json({"error": "bad_sender"}, status=400)
            await stream_events(request, webchat_topic(sender))
            return None

        @webchat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            page_language = request.headers.get("x-chat-language")
            flooding = await self.flooding(self.limits.address, self.client_address(request), page_language)
            if flooding:
                return flooding
            try:
                inbound = parse_webchat(request.body or b"")
            except InboundError as error:
                return response.json(
                    {"error": error.code, "message": error_text(error.code, page_language)},
                    status=error.status,
                )
            language = language_hint(page_language) or inbound.language_hint
            flooding = await self.flooding(self.limits.sender, inbound.sender, language)
            if flooding:
                return flooding
            text = await payloads.as_user_message(inbound.text, inbound.sender,
                                                  request.app.ctx.agent.tracker_store)
            text, tell = await masking.mask_message(inbound.sender, text, self.limits.backend)
            answered = await self.pass_on(request, on_new_message, inbound.sender, text, inbound.language_hint)
            if isinstance(answered, HTTPResponse):
                return answered
            messages, language = answered
            if tell:
                messages.insert(0, {"recipient_id": inbound.sender, "text": error_text(masking.NOTICE, language)})
            return response.json(messages, headers=_language_header(language))

        @webchat.route("/upload", methods=["POST"])
        async def upload(request: Request) -> HTTPResponse:
            """multipart/form-data: sender, file, kind (optional), language (the page's, optional)."""
            flooding = await self.flooding(self.limits.address, self.client_address(request),
                                           request.headers.get("x-chat-language"))
            if flooding:
                return flooding
            hint = (language_hint(request.form.get("language"))
                    or language_hint(request.headers.get("x-chat-language")))
            sender = request.form.get("sender") or ""
            sent = (request.files.get("file") if request.files else None)
            if not SENDER_PATTERN.match(sender):
                return _refused("bad_sender", hint, 400)
            flooding = await self.flooding(self.limits.sender, sender, hint)
            if flooding:
                return flooding
            if sent is None:
                return _refused("no_file", hint, 400)
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
            sender = request.args.get("sender") or ""
            if not SENDER_PATTERN.match(sender):
                return response.json({"error": "bad_sender"}, status=400)
            tracker = await request.app.ctx.agent.tracker_store.retrieve_full_tracker(sender)
            if tracker is None:
                return response.json({"language": None, "messages": []})
            events = [event.as_dict() for event in tracker.events]
            return response.json({"language": tracker.get_slot("language"), "messages": transcript(events)})

        return webchat

    def client_address(self, request: Request) -> str:
        """The address a flood is counted against (X-Forwarded-For only from CYBERCARE_TRUSTED_PROXY)."""
        return self.limits.client_address(request.ip, request.headers.get("x-forwarded-for"))

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
        try:
            await on_new_message(message)
        except Exception:  # the user still gets an answer; the trace goes to the log
            logger.exception("webchat: message from %s failed", sender)
            return _refused("unavailable", hint, 503)
        # In a conversation with the desk the bot is silent: the desk hears of the message, and
        # a user still waiting for an agent is told the message was kept.
        notice = await after_user_message(sender, answered=bool(collector.messages))
        if notice:
            collector.messages.append({"recipient_id": sender, "text": notice})
        language = decided_language(sender, message.message_id)  # what LanguagePolicy decided for it
        if language is None:  # no prediction ran for it (the conversation is with the desk)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
            language = tracker.get_slot("language") if tracker else hint
        return collector.messages, language


def _refused(code: str, language: Optional[str], status: int) -> HTTPResponse:
    return response.json({"error": code, "message": error_text(code, language)}, status=status)


def _rate_limited(verdict: Verdict, language: Optional[str]) -> HTTPResponse:
    return response.json({"error": REFUSED, "message": error_text(REFUSED, language)}, status=429,
                         headers={"Retry-After": str(max(1, math.ceil(verdict.retry_after)))})


def _language_header(language: Optional[str]) -> Dict[str, str]:
    """The conversation's language, which the page's own texts follow."""
    return {"X-Conversation-Language": language} if language in ("nl", "fr", "en") else {}
