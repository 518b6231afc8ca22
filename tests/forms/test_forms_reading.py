"""One message mapped onto a declaration's facts (actions/forms/reading.py): the answer to the
question asked, what else the user said, values that cannot be right, and corrections."""
from __future__ import annotations

from datetime import date

import pytest

from actions.forms.reading import Message, read_answer

TODAY = date(2026, 11, 24)


def read(text, lang, cover, requested=None, values=None, intent="inform", last_date_slot=None):
    return read_answer(Message(text, lang, TODAY, intent, []), cover, requested, values or {}, last_date_slot)


@pytest.mark.parametrize("text, lang, intent, expected", [
    ("I bought an e-bike online for 1,850 euros and it never arrived", "en", "report_non_delivery",
     {"kind": "non_delivery", "goods_category": "motor_vehicles", "goods": "e-bike", "amount": 1850.0}),
    ("Ik heb drie weken geleden een robotstofzuiger van 329 euro besteld bij Coolblue en hij is nooit aangekomen",
     "nl", "report_non_delivery",
     {"kind": "non_delivery", "goods_category": "appliances", "goods": "robotstofzuiger", "amount": 329.0,
      "order_date": "2026-11-03", "merchant": "Coolblue"}),
    ("J'ai reçu une veste abîmée, commandée le 2 novembre pour 89 €", "fr", "report_non_conforming",
     {"kind": "non_conforming", "goods_category": "clothing", "goods": "veste", "amount": 89.0,
      "order_date": "2026-11-02"}),
])
def test_the_first_message_fills_what_it_says(text, lang, intent, expected):
    assert read(text, lang, "ecommerce", intent=intent).updates == expected
    # Read as `inform` (the story opened the form as a runner-up), the words still say what went wrong.
    assert read(text, lang, "ecommerce", intent="inform").updates == expected


@pytest.mark.parametrize("text, lang, kind", [
    ("hij is nooit geleverd", "nl", "non_delivery"),
    ("le colis n'est jamais arrivé", "fr", "non_delivery"),
    ("it arrived broken", "en", "non_conforming"),
    ("het toestel werkt niet", "nl", "non_conforming"),
])
def test_what_went_wrong_is_read_from_the_words_when_asked(text, lang, kind):
    reading = read(text, lang, "ecommerce", requested="kind")
    assert reading.answered and reading.updates["kind"] == kind


@pytest.mark.parametrize("text, lang, cover, expected", [
    ("Quelqu'un a ouvert un compte bancaire à mon nom, je l'ai découvert avant-hier", "fr", "identity_theft",
     {"occurred_on": "2026-11-22", "misuse": "bank_account"}),
    ("Des photos de moi circulent sur Instagram depuis hier", "fr", "e_reputation",
     {"channel": "social_network", "platform": "Instagram", "started_on": "2026-11-23"}),
    ("Ransomware encrypted all the photos on my laptop yesterday", "en", "data_recovery",
     {"device": "laptop_hdd", "cause": "malware", "occurred_on": "2026-11-23"}),
    ("Ik heb per ongeluk mijn foto's van mijn externe harde schijf gewist", "nl", "data_recovery",
     {"device": "external_hdd", "cause": "human_error"}),
    ("Er zijn gisteren betalingen met mijn bankkaart gedaan en ik heb mijn bank gebeld", "nl", "payment_fraud",
     {"occurred_on": "2026-11-23", "bank_notified": True}),
    ("after a data breach someone used my identity, PV GE.21.L4.000777/2026", "en", "identity_theft",
     {"provider_breach": True, "police_report": "GE.21.L4.000777/2026"}),
])
def test_each_cover_reads_its_own_facts_from_the_story(text, lang, cover, expected):
    assert read(text, lang, cover).updates == expected


def test_someone_else_named_in_the_story_makes_the_form_ask_who():
    assert read("my daughter is being bullied on TikTok", "en", "e_reputation").relation_hint is True
    assert read("I am being bullied on TikTok", "en", "e_reputation").relation_hint is False


@pytest.mark.parametrize("text, lang, requested, expected", [
    ("CC-DEMO-0001", "nl", "policy_number", {"policy_number": "CC-DEMO-0001"}),
    ("cc demo 0001", "en", "policy_number", {"policy_number": "CC-DEMO-0001"}),
    ("mon numéro est CC-DEMO-0002, née le 30/09/1979", "fr", "policy_number",
     {"policy_number": "CC-DEMO-0002", "birth_date": "1979-09-30"}),
    ("12/04/1985", "nl", "birth_date", {"birth_date": "1985-04-12"}),
    ("ze hebben nooit geantwoord", "nl", "merchant_response", {"merchant_response": "none"}),
    ("ils ont refusé de me rembourser", "fr", "merchant_response", {"merchant_response": "refused"}),
    ("35 euros pour une nouvelle carte d'identité et 12 € de recommandés", "fr", "expenses",
     {"expenses": [{"type": "identity_documents", "amount": 35.0}, {"type": "postage", "amount": 12.0}]}),
    ("https://www.instagram.com/p/abc123", "fr", "urls",
     {"urls": ["https://www.instagram.com/p/abc123"], "channel": "social_network"}),
    ("mon PV est BR.12.L3.054321/2026", "fr", "police_report", {"police_report": "BR.12.L3.054321/2026"}),
    ("het is mijn dochter en ze woont bij mij", "nl", "relation", {"relation": "family_household"}),
    ("249,99", "nl", "amount", {"amount": 249.99}),
    ("a jacket", "en", "goods_category", {"goods": "a jacket", "goods_category": "clothing"}),
    ("a lamp shade thing", "en", "goods_category", {"goods": "a lamp shade thing", "goods_category": "furniture"}),
    ("something for the garden", "en", "goods_category", {"goods": "something for the garden",
                                                          "goods_category": "other"}),
    ("it cost me 8,50 euro to send it back", "nl", "return_shipping_cost",
     {"return_shipping_cost": 8.5, "returned_to_merchant": True}),
])
def test_answers_to_the_question_asked(text, lang, requested, expected):
    reading = read(text, lang, "ecommerce" if requested not in ("expenses", "urls", "police_report", "relation")
                   else {"expenses": "identity_theft", "urls": "e_reputation", "police_report": "e_reputation",
                         "relation": "e_reputation"}[requested], requested)
    assert reading.answered and reading.updates == expected


