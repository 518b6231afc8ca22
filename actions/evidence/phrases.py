"""Facts a policyholder states in their own words ("tweedehands", "pas de réponse", "blocked my card").

The phrases are data (`policy_rules/signals.yml`), matched on folded text (text.fold: lower case, no
accents, the same positions as the original) at word boundaries. `find_phrases` reads a message once
and gives every phrase it holds with its place, so that the reader can tell which date a context word
governs and which phrase a negation ("pas un disque dur", "not a hard drive", "geen pv") cancels.
Pure: no Rasa import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

from .text import LANGUAGES, fold

SIGNALS_FILE = Path(__file__).resolve().parents[2] / "policy_rules" / "signals.yml"
# A word right before a phrase that says it is not so: "pas un NAS", "niet de 11e", "not a hard drive".
_NEGATOR = re.compile(
    r"(?:\b(?:niet|ni|nie|geen|nooit|niks|niets|rien|pas|non|not|no|never|isn't|wasn't|isnt|wasnt|havent|hasnt|didnt|dont|n'est pas"
    r"|n'etait pas|ce n'est pas|nog niet|pas encore|ipv|in plaats van|au lieu de|instead of|rather than)\b|n't)"
    r"\s+(?:(?:een|de|het|un|une|le|la|les|des|du|a|an|the|my|mijn|mon|ma|mes|van|de la|d'un|d'une|op|on|in|bij|via"
    r"|met|chez|sur|au|par|at|from|with|by|to|naar)\s+){0,2}$")


@dataclass(frozen=True)
class Phrase:
    """One phrase of signals.yml found in a message."""

    fact: str
    value: Any
    start: int
    end: int
    lang: str
    negated: bool = False  # "pas un disque dur externe": the user says it is NOT this

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class _Entry:
    fact: str
    value: Any
    lang: str
    pattern: "re.Pattern[str]"
    length: int


def _compile(phrase: str) -> "re.Pattern[str]":
    folded = fold(phrase.strip())
    open_end = folded.endswith("*")
    body = re.escape(folded.rstrip("*")).replace(r"\ ", r"\s+")
    return re.compile(r"(?<!\w)" + body + ("" if open_end else r"(?!\w)"))


@lru_cache(maxsize=1)
def _entries() -> Tuple[_Entry, ...]:
    data = yaml.safe_load(SIGNALS_FILE.read_text(encoding="utf-8"))
    entries = []
    for fact, values in data.items():
        for value, languages in values.items():
            for lang, phrases in languages.items():
                if lang not in LANGUAGES:
                    raise ValueError(f"signals.yml: {fact}.{value}: unknown language {lang!r}")
                for phrase in phrases:
                    entries.append(_Entry(fact, value, lang, _compile(str(phrase)), len(fold(str(phrase)))))
    # Longest first: a longer phrase that holds a shorter one ("nog niet geblokkeerd") wins it.
    return tuple(sorted(entries, key=lambda e: -e.length))


def facts() -> Tuple[str, ...]:
    return tuple(dict.fromkeys(entry.fact for entry in _entries()))


# Words of grammar, read in the message's own language only: "nee" is also French for "born", "pas" Dutch
# for "only", "ne" a French particle. The names of things ("refund", "ransomware") are read in all three.
# Facts about the message's words rather than values a user states (a negation of them takes nothing back).
WORDS_ABOUT_WORDS = frozenset({"date_context", "amount_context", "negative", "affirmative", "not_negative", "correction",
                               "field_named", "takeback", "precise", "relative_day", "none_yet", "complaint_sent",
                               "distress", "minor", "crisis", "phishing", "ransom", "storage", "external", "expense_type",
                               "harassment", "account_fraud", "complained_on_delivery"})
OWN_LANGUAGE_ONLY = frozenset({"date_context", "amount_context", "negative", "affirmative", "not_negative", "correction",
                               "field_named", "takeback", "precise", "relative_day", "expense_type"})


@lru_cache(maxsize=2048)
def find_phrases(text: str, lang: str) -> Tuple[Phrase, ...]:
    """Every phrase of every fact in `text`, in order of appearance. Phrases of the message's language
    come first, then those of the other two (people mix: "ik heb een refund gekregen") except for the words
    of grammar (OWN_LANGUAGE_ONLY); within one fact, a phrase that overlaps a longer (or same-length,
    own-language) one already found is left out."""
    folded = fold(text)
    found: List[Phrase] = []
    ordered = [e for e in _entries() if e.lang == lang] + [e for e in _entries() if e.lang != lang
                                                           and e.fact not in OWN_LANGUAGE_ONLY]
    ordered.sort(key=lambda e: (-e.length, e.lang != lang))
    taken: Dict[str, List[Tuple[int, int]]] = {}
    for entry in ordered:
        for match in entry.pattern.finditer(folded):
            start, end = match.span()
            spans = taken.setdefault(entry.fact, [])
            if any(start < e and s < end for s, e in spans):
                continue
            spans.append((start, end))
            negated = bool(_NEGATOR.search(folded[max(0, start - 24):start]))
            found.append(Phrase(entry.fact, entry.value, start, end, entry.lang, negated))
    return tuple(sorted(found, key=lambda p: (p.start, -p.length)))


def phrases_of(fact: str, text: str, lang: str) -> List[Phrase]:
    return [p for p in find_phrases(text, lang) if p.fact == fact]


def value_of(fact: str, text: str, lang: str, found: Optional[Iterable[Phrase]] = None) -> Optional[Any]:
    """The value of `fact` the text states: the longest phrase not negated (negated boolean phrases say the
    opposite: "I have NOT blocked my card" -> card_blocked False when only "blocked my card" matched)."""
    candidates = [p for p in (found if found is not None else find_phrases(text, lang)) if p.fact == fact]
    plain = [p for p in candidates if not p.negated]
    if plain:
        return max(plain, key=lambda p: (p.length, p.lang == lang, -p.start)).value
    flipped = [p for p in candidates if isinstance(p.value, bool)]
    if flipped:
        return not max(flipped, key=lambda p: p.length).value
    return None


def values_of(text: str, lang: str, wanted: Iterable[str], found: Optional[Iterable[Phrase]] = None) -> Dict[str, Any]:
    """Every fact of `wanted` that the text states, with its value."""
    found = tuple(found) if found is not None else find_phrases(text, lang)
    values = {}
    for fact in wanted:
        value = value_of(fact, text, lang, found)
        if value is not None:
            values[fact] = value
    return values
