"""Amounts in euros, as Belgians, the French and the English write them ("249,99 EUR", "€ 1.250",
"1,250.00 EUR", "septante-cinq euros", "vijftig euro"). Only numbers tied to money count: a number
next to a currency sign or word, so order numbers, counts and dates are left alone.

price-parser reads the number's writing; text2num writes out French and English number words
(Dutch is not among its languages, so a small reader of Dutch number words is here).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import List, Optional

from price_parser import Price
from text_to_num import alpha2digit

_CURRENCY = r"(?:€|eur\b|euros?\b|euro's\b|balles\b)"
_NUMBER = r"\d{1,3}(?:[.,\s ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT = re.compile(
    rf"(?P<neg>-\s*|min\s+|minus\s+|moins\s+)?(?:{_CURRENCY}\s*(?P<a>{_NUMBER})(?:\s*{_CURRENCY})?"
    rf"|(?P<b>{_NUMBER})\s*(?:,-\s*)?{_CURRENCY})",
    re.IGNORECASE)

_NL_UNITS = {"nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
             "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
             "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
_NL_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
            "tachtig": 80, "negentig": 90}
_NL_WORD = re.compile(r"\b(?:(?:" + "|".join(sorted(list(_NL_UNITS) + list(_NL_TENS) + ["honderd", "duizend", "en"],
                                                   key=len, reverse=True)) + r")+)\b", re.IGNORECASE)


def _dutch_number(word: str) -> Optional[int]:
    """"vijftig" -> 50, "vijfentwintig" -> 25, "tweehonderd" -> 200, "duizend" -> 1000."""
    word = word.lower()
    total, rest = 0, word
    if "duizend" in rest:
        before, rest = rest.split("duizend", 1)
        total += (_dutch_number(before) if before else 1) * 1000 if before != "" or True else 0
        if before and _dutch_number(before) is None:
            return None
    if "honderd" in rest:
        before, rest = rest.split("honderd", 1)
        hundreds = _dutch_number(before) if before else 1
        if hundreds is None:
            return None
        total += hundreds * 100
    if not rest:
        return total or None
    if rest in _NL_UNITS:
        return total + _NL_UNITS[rest]
    if rest in _NL_TENS:
        return total + _NL_TENS[rest]
    match = re.fullmatch(r"(\w+?)en(\w+)", rest)
    if match and match.group(1) in _NL_UNITS and match.group(2) in _NL_TENS:
        return total + _NL_UNITS[match.group(1)] + _NL_TENS[match.group(2)]
    return None


def _digits(text: str, lang: str) -> str:
    """Number words written as digits."""
    if lang == "nl":
        def replace(match: "re.Match[str]") -> str:
            value = _dutch_number(match.group())
            return str(value) if value is not None and match.group().lower() != "en" else match.group()
        return _NL_WORD.sub(replace, text)
    try:
        return alpha2digit(text, lang)
    except Exception:  # text2num refuses some inputs; the text then keeps its words
        return text


def _value(raw: str) -> Optional[Decimal]:
    price = Price.fromstring(raw.replace(" ", "").replace("\u00a0", ""), decimal_separator=_separator(raw))
    try:
        return Decimal(str(price.amount)) if price.amount is not None else None
    except InvalidOperation:
        return None


def _separator(raw: str) -> Optional[str]:
    """"1.250" is a thousand in Belgium; "1,250.00" English; "249,99" a decimal comma."""
    compact = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", compact):
        return ","
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", compact):
        return "."
    if re.search(r",\d{1,2}$", compact):
        return ","
    if re.search(r"\.\d{1,2}$", compact):
        return "."
    return None


def find_amounts(text: str, lang: str) -> List[tuple]:
    """(amount, negative) for each money amount, in order."""
    found = []
    for match in _AMOUNT.finditer(_digits(text, lang)):
        value = _value(match.group("a") or match.group("b"))
        if value is not None:
            found.append((value, bool(match.group("neg"))))
    return found


def amounts_in(text: str, lang: str) -> List[Decimal]:
    return [value for value, negative in find_amounts(text, lang) if not negative]


def negative_amount_in(text: str, lang: str = "en") -> bool:
    return any(negative for _, negative in find_amounts(text, lang))
