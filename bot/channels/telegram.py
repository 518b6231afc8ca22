"""Telegram: takes the Bot API's webhook updates (POST /webhooks/telegram/webhook), answers through it.

Not Rasa's built-in connector: that one checks no webhook secret and calls Telegram (setWebhook,
getMe) on every update. Here every update must carry the secret Telegram was given with
`setWebhook(url=.../webhooks/telegram/webhook, secret_token=...)`, messages go through the same checks
as the web chat (bot.channels.inbound), and one python-telegram-bot `Bot` is kept per channel.

Configuration (never in credentials.yml): TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET and
TELEGRAM_API_BASE (default https://api.telegram.org/bot), or the same keys in lower case under the
channel in credentials.yml for a local, uncommitted file.
Message texts are never logged (they can hold personal data): only chat ids and sizes.
A chat over its rate (bot.channels.rate_limit, CYBERCARE_RATE_LIMIT) is told so once per window;
its messages are not passed on, and the webhook still answers 200 (Telegram would send them again).
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import os
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Union

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit
from telegram.error import InvalidToken, TelegramError

from bot.channels import masking, outputs, payloads, uploads
from bot.channels.inbound import InboundError, clean_text, error_text, json_object, language_hint
from bot.channels.rate_limit import REFUSED, ChannelLimits
from bot.channels.relay import after_user_message

logger = logging.getLogger(__name__)
# httpx logs every request URL at INFO, and Bot API URLs contain the token; PTB logs the
# parameters (message texts) at DEBUG. Neither belongs in our logs.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("telegram").setLevel(logging.INFO)

DEFAULT_API_BASE = "https://api.telegram.org/bot"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SENDER_PREFIX = "telegram-"
MAX_TEXT_LENGTH = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096, counted in UTF-16 code units
MAX_CALLBACK_DATA = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)  # 64 bytes
MAX_UPDATE_BYTES = 1024 * 1024  # Telegram's updates are far smaller; bigger bodies are not from it
# Telegram clients send "/start" (deep links: "/start <param>") when a user opens the bot; Rasa would
# read it as an unknown intent "start".
# /language asks which language (buttons), /human asks for a person (the desk), /help greets with
# what the assistant can do. Described to BotFather by `make telegram-webhook` (telegram_setup.py).
COMMANDS = {"/start": "/greet", "/help": "/greet", "/language": "/switch_language", "/human": "/request_human"}
ChatId = Union[int, str]

# ---------------------------------------------------------------- outbound helpers

def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> List[str]:
    """Cuts `text` into pieces Telegram accepts (at most `limit` UTF-16 units each), losing nothing.

    A piece ends after a line break where one falls in its second half, else after a space, else
    mid-word; "".join(pieces) == text always.
    """
    pieces: List[str] = []
    rest = text
    while _utf16_length(rest) > limit:
        end = max(_prefix_fitting(rest, limit), 1)
        pieces.append(rest[:_break_at(rest[:end])])
        rest = rest[len(pieces[-1]):]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _break_at(head: str) -> int:
    """Where to end a piece that may be at most `head`: after a line break, a space, or at the end."""
    for separator in ("\n", " "):
        cut = head.rfind(separator) + 1
        if cut > len(head) // 2:
            return cut
    return len(head)


def _prefix_fitting(text: str, limit: int) -> int:
    """The number of characters of `text` that fit in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def callback_data_fits(payload: Any) -> bool:
    """Telegram refuses a whole message whose button data is empty or over 64 bytes."""
    return isinstance(payload, str) and 1 <= len(payload.encode("utf-8")) <= MAX_CALLBACK_DATA


def inline_keyboard(buttons: List[Dict[Text, Any]]) -> Optional[InlineKeyboardMarkup]:
    """Rasa buttons -> one inline button per row; buttons Telegram would refuse are left out."""
    rows = []
    for button in buttons:
        payload = button.get("payload")
        if not callback_data_fits(payload):
            size = len(payload.encode("utf-8")) if isinstance(payload, str) else 0
            logger.warning("telegram: button %r left out, payload is %d bytes (1-%d allowed)",
                           button.get("title"), size, MAX_CALLBACK_DATA)
            continue
        rows.append([InlineKeyboardButton(str(button.get("title") or payload), callback_data=payload)])
    return InlineKeyboardMarkup(rows) if rows else None


def file_base_of(api_base: Text) -> Text:
    """Files are downloaded from <server>/file/bot<token>/<path> when the API is <server>/bot<token>."""
    return api_base[: -len("bot")] + "file/bot" if api_base.endswith("/bot") else "https://api.telegram.org/file/bot"


