"""The web chat: serves the chat page and takes its messages (POST /webhooks/webchat/webhook).

Like Rasa's REST channel, but every message is checked first (bot.channels.inbound), and the
page's language travels as metadata, a hint LanguagePolicy uses when the text is unclear.
Messages that do not answer the page's request (an agent's replies, the bot after the hand-back)
come as server-sent events: GET /webhooks/webchat/events?sender=<id> (bot.channels.push).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.inbound import SENDER_PATTERN, InboundError, error_text, parse_webchat
from bot.channels.push import stream_events, webchat_topic
from bot.desk.relay import after_user_message

logger = logging.getLogger(__name__)
PAGE = Path(__file__).with_name("static") / "webchat.html"


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat", __name__)
        page = PAGE.read_text(encoding="utf-8")

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
            try:
                inbound = parse_webchat(request.body or b"")
            except InboundError as error:
                return response.json(
                    {"error": error.code, "message": error_text(error.code, page_language)},
                    status=error.status,
                )
            collector = CollectingOutputChannel()
            metadata = {"language": inbound.language_hint} if inbound.language_hint else {}
            try:
                await on_new_message(
                    UserMessage(inbound.text, collector, inbound.sender,
                                input_channel=self.name(), metadata=metadata)
                )
            except Exception:  # the user still gets an answer; the trace goes to the log
                logger.exception("webchat: message from %s failed", inbound.sender)
                code = "unavailable"
                return response.json(
                    {"error": code, "message": error_text(code, inbound.language_hint)}, status=503
                )
            # In a conversation with the desk the bot is silent: the desk hears of the message, and
            # a user still waiting for an agent is told the message was kept.
            notice = await after_user_message(inbound.sender, answered=bool(collector.messages))
            if notice:
                collector.messages.append({"recipient_id": inbound.sender, "text": notice})
            return response.json(collector.messages)

        return webchat
