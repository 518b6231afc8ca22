"""The agent desk as a Rasa input channel: /webhooks/desk/ (console) and /webhooks/desk/api/ (API).

Every API call needs `Authorization: Bearer <token>` (see agents.py): 401 without a known token.
An agent sees, claims and answers only conversations in their languages; another language's
conversation is "not found" to them, not "forbidden", so its existence does not leak.

    GET  api/me                                  the agent
    GET  api/queue?language=&status=             handoffs (default: waiting and claimed)
    GET  api/events                              server-sent events: a conversation in the agent's
                                                 languages changed (no other is ever named)
    POST api/conversations/<sender>/claim        take it (409 when another agent has it)
    GET  api/conversations/<sender>              handoff, dossier, files, transcript: only while
                                                 its hand-off is open (waiting or claimed)
    GET  api/conversations/<sender>/files/<id>   a file the user sent (as an attachment)
    POST api/conversations/<sender>/messages     {"text": ...} to the user, in their channel
    POST api/conversations/<sender>/release      hand back to the bot (ConversationResumed)

An agent's message is stored in the tracker as a bot message with `metadata.agent`, so the
transcript, the GDPR export and a reloaded page all have it.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import quote

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, ConversationPaused, ConversationResumed
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.claims import files, handoffs, store
from bot.channels import relay
from bot.channels.inbound import InboundError, clean_text, error_text, json_object
from bot.channels.page_headers import page_headers
from bot.channels.push import DESK_TOPIC, stream_events
from bot.channels.transcript import transcript

from . import agents, views

logger = logging.getLogger(__name__)

CONSOLE = Path(__file__).with_name("static") / "console.html"
HAND_BACK_INTENT = "EXTERNAL_hand_back"
STATUSES = ("waiting", "claimed", "closed")
MAX_AGENT_MESSAGE_CHARS = 4000


def _error(status: int, code: str, **extra: Any) -> HTTPResponse:
    return response.json({"error": code, **extra}, status=status)


class DeskInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "desk"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        desk = Blueprint("desk", __name__)
        console = CONSOLE.read_text(encoding="utf-8") if CONSOLE.exists() else "<!doctype html><title>Desk</title>"
        console_headers = page_headers(console)

        async def authorized(request: Request) -> Optional[agents.Agent]:
            header = request.headers.get("authorization") or ""
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer":
                return None
            return await asyncio.to_thread(agents.agent_for_token, token.strip())

        def api(handler: Callable[..., Awaitable[HTTPResponse]]) -> Callable[..., Awaitable[HTTPResponse]]:
            """Authentication and the agent's view of errors for every API route."""
            async def wrapped(request: Request, **kwargs: Any) -> HTTPResponse:
                agent = await authorized(request)
                if agent is None:
                    return response.json({"error": "unauthorized"}, status=401,
                                         headers={"WWW-Authenticate": "Bearer"})
                try:
                    return await handler(request, agent, **kwargs)
                except handoffs.NoHandoff:
                    return _error(404, "not_found")
                except handoffs.HandoffConflict as conflict:
                    return _error(409, conflict.code, agent=conflict.handoff.get("agent"),
                                  handoff_status=conflict.handoff.get("status"))
            wrapped.__name__ = handler.__name__
            return wrapped

        @desk.route("/", methods=["GET"])
        async def console_page(request: Request) -> HTTPResponse:
            return response.html(console, headers=console_headers)

        @desk.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @desk.route("/api/me", methods=["GET"])
        @api
        async def me(request: Request, agent: agents.Agent) -> HTTPResponse:
            return response.json({"name": agent.name, "languages": list(agent.languages)})

        @desk.route("/api/queue", methods=["GET"])
        @api
        async def queue(request: Request, agent: agents.Agent) -> HTTPResponse:
            languages = [lang for lang in agent.languages if lang == request.args.get("language", lang)]
            wanted = request.args.get("status")
            if wanted is not None and wanted not in STATUSES:
                return _error(400, "bad_status", allowed=list(STATUSES))
            statuses = (wanted,) if wanted else handoffs.OPEN
            rows = await asyncio.to_thread(handoffs.queue, languages, statuses)
            lang = agent.languages[0]
            return response.json({"conversations": [views.queue_item(row, lang) for row in rows]})

        @desk.route("/api/events", methods=["GET"])
        async def events(request: Request) -> Optional[HTTPResponse]:
            agent = await authorized(request)
            if agent is None:
                return response.json({"error": "unauthorized"}, status=401)

            def in_languages(event: Dict[str, Any]) -> Optional[Dict[str, Any]]:
                # Another language's conversation does not exist for this agent, not even its id.
                return event if event.get("language") in agent.languages else None

            await stream_events(request, DESK_TOPIC, only=in_languages)
            return None

        @desk.route("/api/conversations/<sender_id:str>", methods=["GET"])
        @api
        async def conversation(request: Request, agent: agents.Agent, sender_id: str) -> HTTPResponse:
            # Only while it is with the desk: a closed hand-off's conversation is the bot's again.
            handoff = await asyncio.to_thread(handoffs.handoff_of, sender_id, agent.languages, open_only=True)
            lang = agent.languages[0]
            dossier = await asyncio.to_thread(store.get_dossier, handoff["reference"]) if handoff["reference"] else None
            tracker = await request.app.ctx.agent.tracker_store.retrieve_full_tracker(sender_id)
            events = [event.as_dict() for event in tracker.events] if tracker else []
            kept = await asyncio.to_thread(files.files_of, sender_id, handoff["reference"])
            return response.json({"conversation": views.queue_item(handoff, lang),
                                  "dossier": views.dossier_view(dossier, lang),
                                  "files": [views.file_item(file) for file in kept],
                                  "transcript": transcript(events)})

        @desk.route("/api/conversations/<sender_id:str>/files/<file_id:int>", methods=["GET"])
        @api
        async def file(request: Request, agent: agents.Agent, sender_id: str, file_id: int) -> HTTPResponse:
            """A file of the conversation, for an agent who may see it; downloaded, never rendered."""
            handoff = await asyncio.to_thread(handoffs.handoff_of, sender_id, agent.languages, open_only=True)
            kept = next((f for f in await asyncio.to_thread(files.files_of, sender_id, handoff["reference"])
                         if f["id"] == file_id), None)
            if kept is None:
                return _error(404, "not_found")
            data = await asyncio.to_thread(files.read_bytes, kept)
            return response.raw(data, content_type=kept["content_type"], headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(kept['name'])}",
                "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

        @desk.route("/api/conversations/<sender_id:str>/claim", methods=["POST"])
        @api
        async def claim(request: Request, agent: agents.Agent, sender_id: str) -> HTTPResponse:
            before = await asyncio.to_thread(handoffs.handoff_of, sender_id, agent.languages)
            handoff = await asyncio.to_thread(handoffs.claim, sender_id, agent.name, agent.languages)
            if before["status"] == "waiting":  # taken now (not claimed again): the person speaks from here
                await self.take_over(request.app.ctx.agent, sender_id, handoff, agent.name)
            await relay.conversation_changed(sender_id, handoff["language"])
            return response.json({"conversation": views.queue_item(handoff, agent.languages[0])})

        @desk.route("/api/conversations/<sender_id:str>/messages", methods=["POST"])
        @api
        async def message(request: Request, agent: agents.Agent, sender_id: str) -> HTTPResponse:
            handoff = await asyncio.to_thread(handoffs.claimed_by, sender_id, agent.name, agent.languages)
            try:
                payload = json_object(request.body or b"")
                text = clean_text(payload.get("text"))
            except InboundError as error:
                return _error(error.status, error.code, message=error_text(error.code, agent.languages[0]))
            rasa_agent = request.app.ctx.agent
            bot_message = BotUttered(text, metadata={"agent": agent.name})
            async with rasa_agent.lock_store.lock(sender_id):
                tracker = await rasa_agent.processor.get_tracker(sender_id)
                tracker.update(bot_message)
                await rasa_agent.processor.save_tracker(tracker)
            try:
                live = await relay.send_agent_message(sender_id, handoff["channel"], agent.name, text)
            except Exception:  # kept in the transcript; the agent is told it did not go out
                logger.exception("agent message to a %s user could not be sent", handoff["channel"])
                return _error(502, "not_delivered")
            await relay.conversation_changed(sender_id, handoff["language"])
            line = transcript([bot_message.as_dict()])[0]
            return response.json({"message": line, "live": live})

        @desk.route("/api/conversations/<sender_id:str>/release", methods=["POST"])
        @api
        async def release(request: Request, agent: agents.Agent, sender_id: str) -> HTTPResponse:
            handoff = await asyncio.to_thread(handoffs.close, sender_id, agent.name, agent.languages)
            await self.hand_back(request.app.ctx.agent, sender_id, handoff["channel"])
            await relay.conversation_changed(sender_id, handoff["language"])
            return response.json({"conversation": views.queue_item(handoff, agent.languages[0])})

        return desk

    @staticmethod
    async def take_over(rasa_agent: Any, sender_id: str, handoff: Dict[str, Any], agent_name: str) -> None:
        """The bot stops answering (ConversationPaused) and the user is told who takes over; the line is
        kept in the conversation, so the transcript and a reloaded page have it."""
        text = error_text("agent_joined", handoff["language"]).format(agent=agent_name)
        async with rasa_agent.lock_store.lock(sender_id):
            tracker = await rasa_agent.processor.get_tracker(sender_id)
            tracker.update(ConversationPaused())
            tracker.update(BotUttered(text, metadata={"agent": agent_name}))
            await rasa_agent.processor.save_tracker(tracker)
        try:
            await relay.tell_user(sender_id, handoff["channel"], text)
        except Exception:  # in the transcript; the user sees it on their next visit
            logger.exception("the take-over could not be told to a %s user", handoff["channel"])

    @staticmethod
    async def hand_back(rasa_agent: Any, sender_id: str, channel: str) -> None:
        """Resumes the bot and lets it speak first: the agent has finished, prevention tips."""
        try:
            output = relay.output_for(channel)
        except relay.ChannelUnavailable:
            output = relay.output_for("webchat")  # the tracker still gets the messages
        async with rasa_agent.lock_store.lock(sender_id):
            tracker = await rasa_agent.processor.fetch_tracker_and_update_session(sender_id)
            tracker.update(ConversationResumed())
            await rasa_agent.trigger_intent(HAND_BACK_INTENT, [], output, tracker)
