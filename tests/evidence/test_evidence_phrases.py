"""The user's own words about facts the forms would otherwise ask (policy_rules/signals.yml, read by
actions/evidence/phrases.py)."""
from __future__ import annotations

import pytest

from actions.evidence.phrases import value_of as signal
from actions.evidence.text import fold


@pytest.mark.parametrize("fact, text, lang, value", [
    ("card_blocked", "ik heb mijn kaart nog niet geblokkeerd", "nl", False),
    ("card_blocked", "ik heb mijn kaart laten blokkeren via Card Stop, kaart geblokkeerd", "nl", True),
    ("card_blocked", "j'ai bloqué ma carte hier soir", "fr", True),
    ("card_blocked", "I haven't blocked it yet", "en", False),
    ("bank_notified", "I called my bank this morning", "en", True),
    ("merchant_response", "ils n’ont jamais répondu", "fr", "none"),
    ("merchant_response", "ze hebben geweigerd om terug te betalen", "nl", "refused"),
    ("merchant_response", "they refunded me last week", "en", "refunded"),
    ("seller", "gekocht via 2dehands.be van een particulier", "nl", "private"),
    ("second_hand", "une console d'occasion", "fr", True),
    ("auction_site", "won it on eBay", "en", True),
    ("tracked_delivery", "verstuurd zonder track and trace, zonder trackingcode", "nl", False),
    ("delivery_problem", "à cause de la grève de bpost", "fr", "strike"),
    ("device", "mijn externe harde schijf is kapot", "nl", "external_hdd"),
    ("device", "les photos de ma clé USB", "fr", "usb_stick"),
    ("cause", "mijn externe harde schijf is kapot", "nl", "device_damage"),
    ("cause", "a ransomware encrypted everything", "en", "malware"),
    ("channel", "elle a posté ça sur Instagram", "fr", "social_network"),
    ("provider_breach", "na het datalek bij mijn provider", "nl", True),
    ("relation_hint", "my daughter is being bullied", "en", "other_person"),
    ("negative", "nee", "nl", True),
    ("negative", "pas encore", "fr", True),
    ("bank_notified", "i havent called the bank yet", "en", False),
    ("merchant_response", "Il ne répond plus", "fr", "none"),
    ("merchant_response", "nope, still nothing", "en", "none"),
    ("merchant_response", "nog steeds niks gehoord", "nl", "none"),
])
def test_facts_are_read_in_three_languages(fact, text, lang, value):
    assert signal(fact, text, lang) == value


@pytest.mark.parametrize("fact, text, lang", [
    ("second_hand", "a brand new phone", "en"),
    ("card_blocked", "someone used my card", "en"),
    ("merchant_response", "ik heb een klacht gestuurd", "nl"),
    ("device", "", "fr"),
])
def test_nothing_is_read_where_nothing_is_said(fact, text, lang):
    assert signal(fact, text, lang) is None


def test_folding_removes_accents_and_case_and_keeps_every_position():
    assert fold("Réclamation ENVOYÉE") == "reclamation envoyee"
    assert len(fold("l’été à Liège")) == len("l’été à Liège")
