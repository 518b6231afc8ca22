"""Dates and counters at their edges: complaint windows, the merchant's 30 days, the waiting
period, insurance-year rollover (leap years too), the 5,000 ceiling and the 3rd incident."""
from __future__ import annotations

import pytest

from actions.coverage import check


def _history(cover: str, *entries: tuple[str, float]) -> list[dict]:
    return [{"cover": cover, "date": day, "paid": paid} for day, paid in entries]


# --- e-commerce: complaint within 7 calendar days of a non-conforming delivery -----------------


@pytest.mark.parametrize("complaint_date, decision, reasons", [
    ("2026-10-01", "covered", ["covered_non_conforming"]),   # the day of delivery
    ("2026-10-08", "covered", ["covered_non_conforming"]),   # day 7: in time
    ("2026-10-09", "not_covered", ["complaint_too_late"]),   # day 8: too late
])
def test_non_conforming_complaint_window(make_case, complaint_date, decision, reasons) -> None:
    result = check(make_case(kind="non_conforming", delivery_date="2026-10-01", complaint_date=complaint_date))
    assert (result["decision"], result["reasons"]) == (decision, reasons)


@pytest.mark.parametrize("today, decision, reasons", [
    ("2026-10-08", "incomplete", ["complaint_missing"]),    # still time to complain
    ("2026-10-09", "not_covered", ["complaint_too_late"]),  # the window closed without a complaint
])
def test_non_conforming_without_complaint(make_case, today, decision, reasons) -> None:
    result = check(make_case(today=today, kind="non_conforming", occurred_on="2026-10-01",
                             delivery_date="2026-10-01", complaint_date=None, merchant_response=None))
    assert (result["decision"], result["reasons"]) == (decision, reasons)


def test_non_delivery_without_complaint_asks_for_it(make_case) -> None:
    result = check(make_case(complaint_date=None))
    assert (result["decision"], result["reasons"], result["missing"]) == ("incomplete", ["complaint_missing"],
                                                                          ["complaint_date"])


# --- e-commerce: the merchant's 30 calendar days -------------------------------------------------


@pytest.mark.parametrize("today, decision, claimable_from", [
    ("2026-11-21", "not_yet", "2026-11-22"),  # day 29 of silence
    ("2026-11-22", "covered", None),          # day 30: claimable
    ("2026-11-23", "covered", None),          # day 31
])
def test_merchant_silence(make_case, today, decision, claimable_from) -> None:
    result = check(make_case(today=today, complaint_date="2026-10-23", merchant_response="none"))
    assert (result["decision"], result["claimable_from"]) == (decision, claimable_from)
    if decision == "not_yet":
        assert result["reasons"] == ["merchant_response_pending"]
        assert result["payable_max"] is None


def test_refusal_opens_the_refund_at_once(make_case) -> None:
    assert check(make_case(complaint_date="2026-11-20", merchant_response="refused"))["decision"] == "covered"


# --- data recovery: 2 months of waiting ----------------------------------------------------------


@pytest.mark.parametrize("start_date, occurred_on, decision", [
    ("2026-05-25", "2026-07-24", "not_covered"),  # last day inside the waiting period
    ("2026-05-25", "2026-07-25", "covered"),      # first day after it
    ("2025-12-31", "2026-02-27", "not_covered"),  # 31 December + 2 months = 28 February
    ("2025-12-31", "2026-02-28", "covered"),
])
def test_data_recovery_waiting_period(make_case, start_date, occurred_on, decision) -> None:
    result = check(make_case("data_recovery", start_date=start_date, occurred_on=occurred_on))
    assert result["decision"] == decision
    if decision == "not_covered":
        assert result["reasons"] == ["waiting_period"]


# --- insurance year ------------------------------------------------------------------------------


def test_history_of_the_day_before_the_anniversary_does_not_count_in_the_new_year(make_case) -> None:
    history = _history("ecommerce", ("2026-05-31", 5000.0))
    new_year = check(make_case(occurred_on="2026-06-01", history=history))
    assert new_year["decision"] == "covered"
    assert new_year["remaining"] == {"amount": 4750.01, "incidents": 2}
    old_year = check(make_case(occurred_on="2026-05-31", history=history))
    assert (old_year["decision"], old_year["reasons"]) == ("not_covered", ["annual_amount_limit"])


@pytest.mark.parametrize("history_day, occurred_on, counts", [
    ("2025-02-27", "2025-02-27", True),   # first year: 29/02/2024 to 27/02/2025
    ("2025-02-27", "2025-02-28", False),  # anniversary on 28 February in a common year
    ("2028-02-28", "2028-02-28", True),   # year 28/02/2027 to 28/02/2028
    ("2028-02-28", "2028-02-29", False),  # anniversary on 29 February again in a leap year
])
def test_policy_started_on_29_february(make_case, history_day, occurred_on, counts) -> None:
    case = make_case(today="2028-03-15", start_date="2024-02-29", occurred_on=occurred_on,
                     order_date=None, complaint_date=occurred_on,
                     history=_history("ecommerce", (history_day, 4900.0)))
    result = check(case)
    expected = ("partially_covered", 100.0) if counts else ("covered", 249.99)
    assert (result["decision"], result["payable_max"]) == expected


