"""The summary the user confirms, in their language (actions/declaration/summary.py)."""
from __future__ import annotations

import pytest

from actions.declaration.summary import summary
from actions.forms import fields


def test_a_purchase_in_dutch():
    text = summary("ecommerce", {"kind": "non_delivery", "goods_category": "appliances", "amount": 329.0,
                                 "order_date": "2026-11-03", "merchant_response": "none"}, ["complaint_date"], "nl")
    assert text.splitlines() == [
        "• Wat er gebeurd is: aankoop op het internet (nooit geleverd)", "• Soort goed: huishoudtoestel",
        "• Bedrag: € 329,00", "• Besteld op: 03/11/2026", "• Klacht bij de webshop: nog niet",
        "• Antwoord van de webshop: nog geen antwoord"]


def test_excluded_goods_are_named_and_said_to_be_excluded_in_french():
    text = summary("ecommerce", {"kind": "non_delivery", "goods_category": "motor_vehicles", "amount": 1850.0},
                   [], "fr")
    assert "• Type de bien : véhicule motorisé (exclu par la police)" in text and "1 850,00 €" in text


def test_identity_theft_expenses_in_english():
    text = summary("identity_theft", {"occurred_on": "2026-11-22", "expenses": [
        {"type": "identity_documents", "amount": 35.0}, {"type": "postage", "amount": 12.0}]}, ["police_report"], "en")
    assert "• Expenses: identity documents EUR 35.00, postage EUR 12.00" in text
    assert "• Police report: not yet" in text


def test_unusual_facts_are_shown_and_usual_ones_are_not():
    usual = summary("ecommerce", {"kind": "non_delivery", "seller": "professional", "tracked_delivery": True}, [], "en")
    unusual = summary("ecommerce", {"kind": "non_delivery", "seller": "private", "tracked_delivery": False}, [], "en")
    assert "Seller" not in usual and "Tracked" not in usual
    assert "• Seller: a private person" in unusual and "• Tracked delivery: no" in unusual


@pytest.mark.parametrize("cover", fields.COVERS)
@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_every_cover_can_be_summarised_in_every_language(cover, lang):
    values = {q.slot: {"date": "2026-11-01", "amount": 10.0, "yes_no": True, "urls": ["x.com/a"],
                       "police_report": "BR.12.L3.054321/2026", "goods": "other",
                       "expenses": [{"type": "other", "amount": 5.0}]}.get(q.kind)
              or fields.CHOICES.get(q.slot, ("x",))[0] for q in fields.questions(cover)}
    lines = summary(cover, values, [], lang).splitlines()
    assert len(lines) >= len(fields.questions(cover)) and all(line.startswith("• ") for line in lines)


@pytest.mark.parametrize("lang, line", [("en", "• Who did it: unknown"), ("fr", "• Auteur : inconnu"),
                                        ("nl", "• Dader: onbekend")])
def test_who_did_it_answered_i_dont_know_is_unknown_not_not_yet(lang, line):
    """Seen: 'dunno, no idea who it is' showed as 'Who did it: not yet', and three corrections could not fix it."""
    text = summary("e_reputation", {"started_on": "2026-11-10", "channel": "social_network"}, ["offender"], lang)
    assert line in text.splitlines()
