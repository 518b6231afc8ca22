"""What the desk shows an agent, as JSON: a queue item, the dossier with the coverage check's
decision and why, and the conversation's transcript from the tracker store. Pure functions of the
stored data and the agent's language."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional

from actions.coverage import explain
from actions.declaration.summary import render, texts as declaration_texts

EXTERNAL_PREFIX = "EXTERNAL: "  # Rasa's text for intents triggered from outside (the hand-back)
MAX_TRANSCRIPT = 500  # messages; older ones stay in the tracker store


def queue_item(handoff: Mapping[str, Any], lang: str) -> Dict[str, Any]:
    """A handoff as the desk shows it: the summary in the agent's language, not all three."""
    item = {key: value for key, value in handoff.items() if key != "summaries"}
    summaries = handoff.get("summaries") or {}
    item["summary"] = summaries.get(lang) or next(iter(summaries.values()), "")
    return item


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
    """The user's, the bot's and the agents' messages, oldest first (tracker events as dicts)."""
    lines: List[Dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if kind not in ("user", "bot") or not isinstance(text, str) or not text.strip():
            continue
        if kind == "user" and text.startswith(EXTERNAL_PREFIX):
            continue
        line: Dict[str, Any] = {"from": kind, "text": text, "time": _iso(event.get("timestamp"))}
        agent = (event.get("metadata") or {}).get("agent")
        if kind == "bot" and agent:
            line.update({"from": "agent", "agent": agent})
        lines.append(line)
    return lines[-MAX_TRANSCRIPT:]


def _iso(timestamp: Any) -> Optional[str]:
    if not isinstance(timestamp, (int, float)):
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat()
