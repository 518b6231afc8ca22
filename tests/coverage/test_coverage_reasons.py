"""Every reason code of the spec is reached, alone and in combination, in the spec's order."""
from __future__ import annotations

import pytest

from actions.coverage import check

_EXPENSIVE_LOAN = [{"type": "loans", "amount": 1500.0}]


def _history(cover: str, count: int, paid: float) -> list[dict]:
    return [{"cover": cover, "date": f"2026-0{6 + i}-15", "paid": paid} for i in range(count)]


# (code, base cover, case overrides, expected decision)
REASON_CASES = [
    # general
    ("policy_inactive", "ecommerce", {"end_date": "2026-10-31"}, "not_covered"),
    ("known_before_cover", "ecommerce", {"known_before_cover": True}, "not_covered"),
    ("outside_belgium", "e_reputation", {"country": "FR"}, "not_covered"),
    ("not_insured_person", "data_recovery", {"relation": "other"}, "not_covered"),
    ("household_member", "identity_theft", {"caused_by_household_member": True}, "not_covered"),
    ("illegal_activity", "e_reputation", {"illegal_activity": True}, "not_covered"),
    ("intentional_or_negligent", "data_recovery", {"intentional": True}, "not_covered"),
    ("published_by_authority", "identity_theft", {"published_by_authority": True}, "not_covered"),
    ("war_terrorism", "payment_fraud", {"war_terrorism": True}, "not_covered"),
    # e-commerce
    ("covered_non_delivery", "ecommerce", {}, "covered"),
    ("covered_non_conforming", "ecommerce",
     {"kind": "non_conforming", "delivery_date": "2026-10-01", "complaint_date": "2026-10-05"}, "covered"),
    ("return_shipping_only", "ecommerce",
     {"merchant_response": "refunded", "returned_to_merchant": True, "return_shipping_cost": 7.5}, "covered"),
    ("excluded_goods", "ecommerce", {"goods_category": "jewellery"}, "not_covered"),
    ("private_seller", "ecommerce", {"seller": "private"}, "not_covered"),
    ("second_hand", "ecommerce", {"second_hand": True}, "not_covered"),
    ("auction_site", "ecommerce", {"auction_site": True}, "not_covered"),
    ("bought_for_resale", "ecommerce", {"for_resale": True}, "not_covered"),
    ("delivery_strike", "ecommerce", {"delivery_problem": "strike"}, "not_covered"),
    ("delivery_pandemic", "ecommerce", {"delivery_problem": "pandemic"}, "not_covered"),
    ("no_delivery_receipt", "ecommerce", {"tracked_delivery": False}, "not_covered"),
    ("complaint_too_late", "ecommerce",
     {"kind": "non_conforming", "delivery_date": "2026-10-01", "complaint_date": "2026-10-09"}, "not_covered"),
    ("complaint_missing", "ecommerce", {"complaint_date": None}, "incomplete"),
    ("merchant_resolved", "ecommerce", {"merchant_response": "replaced"}, "not_covered"),
    ("merchant_response_pending", "ecommerce",
     {"complaint_date": "2026-11-10", "merchant_response": "none"}, "not_yet"),
    ("annual_amount_limit", "ecommerce", {"history": _history("ecommerce", 1, 5000.0)}, "not_covered"),
    ("annual_incident_limit", "ecommerce", {"history": _history("ecommerce", 3, 10.0)}, "not_covered"),
    # identity theft
    ("covered_identity_theft", "identity_theft", {}, "covered"),
    ("caused_by_insured", "identity_theft", {"caused_by_insured": True}, "not_covered"),
    ("provider_breach", "identity_theft", {"provider_breach": True}, "not_covered"),
    ("police_report_missing", "identity_theft", {"police_report": None}, "incomplete"),
    ("expenses_capped", "identity_theft", {"expenses": _EXPENSIVE_LOAN}, "partially_covered"),
    # e-reputation
    ("covered_e_reputation", "e_reputation", {}, "covered"),
    ("prior_to_cover", "e_reputation", {"started_on": "2025-05-01"}, "not_covered"),
    ("voluntary_disclosure", "e_reputation", {"voluntary_disclosure": True}, "not_covered"),
    ("live_communication", "e_reputation", {"channel": "video_conference"}, "not_covered"),
    ("press", "e_reputation", {"channel": "press"}, "not_covered"),
    ("police_report_missing", "e_reputation", {"police_report": None}, "incomplete"),
    ("annual_incident_limit", "e_reputation", {"history": _history("e_reputation", 3, 0.0)}, "not_covered"),
    ("annual_amount_limit", "e_reputation", {"history": _history("e_reputation", 2, 2500.0)}, "partially_covered"),
    # data recovery
    ("covered_data_recovery", "data_recovery", {}, "covered"),
    ("waiting_period", "data_recovery", {"start_date": "2026-10-01"}, "not_covered"),
    ("device_not_covered", "data_recovery", {"device": "cloud"}, "not_covered"),
    ("malware", "data_recovery", {"cause": "malware"}, "not_covered"),
    ("illegal_data", "data_recovery", {"illegal_data": True}, "not_covered"),
    ("annual_incident_limit", "data_recovery", {"history": _history("data_recovery", 1, 300.0)}, "not_covered"),
    ("amount_capped", "data_recovery", {"cost_estimate": 950.0}, "partially_covered"),
    # payment fraud
    ("covered_payment_fraud_advice", "payment_fraud", {}, "covered"),
    ("police_report_missing", "payment_fraud", {"police_report": None}, "incomplete"),
]


