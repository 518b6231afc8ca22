"""A coverage decision in words, for the policyholder or for an agent, in nl, fr or en.

Every word comes from `explanations.yml`; this module only assembles sentences and
formats amounts (Belgian style in nl and fr) and dates (dd/mm/yyyy).
"""
from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from .engine import PAYING_DECISIONS
from .rules import Rules, load_rules

TEXTS_FILE = Path(__file__).with_name("explanations.yml")
LANGUAGES = ("nl", "fr", "en")
AUDIENCES = ("user", "agent")


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    with TEXTS_FILE.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def format_money(amount: float | Decimal, lang: str, whole: bool = False) -> str:
    """1000 -> "€ 1.000,00" (nl), "1 000,00 €" (fr), "EUR 1,000.00" (en); with `whole` and no cents,
    "€ 1.000" (a limit, as the documents write it)."""
    style = texts()["money"][lang]
    units, cents = f"{amount:,.2f}".split(".")
    written = units.replace(",", style["thousands"])
    if not (whole and cents == "00"):
        written += style["decimal"] + cents
    return style["pattern"].format(amount=written)


def format_date(iso_date: str, lang: str) -> str:
    return date.fromisoformat(iso_date).strftime(texts()["date_format"][lang])


def cover_figures(cover: str, lang: str, rules: Rules | None = None) -> dict[str, str]:
    """A cover's figures as the texts write them ({annual_amount}: "€ 5.000", {psychological_consultations_per_year}:
    "3"), from policy_rules/: so that no text states a limit of its own."""
    rules = rules or load_rules()
    cover_rules = rules.covers[cover]
    figures = {**dataclasses.asdict(cover_rules.limits), **cover_rules.service_limits}
    return {name: format_money(value, lang, whole=True) if isinstance(value, Decimal) else str(value)
            for name, value in figures.items() if value is not None}


_SAID_BY_REASON = {"police_report": "police_report_missing", "complaint_date": "complaint_missing"}


class _Phrases:
    """The texts of one language, with a cover's overrides and limits filled in."""

    def __init__(self, lang: str, cover: str, rules: Rules) -> None:
        self.lang = lang
        self.cover = cover
        limits = {**dataclasses.asdict(rules.covers[cover].limits), **rules.covers[cover].service_limits}
        self._limits = {name: format_money(value, lang) if isinstance(value, Decimal) else str(value)
                        for name, value in limits.items() if value is not None}

    def __call__(self, section: str, key: str, **values: Any) -> str:
        entries = texts()[section]
        entry = entries.get(f"{self.cover}.{key}") or entries[key]
        return entry[self.lang].format(**self._limits, **values)

    def join(self, section: str, keys: Iterable[str]) -> str:
        items = [self(section, key) for key in keys]
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + texts()["list_last_separator"][self.lang] + items[-1]


def explain(decision: Mapping[str, Any], lang: str, audience: str = "user", rules: Rules | None = None) -> str:
    """The decision of `check()` explained: reasons, amount, what is missing, from when the
    claim can be declared, what is left this insurance year. `audience` "agent" gives one
    terse line with the reason codes and the clauses."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} not one of {LANGUAGES}")
    if audience not in AUDIENCES:
        raise ValueError(f"audience {audience!r} not one of {AUDIENCES}")
    rules = rules or load_rules()
    phrases = _Phrases(lang, decision["cover"], rules)
    if audience == "agent":
        return _for_agent(decision, phrases, rules)
    return _for_user(decision, phrases)


def _for_user(decision: Mapping[str, Any], say: _Phrases) -> str:
    lang = say.lang
    cover_name = texts()["covers"][decision["cover"]][lang]
    sentences = [say("decisions", decision["decision"], cover=cover_name)]
    sentences += [say("reasons", reason) for reason in decision["reasons"]]
    if decision["payable_max"] is not None and decision["decision"] in PAYING_DECISIONS:
        sentences.append(say("sentences", "payable", amount=format_money(decision["payable_max"], lang)))
    if decision["benefits"]:
        sentences.append(say("sentences", "benefits", items=say.join("benefits", decision["benefits"])))
    # Said once: a missing piece its reason already names ("we need the PV number") is not listed again.
    missing = [item for item in decision["missing"] if _SAID_BY_REASON.get(item) not in decision["reasons"]]
    if missing:
        sentences.append(say("sentences", "missing", items=say.join("missing", missing)))
    if decision["claimable_from"]:
        sentences.append(say("sentences", "claimable_from", date=format_date(decision["claimable_from"], lang)))
    # What is left this year helps only when something is paid or provided now, not with a refusal or a wait.
    remaining = (decision["remaining"] or {}) if decision["decision"] in PAYING_DECISIONS else {}
    if "amount" in remaining:
        sentences.append(say("sentences", "remaining_amount", amount=format_money(remaining["amount"], lang)))
    if "incidents" in remaining:
        sentences.append(say("sentences", "remaining_incidents", count=remaining["incidents"]))
    return " ".join(sentences)


def _for_agent(decision: Mapping[str, Any], say: _Phrases, rules: Rules) -> str:
    """A colleague's note in the agent's language: the decision and its reasons in words, the figures, the
    clauses; no codes (the codes stay in the dossier's decision for whoever needs them)."""
    lang = say.lang
    labels = {name: label[lang] for name, label in texts()["agent_labels"].items()}
    cover_name = texts()["covers"][decision["cover"]][lang]
    parts = [f"{labels['decision']}: {texts()['decision_words'][decision['decision']][lang]} ({cover_name})",
             f"{labels['reasons']}: {' '.join(say('reasons', reason) for reason in decision['reasons'])}"]
    if decision["payable_max"] is not None:
        parts.append(f"{labels['payable']}: {format_money(decision['payable_max'], lang)}")
    if decision["missing"]:
        parts.append(f"{labels['missing']}: {say.join('missing', decision['missing'])}")
    if decision["claimable_from"]:
        parts.append(f"{labels['claimable_from']}: {format_date(decision['claimable_from'], lang)}")
    remaining = decision["remaining"] or {}
    counters = []
    if "amount" in remaining:
        counters.append(f"{labels['amount']} {format_money(remaining['amount'], lang)}")
    if "incidents" in remaining:
        counters.append(f"{labels['incidents']} {remaining['incidents']}")
    if counters:
        parts.append(f"{labels['remaining']}: {', '.join(counters)}")
    if decision["clauses"]:
        parts.append(f"{labels['clauses']}: {'; '.join(_clause_in(ref, lang, rules) for ref in decision['clauses'])}")
    return " | ".join(parts)


def _clause_in(reference: str, lang: str, rules: Rules) -> str:
    """The reference in the document of the agent's language, where there is one."""
    clause = rules.clause_by_reference(reference)
    return clause.in_language(lang) if clause else reference
