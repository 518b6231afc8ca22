"""Trackers for the form validator's unit tests (financial-demo's pattern: `Tracker.from_dict` -> `run()` ->
the events it returns), and a claims store on a temporary SQLite file with one policy."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.claims.db import get_database
from actions.claims.models import Policyholder
from actions.forms import validators
from actions.forms.state import FormState

DATA = Path(__file__).with_name("data")
POLICY = "CC-UNIT-0001"
BORN = date(1980, 3, 14)
VALIDATORS = {cls.form: cls for cls in (validators.ValidateEcommerceForm, validators.ValidateIdentityTheftForm,
                                        validators.ValidateEReputationForm, validators.ValidateDataRecoveryForm,
                                        validators.ValidatePaymentFraudForm, validators.ValidateIdentificationForm)}


@pytest.fixture(autouse=True)
def claims_store(tmp_path, monkeypatch):
    """The validator's claims store: a temporary SQLite file holding one policy, started long ago."""
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    monkeypatch.setenv("CLAIMS_DB_URL", url)
    monkeypatch.setenv("CYBERCARE_TODAY", "2026-11-24")
    with get_database(url).session() as session:
        session.add(Policyholder(policy_number=POLICY, name="Unit Test", birth_date=BORN, start_date=date(2024, 1, 1),
                                 country="BE", household_size=2, language="nl"))
    return url


def tracker(form: str = "ecommerce_form", text: str = "", *, lang: str = "nl", intent: str = "inform",
            requested: Optional[str] = None, slots: Optional[Dict[str, Any]] = None, starting: bool = False,
            identified: bool = True, state: Optional[Dict[str, Any]] = None,
            entities: Iterable[Dict[str, Any]] = ()) -> Tracker:
    """A conversation in `form`: the user's latest message `text`, answering `requested` (or opening the form
    with `starting`), the policyholder identified unless told otherwise."""
    values = {"language": lang, "requested_slot": None if starting else requested, **(slots or {})}
    memory = FormState(identified=POLICY if identified else None, care_given=not starting).dump()
    memory.update(state or {})
    values["declaration_state"] = memory
    if identified:
        values.setdefault("policy_number", POLICY)
    user = {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}
    if starting:
        events = [{"event": "action", "name": "action_listen"}, user, {"event": "active_loop", "name": form}]
    else:
        events = [{"event": "active_loop", "name": form}, {"event": "action", "name": form},
                  {"event": "action", "name": "action_listen"}, user]
    return Tracker.from_dict({
        "sender_id": "unit-test", "slots": values, "events": events, "paused": False, "followup_action": None,
        "active_loop": {"name": form}, "latest_action_name": "action_listen",
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities),
                           "intent_ranking": [{"name": intent, "confidence": 0.9}]}})


def from_json(name: str, **latest: Any) -> Tracker:
    """A tracker kept as JSON in tests/forms/data (a conversation at a given step), with its latest message
    replaced by `latest` (text, intent)."""
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    if latest:
        message = data["latest_message"]
        message["text"] = latest.get("text", message["text"])
        message["intent"] = {"name": latest.get("intent", "inform"), "confidence": 0.9}
        data["events"][-1].update(text=message["text"], parse_data={"intent": message["intent"]})
    return Tracker.from_dict(data)


class Turn:
    """What the validator did with one message: the slots it set, what it said, the next question."""

    def __init__(self, events: List[Dict[str, Any]], dispatcher: CollectingDispatcher) -> None:
        self.events = events
        self.slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        self.said = [m.get("response") for m in dispatcher.messages]
        self.asks = self.slots.get("requested_slot")
        self.state = FormState.load(self.slots.get("declaration_state"))


async def run(tracker_: Tracker) -> Turn:
    form = tracker_.active_loop["name"]
    dispatcher = CollectingDispatcher()
    events = await VALIDATORS[form]().run(dispatcher, tracker_, {})
    return Turn(events, dispatcher)