@pytest.mark.parametrize("code, base, overrides, decision", REASON_CASES,
                         ids=[f"{base}-{code}" for code, base, _, _ in REASON_CASES])
def test_reason_is_reached(make_case, code, base, overrides, decision) -> None:
    result = check(make_case(base, **overrides))
    assert result["decision"] == decision
    assert result["reasons"] == [code]
    assert result["clauses"], "every decision says where its rule stands"


def test_every_reason_code_of_the_spec_is_reached(make_case, spec_reason_codes) -> None:
    seen = {reason for _, base, overrides, _ in REASON_CASES for reason in check(make_case(base, **overrides))["reasons"]}
    assert seen == spec_reason_codes


def test_each_cover_reaches_the_reasons_the_spec_lists_for_it(make_case, spec_reason_groups) -> None:
    for cover in ("ecommerce", "identity_theft", "e_reputation", "data_recovery", "payment_fraud"):
        seen = {reason for _, base, overrides, _ in REASON_CASES if base == cover
                for reason in check(make_case(base, **overrides))["reasons"]}
        assert set(spec_reason_groups[cover]) <= seen | set(spec_reason_groups["General"])


def test_all_exclusions_are_listed_general_first_in_spec_order(make_case, spec_reason_groups) -> None:
    result = check(make_case(relation="other", illegal_activity=True, caused_by_household_member=True,
                             second_hand=True, goods_category="weapons", seller="private", tracked_delivery=False))
    spec_order = [*spec_reason_groups["General"], *spec_reason_groups["ecommerce"]]
    expected = ["not_insured_person", "household_member", "illegal_activity",
                "excluded_goods", "private_seller", "second_hand", "no_delivery_receipt"]
    assert result["reasons"] == expected == sorted(expected, key=spec_order.index)
    assert result["decision"] == "not_covered"


def test_an_exclusion_wins_over_missing_evidence(make_case) -> None:
    result = check(make_case("identity_theft", police_report=None, provider_breach=True))
    assert (result["decision"], result["reasons"], result["missing"]) == ("not_covered", ["provider_breach"], [])


def test_missing_evidence_wins_over_not_yet(make_case) -> None:
    result = check(make_case(complaint_date="2026-11-20", merchant_response="none", amount=None))
    assert (result["decision"], result["missing"]) == ("incomplete", ["amount"])


def test_every_missing_fact_is_named(make_case) -> None:
    result = check(make_case(kind="non_conforming", amount=None, goods_category=None, complaint_date=None,
                             merchant_response=None, delivery_date=None))
    assert result["decision"] == "incomplete"
    assert result["missing"] == ["amount", "goods_category", "complaint_date", "merchant_response", "delivery_date"]
    e_reputation = check(make_case("e_reputation", police_report=None, started_on=None, channel=None))
    assert e_reputation["missing"] == ["police_report", "started_on", "channel"]
    data = check(make_case("data_recovery", device=None, cause=None))
    assert (data["missing"], data["reasons"]) == (["device", "cause"], ["covered_data_recovery"])


def test_return_shipping_needs_its_cost(make_case) -> None:
    result = check(make_case(merchant_response="refunded", returned_to_merchant=True))
    assert (result["decision"], result["reasons"], result["missing"]) == ("incomplete", ["return_shipping_only"],
                                                                          ["amount"])


def test_e_reputation_budget_spent_leaves_psychological_support(make_case) -> None:
    result = check(make_case("e_reputation", history=_history("e_reputation", 1, 5000.0)))
    assert result["benefits"] == ["psychological_support"]
    assert result["remaining"] == {"amount": 0.0, "incidents": 1}
    assert result["payable_max"] is None


def test_payment_fraud_is_advice_not_money(make_case) -> None:
    result = check(make_case("payment_fraud"))
    assert (result["payable_max"], result["benefits"], result["remaining"]) == (None, ["legal_information", "advice"],
                                                                                None)
