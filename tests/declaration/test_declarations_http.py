"""Whole declarations over HTTP against the running assistant (Rasa server + action server + claims
store), one per cover and language, from the user's own first message to a filed dossier.

Policies are created for each test relative to today, so the decisions do not depend on the day the
tests run; the checks read the tracker (Rasa's API) and the claims store the action server wrote.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from actions.claims.db import get_database
from actions.claims.handoffs import open_handoff_of
from tests import rasa_api
from tests.declaration.helpers import Declaration, new_policy
from tests.responses import response_text

TODAY = date.today()
REFERENCE = re.compile(r"CC-\d{4}-\d{6}")


def test_a_parcel_that_never_came_nl_is_covered_and_filed(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800))
    talk = Declaration(stack, chat(page_language="nl"))
    first = talk.say("Ik heb zeven weken geleden een robotstofzuiger van 329 euro besteld bij Coolblue en hij is "
                     "nooit aangekomen")
    assert first.endswith(response_text("utter_ask_policy_number", "nl"))
    # What the first message said is taken, and not asked again.
    slots = talk.slots()
    assert (slots["cover"], slots["kind"], slots["goods_category"], slots["amount"]) == (
        "ecommerce", "non_delivery", "appliances", 329.0)
    assert slots["order_date"] == (TODAY - timedelta(weeks=7)).isoformat()
    assert talk.say(policy.number) == response_text("utter_ask_birth_date", "nl")
    answer = talk.say(policy.birth_text)
    assert response_text("utter_identified", "nl") in answer
    assert answer.endswith(response_text("utter_ask_complaint_date", "nl"))
    complained = TODAY - timedelta(days=40)
    assert talk.say(f"ja, op {complained.strftime('%d/%m/%Y')}") == response_text("utter_ask_merchant_response", "nl")
    summary = talk.say("ze hebben nooit geantwoord")
    assert "€ 329,00" in summary and "huishoudtoestel" in summary and complained.strftime("%d/%m/%Y") in summary
    final = talk.say("ja dat klopt")
    assert talk.slots()["coverage_decision"] == "covered"
    reference = talk.slots()["claim_reference"]
    assert REFERENCE.fullmatch(reference) and reference in final
    assert "€ 329,00" in final
    dossier = talk.dossier(reference)
    assert dossier["status"] == "submitted" and dossier["decision"]["decision"] == "covered"
    assert dossier["case"]["incident"]["complaint_date"] == complained.isoformat()
    assert dossier["channel"] == "webchat" and dossier["sender_id"] == talk.chat.sender
    # The filed claim is a case for the desk; the bot stays: tips for the incident, and what to ask next.
    assert response_text("utter_case_queued", "nl").split("{", 1)[0] in final
    assert response_text("utter_prevention_tips_ecommerce", "nl") in final
    assert final.endswith(response_text("utter_after_claim", "nl"))
    case = open_handoff_of(talk.chat.sender, db=get_database(stack.settings.claims_db_url))
    assert case["reference"] == reference and not case["live"]


def test_an_e_bike_never_delivered_en_is_excluded_goods(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=400), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say("I bought an e-bike online for 1,850 euros and it never arrived")
    slots = talk.slots()
    assert (slots["cover"], slots["kind"], slots["goods_category"], slots["amount"]) == (
        "ecommerce", "non_delivery", "motor_vehicles", 1850.0)
    talk.identify(policy)
    # Goods and amount are not asked again: the next question is the shop, then the order date.
    assert talk.last.endswith(response_text("utter_ask_merchant", "en"))
    assert talk.say("some site called fietsdeal.be") == response_text("utter_ask_order_date", "en")
    talk.say("two months ago")
    talk.say(f"I complained on {(TODAY - timedelta(days=45)).strftime('%d/%m/%Y')}")
    talk.say("they refused")
    final = talk.say("yes")
    assert talk.slots()["coverage_decision"] == "not_covered"
    assert talk.dossier()["decision"]["reasons"] == ["excluded_goods"]
    assert "not covered" in final


def test_identity_theft_fr_without_police_report_is_incomplete_and_says_how(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=500), language="fr")
    talk = Declaration(stack, chat(page_language="fr"))
    first = talk.say("Quelqu'un a ouvert un compte bancaire à mon nom, je l'ai découvert avant-hier")
    assert first.endswith(response_text("utter_ask_policy_number", "fr"))
    talk.identify(policy)
    assert talk.slots()["occurred_on"] == (TODAY - timedelta(days=2)).isoformat()
    # Where the identity was misused, for the agent; then the police report the cover demands.
    assert talk.last.endswith(response_text("utter_ask_misused_at", "fr"))
    assert talk.say("chez ING je crois").endswith(response_text("utter_ask_police_report", "fr"))
    assert talk.say("pas encore") == response_text("utter_ask_expenses", "fr")
    talk.say("35 euros pour une nouvelle carte d'identité et 12 € de recommandés")
    assert talk.slots()["expenses"] == [{"type": "identity_documents", "amount": 35.0},
                                        {"type": "postage", "amount": 12.0}]
    final = talk.say("oui")
    assert talk.slots()["coverage_decision"] == "incomplete"
    assert response_text("utter_next_steps_police_report", "fr") in final
    assert talk.dossier()["decision"]["missing"] == ["police_report"]
    # The PV number sent later (after the agent handed back) completes the same dossier, and the
    # check runs again.
    reference = talk.slots()["claim_reference"]
    talk.hand_back()
    later = talk.say("mon PV est BR.21.L4.000777/2026")
    assert response_text("utter_dossier_completed", "fr").replace("{reference}", reference) in later
    assert talk.slots()["coverage_decision"] == "covered"
    dossier = talk.dossier(reference)
    assert dossier["decision"]["decision"] == "covered"
    assert dossier["case"]["incident"]["police_report"] == "BR.21.L4.000777/2026"


def test_cyberbullying_fr_with_pv_and_link_is_covered(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=500), language="fr")
    talk = Declaration(stack, chat(page_language="fr"))
    talk.say("Des photos humiliantes de moi circulent sur Instagram depuis hier, on m'insulte")
    talk.identify(policy)
    slots = talk.slots()
    assert slots["started_on"] == (TODAY - timedelta(days=1)).isoformat()
    assert slots["channel"] == "social_network"
    # Who is behind it, for the specialist; "I don't know" is an answer.
    assert talk.last.endswith(response_text("utter_ask_offender", "fr"))
    assert talk.say("je ne sais pas, un compte anonyme").endswith(response_text("utter_ask_urls", "fr"))
    talk.say("https://www.instagram.com/p/abc123")
    talk.say("mon PV est BR.12.L3.054321/2026")
    talk.say("oui c'est correct")
    slots = talk.slots()
    assert slots["coverage_decision"] == "covered"
    assert talk.dossier()["case"]["incident"]["urls"] == ["https://www.instagram.com/p/abc123"]


def test_ransomware_en_is_not_covered(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=900), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say("Ransomware encrypted all the photos on my laptop yesterday")
    talk.identify(policy)
    slots = talk.slots()
    assert (slots["device"], slots["cause"]) == ("laptop_hdd", "malware")
    assert talk.last.endswith(response_text("utter_ask_cost_estimate", "en"))
    talk.say("no")
    talk.say("yes")
    assert talk.slots()["coverage_decision"] == "not_covered"
    assert talk.dossier()["decision"]["reasons"] == ["malware"]


def test_data_loss_in_the_waiting_period_nl(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=20))
    talk = Declaration(stack, chat(page_language="nl"))
    talk.say("Ik heb per ongeluk al mijn foto's van mijn externe harde schijf gewist, gisteren")
    talk.identify(policy)
    talk.say("nee")
    final = talk.say("ja")
    assert talk.slots()["coverage_decision"] == "not_covered"
    assert talk.dossier()["decision"]["reasons"] == ["waiting_period"]
    assert final


def test_payment_fraud_nl_starts_with_first_aid(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=300))
    talk = Declaration(stack, chat(page_language="nl"))
    first = talk.say("Er zijn gisteren drie betalingen met mijn bankkaart gedaan die ik niet ken")
    assert response_text("utter_first_aid_payment_fraud", "nl") in first
    assert "078 170 170" in first
    talk.identify(policy)
    assert talk.slots()["occurred_on"] == (TODAY - timedelta(days=1)).isoformat()
    talk.answer_questions({"amount": "450 euro", "card_blocked": "ja", "bank_notified": "ja, ik heb mijn bank gebeld",
                           "bank": "KBC", "payee": "een webshop die ik niet ken, SHOPXZ LTD", "police_report": "PV BR.12.L3.054321/2026",
                           "confirmed": "ja"})
    slots = talk.slots()
    assert slots["coverage_decision"] == "covered"
    assert (slots["amount"], slots["card_blocked"], slots["bank_notified"]) == (450.0, True, True)
    assert talk.dossier()["decision"]["reasons"] == ["covered_payment_fraud_advice"]


def test_three_wrong_identifications_end_with_the_line_and_say_not_which(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=300), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say("My parcel never arrived")
    for attempt in range(3):
        talk.say(policy.number)
        answer = talk.say("01/01/1950")
        if attempt < 2:
            assert answer == "\n".join([response_text("utter_identification_mismatch", "en"),
                                        response_text("utter_ask_policy_number", "en")])
    assert response_text("utter_identification_failed", "en") in answer
    assert "02 552 51 65" in answer
    assert talk.slots()["policy_number"] is None


def test_a_question_in_the_middle_is_answered_and_the_form_goes_on(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800))
    talk = Declaration(stack, chat(page_language="nl"))
    talk.say("Mijn pakje is nooit geleverd")
    talk.identify(policy)
    asked = talk.last
    answer = talk.say("Hoeveel kost Cyber Care per maand eigenlijk?")
    assert answer == "\n".join([response_text("utter_faq/premium", "nl"), asked.split("\n")[-1]])


def test_a_correction_replaces_the_earlier_answer(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say("I ordered a laptop for 899 euros three weeks ago and it never came")
    talk.identify(policy)
    answer = talk.say("sorry, it was 999 euros")
    assert response_text("utter_noted_correction", "en") in answer
    assert talk.slots()["amount"] == 999.0


@pytest.mark.parametrize("lang, text, problem", [
    ("en", "-50 euros", "utter_negative_amount"),
    ("nl", "min 50 euro", "utter_negative_amount"),
    ("fr", "je ne sais pas trop", "utter_invalid_amount"),
])
def test_a_wrong_amount_is_asked_again_and_explained_after_two_failures(stack, chat, lang, text, problem):
    policy = new_policy(stack, start=TODAY - timedelta(days=800), language=lang)
    opener = {"nl": "Ik heb een jas besteld en die is nooit aangekomen",
              "fr": "J'ai commandé une veste qui n'est jamais arrivée",
              "en": "I ordered a jacket and it never arrived"}[lang]
    talk = Declaration(stack, chat(page_language=lang))
    talk.say(opener)
    talk.identify(policy)
    assert talk.last.endswith(response_text("utter_ask_amount", lang))
    first = talk.say(text)
    assert first == "\n".join([response_text(problem, lang), response_text("utter_ask_amount", lang)])
    second = talk.say(text)
    assert response_text("utter_explain_amount", lang) in second
    assert talk.slots()["amount"] is None


def test_a_date_in_the_future_is_refused(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say("I ordered a jacket for 80 euros at Zalando and it never arrived")
    talk.identify(policy)
    future = (TODAY + timedelta(days=30)).strftime("%d/%m/%Y")
    answer = talk.say(f"on {future}")
    assert answer.startswith(response_text("utter_date_in_future", "en"))
    assert talk.slots()["order_date"] is None


def test_stop_keeps_a_draft_that_can_be_resumed_later(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800))
    talk = Declaration(stack, chat(page_language="nl"))
    talk.say("Ik heb een gsm van 450 euro besteld maar hij is nooit geleverd")
    talk.identify(policy)
    assert talk.say("stop") == response_text("utter_ask_stop_confirmation", "nl")
    paused = talk.say("ja")
    draft = talk.store().find_draft(talk.chat.sender)
    assert draft is not None and draft["status"] == "draft" and draft["reference"] in paused
    assert draft["case"]["amount"] == 450.0
    # The user comes back later: a new session (started here through Rasa's API, as an expired
    # session would be) offers the draft, and its button resumes it.
    started = rasa_api.execute(stack.settings, talk.chat.sender, "action_session_start")
    offer = "\n".join(m.get("text", "") for m in started["messages"])
    assert draft["reference"] in offer
    resumed = talk.say("/resume_declaration")  # the offer's button
    assert resumed.endswith(response_text("utter_ask_birth_date", "nl"))
    talk.say(policy.birth_text)
    assert talk.slots()["amount"] == 450.0 and talk.slots()["goods_category"] == "electronics"


def test_claim_status_needs_identification_and_shows_only_own_dossiers(stack, chat):
    mine = new_policy(stack, start=TODAY - timedelta(days=800), language="en")
    other = new_policy(stack, start=TODAY - timedelta(days=800), language="en")
    store = Declaration.store_of(stack)
    my_reference = store.file_claim("someone", mine.number, "ecommerce", {"incident": {"occurred_on": "2026-01-01"}},
                                    {"decision": "incomplete", "payable_max": None}, language="en")
    other_reference = store.file_claim("someone-else", other.number, "ecommerce",
                                       {"incident": {"occurred_on": "2026-01-01"}},
                                       {"decision": "incomplete", "payable_max": None}, language="en")
    talk = Declaration(stack, chat(page_language="en"))
    assert talk.say(f"What is the status of my claim {other_reference}?") == response_text(
        "utter_ask_policy_number", "en")
    talk.say(mine.number)
    answer = talk.say(mine.birth_text)
    assert answer.endswith(response_text("utter_claim_reference_unknown", "en").replace("{reference}",
                                                                                          other_reference))
    answer = talk.say(f"And claim {my_reference}?")
    assert response_text("utter_claim_status_submitted", "en").replace("{reference}", my_reference) in answer


def test_a_declaration_survives_the_action_server_being_killed(stack, chat, tmp_path):
    """SIGKILL of the action server in the middle of a form: once it is back, the next answer continues
    the same form with every earlier answer kept (they live in the tracker store and the draft)."""
    import os
    import signal

    from bot.servers import start_actions

    policy = new_policy(stack, start=TODAY - timedelta(days=800), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say("I ordered a coffee machine for 149 euros on bol.com and it never arrived")
    talk.identify(policy)
    actions = next(p for p in stack.processes if p.name == "actions")
    os.killpg(actions.popen.pid, signal.SIGKILL)
    actions.popen.wait()
    restarted = start_actions(stack.settings, tmp_path)
    stack.processes[stack.processes.index(actions)] = restarted
    restarted.wait_ready(120)
    answer = talk.say("three weeks ago")
    assert answer == response_text("utter_ask_complaint_date", "en")
    slots = talk.slots()
    assert (slots["amount"], slots["goods_category"], slots["order_date"]) == (
        149.0, "appliances", (TODAY - timedelta(weeks=3)).isoformat())
    assert talk.store().find_draft(talk.chat.sender)["case"]["amount"] == 149.0


def test_goodbye_in_the_middle_asks_whether_to_stop_and_no_goes_on(stack, chat):
    policy = new_policy(stack, start=TODAY - timedelta(days=800), language="fr")
    talk = Declaration(stack, chat(page_language="fr"))
    talk.say("J'ai commandé une veste à 80 euros et elle n'est jamais arrivée")
    talk.identify(policy)
    asked = talk.last.split("\n")[-1]
    assert talk.say("au revoir") == response_text("utter_ask_stop_confirmation", "fr")
    assert talk.say("non") == "\n".join([response_text("utter_declaration_continue", "fr"), asked])
    assert talk.slots()["amount"] == 80.0
