"""What the desk shows an agent, as JSON: a queue item, the dossier with the coverage check's
decision and why, and the conversation's transcript from the tracker store. Pure functions of the
stored data and the agent's language."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional

from actions.coverage import explain
from actions.declaration.summary import render, texts as declaration_texts

EXTERNAL_PREFIX = "EXTERNAL: "
UPLOAD_PREFIX = "/upload"  # Rasa's text for intents triggered from outside (the hand-back)
MAX_TRANSCRIPT = 500  # messages; older ones stay in the tracker store


def queue_item(handoff: Mapping[str, Any], lang: str) -> Dict[str, Any]:
    """A handoff as the desk shows it: the summary in the agent's language, not all three."""
    item = {key: value for key, value in handoff.items() if key != "summaries"}
    summaries = handoff.get("summaries") or {}
    item["summary"] = summaries.get(lang) or next(iter(summaries.values()), "")
    return item


def file_item(file: Mapping[str, Any]) -> Dict[str, Any]:
    """A file as the desk lists it (never its place on disk)."""
    return {key: file.get(key) for key in ("id", "name", "kind", "content_type", "size", "reference", "created_at")}


def dossier_view(dossier: Optional[Mapping[str, Any]], lang: str) -> Optional[Dict[str, Any]]:
    """The dossier with the decision explained in the agent's language, and its facts labelled."""
    if not dossier:
        return None
    words = declaration_texts()
    decision = dossier.get("decision") or None
    incident = dict((dossier.get("case") or {}).get("incident") or dossier.get("case") or {})
    facts: Dict[str, str] = {}
    for name, value in incident.items():
        if value in (None, "", [], {}) or name in ("cover", "declined", "relation_hint"):
            continue
        label = words["fields"].get(name, {}).get(lang, name.replace("_", " "))
        try:
            facts[label] = render(name, value, lang)
        except (KeyError, TypeError, ValueError):
            facts[label] = str(value)
    cover = dossier.get("cover")
    return {
        "reference": dossier.get("reference"),
        "cover": cover,
        "cover_label": words["values"]["cover"].get(cover, {}).get(lang, cover),
        "status": dossier.get("status"),
        "decision": decision.get("decision") if decision else None,
        "explanation": explain(decision, lang) if decision else "",
        "agent_line": explain(decision, lang, audience="agent") if decision else "",
        "reasons": list(decision.get("reasons", [])) if decision else [],
        "clauses": list(decision.get("clauses", [])) if decision else [],
        "missing": [words["fields"].get(name, {}).get(lang, name) for name in (decision or {}).get("missing", [])],
        "payable_max": decision.get("payable_max") if decision else None,
        "facts": facts,
        "created_at": dossier.get("created_at"),
    }


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
