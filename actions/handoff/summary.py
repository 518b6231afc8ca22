"""The three lines an agent reads first, in each desk language: who and what, the decision and
why (the coverage check's agent line, with clauses), why the conversation was handed over and
what is missing. Pure; words from texts.yml and the declaration's texts."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional

import yaml

from actions.conversation.texts import texts as declaration_texts
from actions.coverage import explain
from actions.coverage.explain import format_date, format_money

LANGUAGES = ("nl", "fr", "en")
DATE_FIELDS = ("occurred_on", "order_date", "started_on", "delivery_date")


@lru_cache(maxsize=1)
def texts() -> Dict[str, Any]:
    return yaml.safe_load(Path(__file__).with_name("texts.yml").read_text(encoding="utf-8"))


def summaries(*, reason: str, policy: Optional[Mapping[str, Any]], cover: Optional[str],
              facts: Mapping[str, Any], decision: Optional[Mapping[str, Any]],
              reference: Optional[str], filed: bool) -> Dict[str, str]:
    """{"nl": "3 lines", "fr": ..., "en": ...}."""
    return {lang: "\n".join((_who_what(policy, cover, facts, lang),
                             _decision(decision, reference, filed, lang),
                             _why(reason, decision, lang)))
            for lang in LANGUAGES}


def _who_what(policy: Optional[Mapping[str, Any]], cover: Optional[str], facts: Mapping[str, Any], lang: str) -> str:
    t, words = texts(), declaration_texts()
    who = f"{policy['name']} ({policy['policy_number']})" if policy else t["not_identified"][lang]
    if cover not in words["values"]["cover"]:
        return f"{who} · {t['no_incident'][lang]}"
    what = words["values"]["cover"][cover][lang]
    if facts.get("kind") in words["values"]["kind"]:
        what += f" ({words['values']['kind'][facts['kind']][lang]})"
    parts = [who, what]
    if isinstance(facts.get("amount"), (int, float)):
        parts.append(format_money(float(facts["amount"]), lang))
    day = next((facts[name] for name in DATE_FIELDS if facts.get(name)), None)
    if day:
        parts.append(format_date(day, lang))
    return " · ".join(parts)


def _decision(decision: Optional[Mapping[str, Any]], reference: Optional[str], filed: bool, lang: str) -> str:
    t = texts()
    if decision and filed:
        return f"{reference}: {explain(decision, lang, audience='agent')}"
    if reference:
        return t["draft"][lang].format(reference=reference)
    return t["no_dossier"][lang]


def _why(reason: str, decision: Optional[Mapping[str, Any]], lang: str) -> str:
    t, words = texts(), declaration_texts()
    line = t["reasons"][reason][lang]
    missing = [words["fields"].get(name, {}).get(lang, name) for name in (decision or {}).get("missing", [])]
    if missing:
        line += f". {t['missing'][lang]}: {', '.join(missing)}"
    return line
