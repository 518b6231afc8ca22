"""The coverage check's input built from a declaration's slots (actions/forms/case.py), and the
decision the engine then gives: the form's facts mean what COVERAGE_SPEC says they mean."""
from __future__ import annotations

from datetime import date

from actions.coverage import check
from actions.forms.case import build_case

TODAY = date(2026, 11, 24)
POLICY = {"start_date": "2025-06-01", "end_date": None, "country": "BE"}


def test_a_non_delivery_becomes_an_ecommerce_case():
    values = {"kind": "non_delivery", "amount": 329.0, "goods_category": "appliances", "order_date": "2026-10-01",
              "complaint_date": "2026-10-10", "merchant_response": "none", "goods": "een robotstofzuiger",
              "confirmed": True, "policy_number": "CC-1"}
    case = build_case("ecommerce", values, POLICY, [], TODAY)
    assert case["incident"] == {"cover": "ecommerce", "occurred_on": "2026-10-01", "kind": "non_delivery",
                                "amount": 329.0, "goods_category": "appliances", "order_date": "2026-10-01",
                                "complaint_date": "2026-10-10", "merchant_response": "none"}
    assert case["claimant"] == {"relation": "policyholder"} and case["today"] == "2026-11-24"
    assert check(case)["decision"] == "covered"


def test_a_non_conforming_delivery_occurs_on_its_delivery_day():
    values = {"kind": "non_conforming", "order_date": "2026-11-01", "delivery_date": "2026-11-05"}
    assert build_case("ecommerce", values, POLICY, [], TODAY)["incident"]["occurred_on"] == "2026-11-05"


def test_facts_from_before_the_policy_were_known_before_cover():
    values = {"occurred_on": "2025-05-20", "police_report": "BR.12.L3.054321/2026"}
    case = build_case("identity_theft", values, POLICY, [], TODAY)
    assert case["incident"]["known_before_cover"] is True
    assert "known_before_cover" in check(case)["reasons"]


def test_an_empty_answer_is_left_out_so_the_check_asks_for_it():
    case = build_case("e_reputation", {"started_on": "2026-11-20", "channel": "forum", "urls": []}, POLICY, [], TODAY)
    assert "urls" not in case["incident"] and "police_report" not in case["incident"]
    decision = check(case)
    assert (decision["decision"], decision["missing"]) == ("incomplete", ["police_report"])


def test_history_and_relation_are_passed_on():
    history = [{"cover": "data_recovery", "date": "2026-07-01", "paid": 300.0}]
    case = build_case("data_recovery", {"device": "usb_stick", "cause": "human_error", "occurred_on": "2026-11-20",
                                        "relation": "family_household"}, POLICY, history, TODAY)
    assert case["history"] == history and case["claimant"] == {"relation": "family_household"}
    assert check(case)["reasons"] == ["annual_incident_limit"]
