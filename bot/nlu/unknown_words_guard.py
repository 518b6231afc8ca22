"""Rasa component that stops the intent classifier guessing at messages made only of unknown words.

Why: DIET's character n-grams give gibberish ("xqzt vlorp brimble") a confident intent now and then,
and which one changes from one training run to the next. When not one word of a message is a word
of the training data (or one typo away from one), the classifier has no evidence at all: this
component sets the intent's confidence to 0 so that FallbackClassifier, after it, asks the user to
rephrase. Words with digits (claim references, amounts, dates) are neither known nor unknown.
A single word is left to the classifier: real words outside the training data ("aucunement",
"nope") come alone far more often than in a sentence none of whose words is known.
"""
from __future__ import annotations

import json
import unicodedata
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

ALL_WORDS_UNKNOWN = "all_words_unknown"
_VOCABULARY_FILE = "vocabulary.json"


def normalise(word: str) -> str:
    """Lower case, letters only, accents dropped: "Reçu," -> "recu", "j'" -> "j"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch))


def _deletes(word: str) -> Set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Vocabulary:
    """Known words, with one-edit tolerance for words of `min_fuzzy_length` letters or more.

    One edit (a letter left out, added or changed) is found with deletion neighbourhoods: two
    words are one edit apart when one is a deletion of the other or both share a deletion.
    """

    def __init__(self, words: Iterable[str], min_fuzzy_length: int = 4) -> None:
        self.words: FrozenSet[str] = frozenset(w for w in words if w)
        self.min_fuzzy_length = min_fuzzy_length
        self._deletions: FrozenSet[str] = frozenset(
            d for w in self.words if len(w) >= min_fuzzy_length for d in _deletes(w)
        )

    def knows(self, word: str) -> bool:
        if word in self.words:
            return True
        if len(word) < self.min_fuzzy_length:
            return False
        if word in self._deletions:  # a letter added
            return True
        return any(d in self.words or d in self._deletions for d in _deletes(word))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class UnknownWordsGuard(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_fuzzy_length": 4, "min_words": 2}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Optional[Vocabulary] = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnknownWordsGuard":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        words: Set[str] = set()
        for example in training_data.intent_examples:
            words.update(_forms(_word_tokens(example)))
        self.vocabulary = Vocabulary(words, self._config["min_fuzzy_length"])
        with self._storage.write_to(self._resource) as directory:
            (directory / _VOCABULARY_FILE).write_text(json.dumps(sorted(words), ensure_ascii=False))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "UnknownWordsGuard":
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / _VOCABULARY_FILE).read_text())
        except (ValueError, OSError):
            # Not trained (e.g. `rasa train core`): the guard lets every message through.
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, Vocabulary(words, config["min_fuzzy_length"]))

    def process(self, messages: List[Message]) -> List[Message]:
        if self.vocabulary is None:
            return messages
        for message in messages:
            intent = message.get(INTENT)
            tokens = _word_tokens(message)
            if (not intent or len(tokens) < self._config["min_words"]
                    or any(self.vocabulary.knows(w) for w in _forms(tokens))):
                continue
            message.set(INTENT, {**intent, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
            message.set(ALL_WORDS_UNKNOWN, True, add_to_output=True)
        return messages


def _word_tokens(message: Message) -> List[Any]:
    """Tokens with letters and no digit (a claim reference, an amount or a date is no word)."""
    return [
        token for token in message.get(TOKENS_NAMES[TEXT]) or []
        if normalise(token.text) and not any(ch.isdigit() for ch in token.text)
    ]


def _forms(tokens: List[Any]) -> Set[str]:
    """Each word's normalised text and lemma."""
    return {f for t in tokens for f in (normalise(t.text), normalise(t.lemma or t.text)) if f}
