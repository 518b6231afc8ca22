"""Masking of personal numbers nobody needs here (card numbers, IBANs, Belgian national register
numbers) in free text, before it reaches Rasa (bot/channels/masking.py) and before it is stored.

Only numbers that pass their check digits are masked, checked by python-stdnum (Luhn for cards,
ISO 13616 mod 97 for IBANs, the national register's mod 97 for the rijksregisternummer /
numéro de registre national), so order numbers, dates and police report references are left alone.
"""
from __future__ import annotations

import re
from typing import Any

from stdnum import iban as iban_number
from stdnum import luhn
from stdnum.be import nn as national_number

# What people put between the groups of a number: spaces of every kind (U+00A0 and U+202F are common
# in French and in copied bank data; tabs), dots, slashes and dashes of every kind.
_SEP = r"[\s./\-\u2010-\u2015\u2212]"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Digit groups with up to three separator characters between them ("4111 - 1111"): the cards are
# looked for among their runs (_cards_in).
_DIGIT_RUN = re.compile(r"(?<![\dA-Za-z])\d+(?:" + _SEP + r"{1,3}\d+)*(?![\dA-Za-z])")
# Country, check digits, then groups of four; the match may run into a following word,
# so the longest prefix with valid check digits is what gets masked.
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:" + _SEP + r"{0,3}[A-Za-z0-9]{4}){2,7}(?:" + _SEP
                   + r"{0,3}[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])")
_SEPARATORS = re.compile(_SEP)
# 85.07.30-033.28, 850730 033 28, 85073003328
_NATIONAL = re.compile(r"(?<![\d.,/-])\d{2}[.\s]?\d{2}[.\s]?\d{2}[\s.-]?\d{3}[\s.]?\d{2}(?!\d|[.,]\d|/)")
_SHORTEST_IBAN = 15
CARD_DIGITS = range(13, 20)
CARD_MASK = "[card number]"
IBAN_MASK = "[IBAN]"
NATIONAL_MASK = "[national number]"


def mask_payment_data(text: str) -> str:
    """`text` with valid card numbers, IBANs and Belgian national numbers masked."""
    return mask_personal_numbers(text)[0]


def mask_personal_numbers(text: str) -> tuple[str, set[str]]:
    """(`text` masked, the kinds masked: "card", "iban", "national_number")."""
    found: set[str] = set()

    def iban(match: re.Match[str]) -> str:
        text = match.group()
        for end in range(len(text), _SHORTEST_IBAN - 1, -1):
            if not _SEPARATORS.fullmatch(text[end - 1]) and iban_number.is_valid(
                    _SEPARATORS.sub("", text[:end]).upper(), check_country=False):
                found.add("iban")
                return IBAN_MASK + text[end:]
        return text

    def cards(match: re.Match[str]) -> str:
        masked = _cards_in(match.group())
        if masked != match.group():
            found.add("card")
        return masked

    def national(match: re.Match[str]) -> str:
        if national_number.is_valid(re.sub(r"[\s.-]", "", match.group())):
            found.add("national_number")
            return NATIONAL_MASK
        return match.group()

    masked = _DIGIT_RUN.sub(cards, _IBAN.sub(iban, text))
    return _NATIONAL.sub(national, masked), found


def _cards_in(run: str) -> str:
    """A run of digit groups with the card numbers in it masked. A card is whole groups, 13 to 19
    digits passing the Luhn check, written in one piece or grouped as cards are (4 to 6 digits a group,
    the last 1 to 6) with blanks and at most one kind of mark between them: so that two phone
    numbers or a date and an amount side by side are not taken for one."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"\d+", run)]
    out, position, first = [], 0, 0
    while first < len(groups):
        card = _card_from(run, groups, first)
        if card is None:
            first += 1
            continue
        out.append(run[position:groups[first][0]] + CARD_MASK)
        position = groups[card][1]
        first = card + 1
    return "".join(out) + run[position:]


def _card_from(run: str, groups: list[tuple[int, int]], first: int) -> int | None:
    """The last group of the longest card starting at group `first`, or None."""
    for last in range(len(groups) - 1, first - 1, -1):
        digits = "".join(run[a:b] for a, b in groups[first:last + 1])
        if len(digits) not in CARD_DIGITS:
            continue
        sizes = [b - a for a, b in groups[first:last + 1]]
        if last > first:
            kinds = {_separator_kind(run[groups[i][1]:groups[i + 1][0]]) for i in range(first, last)}
            if None in kinds or len(kinds - {"space"}) > 1 or not all(4 <= n <= 6 for n in sizes[:-1]) \
                    or sizes[-1] > 6:
                continue
        if luhn.is_valid(digits):
            return last
    return None


def _separator_kind(separator: str) -> str | None:
    """"space" for blanks of any kind, else the one mark used ("-" for every dash); None when mixed."""
    marks = {"-" if ch in _DASHES else ch for ch in separator if not ch.isspace()}
    if not marks:
        return "space"
    return marks.pop() if len(marks) == 1 else None


def mask_in(value: Any) -> Any:
    """`value` (decoded JSON) with payment data masked in every text it holds."""
    if isinstance(value, str):
        return mask_payment_data(value)
    if isinstance(value, list):
        return [mask_in(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_in(item) for key, item in value.items()}
    return value
