"""What the desk shows an agent, as JSON: a queue item, the dossier with the coverage check's
decision and why (the transcript comes from bot/channels/transcript.py, which the chat page shows too). Pure functions of the
stored data and the agent's language."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from actions.conversation.texts import texts as declaration_texts
from actions.coverage import explain
from actions.declaration.summary import render
from actions.forms.fields import AGENT_FACTS


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
    declined = set(incident.get("declined") or [])
    for name in AGENT_FACTS.get(cover, ()):  # what the agent needs and the conversation does not hold
        label = words["fields"].get(name, {}).get(lang, name.replace("_", " "))
        if label not in facts:
            facts[label] = words["answers"]["not_known" if name in declined else "not_asked"][lang]
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
