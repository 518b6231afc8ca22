"""Validation of the input: what is invalid (named by its path), what is merely missing."""
from __future__ import annotations

import pytest

from actions.coverage import InvalidCase, check


def _field_of_error(case) -> str:
    with pytest.raises(InvalidCase) as raised:
        check(case)
    return raised.value.field


@pytest.mark.parametrize("change, field", [
    (lambda c: c.pop("today"), "today"),
    (lambda c: c.update(today="22/11/2026"), "today"),
    (lambda c: c.update(policy=None), "policy"),
    (lambda c: c["policy"].update(start_date="2025-02-29"), "policy.start_date"),
    (lambda c: c["policy"].update(end_date="2025-01-01"), "policy.end_date"),  # before the start
    (lambda c: c["policy"].update(country="Belgium"), "policy.country"),
    (lambda c: c["policy"].pop("country"), "policy.country"),
    (lambda c: c.update(claimant={"relation": "neighbour"}), "claimant.relation"),
    (lambda c: c.update(claimant="policyholder"), "claimant"),
    (lambda c: c.update(history={"cover": "ecommerce"}), "history"),
    (lambda c: c.update(history=[{"cover": "ecommerce", "date": "2026-01-01"}]), "history[0].paid"),
    (lambda c: c.update(history=[{"cover": "ecommerce", "date": "2027-01-01", "paid": 5}]), "history[0].date"),
    (lambda c: c.update(history=[{"cover": "car", "date": "2026-01-01", "paid": 5}]), "history[0].cover"),
    (lambda c: c.update(incident=[]), "incident"),
    (lambda c: c["incident"].pop("occurred_on"), "incident.occurred_on"),
    (lambda c: c["incident"].update(occurred_on="2026-11-23"), "incident.occurred_on"),  # after today
    (lambda c: c["incident"].update(occurred_on="1850-01-01"), "incident.occurred_on"),
    (lambda c: c["incident"].pop("kind"), "incident.kind"),
    (lambda c: c["incident"].update(second_hand="yes"), "incident.second_hand"),
    (lambda c: c["incident"].update(second_hand=1), "incident.second_hand"),
    (lambda c: c["incident"].update(country="B"), "incident.country"),
    (lambda c: c["incident"].update(amount=2e9), "incident.amount"),
    (lambda c: c["incident"].update(goods_category="spaceship"), "incident.goods_category"),
    (lambda c: c["incident"].update(police_report=12345), "incident.police_report"),
])
def test_invalid_field_is_named_by_its_path(make_case, change, field) -> None:
    case = make_case()
    change(case)
    assert _field_of_error(case) == field


@pytest.mark.parametrize("base, incident, field", [
    ("identity_theft", {"expenses": [{"type": "postage"}]}, "incident.expenses[0].amount"),
    ("identity_theft", {"expenses": "postage"}, "incident.expenses"),
    ("e_reputation", {"urls": ["https://example.org", 3]}, "incident.urls[1]"),
    ("e_reputation", {"channel": "tv"}, "incident.channel"),
    ("data_recovery", {"device": "floppy"}, "incident.device"),
    ("data_recovery", {"cause": "magic"}, "incident.cause"),
    ("payment_fraud", {"bank_notified": "no"}, "incident.bank_notified"),
])
def test_cover_specific_fields_are_validated(make_case, base, incident, field) -> None:
    assert _field_of_error(make_case(base, **incident)) == field


def test_absent_facts_take_their_documented_defaults(make_case) -> None:
    # seller professional, tracked delivery, no exclusion flags, country BE, no history
    case = make_case(seller=None, tracked_delivery=None, second_hand=None, country=None)
    del case["history"]
    assert check(case)["decision"] == "covered"


def test_blank_police_report_counts_as_missing(make_case) -> None:
    decision = check(make_case("identity_theft", police_report="   "))
    assert (decision["decision"], decision["missing"]) == ("incomplete", ["police_report"])


def test_country_codes_are_case_insensitive(make_case) -> None:
    assert check(make_case(country="be"))["decision"] == "covered"
