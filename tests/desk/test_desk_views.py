"""The dossier as the desk shows it (bot/desk/views.py): facts in words, and per cover the facts an agent needs
that the conversation does not hold, said to be not asked or not known."""
from __future__ import annotations

from bot.desk.views import dossier_view


def test_card_fraud_shows_the_payee_and_bank_an_agent_needs_even_when_not_asked():
    dossier = {"reference": "CC-2026-000001", "cover": "payment_fraud", "status": "submitted",
               "case": {"incident": {"amount": 450.0, "occurred_on": "2026-11-20", "card_blocked": True,
                                     "bank_notified": True, "declined": ["payee"]}}}
    view = dossier_view(dossier, "en")
    assert view["facts"]["Paid to"] == "not known to the customer"
    assert view["facts"]["Bank"] == "not asked"
    assert "450" in view["facts"]["Amount"]


def test_a_parcel_shows_its_shop_order_and_tracking_in_the_agents_language():
    dossier = {"reference": "CC-2026-000002", "cover": "ecommerce", "status": "submitted",
               "case": {"incident": {"goods": "tv", "amount": 499.0, "merchant": "Vandenborre",
                                     "order_date": "2026-10-01"}}}
    view = dossier_view(dossier, "nl")
    assert view["facts"]["Bestelnummer"] == "niet gevraagd" and view["facts"]["Zendingsnummer"] == "niet gevraagd"
    assert view["facts"]["Webshop"] == "Vandenborre" or "Vandenborre" in view["facts"].values()
