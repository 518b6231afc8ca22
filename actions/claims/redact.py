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

_CARD = re.compile(r"(?<![\dA-Za-z])\d(?:[ -]?\d){12,18}(?![\dA-Za-z])")
# Country, check digits, then groups of four; the match may run into a following word,
# so the longest prefix with valid check digits is what gets masked.
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])")
# 85.07.30-033.28, 850730 033 28, 85073003328
_NATIONAL = re.compile(r"(?<![\d.,/-])\d{2}[. ]?\d{2}[. ]?\d{2}[ .-]?\d{3}[ .]?\d{2}(?!\d|[.,]\d|/)")
_SHORTEST_IBAN = 15
CARD_MASK = "[card number]"
IBAN_MASK = "[IBAN]"
NATIONAL_MASK = "[national number]"


def mask_payment_data(text: str) -> str:
    """`text` with valid card numbers, IBANs and Belgian national numbers masked."""
    return mask_personal_numbers(text)[0]


def mask_personal_numbers(text: str) -> tuple[str, set[str]]:
    """(`text` masked, the kinds masked: "card", "iban", "national_number")."""
    found: set[str] = set()

    def card(match: re.Match[str]) -> str:
        if luhn.is_valid(re.sub(r"[ -]", "", match.group())):
            found.add("card")
            return CARD_MASK
        return match.group()

    def iban(match: re.Match[str]) -> str:
        text = match.group()
        for end in range(len(text), _SHORTEST_IBAN - 1, -1):
            if text[end - 1] != " " and iban_number.is_valid(text[:end].replace(" ", "").upper(), check_country=False):
                found.add("iban")
                return IBAN_MASK + text[end:]
        return text

    def national(match: re.Match[str]) -> str:
        if national_number.is_valid(re.sub(r"[ .-]", "", match.group())):
            found.add("national_number")
            return NATIONAL_MASK
        return match.group()

    masked = _CARD.sub(card, _IBAN.sub(iban, text))
    return _NATIONAL.sub(national, masked), found


def mask_in(value: Any) -> Any:
    """`value` (decoded JSON) with payment data masked in every text it holds."""
    if isinstance(value, str):
        return mask_payment_data(value)
    if isinstance(value, list):
        return [mask_in(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_in(item) for key, item in value.items()}
    return value
