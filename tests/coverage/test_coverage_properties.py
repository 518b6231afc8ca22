"""Properties over generated cases: what the engine promises for any valid or invalid input."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.coverage import InvalidCase, check, load_rules
from actions.coverage.cli import main
from actions.coverage.insurance_year import insurance_year

RULES = load_rules()
COVERS = tuple(RULES.covers)
FEW = settings(max_examples=100, deadline=None)  # the machine is small and shared

amounts = st.integers(min_value=0, max_value=900_000).map(lambda cents: cents / 100)
rarely_true = st.sampled_from([False] * 19 + [True])  # Hypothesis favours bounds: not an integer == 0


def dates(low: date, high: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=low, max_value=max(low, high))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Absent one time in six: evidence is mostly given, so that all decisions come up."""
    return st.sampled_from([True] * 5 + [False]).flatmap(lambda given: strategy if given else st.none())


@st.composite
def valid_cases(draw: st.DrawFn) -> dict[str, Any]:
    today = draw(dates(date(2021, 1, 1), date(2030, 12, 31)))
    days = st.integers(min_value=1, max_value=60)
    if draw(rarely_true):  # declared before the policy starts
        start = today + timedelta(days=draw(days))
        occurred = today - timedelta(days=draw(days))
    else:
        start = today - timedelta(days=draw(st.integers(min_value=0, max_value=1500)))
        occurred = start + timedelta(days=draw(st.integers(min_value=0, max_value=(today - start).days)))
        if draw(rarely_true):  # facts before the start
            occurred = start - timedelta(days=draw(days))
    end = draw(st.none() if not draw(rarely_true) else dates(start, today + timedelta(days=400)))
    cover = draw(st.sampled_from(COVERS))
    day_until_today = dates(occurred - timedelta(days=30), today)
    incident: dict[str, Any] = {
        "cover": cover, "occurred_on": occurred.isoformat(),
        **{flag: draw(rarely_true) for flag in ("known_before_cover", "caused_by_household_member",
                                                "illegal_activity", "intentional", "published_by_authority",
                                                "war_terrorism")},
        "country": draw(st.sampled_from(["BE"] * 15 + ["NL"])),
        "police_report": draw(st.sampled_from([None, "PV-1"])),
    }
    values = RULES.covers[cover].values
    if cover == "ecommerce":
        incident.update(
            kind=draw(st.sampled_from(["non_delivery", "non_conforming"])), amount=draw(maybe(amounts)),
            goods_category=draw(maybe(st.sampled_from(values("goods_category")))),
            seller=draw(st.sampled_from(["professional"] * 9 + ["private"])), second_hand=draw(rarely_true),
            auction_site=draw(rarely_true), for_resale=draw(rarely_true),
            delivery_date=draw(maybe(day_until_today.map(str))),
            complaint_date=draw(maybe(day_until_today.map(str))),
            merchant_response=draw(maybe(st.sampled_from(["none", "refused", "refunded", "replaced"]))),
            delivery_problem=draw(st.sampled_from([None] * 18 + ["strike", "pandemic"])),
            tracked_delivery=not draw(rarely_true), returned_to_merchant=draw(st.booleans()),
            return_shipping_cost=draw(maybe(amounts)),
        )
    elif cover == "identity_theft":
        incident.update(caused_by_insured=draw(rarely_true), provider_breach=draw(rarely_true),
                        expenses=draw(st.lists(st.fixed_dictionaries({
                            "type": st.sampled_from(values("expense_type")), "amount": amounts}), max_size=4)))
    elif cover == "e_reputation":
        incident.update(started_on=draw(maybe(day_until_today.map(str))),
                        channel=draw(maybe(st.sampled_from(values("channel")))),
                        voluntary_disclosure=draw(rarely_true))
    elif cover == "data_recovery":
        incident.update(device=draw(maybe(st.sampled_from(values("device")))),
                        cause=draw(maybe(st.sampled_from(["human_error", "device_damage", "software_bug", "malware"]))),
                        illegal_data=draw(rarely_true), cost_estimate=draw(maybe(amounts)))
    else:
        incident.update(bank_notified=draw(st.booleans()), card_blocked=draw(st.booleans()), amount=draw(maybe(amounts)))
    history = draw(st.lists(st.fixed_dictionaries({
        "cover": st.sampled_from(COVERS),
        "date": dates(today - timedelta(days=800), today).map(str),
        "paid": amounts.map(lambda a: a / 3),
    }), max_size=6))
    return {
        "today": today.isoformat(),
        "policy": {"start_date": start.isoformat(), "end_date": end.isoformat() if end else None, "country": "BE"},
        "claimant": {"relation": draw(st.sampled_from(["policyholder"] * 12 + list(RULES.values("relation"))))},
        "history": history,
        "incident": incident,
    }


def _left_this_year(case: dict[str, Any], ceiling: Decimal) -> Decimal:
    start = date.fromisoformat(case["policy"]["start_date"])
    occurred = date.fromisoformat(case["incident"]["occurred_on"])
    year = insurance_year(start, max(start, occurred))
    paid = sum((Decimal(str(h["paid"])) for h in case["history"]
                if h["cover"] == case["incident"]["cover"] and date.fromisoformat(h["date"]) in year), Decimal(0))
    return max(Decimal(0), ceiling - paid)


@FEW
@given(case=valid_cases())
def test_decisions_keep_to_the_contract(case, spec_decisions, spec_reason_codes, spec_missing_names,
                                        spec_output_keys) -> None:
    decision = check(case)
    assert tuple(decision) == spec_output_keys
    assert decision["decision"] in spec_decisions
    assert decision["reasons"] and set(decision["reasons"]) <= spec_reason_codes
    assert set(decision["missing"]) <= spec_missing_names
    assert (decision["decision"] == "incomplete") == bool(decision["missing"])
    assert (decision["decision"] == "not_yet") == (decision["claimable_from"] is not None)
    assert decision["clauses"]
    assert json.loads(json.dumps(decision)) == decision == check(case)  # plain JSON, and pure


