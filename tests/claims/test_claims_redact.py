"""Masking of card numbers, IBANs and national numbers: only numbers with valid check digits are masked."""
from __future__ import annotations

import pytest

from actions.claims.redact import mask_in, mask_payment_data


@pytest.mark.parametrize("text, masked", [
    ("card 4111 1111 1111 1111.", "card [card number]."),
    ("card 4111-1111-1111-1111 then 2026", "card [card number] then 2026"),
    ("5500005555555559", "[card number]"),
    ("IBAN BE68 5390 0754 7034 please", "IBAN [IBAN] please"),
    ("iban be68539007547034", "iban [IBAN]"),
    ("NL91ABNA0417164300, thanks", "[IBAN], thanks"),
    ("order 4111111111111112", "order 4111111111111112"),          # fails the Luhn check
    ("account BE68539007547035", "account BE68539007547035"),      # fails mod 97
    ("PV BR.12.L3.054321/2026, call +32 470 12 34 56", "PV BR.12.L3.054321/2026, call +32 470 12 34 56"),
    ("rijksregisternummer 85.07.30-033.28.", "rijksregisternummer [national number]."),
    ("NN 85073003328", "NN [national number]"),
    ("NN 85073003329", "NN 85073003329"),                          # fails the national check
    ("born 30/07/1985, paid 1.234,56 euro", "born 30/07/1985, paid 1.234,56 euro"),
])
def test_mask_payment_data(text, masked) -> None:
    assert mask_payment_data(text) == masked


def test_mask_in_nested_data() -> None:
    data = {"incident": {"notes": ["paid with 4111111111111111"], "amount": 12.5, "ok": True}}
    assert mask_in(data) == {"incident": {"notes": ["paid with [card number]"], "amount": 12.5, "ok": True}}


CARD, IBAN = "4111 1111 1111 1111", "BE68 5390 0754 7034"
SEPARATORS = {"no-break space": "\u00a0", "narrow no-break space": "\u202f", "tab": "\t", "dot": ".",
              "slash": "/", "dash": "-", "en dash": "\u2013", "thin space": "\u2009", "two spaces": "  "}


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_card_numbers_and_ibans_are_masked_whatever_separates_their_groups(separator) -> None:
    card, iban = CARD.replace(" ", separator), IBAN.replace(" ", separator)
    assert mask_payment_data(f"kaart {card}, rekening {iban}.") == "kaart [card number], rekening [IBAN]."


@pytest.mark.parametrize("text", [
    "op 12/10/2026 249.99 euro betaald",           # a date and an amount side by side
    "bel 0470 12 34 56 of 0470 65 43 21",          # two phone numbers
    "bestelling 1234 5678 9012 3456 7",            # 17 digits failing the Luhn check
    "PV 2026/123456/7890",                         # a police report number
])
def test_numbers_that_are_not_cards_are_left_alone(text) -> None:
    assert mask_payment_data(text) == text
