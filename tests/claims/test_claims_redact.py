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
