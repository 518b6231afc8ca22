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
_MONEY = re.compile(rf"{_CURRENCY}\s?-?\s?(?P<a>{_NUMBER})(?!\d)|(?<![\w.,])(?P<b>{_NUMBER})(?!\d)\s?(?:d'|de\s)?{_CURRENCY}")
# "septante-neuf euros nonante", "20 euro 50": the cents after the currency word (not "50 euro 3 weken").
_CENTS_AFTER = re.compile(r"\s+(\d{1,2})(?![\d,./:-])(?!\s*(?:[a-z]+\s+)?(?:x\b|keer|fois|times|dag|dagen|jours?|days?|week|weken"
                          r"|semaines?|weeks?|maand|maanden|mois|months?|jaar|ans?|years?|uur|heures?|hours?|min|%|jan|feb|mrt|maa"
                          r"|apr|avr|mei|mai|may|jun|jui|jul|aug|aou|sep|okt|oct|nov|dec|betaling|paiement|payment|brie|lett"
                          r"|stuk|piece|item|artik|colis|pak|parcel|op\b|le\b|on\b|the\b))")
_MINUS_WORD = r"\b(?<!au )(?<!du )(?:min|minus|moins)\s+"  # "au moins 50 €" is at least 50
# A minus written before a number: "-50 euro", "€ -20", "min 50", "moins 20 €", "minus 50 euros".
_NEGATIVE = re.compile(r"(?:^\s*-\s?|(?<![\w.,/-])-|€\s?-\s?|" + _MINUS_WORD + r")(?:€\s?)?\d")
# The same, ending where an amount starts.
_MINUS_BEFORE = re.compile(r"(?:^\s*-\s?|(?<![\w.,/-])-|" + _MINUS_WORD + r")$")
_MONEY_SPAN = re.compile(rf"{_CURRENCY}\s?-?\s?{_NUMBER}|(?<![\w.,]){_NUMBER}\s?{_CURRENCY}", re.IGNORECASE)


_CURRENCY_WORD = re.compile(_CURRENCY, re.IGNORECASE)


def money_in(text: str, lang: str) -> List[Tuple[Decimal, bool, int, int]]:
    """(amount, written with a minus, start, end) for each money amount, in order of appearance; start and
    end are places in `text` itself. Where number words were written as digits first ("vijftig euro"),
    the places are those of the currency word of the amount, which is in both texts."""
    digits = with_digits(text, lang)
    same = len(digits) == len(text)
    in_text = [m.span() for m in _CURRENCY_WORD.finditer(text)]
    in_digits = [m.span() for m in _CURRENCY_WORD.finditer(digits)]
    found = []
    for match in _MONEY.finditer(digits):
        price = Price.fromstring(match.group().replace("-", ""))
        if price.amount is None:
            continue
        negative = bool(_MINUS_BEFORE.search(digits[:match.start()]) or re.match(r"€\s?-", match.group()))
        start, end = match.span()
        amount = price.amount
        cents = _CENTS_AFTER.match(digits, end) if match.group("b") and amount == amount.to_integral() else None
        if cents:
            amount += Decimal(cents.group(1).ljust(2, "0")) / 100
            end = cents.end()
        if not same:
            k = next((i for i, (s, e) in enumerate(in_digits) if start <= s and e <= end), None)
            start, end = in_text[k] if k is not None and k < len(in_text) else (min(start, len(text)), min(end, len(text)))
            start, end = _with_written_digits(text, start, end, before=bool(match.group("b")))
        found.append((amount, negative, start, end))
    return found


_DIGITS_BEFORE = re.compile(r"(\d[\d.,\s]*\d|\d)\s?(?:,-)?\s?$")
_DIGITS_AFTER = re.compile(r"^\s?-?\s?(\d[\d.,]*\d|\d)")


def _with_written_digits(text: str, start: int, end: int, before: bool) -> Tuple[int, int]:
    """Widens the currency word's place to the digits written beside it in `text` ("300 euro" in "een dikke 300
    euro", where "een" was read as a number word), so that no other reader takes those digits again."""
    if before:
        match = _DIGITS_BEFORE.search(text[max(0, start - 20):start])
        return (start - (len(text[max(0, start - 20):start]) - match.start(1)), end) if match else (start, end)
    match = _DIGITS_AFTER.match(text[end:end + 20])
    return (start, end + match.end(1)) if match else (start, end)


def _found(text: str, lang: str) -> Iterator[Tuple[Decimal, bool]]:
    """(amount, written with a minus) for each money amount, in order of appearance."""
    for amount, negative, _, _ in money_in(text, lang):
        yield amount, negative


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
