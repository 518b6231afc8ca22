"""Masking of payment data (card numbers, IBANs) in free text before it is stored or logged.

Only numbers that pass their check digits are masked (Luhn for cards, mod 97 for IBANs),
so order numbers and police report references are left alone.
"""
from __future__ import annotations

import re
from typing import Any

_CARD = re.compile(r"(?<![\dA-Za-z])\d(?:[ -]?\d){12,18}(?![\dA-Za-z])")
# Country, check digits, then groups of four; the match may run into a following word,
# so the longest prefix with valid check digits is what gets masked.
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])")
_SHORTEST_IBAN = 15
CARD_MASK = "[card number]"
IBAN_MASK = "[IBAN]"


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _iban_valid(compact: str) -> bool:
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def mask_payment_data(text: str) -> str:
    def card(match: re.Match[str]) -> str:
        return CARD_MASK if _luhn_valid(re.sub(r"[ -]", "", match.group())) else match.group()

    def iban(match: re.Match[str]) -> str:
        text = match.group()
        for end in range(len(text), _SHORTEST_IBAN - 1, -1):
            if text[end - 1] != " " and _iban_valid(text[:end].replace(" ", "").upper()):
                return IBAN_MASK + text[end:]
        return text

    return _CARD.sub(card, _IBAN.sub(iban, text))


def mask_in(value: Any) -> Any:
    """`value` (decoded JSON) with payment data masked in every text it holds."""
    if isinstance(value, str):
        return mask_payment_data(value)
    if isinstance(value, list):
        return [mask_in(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_in(item) for key, item in value.items()}
    return value
