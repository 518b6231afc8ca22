"""Not understood: the likely incidents as buttons, else a request to rephrase (actions/declaration/rephrase.py)."""
from __future__ import annotations

import asyncio

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.declaration.rephrase import ActionAskRephrase, likely_reports
from tests.nlu_data import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def run(text: str, lang: str, ranking=(), events_too: bool = False):
    tracker = Tracker("web-t", {"language": lang}, {"text": text, "intent_ranking": list(ranking),
                                                   "intent": {"name": "nlu_fallback"}}, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskRephrase().run(dispatcher, tracker, DOMAIN))
    return (dispatcher.messages, events) if events_too else dispatcher.messages


def test_a_story_below_the_threshold_gets_its_cover_offered():
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "report_identity_theft", "confidence": 0.4497},
               {"name": "inform", "confidence": 0.2}]
    assert likely_reports("Help, iemand heeft een lening van 2000 euro op mijn naam afgesloten!!", "nl",
                          ranking)[0] == "report_identity_theft"
    [message] = run("Help, iemand heeft een lening op mijn naam afgesloten!!", "nl", ranking)
    assert message["buttons"][0] == {"title": "Identiteitsdiefstal", "payload": "/report_identity_theft"}
    assert len(message["buttons"]) <= 3 and message["text"].startswith("Ik ben niet zeker")


def test_a_story_with_its_facts_below_the_threshold_opens_its_declaration():
    """Seen on a clean clone's model: en-conv-02's opening read as `inform` at 0.40 (report_non_conforming 0.28)."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "inform", "confidence": 0.401},
               {"name": "report_non_conforming", "confidence": 0.284}]
    messages, events = run("hi, i ordered a custom gaming pc at alternate.be for 6500 euros on 20/09, it came on 14/10 "
                           "with a broken graphics card. they refuse to replace it", "en", ranking, events_too=True)
    assert messages == [] and events == [{"event": "followup", "timestamp": None, "name": "ecommerce_form"}]
    messages, events = run("Help, iemand heeft een lening van 2000 euro op mijn naam afgesloten!!", "nl", ranking,
                           events_too=True)
    assert messages == [] and events[0]["name"] == "identity_theft_form"


def test_two_covers_the_words_name_are_both_offered():
    offered = likely_reports("mon compte a été vidé et on a ouvert un crédit à mon nom", "fr", [])
    assert set(offered) >= {"report_payment_fraud", "report_identity_theft"}


def test_gibberish_is_asked_again_in_other_words():
    [message] = run("xqzvtr plomqwx", "en", [{"name": "nlu_fallback", "confidence": 0.45}])
    assert message["response"] == "utter_ask_rephrase" and not message["buttons"]
