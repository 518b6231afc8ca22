"""The Rasa actions that hand a conversation to a person and take it back.

- `hand_off(...)`: puts the conversation in the desk's queue with its dossier and three-line summary,
  tells the user what happens now (queue position, or outside office hours: later contact and the
  24/7 line), stops the form if one runs, and pauses the bot (`ConversationPaused`): the user's next
  messages go to the agent. Called after a filed claim (action_finish_declaration) and by:
- `action_hand_off`: the first "I want a person" offers a person (a button, which is the second ask)
  and the 24/7 line; the second ask, a "yes" to the offer, or a second misunderstanding in a row
  hands off at once;
- `action_hand_back`: run when the agent hands back (the desk resumes the conversation and triggers
  the intent `EXTERNAL_hand_back`): the agent has finished, the bot is here again, prevention tips.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claims import handoffs, store
from actions.forms import fields
from actions.forms.base import DECLARATION_SLOTS, REQUESTED_SLOT, STATE_SLOT
from actions.forms.state import FormState

from . import office_hours
from .summary import summaries

logger = logging.getLogger(__name__)

HAND_BACK_ACTION = "action_hand_back"
ACTION_LISTEN = "action_listen"
ASKS_BEFORE_HANDOFF = 2


def _language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "nl"


async def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, *,
                   reference: Optional[str] = None, decision: Optional[Dict[str, Any]] = None,
                   filed: bool = False) -> List[EventType]:
    """Queues the conversation for an agent and pauses the bot; returns the events to apply."""
    lang = _language(tracker)
    state = FormState.load(tracker.get_slot(STATE_SLOT))
    facts = {slot: tracker.get_slot(slot) for slot in DECLARATION_SLOTS}
    cover = tracker.get_slot("cover")
    if reference is None:
        reference, decision, filed = await _dossier_in_conversation(tracker, state)
    policy = await asyncio.to_thread(store.get_policy, state.identified) if state.identified else None
    entry = await asyncio.to_thread(
        handoffs.open_handoff, tracker.sender_id, language=lang,
        channel=tracker.get_latest_input_channel() or "webchat", reason=reason,
        policy_number=state.identified, reference=reference,
        summaries=summaries(reason=reason, policy=policy, cover=cover, facts=facts, decision=decision,
                            reference=reference, filed=filed))
    windows = office_hours.configured()
    hours = office_hours.describe(windows, lang)
    if office_hours.is_open(datetime.now(timezone.utc), windows):
        dispatcher.utter_message(response="utter_handoff_queued", position=entry["position"] or 1, hours=hours)
    else:
        dispatcher.utter_message(response="utter_handoff_after_hours", hours=hours)
    events: List[EventType] = []
    if (tracker.active_loop or {}).get("name"):  # the draft is kept; the form does not run under the agent
        events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    # The bot listens (to nobody) from here: the user's messages while paused, and the desk's
    # hand-back intent, then follow an action_listen as the rules expect of any user turn.
    return events + [ConversationPaused(), ActionExecuted(ACTION_LISTEN)]


async def _dossier_in_conversation(tracker: Tracker, state: FormState):
    """(reference, decision, filed) of the declaration in progress (its draft) or just filed."""
    if state.draft:
        return state.draft, None, False
    reference = tracker.get_slot("claim_reference")
    if reference and state.identified:
        dossier = await asyncio.to_thread(store.get_dossier_of, reference, state.identified)
        if dossier and dossier["status"] != "draft":
            return dossier["reference"], dossier.get("decision"), True
    return None, None, False


def requests_for_a_person(tracker: Tracker) -> int:
    """How many times the user asked for a person since the conversation (or the last hand-back) began."""
    asks = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "session_started" or (kind == "action" and event.get("name") == HAND_BACK_ACTION):
            break
        if kind == "user" and (event.get("parse_data") or {}).get("intent", {}).get("name") == "request_human":
            asks += 1
    return asks


class ActionHandOff(Action):
    def name(self) -> Text:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        if intent == "nlu_fallback":
            return await hand_off(dispatcher, tracker, "misunderstood")
        if intent == "affirm" or requests_for_a_person(tracker) >= ASKS_BEFORE_HANDOFF:
            return await hand_off(dispatcher, tracker, "request_human")
        dispatcher.utter_message(response="utter_offer_human")
        return []


class ActionHandBack(Action):
    def name(self) -> Text:
        return HAND_BACK_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_handed_back")
        cover = tracker.get_slot("cover")
        dispatcher.utter_message(response=f"utter_prevention_tips_{cover}" if cover in fields.COVERS
                                 else "utter_prevention_tips")
        return []
