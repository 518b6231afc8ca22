"""The rules are data: a limit, a window or a list changes by editing policy_rules/, not code."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from actions.coverage import RulesError, check, load_rules
from actions.coverage.rules import DEFAULT_RULES_DIR


@pytest.fixture
def rules_copy(tmp_path) -> Path:
    """A private copy of policy_rules/ to edit."""
    return Path(shutil.copytree(DEFAULT_RULES_DIR, tmp_path / "policy_rules"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should appear once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_raising_the_ecommerce_ceiling_in_yaml_changes_the_decision(rules_copy, make_case) -> None:
    history = [{"cover": "ecommerce", "date": "2026-07-01", "paid": 2500.0},
               {"cover": "ecommerce", "date": "2026-08-01", "paid": 2000.0}]
    case = make_case(amount=800.0, history=history)
    before = check(case, load_rules(rules_copy))
    assert (before["decision"], before["payable_max"]) == ("partially_covered", 500.0)

    _edit(rules_copy / "covers" / "ecommerce.yml", "annual_amount: 5000.00", "annual_amount: 6000.00")
    after = check(case, load_rules(rules_copy))
    assert (after["decision"], after["payable_max"], after["remaining"]["amount"]) == ("covered", 800.0, 700.0)
    assert check(case)["decision"] == "partially_covered"  # the project's own rules are untouched


def test_windows_and_counters_come_from_yaml(rules_copy, make_case) -> None:
    late = make_case(kind="non_conforming", delivery_date="2026-10-01", complaint_date="2026-10-10")
    fourth = make_case(history=[{"cover": "ecommerce", "date": f"2026-0{m}-01", "paid": 1.0} for m in (7, 8, 9)])
    early_loss = make_case("data_recovery", start_date="2026-09-01", occurred_on="2026-11-15")
    assert [check(c, load_rules(rules_copy))["decision"] for c in (late, fourth, early_loss)] == ["not_covered"] * 2 + [
        "covered"]

    ecommerce = rules_copy / "covers" / "ecommerce.yml"
    _edit(ecommerce, "complaint_days: 7 ", "complaint_days: 10 ")
    _edit(ecommerce, "annual_incidents: 3 ", "annual_incidents: 4 ")
    _edit(rules_copy / "covers" / "data_recovery.yml", "waiting_months: 2", "waiting_months: 3")
    edited = load_rules(rules_copy)
    assert [check(c, edited)["decision"] for c in (late, fourth, early_loss)] == ["covered", "covered", "not_covered"]


def test_lists_come_from_yaml(rules_copy, make_case) -> None:
    _edit(rules_copy / "covers" / "ecommerce.yml", "covered: [electronics, appliances, clothing, furniture, books,",
          "covered: [electronics, appliances, clothing, furniture, comics, books,")
    assert check(make_case(goods_category="comics"), load_rules(rules_copy))["decision"] == "covered"


def test_clause_references_come_from_yaml(rules_copy, make_case) -> None:
    cover_clause = '    clause: &cover_clause\n      nl: "IPID 27052020: Aankoop op het internet'
    _edit(rules_copy / "covers" / "ecommerce.yml", cover_clause + '"', cover_clause + ', art. 7"')
    assert check(make_case(), load_rules(rules_copy))["clauses"] == ["IPID 27052020: Aankoop op het internet, art. 7"]


@pytest.mark.parametrize("file, old, new, message", [
    ("covers/ecommerce.yml", "annual_amount: 5000.00", "annual_amount: -1", "covers/ecommerce.yml: limits.annual_amount"),
    ("covers/ecommerce.yml", "annual_amount: 5000.00", "annual_amout: 5000.00", "unknown limit"),
    ("covers/ecommerce.yml", "when: {seller: private}", "when: {sellr: private}", "not a field"),
    ("covers/ecommerce.yml", "benefit_type: payment", "benefit_type: money", "benefit_type"),
    ("policy.yml", "  months: 12", "  month: 12", "policy.yml: insurance_year: missing key 'months'"),
    ("covers/data_recovery.yml", "  - field: device\n", "  - field: illegal_data\n", "not an optional field"),
])
def test_mistakes_in_the_rules_are_reported_with_their_place(rules_copy, file, old, new, message) -> None:
    _edit(rules_copy / file, old, new)
    with pytest.raises(RulesError, match=message.replace("?", r"\?")):
        load_rules(rules_copy)


def test_a_missing_cover_file_is_reported(rules_copy) -> None:
    (rules_copy / "covers" / "payment_fraud.yml").unlink()
    with pytest.raises(RulesError, match="one file per cover"):
        load_rules(rules_copy)


def test_a_computed_rule_the_engine_does_not_know_is_reported(rules_copy, make_case) -> None:
    _edit(rules_copy / "covers" / "payment_fraud.yml", "exclusions: []",
          "exclusions:\n  - reason: moon_phase\n    computed: true\n    clause: {nl: x}")
    with pytest.raises(RulesError, match="moon_phase"):
        check(make_case("payment_fraud"), load_rules(rules_copy))


def test_every_exclusion_of_the_rules_has_a_clause_and_a_reason_of_the_spec(rules, spec_reason_codes) -> None:
    exclusions = [*rules.general_exclusions, *(e for cover in rules.covers.values() for e in cover.exclusions)]
    assert {e.reason for e in exclusions} <= spec_reason_codes
    assert all(e.clause.primary.startswith(("IPID", "Productpagina", "FAQ")) for e in exclusions)
