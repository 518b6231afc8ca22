"""Rasa's HTTP API as the tests call it: always with the running stack's token (the API is never
open, not even on loopback). `settings` is the stack's (its `api_token` is the one Rasa was given)."""
from __future__ import annotations

from typing import Any, Dict, Optional

import requests


def _params(settings: Any, params: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    return {**(params or {}), "token": settings.api_token}


def get(settings: Any, path: str, params: Optional[Dict[str, Any]] = None, timeout: float = 30) -> requests.Response:
    return requests.get(f"{settings.rasa_url}{path}", params=_params(settings, params), timeout=timeout)


def post(settings: Any, path: str, json: Any = None, params: Optional[Dict[str, Any]] = None,
         timeout: float = 60) -> requests.Response:
    return requests.post(f"{settings.rasa_url}{path}", json=json, params=_params(settings, params), timeout=timeout)


def tracker(settings: Any, sender: str) -> Dict[str, Any]:
    """The conversation as Rasa holds it (slots, events)."""
    reply = get(settings, f"/conversations/{sender}/tracker")
    assert reply.status_code == 200, reply.text
    return reply.json()


def events(settings: Any, sender: str) -> list:
    return tracker(settings, sender)["events"]


def parse(settings: Any, text: str) -> Dict[str, Any]:
    reply = post(settings, "/model/parse", json={"text": text})
    assert reply.status_code == 200, reply.text
    return reply.json()


def execute(settings: Any, sender: str, action: str) -> Dict[str, Any]:
    reply = post(settings, f"/conversations/{sender}/execute", json={"name": action})
    assert reply.status_code == 200, reply.text
    return reply.json()


def trusted(settings: Any) -> Dict[str, str]:
    """The header of a trusted server-side caller of the web chat (it may name any conversation)."""
    return {"Authorization": f"Bearer {settings.api_token}"}
