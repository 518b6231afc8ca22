"""Keeps the conversation's `language` slot, so every response is rendered in the user's language.

A Rasa policy, because a policy sees the whole conversation and its events are applied before the
next action renders its response, in the Rasa process (no call to the action server per message).
It never predicts an action (all probabilities 0); it only returns a `SlotSet("language", ...)`
when the language changes. The rules (DESIGN.md "One model, three languages"):

1. `switch_language` with a `target_language` entity: the language wanted (`wanted_language`): a complaint
   about a language ("why are you speaking dutch??", "waarom engels nu??") wants the message's own language;
   of several languages named ("answering me in flemish, switch to english") the message's own, else the last.
2. No language yet (first message): the text's language if the message is clear, else the
   channel's hint (Telegram `language_code`, the web page's language), else the detected guess.
3. Otherwise the language changes only on a clear message in another language: at least
   `min_words` words and `min_confidence`; "ok", "ja", "oui", "merci" leave it as it is.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.language_identification import LANGUAGES, words_of

SLOT = "language"
SWITCH_INTENT = "switch_language"
TARGET_ENTITY = "target_language"

# Words that, before the language named, complain about it rather than ask for it.
_COMPLAINT = re.compile(r"\b(why|stop|no more|not in|waarom|stop met|niet in|geen|pourquoi|arr[êe]te[zr]?|pas en|plus en)\b",
                        re.IGNORECASE)


def wanted_language(text: str, named: List[Tuple[int, str]], detected: Optional[str]) -> Optional[str]:
    """The language a switch_language message asks for, from the languages it names ((start, language) in
    order) and the language it is written in."""
    languages = [language for _, language in named if language in LANGUAGES]
    if not languages:
        return None
    if len(set(languages)) > 1:
        return detected if detected in languages else languages[-1]
    start, language = next((start, language) for start, language in named if language in LANGUAGES)
    if detected in LANGUAGES and detected != language and _COMPLAINT.search(text[:start]):
        return detected
    return language


# The language decided for each conversation's latest message, in this process, with that message's
# id: the channel that handed the message over reads it back (`decided_language`) to tell the page
# which language the conversation is in, instead of reading the whole conversation from the tracker
# store again. Keyed by message id, so a decision made for an earlier message (here, before another
# worker handled a switch) is never taken for this one. Bounded.
_DECIDED_MAX = 10_000
_decided: "OrderedDict[str, Tuple[Optional[str], str]]" = OrderedDict()


def decided_language(sender_id: str, message_id: Optional[str]) -> Optional[str]:
    """The language decided for this very message, or None (no prediction ran for it here)."""
    decided = _decided.get(sender_id)
    return decided[1] if decided is not None and message_id and decided[0] == message_id else None


def _remember(sender_id: str, message_id: Optional[str], language: str) -> None:
    _decided[sender_id] = (message_id, language)
    _decided.move_to_end(sender_id)
    if len(_decided) > _DECIDED_MAX:
        _decided.popitem(last=False)


def choose_language(
    current: Optional[str],
    intent: Optional[str],
    target: Optional[str],
    detected: Optional[str],
    confidence: float,
    words: int,
    hint: Optional[str],
    min_words: int,
    min_confidence: float,
    default: str = "nl",
) -> str:
    """The conversation's language after this message (pure, so it is tested on its own)."""
    if intent == SWITCH_INTENT and target in LANGUAGES:
        return target
    clear = detected in LANGUAGES and words >= min_words and confidence >= min_confidence
    if current not in LANGUAGES:
        if clear:
            return detected
        if hint in LANGUAGES:
            return hint
        return detected if detected in LANGUAGES else default
    return detected if clear else current


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class LanguagePolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 0, "min_words": 3, "min_confidence": 0.75, "default_language": "nl"}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self._min_words = int(config["min_words"])
        self._min_confidence = float(config["min_confidence"])
        self._default = config["default_language"]

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Nothing to learn; an empty resource keeps Rasa's loader happy.
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        message = tracker.latest_message
        # Decide once per user message: right after it, before the first answer.
        if tracker.latest_action_name != ACTION_LISTEN_NAME or message is None or not message.text:
            return self._prediction(probabilities)

        parse = message.parse_data or {}
        named = sorted((int(e.get("start") or 0), e.get("value")) for e in message.entities
                       if e.get("entity") == TARGET_ENTITY)
        target = wanted_language(message.text, named, parse.get("language"))
        metadata = message.metadata if isinstance(message.metadata, dict) else {}
        current = tracker.get_slot(SLOT)
        chosen = choose_language(
            current=current,
            intent=(message.intent or {}).get("name"),
            target=target,
            detected=parse.get("language"),
            confidence=float(parse.get("language_confidence") or 0.0),
            words=len(words_of(message.text)),
            hint=metadata.get("language"),
            min_words=self._min_words,
            min_confidence=self._min_confidence,
            default=self._default,
        )
        events = [SlotSet(SLOT, chosen)] if chosen != current else []
        _remember(tracker.sender_id, message.message_id, chosen)
        return self._prediction(probabilities, events=events)