# --- ceilings and counters -----------------------------------------------------------------------


@pytest.mark.parametrize("amount, decision, payable, reasons", [
    (1000.00, "covered", 1000.0, ["covered_non_delivery"]),
    (1000.01, "partially_covered", 1000.0, ["annual_amount_limit"]),
])
def test_exact_ecommerce_ceiling(make_case, amount, decision, payable, reasons) -> None:
    result = check(make_case(amount=amount, history=_history("ecommerce", ("2026-07-01", 4000.0))))
    assert (result["decision"], result["payable_max"], result["reasons"]) == (decision, payable, reasons)
    assert result["remaining"] == {"amount": 0.0, "incidents": 1}


def test_nothing_left_of_the_ceiling_is_not_covered(make_case) -> None:
    result = check(make_case(history=_history("ecommerce", ("2026-07-01", 5000.0))))
    assert (result["decision"], result["reasons"], result["payable_max"]) == ("not_covered", ["annual_amount_limit"], 0.0)


@pytest.mark.parametrize("earlier, decision, remaining_incidents", [
    (2, "covered", 0),       # the 3rd incident of the year
    (3, "not_covered", 0),   # the 4th
])
def test_third_and_fourth_incident(make_case, earlier, decision, remaining_incidents) -> None:
    history = _history("ecommerce", *[(f"2026-0{7 + i}-01", 10.0) for i in range(earlier)])
    result = check(make_case(history=history))
    assert result["decision"] == decision
    assert result["remaining"]["incidents"] == remaining_incidents
    if decision == "not_covered":
        assert result["reasons"] == ["annual_incident_limit"]


def test_claims_of_other_covers_do_not_count(make_case) -> None:
    history = _history("identity_theft", ("2026-07-01", 1000.0)) + _history("e_reputation", ("2026-07-02", 0.0))
    assert check(make_case(history=history))["remaining"] == {"amount": 4750.01, "incidents": 2}


@pytest.mark.parametrize("expense, decision, payable", [
    (400.00, "covered", 400.0),
    (400.01, "partially_covered", 400.0),
])
def test_identity_theft_expenses_ceiling_counts_earlier_reimbursements(make_case, expense, decision, payable) -> None:
    result = check(make_case("identity_theft", expenses=[{"type": "loans", "amount": expense}],
                             history=_history("identity_theft", ("2026-07-01", 600.0))))
    assert (result["decision"], result["payable_max"], result["remaining"]) == (decision, payable, {"amount": 0.0})


def test_identity_theft_other_expenses_are_not_reimbursed(make_case) -> None:
    result = check(make_case("identity_theft", expenses=[{"type": "other", "amount": 300.0},
                                                         {"type": "postage", "amount": 12.5}]))
    assert (result["decision"], result["payable_max"]) == ("covered", 12.5)


def test_identity_theft_without_expenses_pays_nothing_but_provides_services(make_case) -> None:
    result = check(make_case("identity_theft", expenses=None))
    assert (result["decision"], result["payable_max"]) == ("covered", 0.0)
    assert result["benefits"] == ["specialist_provider", "psychological_support", "expense_reimbursement"]


@pytest.mark.parametrize("estimate, decision, payable", [
    (800.00, "covered", 800.0),
    (800.01, "partially_covered", 800.0),
    (None, "covered", 800.0),  # no estimate yet: up to the cap
])
def test_data_recovery_cap(make_case, estimate, decision, payable) -> None:
    result = check(make_case("data_recovery", cost_estimate=estimate))
    assert (result["decision"], result["payable_max"], result["remaining"]) == (decision, payable, {"incidents": 0})


# --- the policy period ---------------------------------------------------------------------------


@pytest.mark.parametrize("today, end_date, active", [
    ("2026-06-30", "2026-06-30", True),   # declared on the last day
    ("2026-07-01", "2026-06-30", False),  # the day after
])
def test_declared_on_the_end_date(make_case, today, end_date, active) -> None:
    result = check(make_case(today=today, end_date=end_date, occurred_on="2026-05-01", order_date="2026-04-20",
                             complaint_date="2026-05-02"))
    assert (result["decision"] != "not_covered") is active
    if not active:
        assert result["reasons"] == ["policy_inactive"]


def test_declared_before_the_start(make_case) -> None:
    result = check(make_case(today="2026-11-22", start_date="2026-11-23", occurred_on="2026-11-20",
                             order_date=None, complaint_date="2026-11-21"))
    assert result["reasons"] == ["policy_inactive", "known_before_cover"]
