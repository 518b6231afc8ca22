"""Amounts in euros, as Belgians, the French and the English write them ("249,99 EUR", "€ 1.250",
"1,250.00 EUR", "699,- euro", "septante-cinq euros", "vijftig euro").

Only a number tied to money counts: a currency sign or word right before or after it, so order
numbers, counts ("3 weken"), phone numbers and dates are left alone. Number words are first written
as digits (numbers.py); price-parser then reads the writing of the number (decimal comma or point,
thousands separators), which is the part it does well.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator, List, Optional, Tuple

from price_parser import Price

from .numbers import with_digits
from .text import LANGUAGES

_CURRENCY = r"(?:€|\b(?:eur|euros?|euro's|balles|bucks)\b)"
# 1.250,50 / 1,250.00 / 1 250 / 249,99 / 89.95 / 1250; the ",-" of "699,-" belongs to the amount.
_NUMBER = r"(?:\d{1,3}(?:[ .,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:\s?,-)?"
_MONEY = re.compile(rf"{_CURRENCY}\s?-?\s?(?P<a>{_NUMBER})(?!\d)|(?<![\w.,])(?P<b>{_NUMBER})(?!\d)\s?{_CURRENCY}")
_MINUS_WORD = r"\b(?<!au )(?<!du )(?:min|minus|moins)\s+"  # "au moins 50 €" is at least 50
# A minus written before a number: "-50 euro", "€ -20", "min 50", "moins 20 €", "minus 50 euros".
_NEGATIVE = re.compile(r"(?:^\s*-\s?|(?<![\w.,/-])-|€\s?-\s?|" + _MINUS_WORD + r")(?:€\s?)?\d")
# The same, ending where an amount starts.
_MINUS_BEFORE = re.compile(r"(?:^\s*-\s?|(?<![\w.,/-])-|" + _MINUS_WORD + r")$")
_MONEY_SPAN = re.compile(rf"{_CURRENCY}\s?-?\s?{_NUMBER}|(?<![\w.,]){_NUMBER}\s?{_CURRENCY}", re.IGNORECASE)


def _found(text: str, lang: str) -> Iterator[Tuple[Decimal, bool]]:
    """(amount, written with a minus) for each money amount, in order of appearance."""
    digits = with_digits(text, lang)
    for match in _MONEY.finditer(digits):
        price = Price.fromstring(match.group().replace("-", ""))
        if price.amount is None:
            continue
        negative = bool(_MINUS_BEFORE.search(digits[:match.start()]) or re.match(r"€\s?-", match.group()))
        yield price.amount, negative


def amounts_in(text: str, lang: str) -> List[Decimal]:
    """The euro amounts in `text`, in order of appearance; an amount written with a minus is left out
    (see `negative_amount_in`)."""
    return [amount for amount, negative in _found(text, lang) if not negative]


def negative_amount_in(text: str, lang: Optional[str] = None) -> bool:
    """Whether `text` gives a negative amount ("-50 euro", "min 50", "moins vingt euros"): a price is
    never negative, so the caller asks again. Without `lang`, number words of all three languages count."""
    return any(_NEGATIVE.search(with_digits(text, each)) for each in ([lang] if lang else LANGUAGES))


def money_spans(text: str) -> List[Tuple[int, int]]:
    """Where `text` writes an amount in digits: not a date, whatever a date reader thinks of it."""
    return [match.span() for match in _MONEY_SPAN.finditer(text)]
