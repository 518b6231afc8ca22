"""`action_answer_question`: every question about the cover (the NLU's `faq`, and a story asked as a question,
"mijn pakje is nooit aangekomen, is da gedekt?", which bot/nlu/question_router.py sends here). A pointed question
gets its verdict and rule (answer.py); a broad one ("what does Cyber Care cover?") the FAQ's whole topic. A
question never starts a declaration or an identification."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.clock import today_in_belgium
from actions.conversation.slots import ANSWERING_ACTION
from actions.conversation.texts import texts, unpaid_reason

from .answer import answer, context_ranking

DEFAULT_TOPIC = "faq/what_is_covered"
REFUND_TOPIC = "faq/refund_delay"


def faq_topic(latest: Dict[str, Any]) -> str:
    """The FAQ topic the response selector chose for the message ("faq/cancellation")."""
    selected = ((latest.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    return selected.get("intent_response_key") or DEFAULT_TOPIC


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return ANSWERING_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        latest = tracker.latest_message or {}
        text = (latest.get("text") or "").strip()
        lang = tracker.get_slot("language") or "nl"
        # Asked in or after a declaration, a question that names no cover is about that declaration's.
        ranking = context_ranking(tracker.get_slot("cover"), latest.get("intent_ranking") or [])
        reply = answer(text, lang, today_in_belgium(), ranking) if text else None
        if reply is None:
            topic = faq_topic(latest)
            unpaid = unpaid_reason(tracker.get_slot("cover"), tracker.get_slot("coverage_decision"))
            if topic == REFUND_TOPIC and unpaid:
                # "When am I paid?" after card fraud or a refusal: not "AXA refunds you within 15 days".
                dispatcher.utter_message(text=texts()["no_payment"][unpaid][lang])
                return []
            dispatcher.utter_message(response=f"utter_{topic}")
            return []
        for message in reply.replies:
            dispatcher.utter_message(text=message.text, buttons=list(message.buttons) or None)
        return []