@pytest.mark.parametrize("text, lang, requested, intent", [
    ("nee", "nl", "complaint_date", "deny"),
    ("pas encore", "fr", "police_report", "deny"),
    ("no, I don't have one", "en", "cost_estimate", "deny"),
    ("not yet", "en", "urls", "inform"),
])
def test_no_or_not_yet_answers_an_optional_question(text, lang, requested, intent):
    cover = {"complaint_date": "ecommerce", "police_report": "identity_theft", "cost_estimate": "data_recovery",
             "urls": "e_reputation"}[requested]
    reading = read(text, lang, cover, requested, intent=intent)
    assert reading.answered and reading.declined and requested not in reading.updates


@pytest.mark.parametrize("text, lang, requested, values, problem", [
    ("-50 euros", "en", "amount", {}, "utter_negative_amount"),
    ("min 50 euro", "nl", "amount", {}, "utter_negative_amount"),
    ("je ne sais pas trop", "fr", "amount", {}, "utter_invalid_amount"),
    ("on 24/12/2026", "en", "order_date", {}, "utter_date_in_future"),
    ("morgen", "nl", "order_date", {}, "utter_date_in_future"),
    ("ja, op 15/10/2026", "nl", "complaint_date", {"order_date": "2026-11-03"}, "utter_date_before_order"),
    ("geleverd op 1 november", "nl", "delivery_date", {"order_date": "2026-11-03"}, "utter_date_before_order"),
    ("blabla", "en", "order_date", {}, "utter_invalid_date"),
    ("CC", "en", "policy_number", {}, "utter_invalid_policy_number"),
    ("01/01/2030", "en", "birth_date", {}, "utter_date_before_birth"),
    ("no idea", "en", "police_report", {}, None),
])
def test_values_that_cannot_be_right_are_not_taken(text, lang, requested, values, problem):
    cover = "identity_theft" if requested == "police_report" else "ecommerce"
    reading = read(text, lang, cover, requested, values)
    assert requested not in reading.updates
    if problem:
        assert not reading.answered and reading.problem == problem


def test_no_idea_about_the_police_report_is_a_no():
    assert read("no idea", "en", "identity_theft", "police_report").declined


def test_a_correction_replaces_an_earlier_answer():
    reading = read("sorry, it was 999 euros", "en", "ecommerce", "complaint_date", {"amount": 899.0})
    assert reading.updates == {"amount": 999.0} and reading.corrected == ["amount"]


def test_a_corrected_day_goes_to_the_date_given_last():
    reading = read("sorry, het was de 12de", "nl", "ecommerce", "complaint_date", {"order_date": "2026-11-03"},
                   last_date_slot="order_date")
    assert reading.updates == {"order_date": "2026-11-12"} and not reading.answered


def test_without_a_correction_word_a_given_value_is_not_replaced():
    reading = read("I paid 50 euros for shipping", "en", "ecommerce", "order_date", {"amount": 899.0})
    assert "amount" not in reading.updates


def test_dates_go_to_the_purchase_step_their_words_name():
    reading = read("besteld op 1 november, geleverd op 4 november", "nl", "ecommerce", "order_date")
    assert reading.updates == {"order_date": "2026-11-01", "delivery_date": "2026-11-04"}


def test_a_question_is_not_mistaken_for_an_answer():
    reading = read("Hoeveel kost Cyber Care per maand eigenlijk?", "nl", "ecommerce", "amount", intent="faq")
    assert not reading.answered and reading.updates == {}


def test_button_payloads_carry_the_value():
    reading = read('/inform{"channel":"forum"}', "en", "e_reputation", "channel")
    assert reading.answered and reading.updates == {"channel": "forum"}
    reading = read("/report_non_conforming", "en", "ecommerce", "kind", intent="report_non_conforming")
    assert reading.answered and reading.updates == {"kind": "non_conforming"}


@pytest.mark.parametrize("text, lang, expected", [
    ("j'ai payé 700 euros: 500 € de frais de prêt et 200 € de recommandés", "fr",
     [{"type": "loans", "amount": 500.0}, {"type": "postage", "amount": 200.0}]),
    ("35,50 euro voor een nieuwe identiteitskaart, 12 euro aangetekende brieven", "nl",
     [{"type": "identity_documents", "amount": 35.5}, {"type": "postage", "amount": 12.0}]),
    ("about 60 euros of phone calls", "en", [{"type": "own_phone_calls", "amount": 60.0}]),
    ("20 euros for something", "en", [{"type": "other", "amount": 20.0}]),
])
def test_expenses_are_split_by_kind_and_a_stated_total_is_not_counted_twice(text, lang, expected):
    reading = read(text, lang, "identity_theft", "expenses")
    assert reading.updates == {"expenses": expected}
