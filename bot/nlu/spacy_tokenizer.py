"""Rasa tokenizer that splits and lemmatises each message with spaCy's rules for its language.

Why not Rasa's SpacyTokenizer: it needs one downloaded pipeline for one language. Here the
language comes from LanguageDetector, and spaCy's blank nl/fr/en tokenizers (French elision
"j'ai" -> "j'" "ai", Dutch "'s", English "I've") with the lookup lemmas of spacy-lookups-data need
no downloaded weights. CountVectorsFeaturizer reads `token.lemma`, so "pakjes"/"pakje",
"livrés"/"livrer" and "parcels"/"parcel" share one feature.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import lemma_tables
from bot.nlu.language_detector import LANGUAGE
from bot.nlu.language_identification import LANGUAGES


class _LanguageTools:
    """spaCy tokenizers and lemma tables, loaded once per process (compact tables: lemma_tables.py)."""

    _loaded: Dict[str, "_LanguageTools"] = {}

    def __init__(self, lang: str) -> None:
        self.tokenizer = spacy.blank(lang).tokenizer
        self.lemmas = lemma_tables.table(lang)

    @classmethod
    def for_language(cls, lang: str) -> "_LanguageTools":
        if lang not in cls._loaded:
            cls._loaded[lang] = cls(lang)
        return cls._loaded[lang]

    def lemma(self, word: str) -> str:
        lower = word.lower()
        return self.lemmas.get(lower) or lower


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class MultilingualSpacyTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            "default_language": "nl",
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._default = config["default_language"]
        # Load all three now: the first message must not pay for it.
        self._tools = {lang: _LanguageTools.for_language(lang) for lang in LANGUAGES}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MultilingualSpacyTokenizer":
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        lang = message.get(LANGUAGE)
        tools = self._tools.get(lang) or self._tools[self._default]
        text = message.get(attribute) or ""
        tokens = [
            Token(t.text, t.idx, lemma=tools.lemma(t.text))
            for t in tools.tokenizer(text)
            if not t.is_space
        ]
        return self._apply_token_pattern(tokens)
