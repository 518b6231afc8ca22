"""A conversation's messages as the chat page and the agent desk show them, from the tracker store's events.

Pure: the web chat's history (the page reopened) and the desk's transcript both use it, so both show a pressed button
by its title and a sent file by its name."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional

EXTERNAL_PREFIX = "EXTERNAL: "
UPLOAD_PREFIX = "/upload"  # Rasa's text for intents triggered from outside (the hand-back)
MAX_TRANSCRIPT = 500  # messages; older ones stay in the tracker store


def transcript(events: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The user's, the bot's and the agents' messages, oldest first (tracker events as dicts).
    A pressed button shows as its title, a sent file as its name (with `file`), as the page showed them."""
    lines: List[Dict[str, Any]] = []
    titles: Dict[str, str] = {}  # payload -> title of the buttons of the bot's last message
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if kind not in ("user", "bot") or not isinstance(text, str) or not text.strip():
            continue
        if kind == "user" and text.startswith(EXTERNAL_PREFIX):
            continue
        line: Dict[str, Any] = {"from": kind, "text": text, "time": _iso(event.get("timestamp"))}
        if kind == "user":
            file = _uploaded(text)
            if file:
                line.update(text=file["name"], file=file)
            elif text in titles:
                line["text"] = titles[text]
        else:
            buttons = (event.get("data") or {}).get("buttons") or []
            titles = {b.get("payload"): b.get("title") for b in buttons if b.get("payload") and b.get("title")}
            if buttons:
                line["buttons"] = buttons
            agent = (event.get("metadata") or {}).get("agent")
            if agent:
                line.update({"from": "agent", "agent": agent})
        lines.append(line)
    return lines[-MAX_TRANSCRIPT:]


def _uploaded(text: str) -> Optional[Dict[str, Any]]:
    """{"name", "kind"} of a file message from a channel (bot/channels/uploads.py), else None."""
    if not text.startswith(UPLOAD_PREFIX):
        return None
    try:
        entities = json.loads(text[len(UPLOAD_PREFIX):])
    except ValueError:
        return None
    if not isinstance(entities, dict) or "file_name" not in entities:
        return None
    return {"id": entities.get("file_id"), "name": str(entities["file_name"]), "kind": entities.get("file_kind")}


def _iso(timestamp: Any) -> Optional[str]:
    if not isinstance(timestamp, (int, float)):
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat()
