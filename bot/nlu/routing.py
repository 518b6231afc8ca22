"""Rasa component that corrects the intent where the words of a message say plainly what it is.

Two things the classifier gets wrong on real messages, and that decide whether the user is answered:
- a question about the cover asked with an incident's words ("mijn pakje is nooit aangekomen, is da gedekt?")
  comes out as a report intent, and would open a declaration: it is routed to `faq`, which the question
  answering handles (actions/questions), so that a question never starts identification;
- a story that opens with a greeting or reads like an answer ("Bonjour, j'ai reçu une télé endommagée, je
  l'avais payée 899 euros" read as `greet`) is routed to the report intent of the one cover its words state.
The original intent stays in the ranking and as `routed_from` (visible in /model/parse). The words are read by
actions/evidence (`is_cover_question`, the statements) and actions/forms/story.py (which cover). Not trained.
"""
from __future__ import annotations

import re
from functools import cached_property
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.conversation.clock import today_in_belgium
from actions.evidence.answers import asks
from actions.evidence.questions import is_cover_question
from actions.evidence.statements import read
from actions.evidence.text import fold
from actions.forms.fields import STORY_FACTS as _STORY_FACTS_OF_COVER
from actions.forms.story import cover_of, cover_scores, report_intent
from actions.questions.answer import answer

QUESTION_INTENT = "faq"
ROUTED_FROM = "routed_from"
LANGUAGE = "language"
# Intents a question about the cover may come out as: the question wins over them.
ASKED_AS = frozenset({"report_non_delivery", "report_non_conforming", "report_identity_theft", "report_e_reputation",
                      "report_data_loss", "report_payment_fraud", "declare_incident", "inform", "greet", "affirm",
                      "deny", "out_of_scope", "ask_prevention_tips", "nlu_fallback", "faq",
                      # "kan ik nog kosteloos annuleren?" read as never mind, "mijn pc is gegijzeld ... kunnen jullie
                      # die terughalen?" as a claim's status: the question is the cover's.
                      "check_claim_status", "cancel_human_request", "stop",
                      # "can cyber care do something?" after an incident told: the cover's question, not a person.
                      "request_human"})
