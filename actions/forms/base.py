"""The shared base of the declaration forms (financial-demo's CustomFormValidationAction, grown up).

One validator per form (`validators.py`) on this base, extending rasa_sdk's `FormValidationAction`.
Each turn it:
1. at the start of a declaration, clears what an earlier declaration left (unless a draft is resumed),
   says what fits what happened before any question (care, support, first aid: `care.py`) and reads the
   first message ("I bought an e-bike for 1,850 euros and it never arrived");
2. maps the message, read once by `actions.evidence.statements`, onto the cover's slots
   (`reading.read_answer`): the requested fact and every other fact it states; corrections replace the
   fact they name;
3. re-asks a value that cannot be right with a specific reason, and explains what is expected after
   two failed answers (a date refused twice for the same reason is explained with both dates);
4. identifies the policyholder (policy number, then date of birth) before anything personal; three
   failed pairs in a conversation end identification there, with the 24/7 line;
5. lets a question the form cannot answer (a FAQ, "are you a bot?") go to the rules, which answer it
   and come back to the form;
6. handles "stop" (asks to confirm, keeps the draft) and the summary: a typed "no" never files, a
   change is applied and shown again, "ja" against a deny (or the reverse) is asked once more;
7. keeps the draft in the claims store, so a user who comes back later can continue it.
Which question comes next is `fields.next_question`; the order is data, not code.
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.claims import files, store
from actions.claims.identification import attempt_identification
from actions.conversation import answering, clock
from actions.conversation.slots import ANSWERING_ACTION, HANDED_OVER_BY, REQUESTED_SLOT, STATE_SLOT
from actions.conversation.texts import file_kind_labels
from actions.evidence.statements import read

from . import care, fields
from .fields import DECLARATION_SLOTS
from .reading import (
    KIND_OF_INTENT,
    Message,
    Reading,
    read_answer,
    read_confirmation,
    says_no,
    says_yes,
    words_and_intent_disagree,
)
from .state import EXPLAIN_AFTER_FAILURES, MAX_IDENTIFICATION_ATTEMPTS, FormState

logger = logging.getLogger(__name__)

# Questions the form does not answer itself: the rules answer them, then the form asks again.
INTERRUPTIONS = {"faq", "ask_prevention_tips", "bot_challenge", "request_human", "switch_language", "out_of_scope"}
# A file the user sent, passed on by the channel as /upload{"file_id", "file_kind", "file_name"}.
UPLOAD_INTENT = "upload"
# "Bye" in the middle of a declaration is a stop too: the draft is offered to be kept, not lost.
STOP_INTENTS = {"stop", "goodbye"}
# The questions whose answer wins over a stop or goodbye intent: no free text, so "stop" itself is no answer.
ANSWER_KINDS_OVER_STOP = (fields.CHOICE, fields.YES_NO, fields.DATE, fields.AMOUNT)
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
    fields.TEXT: "utter_explain_choice",
    fields.YES_NO: "utter_explain_yes_no",
    fields.POLICE_REPORT: "utter_explain_police_report",
    fields.URLS: "utter_explain_urls",
}
# The same refusal a second time: say it with the dates the bot holds, so either can be corrected.
CONFLICTS = {"utter_date_before_order": "utter_date_conflict", "utter_date_after_later": "utter_date_conflict_order"}


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
        values = {slot: tracker.get_slot(slot) for slot in self._slots()}
        updates: Dict[str, Any] = {}
        if starting and self._asks_after_the_claim(tracker, state):
            # "je la jette pas hein?", "can they also take a loan with that copy?" after the claim, read as a report:
            # a question about the claim just filed, not a new declaration. The answering takes it; the filed facts
            # stay, and `confirmed` is cleared so that the form's end files nothing again.
            return [SlotSet("confirmed", None), SlotSet(REQUESTED_SLOT, None), FollowupAction(ANSWERING_ACTION)]
        if starting:
            state, updates = self._start(state, values)
            values.update(updates)
        turn = _Turn(self, dispatcher, tracker, lang, state, values, updates)
        fresh = _is_fresh_message(tracker, self.form)
        if starting and fresh and self.cover is not None and not state.care_given:
            said = turn.message.said
            kind = KIND_OF_INTENT.get(turn.intent) or said.value("kind")
            for response in care.opening(self.cover, said, kind):
                dispatcher.utter_message(response=response, **care.figures(response, self.cover, lang))
            state.care_given = True
        try:
            if fresh:
                await turn.take(tracker.get_slot(REQUESTED_SLOT) if not starting else None, starting)
        except _Reject:
            return []
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

    @staticmethod
    def _slots() -> List[str]:
        return list(dict.fromkeys(["policy_number", "birth_date", *DECLARATION_SLOTS]))

    def _asks_after_the_claim(self, tracker: Tracker, state: FormState) -> bool:
        """A report intent right after a claim filed in this conversation, on a question that tells no incident of its
        own (no day, no amount: "et la télé, je la jette pas hein?" names the goods of the claim) and is no button:
        the user asks about the claim, and the answering answers (with its offer to declare when it is another
        incident). A button ("Ja, aangeven", a cover of the rephrase menu), a story ("en mijn pakje is ook nooit
        aangekomen") or a question with a new incident's details ("en gisteren nog 50 euro van mijn kaart, is da ook
        gedekt?") declares."""
        if self.cover is None or state.resumed or not tracker.get_slot("claim_reference"):
            return False
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        if not text or text.startswith("/") or not text.endswith("?"):
            return False
        said = read(text, tracker.get_slot("language") or "nl", clock.today_in_belgium())
        return not (said.dates or said.money)

    def _start(self, state: FormState, values: Dict[str, Any]) -> tuple:
        """A new declaration: forget the facts of an earlier one, unless a draft is being resumed."""
        if state.resumed:
            state.resumed = False
            state.care_given = True
            return state, {}
        if self.cover is None:  # identification only (claim status): the declaration is left alone
            return state, {}
        fresh = state.for_new_declaration()
        updates = {slot: None for slot in DECLARATION_SLOTS if values.get(slot) is not None}
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


# "nog niet, moet ik naar het politiekantoor?": the question is its last clause; what precedes it answers.
_CLAUSES = re.compile(r"[,;]\s*")


def _asking_clause(question: str) -> str:
    clauses = [c for c in _CLAUSES.split(question) if c.strip()]
    last = clauses[-1] if clauses else question
    # "..., kan ik da aangeven?": a clause of two words or fewer is no question of its own ("of ni?").
    return last if len(last.split()) > 2 else question


class _Turn:
    """One user message read into the form: updates `values`/`updates`/`state` in place."""

    def __init__(self, validator: DeclarationFormValidator, dispatcher: CollectingDispatcher, tracker: Tracker,
                 lang: str, state: FormState, values: Dict[str, Any], updates: Dict[str, Any]) -> None:
        self.v = validator
        self.cover = validator.cover or "ecommerce"
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
        text = (latest.get("text") or "").strip()
        if text.startswith("/report") and self.intent != UPLOAD_INTENT:
            text = _question_declared(tracker) or text
        self.message = Message(text=text, lang=lang, today=clock.today_in_belgium(),
                               intent=self.intent, entities=latest.get("entities") or [],
                               confidence=self.confidence)

    def set(self, slot: str, value: Any) -> None:
        self.values[slot] = value
        self.updates[slot] = value

    def say_text(self, text: str) -> None:
        self.dispatcher.utter_message(text=text)

    def say(self, response: str, **values: Any) -> None:
        self.dispatcher.utter_message(response=response, **values)

    async def take(self, requested: Optional[str], starting: bool) -> None:
        if self.intent == UPLOAD_INTENT:
            return await self._take_file(requested)
        interruption = self.intent in INTERRUPTIONS and self.confidence >= INTERRUPTION_CONFIDENCE
        if requested in fields.CONTROL_SLOTS and interruption and self.message.said.answer is None:
            raise _Reject()
        if requested == "stop_confirmation":
            return self._answer_stop()
        if self._answer_the_question_beside() and not self.message.text:
            # Only a question, now answered: the same question of the form again, without a reason to give.
            if requested:
                self.set(requested, None)
            self.ask_next = requested
            return
        if self.intent in STOP_INTENTS and not starting and not self._answers(requested):
            self.state.stop_from = requested
            self.set("stop_confirmation", None)
            self.ask_next = "stop_confirmation"
            return
        if requested == "confirmed":
            return self._answer_confirmation()
        if requested == "correction":
            return self._answer_correction()
        reading = read_answer(self.message, self.cover, requested, self.values, self.state.last_date_slot)
        if requested and not reading.answered and not starting and interruption and not reading.updates:
            raise _Reject()
        if self.v.cover is None:  # identification only: nothing but who the user is
            reading.updates = {k: v for k, v in reading.updates.items() if k in ("policy_number", "birth_date")}
            reading.corrected = []
        self._apply(reading)
        if requested is not None:
            self._judge_answer(requested, reading)
        await self._identify()
        # Nothing taken is fine too: the state slot is always set, so the form re-asks (with the
        # reason said above) instead of being rejected.

    def _answers(self, requested: Optional[str]) -> bool:
        """The message answers the choice, date or amount asked ("nog steeds niks", "voor mezelf", "dezelfde dag als
        de levering, 's avonds nog" read as goodbye or stop): an answer, whatever the intent. Not a free answer (the
        shop's name), which would take "stop" itself."""
        question = fields.question(self.cover, requested) if requested else None
        if question is None or question.kind not in ANSWER_KINDS_OVER_STOP:
            return False
        return read_answer(self.message, self.cover, requested, self.values, self.state.last_date_slot).answered

    def _answer_the_question_beside(self) -> bool:
        """A question typed with the answer ("nee nog nie. moet ik naar de politie?", "je dois bloquer ma carte ?")
        is answered before the form goes on, when the answering begins it with a verdict; the rest of the message is
        then read as the answer, so the question's words ("a loan?") become no fact."""
        if self.message.is_payload:
            return False
        question = answering.question_in(self.message.text)
        found = answering.replies(question, self.message.lang, self.message.today, self.v.cover) if question else None
        if not found:
            return self._first_aid_for(question)
        for text, buttons in found:
            if any(str(b.get("payload", "")).startswith("/") for b in buttons):
                continue  # the offer to declare: this is the declaration
            self.say_text(text)
        self._read_the_rest(question)
        return True

    def _read_the_rest(self, question: str) -> None:
        """What comes before the question is the answer ("nog niet, moet ik naar het politiekantoor?"); what comes
        after it is said about the question ("moet ik die lening zelf afbetalen? ik slaap er niet meer van", "la
        banque va me rembourser?? j'ai plus rien"), no answer to the form's."""
        asked = _asking_clause(question)
        start = self.message.text.find(asked)
        rest = self.message.text[:start] if start >= 0 else self.message.text.replace(question, " ")
        self.message = replace(self.message, text=rest.strip(" ,.;:!-"))

    def _first_aid_for(self, question: Optional[str]) -> bool:
        """"je dois bloquer ma carte ?", "what do i do with revolut now?": a question of what to do that no rule
        answers gets the cover's first aid again (never silence); what comes before it is read as the answer."""
        if question is None or not care.asks_what_to_do(question):
            return False
        aid = care.first_aid(self.cover, self.message.said)
        if aid is None:
            return False
        self.say(aid)
        self._read_the_rest(question)
        return True

    async def _take_file(self, requested: Optional[str]) -> None:
        """A file sent during the form (the channel stored it; save_draft links it to the draft). A police
        report sent when the form asks for it is that piece of evidence; any other file is thanked for,
        and the form asks its question again. A typed "/upload{...}" names no file of this
        conversation and is ignored."""
        kept = await asyncio.to_thread(files.sent_file, self.message.entities, self.sender_id)
        if not kept:
            return
        kind, name = kept["kind"], kept["name"]
        label = file_kind_labels()[kind][self.message.lang]
        if requested == "police_report" and kind == "police_report":
            self.set("police_report", f"{label}: {name}")
            self.state.succeeded(requested)
        self.say("utter_file_received", name=name, kind=label)

    def _apply(self, reading: Reading, after_summary: bool = False) -> None:
        for slot, value in reading.updates.items():
            self.set(slot, value)
            question = fields.question(self.cover, slot)
            if question is not None and question.kind == fields.DATE:
                self.state.last_date_slot = slot
        if reading.relation_hint:
            self.state.relation_hint = True
        for slot in reading.said_no:  # "nog geen pv": told, so not asked
            if slot not in self.state.declined:
                self.state.declined.append(slot)
        if reading.corrected:
            self.state.changed = list(dict.fromkeys(self.state.changed + reading.corrected))
            if not after_summary:
                self.say("utter_noted_correction")

    def _judge_answer(self, requested: str, reading: Reading) -> None:
        question = fields.question(self.cover, requested)
        if reading.answered:
            self.state.succeeded(requested)
            if reading.declined and requested not in self.state.declined:
                self.state.declined.append(requested)
            return
        if requested in reading.updates or reading.corrected:
            return  # a correction of an earlier answer: the question is simply asked again
        failures = self.state.failed(requested)
        problem = reading.problem or "utter_invalid_choice"
        if failures >= EXPLAIN_AFTER_FAILURES and problem in CONFLICTS:
            self.say(CONFLICTS[problem], **reading.problem_values)
            return
        self.say(problem, **reading.problem_values)
        if failures >= EXPLAIN_AFTER_FAILURES and question is not None:
            self.say(EXPLANATIONS[question.kind])

    async def _identify(self) -> None:
        number, born = self.values.get("policy_number"), self.values.get("birth_date")
        if number is None or born is None or self.state.identified == number:
            return
        policy, locked = await asyncio.to_thread(_check_identity, number, born, self.sender_id)
        if policy is not None and not locked:
            self.state.identified = policy["policy_number"]
            self.state.identification_failures = 0
            self.set("policy_number", policy["policy_number"])
            self.say("utter_identified")
            return
        self.set("policy_number", None)
        self.set("birth_date", None)
        if locked:
            self.state.identification_failed = True
            self.state.identification_locked = True
            return
        self.state.identification_failures += 1
        if self.state.identification_failures >= MAX_IDENTIFICATION_ATTEMPTS:
            self.state.identification_failed = True
        else:
            self.say("utter_identification_mismatch")

    def _yes_or_no(self) -> Optional[bool]:
        """The user's yes or no; None when unclear, and when the words and the intent disagree."""
        if words_and_intent_disagree(self.message):
            return None
        return True if says_yes(self.message) else False if says_no(self.message) else None

    def _answer_stop(self) -> None:
        answer = self._yes_or_no()
        if answer is True:
            self.set("stop_confirmation", True)
        elif answer is False:
            self.set("stop_confirmation", None)
            self.say("utter_declaration_continue")
        else:
            self.state.failed("stop_confirmation")
            self.say("utter_explain_yes_no")
            self.ask_next = "stop_confirmation"
            self.set("stop_confirmation", None)

    def _answer_confirmation(self) -> None:
        confirmed, reading = read_confirmation(self.message, self.cover, self.values, self.state.last_date_slot)
        if reading.updates:  # "nee, de datum is 12 oktober": changed, and the summary is shown again
            self._apply(reading, after_summary=True)
            self.set("confirmed", None)
            return
        if confirmed is True:
            self.set("confirmed", True)
        elif confirmed is False:  # a typed "no" never files: what should change?
            self.set("confirmed", None)
            self.ask_next = "correction"
        else:
            self.state.failed("confirmed")
            self.state.confirm_short = True  # action_ask_confirmed asks "ja of nee?" instead of the whole summary
            self.set("confirmed", None)

    def _answer_correction(self) -> None:
        reading = read_answer(self.message, self.cover, None, self.values, self.state.last_date_slot, overwrite=True)
        reading.updates = {k: v for k, v in reading.updates.items() if v != self.values.get(k) and k != "kind"}
        if reading.updates:
            reading.corrected = list(reading.updates)
            self._apply(reading, after_summary=True)
            self.set("correction", None)
            return
        if self._yes_or_no() is not None:
            # "no, it's fine after all": back to the summary.
            self.set("correction", None)
            return
        failures = self.state.failed("correction")
        self.say("utter_invalid_correction")
        if failures >= EXPLAIN_AFTER_FAILURES:
            self.say("utter_explain_correction")
        self.set("correction", None)
        self.ask_next = "correction"


def _check_identity(number: str, born: str, sender_id: str) -> tuple:
    """(the policy or None, locked): the claims store decides, and counts a failed attempt per policy number
    across every conversation (5 in 24 hours lock the number for 24 hours)."""
    return attempt_identification(number, born, sender_id=sender_id)


def _question_declared(tracker: Tracker) -> Optional[str]:
    """"Yes, declare it" pressed under the answer to a question ("mijn gsm van 2dehands is nooit aangekomen, is
    da gedekt?"): the question is the story the declaration starts from, so its facts are not asked again."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return None
    answered = [e for e in tracker.events if e.get("event") == "action"]
    if not any(e.get("name") == "action_answer_question" for e in answered[-6:]):
        return None
    return (users[-2].get("text") or "").strip() or None


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
