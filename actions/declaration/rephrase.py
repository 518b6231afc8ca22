"""Not understood: when the message's words or the model's ranking point to one or more incidents, the two or
three likely covers are offered as buttons ("Help, iemand heeft een lening op mijn naam!!" at 0.44 is an
identity theft, not "I didn't understand"); otherwise the user is asked to rephrase."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.clock import today_in_belgium
from actions.conversation.texts import texts
from actions.evidence.statements import read
from actions.forms.story import COVER_OF_INTENT, cover_scores, report_intent

from .completion import REPORT_FORMS, STORY_MIN_WORDS

MAX_OFFERED = 3
RANKED_NEAR = 0.1
# The buttons of the question "what happened?": their titles are the domain's, in the user's language.
INCIDENT_BUTTONS = "utter_ask_incident_type"


def likely_reports(text: str, lang: str, ranking: List[Dict[str, Any]]) -> List[str]:
    """The report intents a message not understood may mean, most likely first."""
    ranked = [entry["name"] for entry in ranking[:5]
              if entry.get("name") in COVER_OF_INTENT and float(entry.get("confidence") or 0) >= RANKED_NEAR]
    said = read(text or "", lang, today_in_belgium())
    scores = {cover: score for cover, score in cover_scores(said).items() if score >= 0.5}
    by_words = {"ecommerce": ["report_non_conforming" if said.value("kind") == "non_conforming"
                              else "report_non_delivery"], "identity_theft": ["report_identity_theft"],
                "e_reputation": ["report_e_reputation"], "data_recovery": ["report_data_loss"],
                "payment_fraud": ["report_payment_fraud"]}
    worded = [intent for cover in sorted(scores, key=scores.get, reverse=True) for intent in by_words[cover]]
    return list(dict.fromkeys(worded + ranked))[:MAX_OFFERED]


def _buttons(domain: Dict[str, Any], lang: str, intents: List[str]) -> List[Dict[str, str]]:
    for variation in (domain.get("responses") or {}).get(INCIDENT_BUTTONS, []):
        if any(c.get("name") == "language" and c.get("value") == lang for c in variation.get("condition") or []):
            by_payload = {b["payload"]: b for b in variation.get("buttons") or []}
            return [by_payload[f"/{intent}"] for intent in intents if f"/{intent}" in by_payload]
    return []


def _story_form(latest: Dict[str, Any], lang: str) -> Optional[str]:
    """The form of the one cover a story states with a day, an amount or what was bought, or None."""
    text = (latest.get("text") or "").strip()
    if text.startswith("/") or len(re.findall(r"\w+", text)) < STORY_MIN_WORDS:
        return None
    said = read(text, lang, today_in_belgium())
    if not (said.dates or said.money or said.goods is not None):
        return None
    intent = report_intent(said, latest.get("intent_ranking") or [])
    return REPORT_FORMS.get(intent) if intent else None


class ActionAskRephrase(Action):
    def name(self) -> Text:
        return "action_ask_rephrase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang = tracker.get_slot("language") or "nl"
        latest = tracker.latest_message or {}
        form = None if tracker.active_loop.get("name") else _story_form(latest, lang)
        if form:
            # "i ordered a gaming pc ... 6500 euros on 20/09, it came broken ... they refuse": the model unsure
            # between `inform` and a report, the words sure of one cover: that declaration, not "say it again".
            return [FollowupAction(form)]
        buttons = _buttons(domain, lang, likely_reports(latest.get("text") or "", lang,
                                                        latest.get("intent_ranking") or []))
        if buttons:
            dispatcher.utter_message(text=texts()["which_incident"][lang], buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []
