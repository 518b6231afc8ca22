"""The hand-off actions on their own (a Rasa SDK tracker, a claims store in a temporary file): what the
user is told in and outside office hours, the pause, a form stopped, the first and second ask."""
from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.claims import handoffs
from actions.handoff import office_hours
from actions.handoff.actions import ActionHandBack, ActionHandOff


def tracker(intents, lang="fr", active_loop=None, slots=None):
    events = [{"event": "action", "name": "action_listen"}]
    for intent in intents:
        events += [{"event": "user", "text": intent, "parse_data": {"intent": {"name": intent}},
                    "input_channel": "webchat"},
                   {"event": "action", "name": "action_hand_off"}]
    latest = {"intent": {"name": intents[-1]}, "text": intents[-1]}
    return Tracker("web-test", {"language": lang, **(slots or {})}, latest, events, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


@pytest.fixture(autouse=True)
def claims_db(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_DB_URL", f"sqlite:///{tmp_path / 'claims.db'}")


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


def test_the_first_ask_offers_a_person_and_the_second_hands_off(monkeypatch):
    monkeypatch.setenv(office_hours.VARIABLE, "always")
    messages, events = run(ActionHandOff(), tracker(["request_human"]))
    assert [m["response"] for m in messages] == ["utter_offer_human"] and events == []
    messages, events = run(ActionHandOff(), tracker(["request_human", "request_human"]))
    assert messages[0]["response"] == "utter_handoff_queued"
    assert messages[0]["position"] == 1 and messages[0]["hours"] == "jour et nuit, 7 jours sur 7"
    assert [event["event"] for event in events] == ["pause", "action"] and events[1]["name"] == "action_listen"
    entry = handoffs.open_handoff_of("web-test")
    assert (entry["reason"], entry["language"], entry["channel"]) == ("request_human", "fr", "webchat")


def test_outside_office_hours_the_user_is_told_when_and_given_the_24_7_line(monkeypatch):
    tomorrow = office_hours.DAYS[(datetime.now(office_hours.BELGIUM).weekday() + 1) % 7]
    monkeypatch.setenv(office_hours.VARIABLE, f"{tomorrow} 09:00-17:00")
    messages, _ = run(ActionHandOff(), tracker(["request_human", "affirm"], lang="nl"))
    assert messages[0]["response"] == "utter_handoff_after_hours"
    assert messages[0]["hours"].endswith(", 09:00–17:00")


def test_a_second_misunderstanding_hands_off_and_stops_a_running_form(monkeypatch):
    monkeypatch.setenv(office_hours.VARIABLE, "always")
    _, events = run(ActionHandOff(), tracker(["nlu_fallback"], lang="en", active_loop="ecommerce_form"))
    assert [event["event"] for event in events] == ["active_loop", "slot", "pause", "action"]
    assert handoffs.open_handoff_of("web-test")["reason"] == "misunderstood"


def test_the_hand_back_says_the_agent_finished_and_gives_the_tips_of_the_incident():
    messages, _ = run(ActionHandBack(), tracker(["EXTERNAL_hand_back"], slots={"cover": "payment_fraud"}))
    assert [m["response"] for m in messages] == ["utter_handed_back", "utter_prevention_tips_payment_fraud"]
    messages, _ = run(ActionHandBack(), tracker(["EXTERNAL_hand_back"]))
    assert [m["response"] for m in messages] == ["utter_handed_back", "utter_prevention_tips"]


def test_a_new_session_keeps_a_conversation_with_the_desk_paused():
    from actions.declaration.actions import ActionSessionStart

    _, events = run(ActionSessionStart(), tracker(["greet"]))
    assert events[0]["event"] == "session_started" and events[-1]["event"] == "action"
    handoffs.open_handoff("web-test", language="fr", channel="webchat", reason="request_human")
    messages, events = run(ActionSessionStart(), tracker(["greet"]))
    assert events[-1]["event"] == "pause" and messages == []
