"""Waiting for a person (issue 16), over HTTP: every message is answered while the user waits, "never mind"
returns to the bot, two users waiting for the same agents are told different places, and the desk reads a
filed claim in words, without codes."""
from __future__ import annotations

import re
from datetime import date, timedelta

from bot.channels.inbound import error_text
from tests.declaration.helpers import Declaration, new_policy
from tests.responses import response_text

TODAY = date.today()
# What a code looks like: snake_case words (not_yet, merchant_response_pending, e_reputation).
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def wait_for_a_person(chat, lang: str):
    conversation = chat(page_language=lang)
    ask = {"nl": ("Ik wil met een medewerker spreken", "ja graag"), "fr": ("Je veux parler à un conseiller", "oui"),
           "en": ("I want to talk to a person", "yes please")}[lang]
    conversation.say(ask[0])
    queued = conversation.say(ask[1])
    assert response_text("utter_handoff_queued", lang).split("{", 1)[0] in queued
    return conversation, queued


def test_while_waiting_a_question_is_answered_with_a_note_and_never_mind_returns_to_the_bot(stack, chat, desk):
    conversation, _ = wait_for_a_person(chat, "nl")
    answer = conversation.say("Hoeveel kost Cyber Care per maand?")
    assert response_text("utter_faq/premium", "nl") in answer
    position = desk("Lotte").queue()[conversation.sender]["position"]
    assert error_text("with_agent_note", "nl").format(position=position) in answer
    where = conversation.say("hallo? is daar nog iemand?")
    assert str(position) in where
    assert conversation.say("laat maar, ik heb geen medewerker meer nodig") == response_text(
        "utter_handoff_cancelled", "nl")
    assert conversation.sender not in desk("Lotte").queue()
    assert conversation.say("Wat kost de verzekering?").strip()


def test_two_users_waiting_for_the_same_agents_are_told_different_places(stack, chat, desk):
    first, first_told = wait_for_a_person(chat, "fr")
    second, second_told = wait_for_a_person(chat, "fr")
    queue = desk("Sofie").queue(language="fr")
    places = queue[first.sender]["position"], queue[second.sender]["position"]
    assert places[1] == places[0] + 1
    assert str(places[0]) in first_told and str(places[1]) in second_told
    for conversation in (first, second):
        conversation.say("laissez tomber, je n'attends plus de conseiller")


def test_the_desk_reads_a_filed_claim_in_words_without_codes(stack, chat, desk):
    policy = new_policy(stack, start=TODAY - timedelta(days=800), language="en")
    talk = Declaration(stack, chat(page_language="en"))
    talk.say(f"I ordered a vacuum cleaner for 230 euros at Coolblue on {TODAY - timedelta(days=50):%d/%m/%Y}, it "
             f"never came. I complained on {TODAY - timedelta(days=12):%d/%m/%Y} and they don't answer")
    talk.identify(policy)
    talk.answer_questions({"relation": "myself", "confirmed": "yes", "return_shipping_cost": "no"})
    assert talk.slots()["coverage_decision"] == "not_yet"
    talk.say("I want to talk to a person")
    talk.say("yes")
    marc = desk("Marc")
    item = marc.queue()[talk.chat.sender]
    assert not CODE.search(item["summary"]), item["summary"]
    view = marc.get(f"conversations/{talk.chat.sender}").json()
    assert "Coolblue" in item["summary"] or "Coolblue" in str(view["dossier"]["facts"])
    bot_lines = [line["text"] for line in view["transcript"] if line["from"] == "bot"]
    assert any("Coolblue" in line or "230" in line for line in bot_lines)  # the bot's replies are in it
    talk.say("never mind")
