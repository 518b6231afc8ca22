"""The shared base of the declaration forms (financial-demo's CustomFormValidationAction, grown up).

One validator per form (`validators.py`) on this base. Each turn it:
1. at the start of a declaration, clears what an earlier declaration left (unless a draft is resumed)
   and reads the first message ("I bought an e-bike for 1,850 euros and it never arrived");
2. reads the user's answer with `interpret.read_message`: the requested fact, plus whatever else the
   message says; corrections replace earlier answers;
3. re-asks a value that cannot be right with a specific reason, and explains what is expected after
   two failed answers;
4. identifies the policyholder (policy number, then date of birth) before anything personal; three
   failed pairs end the form with the 24/7 line;
5. lets a question the form cannot answer (a FAQ, "are you a bot?") go to the rules, which answer it
   and come back to the form;
6. handles "stop" (asks to confirm, keeps the draft) and the final confirmation;
7. keeps the draft in the claims store, so a user who comes back later can continue it.
Which question comes next is `fields.next_question`; the order is data, not code.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from typing import Any, Dict, List, Optional, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.claims import files, store
from actions.declaration.summary import texts as declaration_texts

from . import fields
from .interpret import Message, Reading, read_message, says_no, says_yes
from .state import EXPLAIN_AFTER_FAILURES, MAX_IDENTIFICATION_ATTEMPTS, FormState

logger = logging.getLogger(__name__)

BRUSSELS = ZoneInfo("Europe/Brussels")
STATE_SLOT = "declaration_state"
REQUESTED_SLOT = "requested_slot"
# Questions the form does not answer itself: the rules answer them, then the form asks again.
INTERRUPTIONS = {"faq", "ask_prevention_tips", "bot_challenge", "request_human", "switch_language", "out_of_scope"}
# The action that opens a form for a story read as `inform` (actions/declaration/completion.py): the
# form then reads that message as its first.
HANDED_OVER_BY = "action_complete_dossier"
# A file the user sent, passed on by the channel as /upload{"file_id", "file_kind", "file_name"}.
UPLOAD_INTENT = "upload"
FILE_KIND_LABELS = declaration_texts()["file_kinds"]
# "Bye" in the middle of a declaration is a stop too: the draft is offered to be kept, not lost.
STOP_INTENTS = {"stop", "goodbye"}
# Below this confidence an interruption intent is not trusted over reading the text as an answer.
INTERRUPTION_CONFIDENCE = 0.6
EXPLANATIONS = {
    fields.POLICY_NUMBER: "utter_explain_policy_number",
    fields.BIRTH_DATE: "utter_explain_date",
    fields.DATE: "utter_explain_date",
    fields.AMOUNT: "utter_explain_amount",
    fields.EXPENSES: "utter_explain_amount",
    fields.CHOICE: "utter_explain_choice",
    fields.GOODS: "utter_explain_choice",
    fields.YES_NO: "utter_explain_yes_no",
    fields.POLICE_REPORT: "utter_explain_police_report",
    fields.URLS: "utter_explain_urls",
}
# Slots every declaration clears when a new one starts (the identification stays).
DECLARATION_SLOTS = fields.all_fact_slots() + fields.CONTROL_SLOTS + ("coverage_decision", "claim_reference")


def today_in_belgium() -> date:
    return datetime.now(BRUSSELS).date()


class _Reject(Exception):
    """The message is not for the form: let the other policies answer it."""


class DeclarationFormValidator(FormValidationAction):
    """Validates one declaration form; subclasses name the cover (None: identification only)."""

    cover: Optional[str] = None
    form: str = ""

    def name(self) -> Text:
        return f"validate_{self.form}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        lang = tracker.get_slot("language") or "nl"
        state = FormState.load(tracker.get_slot(STATE_SLOT))
        starting = _is_starting(tracker, self.form)
        values = {slot: tracker.get_slot(slot) for slot in self._slots(domain)}
        updates: Dict[str, Any] = {}
        if starting:
            state, updates = self._start(state, values)
            values.update(updates)
        turn = _Turn(self, dispatcher, tracker, lang, state, values, updates)
        try:
            if _is_fresh_message(tracker, self.form):
                await turn.take(tracker.get_slot(REQUESTED_SLOT) if not starting else None, starting)
        except _Reject:
            return []
        if starting and self.cover == "payment_fraud" and not state.first_aid_given:
            dispatcher.utter_message(response="utter_payment_fraud_first_aid")
            state.first_aid_given = True
        next_slot = turn.ask_next or self.next_slot(values, state)
        await self._keep_draft(tracker, lang, values, state)
        events = [SlotSet(slot, value) for slot, value in updates.items()]
        return events + [SlotSet(STATE_SLOT, state.dump()), SlotSet(REQUESTED_SLOT, next_slot)]

    # --- what to ask next ------------------------------------------------------------------------

    def next_slot(self, values: Dict[str, Any], state: FormState) -> Optional[str]:
        if state.identification_failed or values.get("stop_confirmation"):
            return None
        if state.identified is None or state.identified != values.get("policy_number"):
            return "policy_number" if values.get("policy_number") is None else "birth_date"
        if self.cover is None:
            return None
        question = fields.next_question(self.cover, {**values, "relation_hint": state.relation_hint},
                                        state.declined)
        if question is not None:
            return question.slot
        return None if values.get("confirmed") else "confirmed"

    # --- the turns --------------------------------------------------------------------------------

    def _slots(self, domain: DomainDict) -> List[str]:
        return list(dict.fromkeys(["policy_number", "birth_date", *DECLARATION_SLOTS]))

    def _start(self, state: FormState, values: Dict[str, Any]) -> tuple:
        """A new declaration: forget the facts of an earlier one, unless a draft is being resumed."""
        if state.resumed:
            state.resumed = False
            return state, {}
        if self.cover is None:  # identification only (claim status): the declaration is left alone
            return state, {}
        fresh = state.for_new_declaration()
        updates = {slot: None for slot in DECLARATION_SLOTS if values.get(slot) is not None}
        if self.cover is not None:
            updates["cover"] = self.cover
        return fresh, updates

    async def _keep_draft(self, tracker: Tracker, lang: str, values: Dict[str, Any], state: FormState) -> None:
        """The declaration so far, in the claims store: it outlives the conversation."""
        if self.cover is None or state.identified is None or values.get("stop_confirmation") is not None:
            return
        facts = {slot: values.get(slot) for slot in fields.fact_slots(self.cover) if values.get(slot) is not None}
        facts["declined"] = list(state.declined)
        facts["relation_hint"] = state.relation_hint
        try:
            state.draft = await asyncio.to_thread(
                store.save_draft, tracker.sender_id, state.identified, self.cover, facts,
                language=lang, channel=tracker.get_latest_input_channel())
        except Exception:  # the conversation goes on; the tracker still holds every answer
            logger.exception("draft of a %s declaration not saved", self.cover)


class _Turn:
    """One user message read into the form: updates `values`/`updates`/`state` in place."""

    def __init__(self, validator: DeclarationFormValidator, dispatcher: CollectingDispatcher, tracker: Tracker,
                 lang: str, state: FormState, values: Dict[str, Any], updates: Dict[str, Any]) -> None:
        self.v = validator
        self.ask_next: Optional[str] = None  # a question other than the next missing fact
        self.dispatcher = dispatcher
        self.state = state
        self.values = values
        self.updates = updates
        self.sender_id = tracker.sender_id
        latest = tracker.latest_message or {}
        intent = latest.get("intent") or {}
        self.intent = intent.get("name")
        self.confidence = float(intent.get("confidence") or 0.0)
        self.message = Message(text=(latest.get("text") or "").strip(), lang=lang, today=today_in_belgium(),
                               intent=self.intent, entities=latest.get("entities") or [])

    def set(self, slot: str, value: Any) -> None:
        self.values[slot] = value
        self.updates[slot] = value

    def say(self, response: str, **values: Any) -> None:
        self.dispatcher.utter_message(response=response, **values)

    async def take(self, requested: Optional[str], starting: bool) -> None:
        if self.intent == UPLOAD_INTENT:
            return await self._take_file(requested)
        interruption = self.intent in INTERRUPTIONS and self.confidence >= INTERRUPTION_CONFIDENCE
        if (requested in fields.CONTROL_SLOTS and interruption
                and not (says_yes(self.message) or says_no(self.message))):
            raise _Reject()
        if requested == "stop_confirmation":
            return self._answer_stop()
        if self.intent in STOP_INTENTS and not starting:
            self.state.stop_from = requested
            self.set("stop_confirmation", None)
            self.ask_next = "stop_confirmation"
            return
        if requested == "confirmed":
            return self._answer_confirmation()
        if requested == "correction":
            return self._answer_correction()
        cover = self.v.cover or "ecommerce"
        reading = read_message(self.message, cover, requested, self.values, self.state.last_date_slot)
        if requested and not reading.answered and not starting and interruption:
            raise _Reject()
        if self.v.cover is None:  # identification only: nothing but who the user is
            reading.updates = {k: v for k, v in reading.updates.items() if k in ("policy_number", "birth_date")}
        self._apply(reading)
        if requested is not None:
            self._judge_answer(requested, reading)
        await self._identify(reading)
        # Nothing taken is fine too: the state slot is always set, so the form re-asks (with the
        # reason said above) instead of being rejected.

    async def _take_file(self, requested: Optional[str]) -> None:
        """A file sent during the form (the channel stored it; save_draft links it to the draft). A police
        report sent when the form asks for it is that piece of evidence; any other file is thanked for,
        and the form asks its question again. A typed "/upload{...}" names no file of this
        conversation and is ignored."""
        kept = await asyncio.to_thread(files.sent_file, self.message.entities, self.sender_id)
        if not kept:
            return
        kind, name = kept["kind"], kept["name"]
        label = FILE_KIND_LABELS[kind][self.message.lang]
        if requested == "police_report" and kind == "police_report":
            self.set("police_report", f"{label}: {name}")
            self.state.succeeded(requested)
        self.say("utter_file_received", name=name, kind=label)

    def _apply(self, reading: Reading) -> None:
        for slot, value in reading.updates.items():
            self.set(slot, value)
            if fields.question(self.v.cover or "ecommerce", slot) and \
                    fields.question(self.v.cover or "ecommerce", slot).kind == fields.DATE:
                self.state.last_date_slot = slot
        if reading.relation_hint:
            self.state.relation_hint = True
        if reading.corrected:
            self.say("utter_noted_correction")

    def _judge_answer(self, requested: str, reading: Reading) -> None:
        question = fields.question(self.v.cover or "ecommerce", requested)
        if reading.answered:
            self.state.succeeded(requested)
            if reading.declined and requested not in self.state.declined:
                self.state.declined.append(requested)
            return
        if requested in reading.updates or reading.corrected:
            return  # a correction of an earlier answer: the question is simply asked again
        failures = self.state.failed(requested)
        self.say(reading.problem or "utter_invalid_choice", **reading.problem_values)
        if failures >= EXPLAIN_AFTER_FAILURES and question is not None:
            self.say(EXPLANATIONS[question.kind])

    async def _identify(self, reading: Reading) -> None:
        number, born = self.values.get("policy_number"), self.values.get("birth_date")
        if number is None or born is None or self.state.identified == number:
            return
        policy = await asyncio.to_thread(store.identify, number, born)
        if policy is not None:
            self.state.identified = policy["policy_number"]
            self.state.identification_failures = 0
            self.set("policy_number", policy["policy_number"])
            self.say("utter_identified")
            return
        self.state.identification_failures += 1
        self.set("policy_number", None)
        self.set("birth_date", None)
        if self.state.identification_failures >= MAX_IDENTIFICATION_ATTEMPTS:
            self.state.identification_failed = True
        else:
            self.say("utter_identification_mismatch")

    def _answer_stop(self) -> None:
        if says_yes(self.message):
            self.set("stop_confirmation", True)
        elif says_no(self.message):
            self.set("stop_confirmation", None)
            self.say("utter_declaration_continue")
        else:
            self.state.failed("stop_confirmation")
            self.say("utter_explain_yes_no")
            self.ask_next = "stop_confirmation"
            self.set("stop_confirmation", None)

    def _answer_confirmation(self) -> None:
        reading = read_message(self.message, self.v.cover, None, self.values, self.state.last_date_slot,
                               overwrite=True)
        changes = {k: v for k, v in reading.updates.items() if v != self.values.get(k) and k != "kind"}
        if changes:
            reading.updates = changes
            reading.corrected = reading.corrected or list(changes)
            self._apply(reading)
            self.set("confirmed", None)  # the summary is shown again with the change
        elif says_yes(self.message):
            self.set("confirmed", True)
        elif says_no(self.message):
            self.set("confirmed", None)
            self.ask_next = "correction"
        else:
            self.state.failed("confirmed")
            self.say("utter_explain_yes_no")
            self.set("confirmed", None)

    def _answer_correction(self) -> None:
        reading = read_message(self.message, self.v.cover, None, self.values, self.state.last_date_slot,
                               overwrite=True)
        changes = {k: v for k, v in reading.updates.items() if v != self.values.get(k)}
        if changes:
            reading.updates = changes
            reading.corrected = list(changes)
            self._apply(reading)
            self.set("correction", None)
            return
        if says_yes(self.message) or says_no(self.message):
            # "no, it's fine after all": back to the summary.
            self.set("correction", None)
            return
        failures = self.state.failed("correction")
        self.say("utter_invalid_correction")
        if failures >= EXPLAIN_AFTER_FAILURES:
            self.say("utter_explain_correction")
        self.set("correction", None)
        self.ask_next = "correction"


def _is_starting(tracker: Tracker, form: str) -> bool:
    """True when the form was activated by the latest user message (Rasa has already set the active
    loop when it asks the validator to check what was filled before activation)."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            return True
        if event.get("event") == "user":
            return False
    return True


def _is_fresh_message(tracker: Tracker, form: str) -> bool:
    """True when the form runs on a new user message (not when it resumes after a FAQ answer or
    a resumed draft): only then is the latest message read."""
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "action" and event.get("name") not in (form, "action_listen", "action_extract_slots",
                                                          HANDED_OVER_BY):
            return False
    return False
