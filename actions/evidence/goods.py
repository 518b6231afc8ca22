"""What was bought, mapped to a goods category of the e-commerce cover. The words are data
(policy_rules/goods.yml, its header says how they match); which categories the policy excludes is read
from policy_rules/covers/ecommerce.yml, so the two files cannot disagree.

Choosing among several matches: a word inside a longer match is part of that match, not a thing of its
own ("fiets" in "elektrische fiets", "ring" in "ring doorbell", "ticket" in "ticket de caisse"); of what
remains, an excluded category wins over a covered one (the policy excludes it whatever else was
bought), then a specific word over a generic one ("trein" over "ticket"), then the longest, then the first.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple

import yaml

from .references import reference_spans
from .text import LANGUAGES, fold

RULES = Path(__file__).resolve().parents[2] / "policy_rules"
NOT_GOODS = ""  # the category of the phrases of goods.yml `none` ("kasticket", "support ticket")
# A good said NOT to be the one ("geen", "pas un", "not a", "niet de"), just before it.
_NEGATED_GOOD = re.compile(r"\b(?:geen|niet|ni|pas|not|no|non|never|ipv|in plaats van|au lieu de|instead of)\s+"
                           r"(?:(?:een|de|het|un|une|le|la|des|a|an|the|my|mijn|mon|ma)\s+)?$")
_PLURAL = {"nl": r"(?:s|en|n|'s|je|jes|tje|tjes)?", "fr": r"(?:s|x)?", "en": r"(?:s|'s)?"}


class GoodsRulesError(Exception):
    """policy_rules/goods.yml or covers/ecommerce.yml cannot be read as goods rules."""


class _Entry(NamedTuple):
    category: str
    pattern: "re.Pattern[str]"
    length: int
    generic: bool


@lru_cache(maxsize=1)
def _excluded() -> frozenset:
    try:
        data = yaml.safe_load((RULES / "covers" / "ecommerce.yml").read_text(encoding="utf-8"))
        return frozenset(data["lists"]["goods_category"]["excluded"])
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise GoodsRulesError(f"covers/ecommerce.yml: lists.goods_category.excluded: {error}") from None


@lru_cache(maxsize=1)
def _vocabulary() -> Dict[str, List[_Entry]]:
    try:
        data = yaml.safe_load((RULES / "goods.yml").read_text(encoding="utf-8"))
        table: Dict[str, List[_Entry]] = {lang: [] for lang in LANGUAGES}
        for section in ("covered", "excluded", "none"):
            for category, words in (data.get(section) or {}).items():
                if section != "none" and (category in _excluded()) != (section == "excluded"):
                    raise GoodsRulesError(f"goods.yml: {section}.{category}: not {section} in covers/ecommerce.yml")
                for lang, phrases in words.items():
                    table[lang] += [_entry(NOT_GOODS if section == "none" else category, str(p), lang)
                                    for p in phrases]
        return table
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, re.error) as error:
        raise GoodsRulesError(f"goods.yml: {error}") from None


def _entry(category: str, phrase: str, lang: str) -> _Entry:
    """One goods.yml entry (marks: `~` generic, `*word` end of a compound, `word*` start of a longer word)."""
    generic = phrase.startswith("~")
    phrase = phrase.lstrip("~").strip()
    compound, prefix = phrase.startswith("*"), phrase.endswith("*")
    stem = fold(phrase.strip("*"))
    body = "".join(r"[\s-]?" if ch == "-" else r"[\s-]+" if ch == " " else re.escape(ch) for ch in stem)
    start = r"(?<![\d_])" if compound else r"(?<![^\W_])"
    end = r"[^\W\d_]*" if prefix else _PLURAL[lang] + r"(?![^\W_])"
    return _Entry(category, re.compile(start + body + end), len(stem), generic)


def is_excluded_goods(category: Optional[str]) -> bool:
    """Whether the e-commerce cover excludes this goods category (covers/ecommerce.yml)."""
    return category in _excluded()


def goods_in(text: str, lang: str) -> Optional[Tuple[str, str, int, int]]:
    """(category, the words as written, start, end) of what `text` names, or None when it names nothing the
    vocabulary knows."""
    folded = fold(text)
    for start, end in reference_spans(text):  # "youtube.com/watch?v=..." names no watch
        folded = folded[:start] + " " * (end - start) + folded[end:]
    matches = [(m.start(), m.end(), entry) for entry in _vocabulary().get(lang, [])
               for m in entry.pattern.finditer(folded)]
    # What lies inside a longer match is part of it.
    alone = [(start, end, entry) for start, end, entry in matches
             if not any(s <= start and end <= e and (e - s, other.length) > (end - start, entry.length)
                        for s, e, other in matches)]
    things = [(start, end, entry) for start, end, entry in alone if entry.category != NOT_GOODS]
    # "geen wasmachine maar een droogkast", "pas une télé mais un écran": the good meant is the one not negated.
    meant = [t for t in things if not _NEGATED_GOOD.search(folded[max(0, t[0] - 24):t[0]])]
    things = meant or things
    if not things:
        return None
    start, end, best = min(things, key=lambda t: (not is_excluded_goods(t[2].category), t[2].generic, -t[2].length,
                                                  t[0]))
    # "tickets voor een concert", "2 billets du concert": the words say what it is from the generic word on.
    generic = [s for s, e, entry in things if entry.generic and entry.category == best.category and s < start
               and start - e <= 30]
    if generic:
        start = generic[-1]
    while start > 0 and text[start - 1].isalnum():  # "*stofzuiger" matched inside "robotstofzuiger"
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return best.category, text[start:end], start, end


def goods_category_in(text: str, lang: str) -> Optional[str]:
    """The goods category of what `text` names, or None when it names nothing the vocabulary knows."""
    found = goods_in(text, lang)
    return found[0] if found else None
