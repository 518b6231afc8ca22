"""What each cover's form asks, in what order, and only when needed (actions/forms/fields.py)."""
from __future__ import annotations

import pytest
import yaml

from actions.forms import fields
from tests.nlu_data import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def asked(cover: str, values: dict, declined=()) -> list:
    """The questions the form would ask, one after the other, answering each with 'x'."""
    values, order = dict(values), []
    while (question := fields.next_question(cover, values, declined)) is not None:
        order.append(question.slot)
        values[question.slot] = "x"
    return order


def test_a_non_delivery_told_in_full_asks_only_the_complaint():
    told = {"kind": "non_delivery", "goods_category": "appliances", "amount": 329.0, "order_date": "2026-11-01"}
    assert asked("ecommerce", told) == ["merchant", "complaint_date", "merchant_response"]
    assert asked("ecommerce", {**told, "merchant": "Coolblue"}) == ["complaint_date", "merchant_response"]


def test_a_non_conforming_delivery_also_asks_the_delivery_date():
    assert asked("ecommerce", {"kind": "non_conforming"}) == [
        "goods_category", "amount", "merchant", "order_date", "delivery_date", "complaint_date", "merchant_response"]


def test_no_complaint_yet_skips_the_merchant_answer():
    told = {"kind": "non_delivery", "goods_category": "books", "amount": 20.0, "order_date": "2026-11-01"}
    assert asked("ecommerce", told, declined=["merchant", "complaint_date"]) == []


def test_return_shipping_is_asked_only_when_the_shop_refunded_or_replaced():
    told = {"kind": "non_conforming", "goods_category": "books", "amount": 20.0, "merchant": "bol.com",
            "order_date": "2026-11-01", "delivery_date": "2026-11-03", "complaint_date": "2026-11-04"}
    assert fields.next_question("ecommerce", {**told, "merchant_response": "refused"}, ()) is None
    assert fields.next_question("ecommerce", {**told, "merchant_response": "refunded"}, ()).slot == \
        "return_shipping_cost"


def test_who_it_happened_to_is_asked_only_when_the_story_names_someone_else():
    assert "relation" not in asked("e_reputation", {})
    assert asked("e_reputation", {"relation_hint": True})[0] == "relation"


@pytest.mark.parametrize("cover, expected", [
    ("identity_theft", ["misuse", "misused_at", "occurred_on", "police_report", "expenses"]),
    ("e_reputation", ["started_on", "channel", "offender", "urls", "police_report"]),
    ("data_recovery", ["device", "cause", "occurred_on", "cost_estimate"]),
    ("payment_fraud", ["occurred_on", "amount", "card_blocked", "bank_notified", "bank", "payee", "police_report"]),
])
def test_each_cover_asks_few_questions_in_a_natural_order(cover, expected):
    assert asked(cover, {}) == expected


@pytest.mark.parametrize("cover", fields.COVERS)
def test_every_question_can_be_asked_in_three_languages(cover):
    responses = DOMAIN["responses"]
    form = fields.FORM_OF_COVER[cover]
    for question in fields.IDENTIFICATION + fields.questions(cover):
        name = next((n for n in (f"utter_ask_{form}_{question.slot}", f"utter_ask_{question.slot}") if n in responses),
                    None)
        assert name is not None, f"no question for {question.slot} in {form}"
    assert f"validate_{form}" in DOMAIN["actions"]
    assert DOMAIN["forms"][form]["required_slots"][:2] == ["policy_number", "birth_date"]


def test_the_forms_required_slots_are_the_question_table_in_its_order():
    """The domain lists each form's slots for Rasa; fields.py is where they are decided (one place)."""
    for cover in fields.COVERS:
        form = DOMAIN["forms"][fields.FORM_OF_COVER[cover]]["required_slots"]
        expected = ["policy_number", "birth_date", *(q.slot for q in fields.questions(cover)), *fields.CONTROL_SLOTS]
        assert form == expected, cover


def test_every_fact_the_forms_fill_is_a_slot_with_a_custom_mapping():
    for slot in fields.all_fact_slots() + fields.CONTROL_SLOTS:
        assert DOMAIN["slots"][slot]["mappings"] == [{"type": "custom"}], slot
        assert DOMAIN["slots"][slot]["influence_conversation"] is False
