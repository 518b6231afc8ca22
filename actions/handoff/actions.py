"""The Rasa actions that bring a person of the Cyber Care team into the conversation.

Until a person has taken the conversation, the bot answers every message (DESIGN.md "Never silent"):
- `hand_off(...)` puts the conversation in the desk's queue with its dossier and summary for the agent. A filed
  claim is a *case*: an agent will handle the dossier and write in this conversation; the user is told so and the
  bot goes on. The user asking for a person, two misunderstandings or a check that refers the claim to a person
  make it a *live wait*: the user is told their real place in the queue and the expected time (or, outside
  office hours, when the desk opens and the 24/7 line), and the bot still answers what it can.
  Only when an agent takes the conversation does the bot stop talking (bot/desk pauses it).
- `action_hand_off`: the first "I want a person" offers a person (a button, which is the second ask) and the
  24/7 line; the second ask, a "yes" to the offer, or a second misunderstanding in a row hands off at once;
- `action_cancel_handoff`: "laat maar", "plus besoin", "never mind": back to the bot (a case stays a case);
- `action_wait_status`: "when will someone answer?", "allo? vous êtes encore là?": the honest state of the wait;
- `action_hand_back`: run when the agent hands back (the desk resumes the conversation and triggers the intent
  `EXTERNAL_hand_back`): the agent has finished, the bot is here again, prevention tips.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.claims import handoffs, store
from actions.claims.models import LIVE_REASONS
from actions.conversation.slots import STATE_SLOT
from actions.forms import fields
from actions.forms.fields import DECLARATION_SLOTS
from actions.forms.state import FormState

from . import office_hours
from .summary import summaries, texts

logger = logging.getLogger(__name__)

HAND_BACK_ACTION = "action_hand_back"
ASKS_BEFORE_HANDOFF = 2


def _language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "nl"


async def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, *,
                   reference: Optional[str] = None, decision: Optional[Dict[str, Any]] = None,
                   filed: bool = False) -> List[EventType]:
    """Queues the conversation for an agent (a case, or a live wait) and tells the user what happens now.
    The bot is not paused: it answers until an agent takes the conversation."""
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
    if reason in LIVE_REASONS:
        tell_wait(dispatcher, entry, lang)
    else:
        dispatcher.utter_message(response="utter_case_queued", reference=reference or "")
    return []


def tell_wait(dispatcher: CollectingDispatcher, entry: Dict[str, Any], lang: str, again: bool = False) -> None:
    """The wait as it is: the place among everyone waiting for the same agents and the time it usually takes;
    outside office hours, when the desk opens and the 24/7 line. `again` ("hallo? is daar iemand?" while
    waiting): a short "still here, still number N" instead of queueing them a second time in words."""
    windows = office_hours.configured()
    now = datetime.now(timezone.utc)
    if not office_hours.is_open(now, windows):
        opens = office_hours.next_opening(now, windows)
        dispatcher.utter_message(response="utter_handoff_after_hours", hours=office_hours.describe(windows, lang),
                                 opens=office_hours.describe_opening(opens, lang) if opens else "")
        return
    position, wait = entry.get("position") or 1, describe_wait(entry.get("expected_wait_seconds"), lang)
    if again:
        dispatcher.utter_message(text=texts()["still_waiting"][lang].format(position=position, wait=wait))
        return
    dispatcher.utter_message(response="utter_handoff_queued", position=position, wait=wait)


def describe_wait(seconds: Optional[int], lang: str) -> str:
    """"ongeveer 10 minuten", "environ 1 heure", "about 25 minutes" (rounded to 5 minutes, at least 5)."""
    words = texts()["wait"]
    minutes = max(5, int(round((seconds or handoffs.DEFAULT_WAIT_SECONDS) / 300.0)) * 5)
    if minutes >= 90:
        return words["hours"][lang].format(count=round(minutes / 60))
    if minutes >= 60:
        return words["hour"][lang]
    return words["minutes"][lang].format(count=minutes)


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


async def _open_handoff(sender_id: str) -> Optional[Dict[str, Any]]:
    try:
        return await asyncio.to_thread(handoffs.open_handoff_of, sender_id)
    except Exception:  # the answer must not fail because the store is unreachable
        logger.exception("handoff lookup failed")
        return None


class ActionHandOff(Action):
    def name(self) -> Text:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        if intent == "nlu_fallback":
            return await hand_off(dispatcher, tracker, "misunderstood")
        waiting = await _open_handoff(tracker.sender_id)
        if waiting and waiting.get("live") and waiting["status"] == "waiting":
            tell_wait(dispatcher, waiting, _language(tracker), again=True)  # asked again: already in the queue
            return []
        if intent == "affirm" or requests_for_a_person(tracker) >= ASKS_BEFORE_HANDOFF:
            return await hand_off(dispatcher, tracker, "request_human")
        dispatcher.utter_message(response="utter_offer_human")
        return []


class ActionCancelHandoff(Action):
    """"laat maar", "plus besoin", "never mind": the user no longer waits for a person."""

    def name(self) -> Text:
        return "action_cancel_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        withdrawn = await asyncio.to_thread(handoffs.withdraw_live, tracker.sender_id)
        dispatcher.utter_message(response="utter_handoff_cancelled" if withdrawn else "utter_no_problem")
        return []


class ActionStop(Action):
    """"stop", "laissez tomber" outside a declaration: a wait for a person is withdrawn; after a filed claim the
    user hears that the claim stays filed (never "nothing was sent")."""

    def name(self) -> Text:
        return "action_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if await asyncio.to_thread(handoffs.withdraw_live, tracker.sender_id):
            dispatcher.utter_message(response="utter_handoff_cancelled")
        elif tracker.get_slot("claim_reference"):
            dispatcher.utter_message(response="utter_stop_after_claim")
        else:
            dispatcher.utter_message(response="utter_stop")
        return []


class ActionWaitStatus(Action):
    """"when will the agent answer me?", "hallo? is daar iemand?": where the wait stands, honestly."""

    def name(self) -> Text:
        return "action_wait_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang = _language(tracker)
        entry = await _open_handoff(tracker.sender_id)
        if entry is None:
            dispatcher.utter_message(response="utter_wait_status_none")
        elif entry["status"] == "claimed":
            dispatcher.utter_message(response="utter_wait_status_claimed", agent=entry.get("agent") or "")
        elif entry.get("live"):
            tell_wait(dispatcher, entry, lang, again=True)
        else:
            dispatcher.utter_message(response="utter_case_queued", reference=entry.get("reference") or "")
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
