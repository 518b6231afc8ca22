"""Rasa component that adds `language` and `language_confidence` to every parse result.

It runs first in the pipeline (registered as a featurizer so that Rasa also runs it over the
training data): the spaCy tokenizer after it picks its rules by this language. A channel hint in
the message metadata (`{"language": "fr"}`) is used only where the text says nothing (digits,
empty), because what the user writes beats the app setting. Whether the conversation switches
language is decided later, with the conversation in view, by LanguagePolicy.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.language_identification import LanguageIdentifier

LANGUAGE = "language"
LANGUAGE_CONFIDENCE = "language_confidence"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class LanguageDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"default_language": "nl"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._default = config["default_language"]
        self._identifier = LanguageIdentifier.shared()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):
                self._annotate(example, add_to_output=False)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._annotate(message, add_to_output=True)
        return messages

    def _annotate(self, message: Message, add_to_output: bool) -> None:
        metadata = message.get(METADATA) or {}
        hint: Optional[str] = metadata.get(LANGUAGE) if isinstance(metadata, dict) else None
        found = self._identifier.identify(message.get(TEXT) or "", hint=hint or self._default)
        message.set(LANGUAGE, found.language, add_to_output=add_to_output)
        message.set(LANGUAGE_CONFIDENCE, found.confidence, add_to_output=add_to_output)
