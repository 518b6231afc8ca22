"""Text normalisation shared by the extractors."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

LANGUAGES = ("nl", "fr", "en")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "’‘`´":
        return "'"
    if ch in "‐‑‒–—−":
        return "-"
    if ch in "\u00a0\u202f\u2009":
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
    return base[0] if len(base) >= 1 else ch  # one character for one: positions stay those of the original


def fold(text: str) -> str:
    """Lower case without accents, typographic quotes and dashes made plain, and the SAME length as `text`,
    so that a position found in the folded text is a position in the original."""
    return "".join(_fold_char(ch) for ch in text)