def chat_id_of(recipient_id: Text) -> ChatId:
    """Our sender ids are "telegram-<chat id>"; Telegram wants the chat id back."""
    raw = recipient_id[len(SENDER_PREFIX):] if recipient_id.startswith(SENDER_PREFIX) else recipient_id
    try:
        return int(raw)
    except ValueError:
        return raw  # a public chat's @username


# ---------------------------------------------------------------- output channel

class TelegramOutput(OutputChannel):
    """Sends the bot's answers with one PTB Bot, initialized (getMe) once, on first use."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, token: Text, api_base: Text = DEFAULT_API_BASE, file_base: Optional[Text] = None) -> None:
        self.bot = Bot(token, base_url=api_base, base_file_url=file_base or file_base_of(api_base))
        self._ready = False
        self._init_lock = asyncio.Lock()

    async def ready_bot(self) -> Bot:
        """The Bot, initialized once; a failed initialization is retried on the next message."""
        if not self._ready:
            async with self._init_lock:
                if not self._ready:
                    try:
                        await self.bot.initialize()
                    except InvalidToken:
                        await self.bot.shutdown()
                        # PTB's own message quotes the token: keep it out of logs and traces.
                        raise InvalidToken("Telegram refused the bot token (TELEGRAM_TOKEN)") from None
                    except BaseException:
                        # PTB marks the bot initialized before its getMe; undo that so we retry.
                        await self.bot.shutdown()
                        raise
                    self._ready = True
        return self.bot

    async def close(self) -> None:
        if self._ready:
            await self.bot.shutdown()
            self._ready = False

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_text(chat_id_of(recipient_id), text)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self._send_text(chat_id_of(recipient_id), text, inline_keyboard(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        chat_id = chat_id_of(recipient_id)
        bot = await self.ready_bot()
        await bot.send_photo(chat_id=chat_id, photo=image)
        logger.debug("telegram: photo sent to chat %s", chat_id)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        """Custom payloads are made for other channels; only their text, if any, means something here."""
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if isinstance(text, str) and text.strip():
            await self._send_text(chat_id_of(recipient_id), text)
        else:
            logger.debug("telegram: custom message without text for chat %s not sent",
                         chat_id_of(recipient_id))

    async def answer_callback_query(self, callback_query_id: Text) -> None:
        """Stops the pressed button's spinner in the user's app."""
        bot = await self.ready_bot()
        await bot.answer_callback_query(callback_query_id)

    async def _send_text(self, chat_id: ChatId, text: Text,
                         keyboard: Optional[InlineKeyboardMarkup] = None) -> None:
        """Long texts go as several messages; the keyboard rides on the last one."""
        bot = await self.ready_bot()
        pieces = [piece for piece in split_text(text) if piece.strip()] or [text]
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            await bot.send_message(chat_id=chat_id, text=piece, reply_markup=keyboard if last else None)
        logger.debug("telegram: %d chars in %d message(s) sent to chat %s",
                     len(text), len(pieces), chat_id)


class _CountingOutput(OutputChannel):
    """Passes the bot's answers to one update on to the TelegramOutput, counting them."""

    def __init__(self, output: TelegramOutput) -> None:
        self.output = output
        self.sent = 0

    @classmethod
    def name(cls) -> Text:
        return TelegramOutput.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.output.send_response(recipient_id, message)


# ---------------------------------------------------------------- input channel

def _user_language(user: Optional[User]) -> Optional[str]:
    """The Telegram app's language ("fr", "en-GB", "nl-BE"...), when it is one of ours."""
    code = user.language_code if user else None
    return language_hint(code[:2].lower()) if isinstance(code, str) else None


def _query_chat_id(query: CallbackQuery) -> ChatId:
    """The message with the button carries the chat; private chats share the user's id."""
    return query.message.chat.id if query.message is not None else query.from_user.id


def _parse_update(body: bytes) -> Update:
    """The request body as a Telegram Update; InboundError ("too_long", "malformed") when it is not one."""
    payload = json_object(body, MAX_UPDATE_BYTES)
    try:
        return Update.de_json(payload, None)
    except Exception:  # missing or mistyped fields: PTB raises KeyError, TypeError, ValueError...
        raise InboundError("malformed")


def _command_to_payload(text: str) -> str:
    """Telegram commands ("/start", "/start@CyberCareBot deep-link") -> our intent payloads."""
    command = text.split(maxsplit=1)[0].split("@", 1)[0].lower() if text.startswith("/") else ""
    return COMMANDS.get(command, text)


