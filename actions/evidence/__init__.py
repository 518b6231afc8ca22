"""Evidence from free text (contract: shared/policy/EVIDENCE_SPEC.md): dates, amounts, police report
references, web addresses and the goods category of what was bought, in nl, fr and en. Pure: no Rasa,
no network, no clock (`today` is an input).

    >>> from actions.evidence import extract
    >>> extract("ik heb op 2 oktober een robotstofzuiger van 329 euro besteld", "nl", date(2026, 11, 24)).to_json()
    {'dates': ['2026-10-02'], 'amounts': [329.0], 'police_report': None, 'urls': [], 'goods_category': 'appliances'}

The single-purpose functions below are what the dialogue's form validators call on one answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Dict, List, Optional

from .amounts import amounts_in, negative_amount_in
from .dates import find_dates
from .goods import GoodsRulesError, goods_category_in, is_excluded_goods
from .references import police_report_in, urls_in
from .text import LANGUAGES

__all__ = ["Evidence", "GoodsRulesError", "LANGUAGES", "amounts_in", "dates_in", "extract", "future_dates_in",
           "goods_category_in", "is_excluded_goods", "negative_amount_in", "police_report_in", "urls_in",
           "warm_up"]


def dates_in(text: str, lang: str, today: date) -> List[date]:
    """Days of past (or today's) events in `text`, in order of appearance. A day written without a year is
    its most recent occurrence on or before `today`; "the 12th" / "le 12" / "op de 12de" the most recent 12th."""
    return [found.day for found in find_dates(text, lang, today) if not found.future]


def future_dates_in(text: str, lang: str, today: date) -> List[date]:
    """Days after `today` that `text` names ("morgen", "next week", "30/12/2026"): not those of a past event;
    the caller says that the date is in the future instead of moving it."""
    return [found.day for found in find_dates(text, lang, today) if found.future]


@dataclass(frozen=True)
class Evidence:
    dates: List[date] = field(default_factory=list)
    amounts: List[Decimal] = field(default_factory=list)
    police_report: Optional[str] = None
    urls: List[str] = field(default_factory=list)
    goods_category: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        """The spec's JSON object: ISO dates, amounts as numbers."""
        return {"dates": [d.isoformat() for d in self.dates], "amounts": [float(a) for a in self.amounts],
                "police_report": self.police_report, "urls": list(self.urls), "goods_category": self.goods_category}


def extract(text: str, lang: str, today: date) -> Evidence:
    """All the evidence in one message. `lang` is one of LANGUAGES (ValueError otherwise)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} not one of {', '.join(LANGUAGES)}")
    return Evidence(dates=dates_in(text, lang, today), amounts=amounts_in(text, lang),
                    police_report=police_report_in(text), urls=urls_in(text),
                    goods_category=goods_category_in(text, lang))


def warm_up() -> None:
    """Load dateparser's languages and the goods vocabulary now (a few hundred ms) rather than on the
    first message of a conversation."""
    for lang in LANGUAGES:
        extract("gisteren 12 oktober 10 euro gsm", lang, date(2026, 1, 1))
