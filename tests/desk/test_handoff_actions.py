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
from actions.handoff.actions import ActionHandBack, ActionHandOff, ActionWaitStatus


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
    assert messages[0]["position"] == 1 and messages[0]["wait"] == "environ 10 minutes"
    assert events == []  # the bot is not paused: it answers until an agent takes the conversation
    entry = handoffs.open_handoff_of("web-test")
    assert (entry["reason"], entry["language"], entry["channel"]) == ("request_human", "fr", "webchat")


def test_outside_office_hours_the_user_is_told_when_and_given_the_24_7_line(monkeypatch):
    tomorrow = office_hours.DAYS[(datetime.now(office_hours.BELGIUM).weekday() + 1) % 7]
    monkeypatch.setenv(office_hours.VARIABLE, f"{tomorrow} 09:00-17:00")
    messages, _ = run(ActionHandOff(), tracker(["request_human", "affirm"], lang="nl"))
    assert messages[0]["response"] == "utter_handoff_after_hours"
    assert messages[0]["hours"].endswith(", 09:00–17:00")


def test_a_second_misunderstanding_hands_off_and_the_running_form_goes_on(monkeypatch):
    monkeypatch.setenv(office_hours.VARIABLE, "always")
    messages, events = run(ActionHandOff(), tracker(["nlu_fallback"], lang="en", active_loop="ecommerce_form"))
    assert messages[0]["response"] == "utter_handoff_queued" and events == []
    assert handoffs.open_handoff_of("web-test")["reason"] == "misunderstood"


def test_the_hand_back_says_the_agent_finished_and_gives_the_tips_of_the_incident():
    messages, _ = run(ActionHandBack(), tracker(["EXTERNAL_hand_back"], slots={"cover": "payment_fraud"}))
    assert [m["response"] for m in messages] == ["utter_handed_back", "utter_prevention_tips_payment_fraud"]
    messages, _ = run(ActionHandBack(), tracker(["EXTERNAL_hand_back"]))
    assert [m["response"] for m in messages] == ["utter_handed_back", "utter_prevention_tips"]


def test_a_new_session_keeps_a_conversation_an_agent_has_taken_paused():
    from actions.declaration.actions import ActionSessionStart

    _, events = run(ActionSessionStart(), tracker(["greet"]))
    assert events[0]["event"] == "session_started" and events[-1]["event"] == "action"
    handoffs.open_handoff("web-test", language="fr", channel="webchat", reason="request_human")
    _, events = run(ActionSessionStart(), tracker(["greet"]))
    assert events[-1]["event"] == "action"  # waiting for a person: the bot still answers
    handoffs.claim("web-test", "Sofie", ("fr",))
    messages, events = run(ActionSessionStart(), tracker(["greet"]))
    assert events[-1]["event"] == "pause" and messages == []


@pytest.mark.parametrize("lang, start", [("nl", "Ik ben er nog."), ("fr", "Je suis toujours là."),
                                         ("en", "I'm still here.")])
def test_asking_again_while_waiting_says_still_here_not_the_whole_queue_text(monkeypatch, lang, start):
    """Seen: 'hallo? is daar iemand?' got 'Ik zet je in de wachtrij ...' again, as if queued a second time."""
    monkeypatch.setenv(office_hours.VARIABLE, "always")
    run(ActionHandOff(), tracker(["request_human", "affirm"], lang=lang))
    messages, _ = run(ActionWaitStatus(), tracker(["ask_wait_status"], lang=lang))
    assert messages[0]["text"].startswith(start) and "1" in messages[0]["text"]
    messages, _ = run(ActionHandOff(), tracker(["request_human"], lang=lang))
    assert messages[0]["text"].startswith(start)
