"""A real HTTP server standing in for Telegram's Bot API, so the Telegram channel's outbound side is
tested over the wire: the requests python-telegram-bot really makes, decoded, and answers shaped
like Telegram's. Standard library only.
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import parse_qsl, unquote

BOT_ID = 7000000001
# Parameters that are free text: kept as sent, never JSON-decoded ("123" stays a string).
TEXT_PARAMETERS = {
    "text", "caption", "callback_query_id", "parse_mode", "photo", "document", "url",
    "inline_message_id", "business_connection_id", "message_effect_id", "secret_token", "emoji",
}


def decode_parameter(name: str, value: str) -> Any:
    """Form values arrive as strings; Telegram reads numbers, booleans and objects (reply_markup) from
    them as JSON, so do the same except for free-text parameters."""
    if name in TEXT_PARAMETERS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id "@channelname"


def decode_body(content_type: str, body: bytes) -> Dict[str, Any]:
    """Parameters of a Bot API call sent as JSON, form-urlencoded or multipart/form-data."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}
    if media_type == "application/json":
        decoded = json.loads(body.decode("utf-8"))
        return decoded if isinstance(decoded, dict) else {}
    if media_type == "multipart/form-data":
        return _decode_multipart(content_type, body)
    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    return {name: decode_parameter(name, value) for name, value in pairs}


def _decode_multipart(content_type: str, body: bytes) -> Dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body)
    parameters: Dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():  # an uploaded file: keep its size, not its bytes
            parameters[name] = {"filename": part.get_filename(), "size": len(payload)}
        else:
            parameters[name] = decode_parameter(name, payload.decode("utf-8"))
    return parameters


class FakeTelegramServer:
    """Records every Bot API call per method and answers like Telegram does."""

    def __init__(self, token: str) -> None:
        self.token = token
        self._calls: List[tuple] = []  # (method, parameters) in arrival order
        self._lock = threading.Lock()
        self._message_ids = itertools.count(1)
        self._files: Dict[str, bytes] = {}  # file_id -> content, served by getFile + /file/bot<token>/<path>
        self._server: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Binds 127.0.0.1 on a free port and serves in a background thread."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="fake-telegram", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the server first"
        return self._server.server_address[1]

    @property
    def api_base(self) -> str:
        """What Bot(token, base_url=...) needs: PTB appends the token and "/method"."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------ what was called

    def calls(self, method: str) -> List[dict]:
        """The decoded parameters of each call to `method`, in order."""
        with self._lock:
            return [params for name, params in self._calls if name == method]

    def wait_for(self, method: str, count: int, timeout: float = 30,
                 where: Optional[Callable[[dict], bool]] = None) -> List[dict]:
        """Polls until `method` was called at least `count` times (only calls `where` accepts, if
        given); returns those calls, or raises AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            calls = [c for c in self.calls(method) if where is None or where(c)]
            if len(calls) >= count:
                return calls
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"{method}: {len(calls)} call(s) after {timeout:.0f} s, expected {count}")
            time.sleep(0.05)

    def add_file(self, file_id: str, content: bytes) -> None:
        """A file a user sent to the bot: getFile(file_id) gives its path, the path its bytes."""
        with self._lock:
            self._files[file_id] = content

    @property
    def file_base(self) -> str:
        """What Bot(token, base_file_url=...) needs: PTB appends the token and "/<file_path>"."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def file_content(self, path: str) -> Optional[bytes]:
        path = unquote(path)  # PTB quotes the token's ":"
        prefix = f"/file/bot{self.token}/documents/"
        if not path.startswith(prefix):
            return None
        self.record("download", {"file_path": path[len(prefix) - len("documents/"):]})
        with self._lock:
            return self._files.get(path[len(prefix):])

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()

    # ------------------------------------------------------------ answers

    def record(self, method: str, parameters: dict) -> None:
        with self._lock:
            self._calls.append((method, parameters))

    def answer(self, path: str, parameters: dict) -> tuple:
        """(HTTP status, response body) for a call to `path` ("/bot<token>/<method>")."""
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        method = path[len(prefix):]
        self.record(method, parameters)
        result = self._result(method, parameters)
        if result is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        return 200, {"ok": True, "result": result}

    def _result(self, method: str, parameters: dict) -> Any:
        lowered = method.lower()
        if lowered == "getme":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Cyber Care",
                    "username": "CyberCareTestBot", "can_join_groups": False,
                    "can_read_all_group_messages": False, "supports_inline_queries": False}
        if lowered in ("sendmessage", "sendphoto"):
            return self._message(method, parameters)
        if lowered in ("answercallbackquery", "setwebhook", "deletewebhook", "setmycommands"):
            return True
        if lowered == "getfile":
            file_id = str(parameters.get("file_id"))
            with self._lock:
                content = self._files.get(file_id)
            if content is None:
                return None
            return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(content),
                    "file_path": f"documents/{file_id}"}
        return None

    def _message(self, method: str, parameters: dict) -> dict:
        chat_id = parameters.get("chat_id")
        message: Dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"} if isinstance(chat_id, int)
            else {"id": -1000000000001, "type": "channel", "username": str(chat_id).lstrip("@")},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Cyber Care",
                     "username": "CyberCareTestBot"},
        }
        if method.lower() == "sendmessage":
            message["text"] = parameters.get("text", "")
        else:
            message["photo"] = [{"file_id": "AgACAgQAAxk", "file_unique_id": "AQADx",
                                 "width": 320, "height": 240, "file_size": 1024}]
            if parameters.get("caption"):
                message["caption"] = parameters["caption"]
        if isinstance(parameters.get("reply_markup"), dict):
            message["reply_markup"] = parameters["reply_markup"]
        return message

    def _handler_class(self) -> type:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like Telegram; httpx reuses connections

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                try:
                    parameters = decode_body(self.headers.get("Content-Type", ""), body)
                except (ValueError, UnicodeDecodeError):
                    self._reply(400, {"ok": False, "error_code": 400,
                                      "description": "Bad Request: can't parse request body"})
                    return
                self._reply(*fake.answer(self.path.split("?", 1)[0], parameters))

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                if path.startswith("/file/"):
                    content = fake.file_content(path)
                    if content is None:
                        self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                    return
                self._reply(*fake.answer(path, dict(
                    (name, decode_parameter(name, value)) for name, value in parse_qsl(query))))

            def _reply(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the URL holds the token, and pytest output should stay readable

        return Handler
