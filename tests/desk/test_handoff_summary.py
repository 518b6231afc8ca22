"""The three lines an agent reads first, in each language, and the transcript read from tracker events."""
from __future__ import annotations

from actions.coverage import check
from actions.handoff.summary import summaries
from bot.channels.transcript import transcript
from bot.desk.views import dossier_view, queue_item

POLICY = {"name": "An Peeters", "policy_number": "CC-DEMO-0001"}
FACTS = {"kind": "non_delivery", "amount": 329.0, "order_date": "2026-10-12", "goods_category": "appliances"}
CASE = {"today": "2026-11-30", "policy": {"start_date": "2024-01-01", "end_date": None, "country": "BE"},
        "claimant": {"relation": "policyholder"}, "history": [],
        "incident": {"cover": "ecommerce", "kind": "non_delivery", "occurred_on": "2026-10-12", "amount": 329.0,
                     "goods_category": "appliances", "seller": "professional", "order_date": "2026-10-12",
                     "complaint_date": "2026-10-14", "merchant_response": "none"}}


def test_three_lines_per_language_with_who_what_decision_and_why():
    decision = check(CASE)
    lines = summaries(reason="claim_filed", policy=POLICY, cover="ecommerce", facts=FACTS, decision=decision,
                      reference="CC-2026-000004", filed=True)
    assert set(lines) == {"nl", "fr", "en"}
    for lang, text in lines.items():
        assert len(text.splitlines()) == 3, (lang, text)
    en = lines["en"].splitlines()
    assert en[0] == "An Peeters (CC-DEMO-0001) · online purchase (never delivered) · EUR 329.00 · 12/10/2026"
    assert en[1].startswith("CC-2026-000004: Decision: covered")
    assert en[2] == "Handed over after the claim was filed"
    assert lines["nl"].splitlines()[0].startswith("An Peeters (CC-DEMO-0001) · aankoop op het internet (nooit")


def test_an_unidentified_user_without_a_dossier_and_what_is_missing():
    lines = summaries(reason="misunderstood", policy=None, cover=None, facts={}, decision=None, reference=None,
                      filed=False)
    assert lines["fr"].splitlines() == ["Non identifié · aucun incident déclaré", "Aucun dossier introduit.",
                                        "Deux messages de suite non compris"]
    incomplete = {"decision": "incomplete", "cover": "identity_theft", "missing": ["police_report"], "reasons": [],
                  "clauses": [], "remaining": None, "payable_max": None, "benefits": [], "claimable_from": None}
    draft = summaries(reason="request_human", policy=POLICY, cover="identity_theft", facts={}, decision=incomplete,
                      reference="CC-2026-000009", filed=False)
    assert draft["nl"].splitlines()[1] == "Ontwerp CC-2026-000009, niet ingediend."
    assert draft["nl"].splitlines()[2] == "Vroeg om een medewerker. Ontbreekt: Proces-verbaal"


def test_the_agent_gets_the_summary_and_the_decision_in_their_language():
    item = queue_item({"sender_id": "x", "summaries": {"nl": "n", "fr": "f", "en": "e"}}, "fr")
    assert item["summary"] == "f" and "summaries" not in item
    view = dossier_view({"reference": "CC-2026-000004", "cover": "ecommerce", "status": "submitted",
                         "case": CASE, "decision": check(CASE)}, "en")
    assert view["decision"] == "covered" and view["reasons"] == ["covered_non_delivery"]
    assert view["explanation"].startswith("Good news") and view["clauses"]
    assert view["facts"]["Amount"] == "EUR 329.00" and view["cover_label"] == "online purchase"


def test_the_transcript_keeps_user_bot_and_agent_messages_and_hides_triggers():
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "mijn pakje is niet aangekomen", "timestamp": 1764500000.0},
        {"event": "bot", "text": "Wat is je polisnummer?", "timestamp": 1764500001.0},
        {"event": "bot", "text": "Hallo, ik ben Sofie", "metadata": {"agent": "Sofie"}, "timestamp": 1764500002.0},
        {"event": "user", "text": "EXTERNAL: EXTERNAL_hand_back", "timestamp": 1764500003.0},
        {"event": "bot", "text": None},
    ]
    assert [(line["from"], line.get("agent")) for line in transcript(events)] == [
        ("user", None), ("bot", None), ("agent", "Sofie")]
    assert transcript(events)[0]["time"].startswith("2025-11-30T")
