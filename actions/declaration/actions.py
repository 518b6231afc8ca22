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
from actions.conversation.clock import today_in_belgium
from actions.conversation.slots import STATE_SLOT
from actions.conversation.texts import texts, unpaid_reason
from actions.coverage import check, explain, load_rules
from actions.coverage.explain import format_date
from actions.forms import fields
from actions.forms.case import build_case
from actions.forms.fields import DECLARATION_SLOTS
from actions.forms.state import FormState
from actions.handoff.actions import hand_off

from .summary import summary

logger = logging.getLogger(__name__)

NEXT_STEPS = {
    "covered": "utter_next_steps_covered",
    "partially_covered": "utter_next_steps_partially_covered",
    "not_covered": "utter_next_steps_not_covered",
    "refer": "utter_next_steps_refer",
}
LIVE_CHANNELS = ("live_chat", "video_conference")


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
        if state.confirm_short:  # the answer was unclear: only the question, with its two buttons
            dispatcher.utter_message(response="utter_confirm_short")
        else:
            dispatcher.utter_message(response="utter_confirm_declaration",
                                     summary=summary(cover, _values(tracker), state.declined, _language(tracker),
                                                     changed=state.changed))
        state.confirm_short, state.changed = False, []
        return [SlotSet(STATE_SLOT, state.dump())]


class ActionFinishDeclaration(Action):
    def name(self) -> Text:
        return "action_finish_declaration"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        state = FormState.load(tracker.get_slot(STATE_SLOT))
        if state.identification_failed:
            # The failures stay with the conversation: a new story does not give new tries.
            dispatcher.utter_message(response="utter_identification_locked" if state.identification_locked
                                     else "utter_identification_failed")
            kept = FormState(identification_failures=state.identification_failures, identification_failed=True,
                             identification_locked=state.identification_locked)
            return [SlotSet(STATE_SLOT, kept.dump()), SlotSet("policy_number", None), SlotSet("birth_date", None)]
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
        code = decision["decision"]
        if code == "not_yet":
            # Nothing is filed before the claim can be declared: the draft is kept, and the user is told from
            # which day to come back and what to bring.
            dispatcher.utter_message(text=explain(decision, lang))
            self._next_steps(dispatcher, decision, values, lang, draft=state.draft)
            dispatcher.utter_message(response=_tips(cover))
            return [SlotSet("coverage_decision", code), SlotSet(STATE_SLOT, state.dump())]
        agent_line = explain(decision, policy["language"], audience="agent")
        reference = await asyncio.to_thread(
            store.file_claim, tracker.sender_id, state.identified, cover, case, decision, language=lang,
            channel=tracker.get_latest_input_channel(),
            summary=summary(cover, values, state.declined, policy["language"]) + "\n" + agent_line)
        logger.info("declaration filed as %s (%s, %s)", reference, cover, code)

        dispatcher.utter_message(text=explain(decision, lang))
        if _two_places(values) and code in ("covered", "partially_covered", "incomplete"):
            dispatcher.utter_message(response="utter_two_places", started=_place(values["origin_channel"], lang),
                                     published=_place(values["channel"], lang))
        self._next_steps(dispatcher, decision, values, lang)
        dispatcher.utter_message(response="utter_claim_filed", reference=reference)
        state.draft = None
        events: List[EventType] = [SlotSet("coverage_decision", code),
                                   SlotSet("claim_reference", reference), SlotSet(STATE_SLOT, state.dump())]
        # The dossier goes to the desk as a case and the bot stays; a claim the check refers waits for a person.
        events += await hand_off(dispatcher, tracker, "refer" if code == "refer" else "claim_filed",
                                 reference=reference, decision=decision, filed=True)
        dispatcher.utter_message(response=_tips(cover))
        unpaid = unpaid_reason(cover, code)
        if unpaid:  # nothing is paid: no "when will I be paid?" among the suggestions
            dispatcher.utter_message(text=texts()["after_claim_unpaid"][lang])
        else:
            dispatcher.utter_message(response="utter_after_claim")
        return events

    @staticmethod
    def _next_steps(dispatcher: CollectingDispatcher, decision: Dict[str, Any], values: Dict[str, Any],
                    lang: str, draft: Optional[str] = None) -> None:
        code = decision["decision"]
        if code in NEXT_STEPS:
            dispatcher.utter_message(response=NEXT_STEPS[code])
        elif code == "not_yet" and decision.get("claimable_from"):
            dispatcher.utter_message(response="utter_next_steps_not_yet",
                                     date=format_date(decision["claimable_from"], lang), reference=draft or "")
        if "complaint_date" in decision["missing"]:
            delivered = values.get("delivery_date")
            if values.get("kind") == "non_conforming" and delivered:
                deadline = date.fromisoformat(delivered) + timedelta(days=load_rules().covers["ecommerce"].limits.complaint_days)
                dispatcher.utter_message(response="utter_next_steps_complaint_deadline",
                                         deadline=format_date(deadline.isoformat(), lang))
            dispatcher.utter_message(response="utter_next_steps_complaint")
        if "police_report" in decision["missing"]:
            dispatcher.utter_message(response="utter_next_steps_police_report")


def _tips(cover: str) -> str:
    """Prevention tips for the incident, after every declaration whatever the decision."""
    return f"utter_prevention_tips_{cover}" if cover in fields.COVERS else "utter_prevention_tips"


def _two_places(values: Dict[str, Any]) -> bool:
    """A story that started live (a call, a live chat) and is published elsewhere (a forum): decided on the
    published place, and the user is told the live part alone is not covered."""
    return values.get("origin_channel") in LIVE_CHANNELS and values.get("channel") not in LIVE_CHANNELS + (None,)


def _place(channel: str, lang: str) -> str:
    return texts()["values"]["channel"].get(channel, {}).get(lang, channel)


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
        # A new session must not wake the bot in a conversation a person has taken: the queue is the truth;
        # the pause ends only with the agent's hand-back. Until a person has taken it, the bot answers.
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
            handoff = await asyncio.to_thread(handoffs.open_handoff_of, sender_id)
            return handoff is not None and handoff["status"] == "claimed"
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
