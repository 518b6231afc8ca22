"""What was bought, mapped to a goods category of the e-commerce cover (vocabulary: policy_rules/goods.yml;
which categories are excluded: covers/ecommerce.yml)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from .dates import fold

RULES = Path(__file__).resolve().parents[2] / "policy_rules"
COMPOUND_MIN = 6  # a Dutch compound is matched by a last part at least this long


@lru_cache(maxsize=1)
def _excluded() -> frozenset:
    data = yaml.safe_load((RULES / "covers" / "ecommerce.yml").read_text(encoding="utf-8"))
    return frozenset(data["lists"]["goods_category"]["excluded"])


@lru_cache(maxsize=1)
def _vocabulary() -> Dict[str, List[Tuple[str, "re.Pattern[str]", int]]]:
    """language -> (category, pattern, length), the excluded categories first."""
    data = yaml.safe_load((RULES / "goods.yml").read_text(encoding="utf-8"))
    table: Dict[str, List[Tuple[str, "re.Pattern[str]", int]]] = {}
    for status in ("excluded", "covered"):
        for category, languages in data[status].items():
            for lang, phrases in languages.items():
                for phrase in phrases:
                    table.setdefault(lang, []).append((category, _pattern(str(phrase), lang), len(phrase.rstrip("*"))))
    return table


def _pattern(phrase: str, lang: str) -> "re.Pattern[str]":
    stem = fold(phrase).rstrip("*")
    body = re.escape(stem).replace(r"\ ", r"\s+")
    # Dutch writes compounds as one word: "concerttickets" ends in "tickets".
    start = r"(?<![^\W\d_])" if not (lang == "nl" and len(stem) >= COMPOUND_MIN and " " not in stem) else r"(?<![\d_])"
    end = r"[^\W\d_]*" if phrase.endswith("*") else r"(?:s|en|e|'s)?(?![^\W\d_])"
    return re.compile(start + body + end)


def is_excluded_goods(category: Optional[str]) -> bool:
    return category in _excluded()


def goods_category_in(text: str, lang: str) -> Optional[str]:
    """The category of what `text` names, or None. Excluded beats covered, then the longest phrase."""
    folded = fold(text)
    best: Optional[Tuple[bool, int, str]] = None
    # Only the user's own language: "step" is a scooter in Dutch, not in English.
    for category, pattern, length in _vocabulary().get(lang, []):
        if pattern.search(folded):
            key = (is_excluded_goods(category), length, category)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None
