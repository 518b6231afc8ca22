"""Numbers written out in words, rewritten as digits ("vijftig" -> "50", "quatre-vingts" -> "80",
"two hundred and fifty" -> "250") so that amounts are read from digits only.

French and English go through text2num's `alpha2digit`. Dutch is not one of text2num's languages
(2.5: en, fr, es, pt, de, it, ca, ru), so a small reader of Dutch number words (0 to 9999, written
as one word or several: "vijfentwintig", "zeshonderd vijftig", "twee duizend") is here.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from text_to_num import alpha2digit

_NL_UNITS = {"nul": 0, "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
             "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
             "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
_NL_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
            "tachtig": 80, "negentig": 90}
_NL_PIECE = "|".join(sorted(list(_NL_UNITS) + list(_NL_TENS) + ["honderd", "duizend", "en"], key=len, reverse=True))
# A run of number words: "vijfentwintig", "zeshonderd vijftig", "honderd en vijftig", "twee-duizend".
_NL_RUN = re.compile(rf"(?<![\w-])(?:{_NL_PIECE})+(?:[\s-]+(?:{_NL_PIECE})+)*(?![\w-])")
# "two hundred and fifty": text2num stops at "and" and would give "200 and 50".
_EN_AND = re.compile(r"\b(hundred|thousand)\s+and\s+(?=[a-z])", re.IGNORECASE)


def _below_hundred(word: str) -> Optional[int]:
    if word in _NL_UNITS:
        return _NL_UNITS[word]
    if word in _NL_TENS:
        return _NL_TENS[word]
    for cut in range(1, len(word)):  # "vijfentwintig" = vijf + en + twintig
        unit, rest = word[:cut], word[cut:]
        if unit in _NL_UNITS and 0 < _NL_UNITS[unit] < 10 and rest.startswith("en") and rest[2:] in _NL_TENS:
            return _NL_UNITS[unit] + _NL_TENS[rest[2:]]
    return None


def _below_thousand(word: str) -> Optional[int]:
    if "honderd" not in word:
        return _below_hundred(word)
    before, after = word.split("honderd", 1)
    hundreds = _below_hundred(before) if before else 1  # "honderd", "twaalfhonderd"
    after = after[2:] if after.startswith("en") and after != "en" else after  # "honderd en vijftig"
    rest = _below_hundred(after) if after else 0
    return None if hundreds is None or rest is None or hundreds == 0 else hundreds * 100 + rest


@lru_cache(maxsize=1024)
def dutch_number(words: str) -> Optional[int]:
    """"vijftig" -> 50, "tweehonderd vijfentwintig" -> 225, "duizend" -> 1000; None when not a number."""
    word = re.sub(r"[\s-]+", "", words.lower())
    if word in ("", "en"):
        return None
    if "duizend" not in word:
        return _below_thousand(word)
    before, after = word.split("duizend", 1)
    thousands = _below_thousand(before) if before else 1
    after = after[2:] if after.startswith("en") and after != "en" else after
    rest = _below_thousand(after) if after else 0
    return None if thousands is None or rest is None or not 0 < thousands < 1000 else thousands * 1000 + rest


def _dutch_digits(text: str) -> str:
    def replace(match: "re.Match[str]") -> str:
        run = match.group()
        value = dutch_number(run)
        if value is not None:
            return str(value)
        # Not one number ("een vijftig"): each word on its own.
        return re.sub(r"[^\s-]+", lambda w: str(dutch_number(w.group())) if dutch_number(w.group()) is not None
                      else w.group(), run)
    return _NL_RUN.sub(replace, text)


# "une vingtaine d'euros", "een twintigtal euro": about that many.
_ABOUT = {"fr": re.compile(r"\b(?:une\s+)?(vingt|trent|quarant|cinquant|soixant|cent)aine\b"),
          "nl": re.compile(r"\b(?:een\s+)?(twintig|dertig|veertig|vijftig|zestig|honderd)tal\b")}
_ABOUT_VALUE = {"vingt": 20, "trent": 30, "quarant": 40, "cinquant": 50, "soixant": 60, "cent": 100, "twintig": 20,
                "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "honderd": 100}


@lru_cache(maxsize=2048)
def with_digits(text: str, lang: str) -> str:
    """`text` with its number words written as digits (lower-cased, accents kept for text2num)."""
    text = text.lower()
    if lang in _ABOUT:
        text = _ABOUT[lang].sub(lambda m: str(_ABOUT_VALUE[m.group(1)]), text)
    if lang == "nl":
        return _dutch_digits(text.replace("ë", "e").replace("é", "e"))  # "tweeëntwintig", "één"
    try:
        return alpha2digit(_EN_AND.sub(r"\1 ", text) if lang == "en" else text, lang)
    except Exception:  # text2num refuses some inputs: the words then stay words (no amount is invented)
        return text
