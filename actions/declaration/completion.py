"""A filed dossier completed later in the conversation: "my PV is BR.12.L3.054321/2026", "I sent the
complaint yesterday". The missing fact is read from the message, the coverage check runs again on the
completed case, and the dossier keeps its reference. Any other information out of a form gets the
usual "what is this about?" answer."""
from __future__ import annotations

import asyncio
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claims import store
from actions.conversation.clock import today_in_belgium
from actions.conversation.slots import STATE_SLOT
from actions.coverage import check, explain
from actions.evidence.statements import read
from actions.forms.reading import Message, read_answer
from actions.forms.state import FormState
from actions.forms.story import report_intent

# Missing facts a user can give in one message after the dossier was filed.
COMPLETABLE = ("police_report", "complaint_date")
# A story told in facts ("all my photos on the external disk, wiped yesterday") can come out as `inform`: when a
# report intent is ranked near, or its words state the facts of one cover, it opens that cover's form.
REPORT_FORMS = {"report_non_delivery": "ecommerce_form", "report_non_conforming": "ecommerce_form",
                "report_identity_theft": "identity_theft_form", "report_e_reputation": "e_reputation_form",
                "report_data_loss": "data_recovery_form", "report_payment_fraud": "payment_fraud_form"}
REPORT_CONFIDENCE = 0.2
STORY_MIN_WORDS = 6  # shorter is an answer ("mijn externe harde schijf"), not a story


def declaration_it_reads_like(tracker: Tracker) -> str | None:
    """The form of the report intent ranked next to `inform`, if it is likely enough; else, for a story (not a
    short answer), the form of the one cover its words state (actions/forms/story.py)."""
    latest = tracker.latest_message or {}
    ranking = latest.get("intent_ranking") or []
    report = next((r for r in ranking[:3] if r.get("name") in REPORT_FORMS), None)
    if report and float(report.get("confidence") or 0) >= REPORT_CONFIDENCE:
        return REPORT_FORMS[report["name"]]
    text, lang = (latest.get("text") or "").strip(), tracker.get_slot("language") or "nl"
    if len(re.findall(r"\w+", text)) < STORY_MIN_WORDS:
        return None
    intent = report_intent(read(text, lang, today_in_belgium()))
    return REPORT_FORMS.get(intent) if intent else None


class ActionCompleteDossier(Action):
    def name(self) -> Text:
        return "action_complete_dossier"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        state = FormState.load(tracker.get_slot(STATE_SLOT))
        reference = tracker.get_slot("claim_reference")
        dossier = None
        if reference and state.identified:
            dossier = await asyncio.to_thread(store.get_dossier_of, reference, state.identified)
        completed = self._completed_case(dossier, tracker) if dossier else None
        if completed is None:
            form = declaration_it_reads_like(tracker)
            if form:  # "I accidentally wiped my disk yesterday", read as information: a declaration
                return [FollowupAction(form)]
            dispatcher.utter_message(response="utter_inform_no_context")
            return []
        decision = check(completed)
        await asyncio.to_thread(store.refile_claim, reference, completed, decision)
        lang = tracker.get_slot("language") or "nl"
        dispatcher.utter_message(response="utter_dossier_completed", reference=reference)
        dispatcher.utter_message(text=explain(decision, lang))
        return [SlotSet("coverage_decision", decision["decision"])]

    @staticmethod
    def _completed_case(dossier: Dict[str, Any], tracker: Tracker):
        decision = dossier.get("decision") or {}
        missing = [field for field in decision.get("missing", []) if field in COMPLETABLE]
        if decision.get("decision") != "incomplete" or not missing:
            return None
        case = dict(dossier["case"])
        incident = dict(case["incident"])
        latest = tracker.latest_message or {}
        today = today_in_belgium()
        message = Message(text=(latest.get("text") or "").strip(), lang=tracker.get_slot("language") or "nl",
                          today=today, intent=(latest.get("intent") or {}).get("name"))
        found = {}
        for field in missing:
            reading = read_answer(message, dossier["cover"], field, incident)
            if field in reading.updates:
                found[field] = reading.updates[field]
        if not found:
            return None
        incident.update(found)
        case.update(incident=incident, today=today.isoformat())
        return case
