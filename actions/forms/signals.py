"""Facts a policyholder states in their own words ("tweedehands", "pas de réponse", "blocked my card").

The phrases are data (`policy_rules/signals.yml`), matched on lower-cased, accent-free text at word
boundaries. Pure: no Rasa import.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

SIGNALS_FILE = Path(__file__).resolve().parents[2] / "policy_rules" / "signals.yml"


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class _Phrase:
    fact: str
    value: Any
    pattern: "re.Pattern[str]"
    length: int


def _compile(phrase: str) -> "re.Pattern[str]":
    folded = fold(phrase)
    open_end = folded.endswith("*")
    body = re.escape(folded.rstrip("*")).replace(r"\ ", r"\s+")
    end = "" if open_end else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + end)


@lru_cache(maxsize=1)
def _phrases() -> Dict[str, Dict[str, List[_Phrase]]]:
    """fact -> language -> phrases, longest first."""
    data = yaml.safe_load(SIGNALS_FILE.read_text(encoding="utf-8"))
    table: Dict[str, Dict[str, List[_Phrase]]] = {}
    for fact, values in data.items():
        for value, languages in values.items():
            for lang, phrases in languages.items():
                for phrase in phrases:
                    table.setdefault(fact, {}).setdefault(lang, []).append(
                        _Phrase(fact, value, _compile(str(phrase)), len(fold(str(phrase)))))
    for by_language in table.values():
        for phrases in by_language.values():
            phrases.sort(key=lambda p: -p.length)
    return table


def facts() -> Tuple[str, ...]:
    return tuple(_phrases())


def signal(fact: str, text: str, lang: str) -> Optional[Any]:
    """The value of `fact` that `text` states (longest phrase wins), or None."""
    folded = fold(text)
    for phrase in _candidates(fact, lang):
        if phrase.pattern.search(folded):
            return phrase.value
    return None


def signals(text: str, lang: str, wanted: Iterable[str]) -> Dict[str, Any]:
    """Every fact of `wanted` that `text` states."""
    found = {}
    for fact in wanted:
        value = signal(fact, text, lang)
        if value is not None:
            found[fact] = value
    return found


def match_span(fact: str, text: str, lang: str) -> Optional[Tuple[Any, int]]:
    """The value of `fact` and where in the folded text its phrase starts (for context words)."""
    folded = fold(text)
    best: Optional[Tuple[Any, int, int]] = None
    for phrase in _candidates(fact, lang):
        for match in phrase.pattern.finditer(folded):
            if best is None or phrase.length > best[2]:
                best = (phrase.value, match.start(), phrase.length)
    return (best[0], best[1]) if best else None


def all_spans(fact: str, text: str, lang: str) -> List[Tuple[Any, int]]:
    """Every (value, position) of `fact` in the folded text, in order."""
    folded = fold(text)
    spans = [(phrase.value, m.start()) for phrase in _candidates(fact, lang) for m in phrase.pattern.finditer(folded)]
    return sorted(spans, key=lambda item: item[1])


def _candidates(fact: str, lang: str) -> List[_Phrase]:
    by_language = _phrases().get(fact, {})
    # The user's language first; the others too, since people mix ("ik heb een refund gekregen").
    ordered = by_language.get(lang, []) + [p for other, ps in by_language.items() if other != lang for p in ps]
    return sorted(ordered, key=lambda p: -p.length)