@FEW
@given(case=valid_cases())
def test_payable_never_exceeds_what_is_asked_nor_the_ceiling_left(case) -> None:
    decision = check(case)
    payable = decision["payable_max"]
    for counter in (decision["remaining"] or {}).values():
        assert counter >= 0
    if decision["decision"] not in ("covered", "partially_covered") or payable is None:
        return
    payable = Decimal(str(payable))
    incident, limits = case["incident"], RULES.covers[case["incident"]["cover"]].limits
    if incident["cover"] == "ecommerce":
        asked = incident["return_shipping_cost"] if incident["merchant_response"] in ("refunded", "replaced") \
            else incident["amount"]
        assert payable <= Decimal(str(asked))
        assert payable <= _left_this_year(case, limits.annual_amount)
    elif incident["cover"] == "identity_theft":
        reimbursable = RULES.covers["identity_theft"].lists["expense_type"]["reimbursable"]
        asked = sum((Decimal(str(e["amount"])) for e in incident["expenses"] if e["type"] in reimbursable), Decimal(0))
        assert payable <= asked
        assert payable <= _left_this_year(case, limits.annual_amount)
    elif incident["cover"] == "data_recovery":
        assert payable <= limits.intervention_amount
        if incident["cost_estimate"] is not None:
            assert payable <= Decimal(str(incident["cost_estimate"]))
    if decision["decision"] == "partially_covered" and incident["cover"] != "e_reputation":
        assert payable < Decimal(str(asked if incident["cover"] != "data_recovery" else incident["cost_estimate"]))


# --- invalid input never produces a decision -------------------------------------------------------

def _not_a_date(value: Any) -> bool:
    try:
        return not (isinstance(value, str) and len(value) == 10 and date.fromisoformat(value))
    except ValueError:
        return True


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
not_none = json_scalars.filter(lambda v: v is not None) | st.lists(st.integers(), min_size=1, max_size=2)
bad_dates = (not_none.filter(_not_a_date)
             | st.sampled_from(["2026-02-30", "2026-13-01", "2026-00-10", "26-11-22", "2026/11/22", "1899-12-31"]))
bad_amounts = (st.floats(max_value=-0.001, allow_infinity=False) | st.integers(max_value=-1) | st.booleans() | st.text(max_size=8)
               | st.lists(st.integers(), max_size=2) | st.just(2e9))
bad_choices = not_none.filter(lambda v: not isinstance(v, str)) | st.text(max_size=12).filter(
    lambda v: v not in ("non_delivery", "non_conforming", "none", "refused", "refunded", "replaced",
                        "professional", "private", "strike", "pandemic"))
bad_booleans = not_none.filter(lambda v: not isinstance(v, bool))

# (path in the case, strategy of invalid values)
CORRUPTIONS = [
    (("today",), bad_dates), (("policy", "start_date"), bad_dates), (("incident", "occurred_on"), bad_dates),
    (("incident", "complaint_date"), bad_dates), (("incident", "amount"), bad_amounts),
    (("incident", "kind"), bad_choices), (("incident", "merchant_response"), bad_choices),
    (("incident", "seller"), bad_choices), (("incident", "delivery_problem"), bad_choices),
    (("incident", "goods_category"), bad_choices), (("incident", "cover"), bad_choices),
    (("claimant", "relation"), bad_choices), (("incident", "second_hand"), bad_booleans),
    (("incident", "tracked_delivery"), bad_booleans), (("history", 0, "paid"), bad_amounts),
    (("history", 0, "date"), bad_dates),
]


@st.composite
def corrupted_cases(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    path, values = draw(st.sampled_from(CORRUPTIONS))
    case = {
        "today": "2026-11-22",
        "policy": {"start_date": "2025-06-01", "end_date": None, "country": "BE"},
        "claimant": {"relation": "policyholder"},
        "history": [{"cover": "ecommerce", "date": "2026-07-01", "paid": 100.0}],
        "incident": {"cover": "ecommerce", "kind": "non_delivery", "occurred_on": "2026-10-01", "amount": 50.0,
                     "goods_category": "books", "complaint_date": "2026-10-02", "merchant_response": "refused"},
    }
    target = case
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = draw(values)
    return case, ".".join(str(k) for k in path).replace("history.0", "history[0]")


@FEW
@given(corrupted=corrupted_cases())
def test_invalid_input_never_produces_a_decision(corrupted) -> None:
    case, field = corrupted
    try:
        decision = check(case)
    except InvalidCase as error:
        assert error.field == field
    else:
        raise AssertionError(f"{field} = {case!r} gave a decision: {decision}")
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(["-"], stdin=io.BytesIO(json.dumps(case).encode()), stdout=stdout, stderr=stderr) == 2
    assert stdout.getvalue() == ""
    assert stderr.getvalue().startswith(f"invalid input: {field}: ") and stderr.getvalue().count("\n") == 1


@FEW
@given(payload=st.binary(max_size=120) | st.lists(st.integers() | st.booleans(), max_size=4).map(
    lambda items: json.dumps(items).encode()))
def test_garbage_gets_exit_2_and_one_line(payload) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(["-"], stdin=io.BytesIO(payload), stdout=stdout, stderr=stderr) == 2
    assert stdout.getvalue() == ""
    assert stderr.getvalue().startswith("invalid input: ") and stderr.getvalue().count("\n") == 1
