"""Explanations: every code has a text in nl, fr and en; amounts, dates and counters are told
in the reader's style; agents get the codes and the clauses."""
from __future__ import annotations

import pytest

from actions.coverage import check, explain
from actions.coverage.explain import LANGUAGES, format_money, texts

COVERS = ("ecommerce", "identity_theft", "e_reputation", "data_recovery", "payment_fraud")


def _decision(cover: str, **fields) -> dict:
    return {"decision": "not_covered", "cover": cover, "reasons": [], "payable_max": None, "benefits": [],
            "missing": [], "claimable_from": None, "remaining": None, "clauses": [], **fields}


@pytest.mark.parametrize("section, spec_fixture", [
    ("reasons", "spec_reason_codes"), ("missing", "spec_missing_names"), ("benefits", "spec_benefits"),
    ("decisions", "spec_decisions"),
])
def test_every_code_of_the_spec_has_a_text_in_three_languages(section, spec_fixture, request) -> None:
    for code in request.getfixturevalue(spec_fixture):
        entry = texts()[section].get(code)
        assert entry is not None, f"{section}: no text for {code}"
        assert all(isinstance(entry.get(lang), str) and entry[lang].strip() for lang in LANGUAGES), (section, code)


def test_every_benefit_and_cover_of_the_rules_has_a_text(rules) -> None:
    for cover in rules.covers.values():
        assert set(texts()["covers"][cover.cover]) == set(LANGUAGES)
        for benefit in cover.benefits:
            assert set(texts()["benefits"][benefit]) >= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reason_reads_for_every_cover_it_belongs_to(lang, spec_reason_groups) -> None:
    """The texts' placeholders ({annual_amount}, ...) resolve from each cover's limits."""
    for group, codes in spec_reason_groups.items():
        for cover in COVERS if group == "General" else (group,):
            for code in codes:
                text = explain(_decision(cover, reasons=[code]), lang)
                assert "{" not in text and len(text) > 40, (cover, code)


@pytest.mark.parametrize("amount, nl, fr, en", [
    (1000, "€ 1.000,00", "1 000,00 €", "EUR 1,000.00"),
    (4750.01, "€ 4.750,01", "4 750,01 €", "EUR 4,750.01"),
    (0.5, "€ 0,50", "0,50 €", "EUR 0.50"),
    (1234567.891, "€ 1.234.567,89", "1 234 567,89 €", "EUR 1,234,567.89"),
])
def test_amounts_in_belgian_style(amount, nl, fr, en) -> None:
    assert [format_money(amount, lang) for lang in LANGUAGES] == [nl, fr, en]


def test_explanation_tells_the_amount_and_what_is_left(make_case) -> None:
    history = [{"cover": "ecommerce", "date": "2026-07-01", "paid": 4000.0}]
    decision = check(make_case(amount=1500.0, history=history))
    assert "€ 1.000,00" in explain(decision, "nl")
    assert "1 000,00 €" in explain(decision, "fr")
    english = explain(decision, "en")
    assert "EUR 1,000.00" in english and "EUR 0.00" in english and "Claims left this insurance year: 1" in english


def test_explanation_tells_from_when_the_claim_can_be_declared(make_case) -> None:
    decision = check(make_case(complaint_date="2026-11-12", merchant_response="none"))
    assert decision["claimable_from"] == "2026-12-12"
    for lang in LANGUAGES:
        assert "12/12/2026" in explain(decision, lang)


def test_explanation_lists_what_is_missing_once(make_case) -> None:
    decision = check(make_case("e_reputation", police_report=None, channel=None))
    dutch = explain(decision, "nl")
    assert texts()["missing"]["channel"]["nl"] in dutch
    # The PV is named by its reason ("we need the PV number"), not listed a second time.
    assert texts()["reasons"]["police_report_missing"]["nl"] in dutch
    assert dutch.count("proces-verbaal") == 1
    assert texts()["missing"]["channel"]["fr"] in explain(decision, "fr")


def test_what_is_left_this_year_is_said_only_when_something_is_paid_or_provided(make_case) -> None:
    refused = check(make_case(seller="private"))
    assert refused["remaining"] and "Still available" not in explain(refused, "en")
    covered = check(make_case())
    assert "Still available this insurance year" in explain(covered, "en")


def test_explanation_gives_every_reason(make_case) -> None:
    decision = check(make_case(seller="private", auction_site=True))
    text = explain(decision, "fr")
    assert texts()["reasons"]["private_seller"]["fr"] in text and texts()["reasons"]["auction_site"]["fr"] in text


def test_cover_specific_wording_where_a_code_means_something_else(make_case) -> None:
    history = [{"cover": "e_reputation", "date": "2026-07-01", "paid": 5000.0}]
    text = explain(check(make_case("e_reputation", history=history)), "en")
    assert "specialist provider is used up" in text


def test_agent_explanation_is_one_line_in_words_with_the_clauses_and_no_codes(make_case) -> None:
    decision = check(make_case("identity_theft", expenses=[{"type": "loans", "amount": 1500.0}]))
    agent = explain(decision, "en", audience="agent")
    assert "\n" not in agent
    assert "partly covered" in agent and "Expenses are reimbursed up to EUR 1,000.00 per insurance year" in agent
    assert "EUR 1,000.00" in agent and decision["clauses"][0] in agent
    assert not any(code in agent for code in ("partially_covered", "expenses_capped", "identity_theft"))


def test_agent_explanation_shows_the_clause_of_the_agents_language(make_case) -> None:
    decision = check(make_case(goods_category="weapons"))
    assert "IPID 26152020: Y-a-t-il des exclusions à la couverture? Achat sur internet" in explain(
        decision, "fr", audience="agent")
    assert "IPID 27052020: Zijn er dekkingsbeperkingen? Aankoop op het internet" in explain(
        decision, "nl", audience="agent")


def test_every_example_explains_in_every_language_and_audience(example) -> None:
    decision = check(example["input"])
    for lang in LANGUAGES:
        for audience in ("user", "agent"):
            assert explain(decision, lang, audience).strip()


@pytest.mark.parametrize("lang, audience", [("de", "user"), ("nl", "robot")])
def test_unknown_language_or_audience_is_refused(make_case, lang, audience) -> None:
    with pytest.raises(ValueError):
        explain(check(make_case()), lang, audience)
