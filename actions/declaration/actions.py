"""The Rasa actions around the declaration forms.

- `action_ask_confirmed`: the summary of what the user said, to confirm (slot `confirmed`);
- `action_finish_declaration`: after the form: the coverage check on the facts, with the policy and
  the claims history from the store, its explanation, the filed dossier, what to do next, and the
  hand-off to a person (actions/handoff); or the draft kept after "stop"; or the 24/7 line after three failed identifications;
- `action_resume_declaration`: a draft left earlier, back into its form;
- `action_session_start`: a returning user with a draft is offered to continue it.
Store calls are synchronous (SQLAlchemy): they run in a thread, off the action server's event loop.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claims import handoffs, store
from actions.coverage import check, explain
from actions.coverage.explain import format_date
from actions.forms import fields
from actions.forms.base import DECLARATION_SLOTS, STATE_SLOT, today_in_belgium
from actions.forms.state import FormState
from actions.handoff.actions import hand_off

from .case import build_case
from .summary import summary, texts

logger = logging.getLogger(__name__)

NEXT_STEPS = {
    "covered": "utter_next_steps_covered",
    "partially_covered": "utter_next_steps_partially_covered",
    "not_covered": "utter_next_steps_not_covered",
    "refer": "utter_next_steps_refer",
}
COMPLAINT_DAYS = 7


def _language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "nl"


def _values(tracker: Tracker) -> Dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in DECLARATION_SLOTS}


class ActionAskConfirmed(Action):
    """Asks the user to confirm the summary of their declaration."""

    def name(self) -> Text:
        return "action_ask_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        cover = tracker.get_slot("cover")
        if cover not in fields.COVERS:
            return []
        state = FormState.load(tracker.get_slot(STATE_SLOT))
        dispatcher.utter_message(response="utter_confirm_declaration",
                                 summary=summary(cover, _values(tracker), state.declined, _language(tracker)))
        return []


class ActionFinishDeclaration(Action):
    def name(self) -> Text:
        return "action_finish_declaration"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        state = FormState.load(tracker.get_slot(STATE_SLOT))
        if state.identification_failed:
            dispatcher.utter_message(response="utter_identification_failed")
            return [SlotSet(STATE_SLOT, FormState().dump()), SlotSet("policy_number", None),
                    SlotSet("birth_date", None)]
        if tracker.get_slot("stop_confirmation"):
            return self._paused(dispatcher, state)
        cover = tracker.get_slot("cover")
        if not tracker.get_slot("confirmed") or cover not in fields.COVERS or state.identified is None:
            return []
        return await self._file(dispatcher, tracker, state, cover)

    @staticmethod
    def _paused(dispatcher: CollectingDispatcher, state: FormState) -> List[EventType]:
        if state.identified and state.draft:
            dispatcher.utter_message(response="utter_declaration_paused", reference=state.draft)
        else:
            dispatcher.utter_message(response="utter_declaration_stopped_early")
        return [SlotSet("stop_confirmation", None)]

    async def _file(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: FormState,
                    cover: str) -> List[EventType]:
        lang = _language(tracker)
        values = _values(tracker)
        today = today_in_belgium()
        policy = await asyncio.to_thread(store.get_policy, state.identified)
        history = await asyncio.to_thread(store.history_for, state.identified)
        case = build_case(cover, values, policy, history, today)
        decision = check(case)
        agent_line = explain(decision, policy["language"], audience="agent")
        reference = await asyncio.to_thread(
            store.file_claim, tracker.sender_id, state.identified, cover, case, decision, language=lang,
            channel=tracker.get_latest_input_channel(),
            summary=summary(cover, values, state.declined, policy["language"]) + "\n" + agent_line)
        logger.info("declaration filed as %s (%s, %s)", reference, cover, decision["decision"])

        dispatcher.utter_message(text=explain(decision, lang))
        self._next_steps(dispatcher, decision, values, lang)
        dispatcher.utter_message(response="utter_claim_filed", reference=reference)
        state.draft = None
        events: List[EventType] = [SlotSet("coverage_decision", decision["decision"]),
                                   SlotSet("claim_reference", reference), SlotSet(STATE_SLOT, state.dump())]
        # Every filed claim goes to a person; the prevention tips come when the agent hands back.
        reason = "refer" if decision["decision"] == "refer" else "claim_filed"
        return events + await hand_off(dispatcher, tracker, reason, reference=reference, decision=decision,
                                       filed=True)

    @staticmethod
    def _next_steps(dispatcher: CollectingDispatcher, decision: Dict[str, Any], values: Dict[str, Any],
                    lang: str) -> None:
        code = decision["decision"]
        if code in NEXT_STEPS:
            dispatcher.utter_message(response=NEXT_STEPS[code])
        elif code == "not_yet" and decision.get("claimable_from"):
            dispatcher.utter_message(response="utter_next_steps_not_yet",
                                     date=format_date(decision["claimable_from"], lang))
        if "complaint_date" in decision["missing"]:
            delivered = values.get("delivery_date")
            if values.get("kind") == "non_conforming" and delivered:
                deadline = date.fromisoformat(delivered) + timedelta(days=COMPLAINT_DAYS)
                dispatcher.utter_message(response="utter_next_steps_complaint_deadline",
                                         deadline=format_date(deadline.isoformat(), lang))
            dispatcher.utter_message(response="utter_next_steps_complaint")
        if "police_report" in decision["missing"]:
            dispatcher.utter_message(response="utter_next_steps_police_report")


class ActionResumeDeclaration(Action):
    """Puts a draft from the claims store back into its form; the date of birth is asked again."""

    def name(self) -> Text:
        return "action_resume_declaration"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        draft = await asyncio.to_thread(store.find_draft, tracker.sender_id)
        if draft is None or draft["cover"] not in fields.COVERS:
            dispatcher.utter_message(response="utter_no_draft")
            return []
        facts = dict(draft.get("case") or {})
        state = FormState(declined=list(facts.pop("declined", []) or []),
                          relation_hint=bool(facts.pop("relation_hint", False)),
                          resumed=True, draft=draft["reference"])
        events: List[EventType] = [SlotSet(slot, None) for slot in DECLARATION_SLOTS if slot not in facts]
        events += [SlotSet(slot, value) for slot, value in facts.items() if slot in DECLARATION_SLOTS]
        events += [SlotSet("cover", draft["cover"]), SlotSet("policy_number", draft["policy_number"]),
                   SlotSet("birth_date", None), SlotSet(STATE_SLOT, state.dump()),
                   FollowupAction(fields.FORM_OF_COVER[draft["cover"]])]
        dispatcher.utter_message(response="utter_draft_resumed")
        return events


class ActionSessionStart(Action):
    """Rasa's session start (slots carried over), plus: a user who left a draft is offered to go on."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        carried = [SlotSet(name, value) for name, value in tracker.current_slot_values().items()
                   if value is not None and name != "requested_slot"]
        events: List[EventType] = [SessionStarted(), *carried, ActionExecuted("action_listen")]
        # A new session must not wake the bot in a conversation a person still has (or will take):
        # the queue is the truth; the pause ends only with the agent's hand-back.
        if await self._with_the_desk(tracker.sender_id):
            return events + [ConversationPaused()]
        draft = await self._draft(tracker.sender_id)
        if draft is not None and not (tracker.active_loop or {}).get("name"):
            lang = _language(tracker)
            dispatcher.utter_message(response="utter_draft_offer", reference=draft["reference"],
                                     cover=texts()["values"]["cover"][draft["cover"]][lang])
        return events

    @staticmethod
    async def _with_the_desk(sender_id: str) -> bool:
        try:
            return await asyncio.to_thread(handoffs.open_handoff_of, sender_id) is not None
        except Exception:
            logger.exception("handoff lookup failed at session start")
            return False

    @staticmethod
    async def _draft(sender_id: str) -> Optional[Dict[str, Any]]:
        try:
            return await asyncio.to_thread(store.find_draft, sender_id)
        except Exception:  # a greeting must not fail because the store is unreachable
            logger.exception("draft lookup failed at session start")
            return None