# Intents a story may hide behind ("Bonjour, ...", "ja en ..."): its facts win over them.
# Not `inform`, `affirm` or `deny`: inside a form they are answers, which the form reads itself (and a story read
# as `inform` outside a form is opened by action_complete_dossier).
# Not `out_of_scope` either: "my car was damaged in a storm" is out of scope, whatever words it shares with a cover.
STORY_UNDER = frozenset({"greet", "thank", "goodbye"})
STORY_MIN_WORDS = 6
ROUTED_CONFIDENCE = 0.95
# Every fact a story of any cover may state in words (kind, device, cause, misuse, channel, ...).
STORY_FACTS = frozenset(fact for facts in _STORY_FACTS_OF_COVER.values() for fact in facts) | {"account_fraud", "ransom"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageRouter(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MessageRouter":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            routed = self._route(message)
            if routed is None:
                continue
            intent = message.get(INTENT) or {}
            if routed != intent.get("name"):
                message.set(ROUTED_FROM, intent.get("name"), add_to_output=True)
            confidence = max(ROUTED_CONFIDENCE, float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0))
            message.set(INTENT, {"name": routed, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, _headed_by(message.get(INTENT_RANKING_KEY) or [], routed, confidence),
                        add_to_output=True)
        return messages

    @staticmethod
    def _route(message: Message) -> Optional[str]:
        text = (message.get(TEXT) or "").strip()
        intent = (message.get(INTENT) or {}).get("name")
        lang = message.get(LANGUAGE) or "nl"
        if not text or text.startswith("/"):
            return None
        if intent == "stop" and not _STOP_WORDS.search(fold(text)):
            # "nog steeds niks", "voor mezelf" read as stop: an answer without a word of stopping is an answer.
            return "inform"
        today = today_in_belgium()
        ranking = message.get(INTENT_RANKING_KEY) or []
        asked = _Asked(text, lang, today, ranking)
        if intent in REPORTS and not asked.pointed:
            # The model unsure (0.35) of the report the words plainly state: sure, so no "I didn't understand".
            # A report the words plainly state another way ("een tv besteld ... tot op vandaag niet geleverd" read as
            # damaged): the words' report.
            said = read(text, lang, today)
            if _tells_a_story(said):
                return report_intent(said, ranking)
            # "so you pay nothing?" after a refusal: a question that tells no incident opens no declaration.
            return QUESTION_INTENT if text.rstrip().endswith("?") else None
        # "hello?? I ordered ...": the question marks of a greeting ask nothing.
        text = _GREETING_CALL.sub("", text) or text
        if text != asked.text:
            asked = _Asked(text, lang, today, ranking)
        long_enough = len(re.findall(r"\w+", text)) >= STORY_MIN_WORDS
        if long_enough and intent not in FORM_ANSWERS and _HELP_ONLY.search(text):
            # "... 459 euros, on 19/10, nothing came. What can I do?": a story asking for help is a declaration.
            said = read(text, lang, today)
            if said.dates or said.money:
                story = report_intent(said, ranking)
                if story is not None:
                    return story
        if intent not in ASKED_AS | STORY_UNDER:
            return None
        if intent in FORM_ANSWERS | {"out_of_scope"} and asks(text):
            # "can they also take a loan in my name?" typed at the summary: a question, which the rules answer.
            if intent != "out_of_scope" or cover_of(read(text, lang, today)) is not None:
                return QUESTION_INTENT
        # Also when the model said `faq` itself: routed, it is sure, and no close second makes it ambiguous.
        if intent in ASKED_AS and asked.pointed:
            # Out of scope stays so unless the question names something of a cover ("dental insurance?" does not)
            # or the answering has a verdict for it ("the 4th time this year somebody harasses me, still covered?").
            if intent != "out_of_scope" or cover_of(read(text, lang, today)) is not None \
                    or asked.answer is not None:
                return QUESTION_INTENT
        if intent in STORY_UNDER and long_enough:
            said = read(text, lang, today)
            return report_intent(said, ranking) if _tells_a_story(said) else None
        if intent == "out_of_scope" and long_enough:
            # Out of scope unless two signs of one cover agree ("betalen in bitcoin ... bestanden versleuteld"); a
            # purchase only with words of buying ("my car was damaged in a storm" is no web shop's).
            said = read(text, lang, today)
            scores = cover_scores(said, ranking)
            best = max(scores, key=scores.get) if scores else None
            if best is None or scores[best] < STRONG_STORY or best == "ecommerce" and not _bought(said):
                return None
            return report_intent(said, ranking)
        if intent == QUESTION_INTENT and long_enough and not text.rstrip().endswith("?") \
                and not asked.pointed:
            # A story the model took for a question: only one that states a day or an amount ("so what do I do with
            # the broken pc, keep it?" after a claim is a question).
            said = read(text, lang, today)
            return report_intent(said, ranking) if said.dates or said.money else None
        return None


# The words of stopping (nlu_data's `stop` examples, folded): without one, a message is no request to stop.
_STOP_WORDS = re.compile(
    r"\b(?:sto+p+\w*|ophouden|hou\w* (?:er)?(?:mee )?op|kap\w*|laat (?:het |mij )?(?:maar|gerust)|niet (?:\w+ )?verder"
    r"|annul\w*|cancel\w*|laat (?:\w+ )*(?:maar )?(?:vallen|zitten)|vergeet|schrap|genoeg|breek|beeindig|afbreken"
    r"|niet meer|geen zin|bedacht|arret\w*|suffit|laisse\w* (?:tomber|beton)|oubli\w*|abandon\w*|renonce|quitt?\w*"
    r"|interromp\w*|sortir|fin|marre|plus envie|pas continuer|plus loin|plus repondre|pause|pas la peine|continue"
    r"|forget\w*|quit|abort|enough|give up|drop|halt|exit|end|leave|out of|changed my|don\W?t (?:want|wanna)|wanna"
    r"|anymore|no more|never ?mind)\b")
_GREETING_CALL = re.compile(r"^\W*(?:hello|hallo|hallo+|allo+|allô|hey|hi|bonjour|dag|goeiedag|hoi)\W*\?+\s*", re.IGNORECASE)
# A question that only asks for help, at the end of a story.
_HELP_ONLY = re.compile(
    r"(?:what (?:can|should|do) i do(?: now)?|can you help(?: me)?|could you help(?: me)?|help me|que (?:puis|peux)[- ]je "
    r"faire|je fais quoi|qu'est-ce que je (?:peux|dois) faire|(?:vous )?pouvez[- ](?:vous )?m'aider|vous savez m'aider"
    r"|wat (?:kan|moet) ik (?:nu )?doen|kunnen jullie (?:mij |me )?helpen|helpen jullie|kan je (?:mij |me )?helpen"
    r"|kunt u (?:mij |me )?helpen)\W*(?:svp|please|pls|aub|alstublieft|s'il vous pla[iî]t|stp)?\W*$", re.IGNORECASE)
# Inside a form these are answers, which the form reads itself.
FORM_ANSWERS = frozenset({"inform", "affirm", "deny"})
REPORTS = frozenset({"report_non_delivery", "report_non_conforming", "report_identity_theft", "report_e_reputation",
                     "report_data_loss", "report_payment_fraud"})


STRONG_STORY = 0.9


def _headed_by(ranking: List[Dict[str, Any]], routed: str, confidence: float) -> List[Dict[str, Any]]:
    """The ranking with the routed intent first and the others scaled to share what is left (1 - confidence):
    FallbackClassifier reads the top two for ambiguity, and the model's own 0.98 for the report a routed question
    came from would otherwise make it "not understood"."""
    others = [r for r in ranking if r.get("name") != routed]
    total = sum(float(r.get(PREDICTED_CONFIDENCE_KEY) or 0) for r in others)
    scale = min(1.0, (1 - confidence) / total) if total else 1.0
    return [{"name": routed, PREDICTED_CONFIDENCE_KEY: confidence},
            *({**r, PREDICTED_CONFIDENCE_KEY: float(r.get(PREDICTED_CONFIDENCE_KEY) or 0) * scale} for r in others)]


class _Asked:
    """Whether a message is a question the answering begins with a verdict for: about the cover or the contract in
    its words, or about an incident it tells ("mijn tickets zijn nooit aangekomen, kan ik da aangeven?"); the same
    reading as the answer's. Computed at most once per message: the answering runs the coverage check."""

    def __init__(self, text: str, lang: str, today, ranking) -> None:
        self.text, self.lang, self.today, self.ranking = text, lang, today, ranking

    @cached_property
    def answer(self):
        return answer(self.text, self.lang, self.today, self.ranking)

    @cached_property
    def pointed(self) -> bool:
        return is_cover_question(self.text, self.lang, self.today) or self.answer is not None


def _bought(said) -> bool:
    return any(p.fact in ("date_context", "amount_context") and p.value in ("order_date", "purchase") and not p.negated
               for p in said.phrases) or said.name("merchant") is not None


def _tells_a_story(said) -> bool:
    """A story states what happened with a detail of it (a day, an amount, what was bought, a second fact): "how
    do I add more GB to my mobile plan?" names a phone but tells nothing."""
    facts = {p.fact for p in said.phrases if not p.negated and p.fact in STORY_FACTS}
    return bool(said.dates or said.money or said.goods is not None) or len(facts) >= 2
