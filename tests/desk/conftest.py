"""The desk side of the tests: agents in the running assistant's claims store, their API client,
and a reader of server-sent events (the web chat's live messages, the consoles' notifications)."""
from __future__ import annotations

import json
import queue
import threading
from typing import Any, Dict, Optional

import pytest
import requests

from actions.claims.db import get_database
from bot.desk import agents
from tests import rasa_api


class DeskClient:
    def __init__(self, stack, token: Optional[str]) -> None:
        self.base = f"{stack.settings.rasa_url}/webhooks/desk/api/"
        self.token = token

    def headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> requests.Response:
        return requests.get(self.base + path, params=params, headers=self.headers(), timeout=30)

    def post(self, path: str, body: Any = None, data: Optional[bytes] = None) -> requests.Response:
        return requests.post(self.base + path, json=body, data=data, headers=self.headers(), timeout=60)

    def queue(self, **params: Any) -> Dict[str, Dict[str, Any]]:
        reply = self.get("queue", **params)
        assert reply.status_code == 200, reply.text
        return {item["sender_id"]: item for item in reply.json()["conversations"]}


class EventStream:
    """Reads a text/event-stream in a thread; `next()` gives the next data event as JSON."""

    def __init__(self, url: str, headers: Optional[Dict[str, str]] = None) -> None:
        self.events: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.response = requests.get(url, headers=headers or {}, stream=True, timeout=(10, 120))
        assert self.response.status_code == 200, self.response.text
        assert self.response.headers["content-type"] == "text/event-stream; charset=utf-8"
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    self.events.put(json.loads(line[len("data: "):]))
        except Exception:  # closed by the test
            pass

    def next(self, timeout: float = 60) -> Dict[str, Any]:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.response.close()


@pytest.fixture(scope="session")
def desk_agents(stack) -> Dict[str, str]:
    """Tokens of three agents: Sofie (nl, fr), Marc (en), Lotte (nl)."""
    db = get_database(stack.settings.claims_db_url)
    return {name: agents.add_agent(name, languages, db=db)
            for name, languages in (("Sofie", ("nl", "fr")), ("Marc", ("en",)), ("Lotte", ("nl",)))}


@pytest.fixture
def desk(stack, desk_agents):
    def client(name: Optional[str]) -> DeskClient:
        return DeskClient(stack, desk_agents[name] if name else None)

    return client


@pytest.fixture
def webchat_events(stack):
    streams = []

    def open_stream(sender: str) -> EventStream:
        stream = EventStream(f"{stack.settings.webchat_url}events?sender={sender}", headers=rasa_api.trusted(
            stack.settings))  # the test stands in for the page: a trusted caller may name the conversation
        streams.append(stream)
        return stream

    yield open_stream
    for stream in streams:
        stream.close()