class TelegramInput(InputChannel):
    """Telegram webhook: checks the secret, turns updates into user messages for Rasa."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        credentials = credentials or {}

        def setting(key: str) -> Optional[str]:
            return credentials.get(key) or os.environ.get(f"TELEGRAM_{key.upper()}") or None

        return cls(setting("token"), setting("webhook_secret"), setting("api_base") or DEFAULT_API_BASE,
                   setting("file_base"))

    def __init__(self, token: Optional[Text], webhook_secret: Optional[Text],
                 api_base: Text = DEFAULT_API_BASE, file_base: Optional[Text] = None) -> None:
        self.webhook_secret = webhook_secret
        # Read when the server starts: a malformed setting stops it here, not at a user's message.
        self.limits = ChannelLimits.from_env()
        self.tracker_store: Optional[Any] = None  # the running agent's, set on the first update
        self.output: Optional[TelegramOutput] = (
            TelegramOutput(token, api_base, file_base) if token and webhook_secret else None
        )
        if self.output is not None:  # the agent desk's replies go out through it (outputs.py)
            outputs.register("telegram", self.output)
        if self.output is None:
            logger.warning("telegram: TELEGRAM_TOKEN or TELEGRAM_WEBHOOK_SECRET missing, "
                           "the webhook refuses all updates")

    @property
    def configured(self) -> bool:
        return self.output is not None

    def get_output_channel(self) -> Optional[OutputChannel]:
        return self.output

    def secret_matches(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER) or ""
        return bool(self.webhook_secret) and hmac.compare_digest(
            given.encode("utf-8"), str(self.webhook_secret).encode("utf-8"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("telegram", __name__)

        @telegram.listener("after_server_stop")
        async def close_bot(app: Any, loop: Any) -> None:
            if self.output:
                await self.output.close()

        @telegram.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.configured})

        @telegram.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.json({"error": "not_configured"}, status=503)
            if not self.secret_matches(request):
                logger.warning("telegram: update refused, wrong or missing secret token")
                return response.json({"error": "forbidden"}, status=403)
            self.tracker_store = request.app.ctx.agent.tracker_store
            try:
                update = _parse_update(request.body or b"")
            except InboundError as error:
                return response.json({"error": error.code}, status=error.status)
            status = await self.handle_update(update, on_new_message)
            # Always 200 once the update is ours: anything else makes Telegram send it again.
            return response.json({"status": status})

        return telegram

    async def handle_update(self, update: Update,
                            on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        """Dispatches an update; returns what was done with it (for logs and tests)."""
        if update.callback_query is not None:
            query = update.callback_query
            if await self.flooded(_query_chat_id(query), _user_language(query.from_user)):
                return "rate_limited"
            return await self.handle_callback_query(update, on_new_message)
        if update.message is not None:
            if await self.flooded(update.message.chat.id, _user_language(update.message.from_user)):
                return "rate_limited"
            return await self.handle_message(update.message, on_new_message)
        logger.debug("telegram: update %s of another kind ignored", update.update_id)
        return "ignored"

    async def handle_message(self, message: Message,
                             on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        chat_id = message.chat.id
        lang = _user_language(message.from_user)
        if message.text is None:
            if message.photo or message.document:
                return await self.handle_file(message, lang, on_new_message)
            if message.effective_attachment is None:  # service message: member joined, pinned...
                return "ignored"
            await self.reply_error(chat_id, "not_text", lang)
            return "refused"
        try:
            text = clean_text(message.text)
        except InboundError as error:
            logger.info("telegram: message from chat %s refused (%s, %d chars)",
                        chat_id, error.code, len(message.text))
            await self.reply_error(chat_id, error.code, lang)
            return "refused"
        payload = _command_to_payload(text)
        tell = False
        if payload == text:  # not one of our commands: typed text, never an intent, personal numbers masked
            payload = await payloads.as_user_message(text, f"{SENDER_PREFIX}{chat_id}", self.tracker_store)
            payload, tell = await masking.mask_message(f"{SENDER_PREFIX}{chat_id}", payload, self.limits.backend)
        if tell:
            await self.reply_error(chat_id, masking.NOTICE, lang)
        await self.pass_on(payload, chat_id, lang, on_new_message)
        return "processed"

    async def handle_file(self, message: Message, lang: Optional[str],
                          on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        """A photo or a document: fetched once with getFile, kept like a web upload, passed on."""
        chat_id = message.chat.id
        if message.photo:  # Telegram sends several sizes: the largest is last
            item, name, kind = message.photo[-1], f"photo-{message.message_id}.jpg", "photo"
        else:
            item, name, kind = message.document, message.document.file_name, "other"
        kind = uploads.kind_from_words(message.caption, kind)
        if item.file_size and item.file_size > uploads.MAX_BYTES:  # not even downloaded
            await self.reply_error(chat_id, "file_too_big", lang)
            return "refused"
        try:
            bot = await self.output.ready_bot()
            data = bytes(await (await bot.get_file(item.file_id)).download_as_bytearray())
        except TelegramError:
            logger.exception("telegram: file from chat %s could not be fetched", chat_id)
            await self.reply_error(chat_id, "unavailable", lang)
            return "refused"
        try:
            kept = await uploads.keep(f"{SENDER_PREFIX}{chat_id}", data, name, kind, self.name())
        except uploads.FileRefused as refused:
            logger.info("telegram: file from chat %s refused (%s)", chat_id, refused.code)
            await self.reply_error(chat_id, refused.code, lang)
            return "refused"
        await self.pass_on(uploads.upload_message(kept), chat_id, lang, on_new_message)
        return "processed"

    async def handle_callback_query(self, update: Update,
                                    on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        """A pressed inline button: its data is the Rasa payload the button was made with."""
        query = update.callback_query
        assert self.output is not None and query is not None
        try:
            await self.output.answer_callback_query(query.id)
        except TelegramError:
            logger.warning("telegram: answerCallbackQuery failed for query from user %s",
                           query.from_user.id, exc_info=True)
        chat_id = _query_chat_id(query)
        lang = _user_language(query.from_user)
        try:
            payload = clean_text(query.data)
        except InboundError:
            logger.info("telegram: button press without data from chat %s ignored", chat_id)
            return "ignored"
        # Only data of a button the bot sent is an intent (a client can send any callback data), and
        # any other is text like any other: personal numbers masked.
        payload = await payloads.as_user_message(payload, f"{SENDER_PREFIX}{chat_id}", self.tracker_store)
        payload, tell = await masking.mask_message(f"{SENDER_PREFIX}{chat_id}", payload, self.limits.backend)
        if tell:
            await self.reply_error(chat_id, masking.NOTICE, lang)
        await self.pass_on(payload, chat_id, lang, on_new_message)
        return "processed"

    async def flooded(self, chat_id: ChatId, lang: Optional[str]) -> bool:
        """True when the chat sent more than its rate: nothing is passed on, and the chat is told once
        per window (an answer to every flooded message would be a flood of our own)."""
        verdict = await self.limits.sender.check(f"{SENDER_PREFIX}{chat_id}")
        if verdict.allowed:
            return False
        if verdict.first_refusal:
            logger.warning("telegram: chat %s over its rate (%d in %g s), refused until the window ends",
                           chat_id, self.limits.sender.rate.messages, self.limits.sender.rate.seconds)
            await self.reply_error(chat_id, REFUSED, lang)
        return True

    async def pass_on(self, text: str, chat_id: int, lang: Optional[str],
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Hands the message to Rasa; on failure the user is told, the trace goes to the log."""
        metadata: Dict[str, Any] = {"telegram_chat_id": chat_id}
        if lang:
            metadata["language"] = lang
        sender = f"{SENDER_PREFIX}{chat_id}"
        output = _CountingOutput(self.output)
        received_at = datetime.now(timezone.utc)
        try:
            await on_new_message(UserMessage(text, output, sender,
                                             input_channel=self.name(), metadata=metadata))
        except Exception:
            logger.exception("telegram: message from chat %s (%d chars) failed", chat_id, len(text))
            await self.reply_error(chat_id, "unavailable", lang)
            return
        # In a conversation with the desk the bot is silent: the desk hears of the message, and a
        # user still waiting for an agent is told it was kept.
        notice = await after_user_message(sender, answered=output.sent > 0, received_at=received_at)
        if notice:
            try:
                await self.output.send_text_message(sender, notice)
            except TelegramError:
                logger.exception("telegram: could not send the waiting notice to chat %s", chat_id)

    async def reply_error(self, chat_id: int, code: str, lang: Optional[str]) -> None:
        """Tells the user why their message was not passed on (texts in messages.yml)."""
        assert self.output is not None
        try:
            await self.output.send_text_message(f"{SENDER_PREFIX}{chat_id}", error_text(code, lang))
        except TelegramError:
            logger.exception("telegram: could not send the %s notice to chat %s", code, chat_id)
