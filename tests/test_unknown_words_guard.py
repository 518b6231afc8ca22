"""The guard that keeps the classifier from guessing at gibberish, trained on the real training data."""
from __future__ import annotations

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.language_detector import LanguageDetector
from bot.nlu.spacy_tokenizer import MultilingualSpacyTokenizer
from bot.nlu.unknown_words_guard import ALL_WORDS_UNKNOWN, UnknownWordsGuard, Vocabulary, normalise
from tests.conftest import ROOT
from tests.nlu_data import LANGUAGES, held_out_examples, labelled, plain, training_examples


def _configured() -> dict:
    """The guard's settings as config.yml gives them (the defaults overridden), so the test runs what is served."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    given = next(c for c in pipeline if c["name"] == "bot.nlu.unknown_words_guard.UnknownWordsGuard")
    return {**UnknownWordsGuard.get_default_config(), **{k: v for k, v in given.items() if k != "name"}}


GUARD_CONFIG = _configured()


class Pipeline:
    """Language detection and tokenisation, as config.yml runs them before the guard."""

    def __init__(self) -> None:
        self.detector = LanguageDetector(LanguageDetector.get_default_config())
        self.tokenizer = MultilingualSpacyTokenizer(MultilingualSpacyTokenizer.get_default_config())

    def message(self, text: str, intent: str = "greet", confidence: float = 0.93) -> Message:
        message = Message(data={TEXT: text})
        self.detector.process([message])
        self.tokenizer.process([message])
        message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
        return message


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="module")
def trained(pipeline, storage) -> UnknownWordsGuard:
    examples = [
        Message(data={TEXT: text, INTENT: intent})
        for lang in LANGUAGES for text, intent in labelled(training_examples(lang))
    ]
    data = TrainingData(examples)
    pipeline.detector.process_training_data(data)
    pipeline.tokenizer.process_training_data(data)
    guard = UnknownWordsGuard.create(
        GUARD_CONFIG, storage, Resource("guard"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    guard.train(data)
    return guard


def confidence_after(guard: UnknownWordsGuard, message: Message) -> float:
    guard.process([message])
    return message.get(INTENT)["confidence"]


@pytest.mark.parametrize("text", [
    "xqzt vlorp brimble snark", "grmbl fnorq zzzt", "asdfgh jkl", "blorf?! zwix", "CC-2026-1 flurb gnak",
])
def test_gibberish_loses_its_intent_confidence(trained, pipeline, text):
    message = pipeline.message(text)
    assert confidence_after(trained, message) == 0.0
    assert message.get(ALL_WORDS_UNKNOWN) is True
    assert message.get(INTENT)["name"] == "greet"  # the guess is kept, for whoever reads the logs


@pytest.mark.parametrize("text", [
    "mijn pakje is nooit aangekomen", "mijn pakjee is nooit aangekomn",   # typos: one edit each
    "Quelqu'un a utilisé ma carte bancaire", "quelquun a utilise ma carte bancaire",
    "my parcel never came", "parcell",
    "CC-2026-000123", "12/03/2026", "499",   # digits only: a reference, a date, an amount
    "aucunement", "qwertyuiop",               # one word alone is left to the classifier
])
def test_messages_with_a_known_word_or_only_digits_keep_their_confidence(trained, pipeline, text):
    message = pipeline.message(text)
    assert confidence_after(trained, message) == 0.93
    assert message.get(ALL_WORDS_UNKNOWN) is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_held_out_example_is_taken_for_gibberish(trained, pipeline, lang):
    # Held-out examples were never trained on: they stand for what real users write.
    flagged = [
        text for text, _ in labelled(held_out_examples(lang))
        if confidence_after(trained, pipeline.message(plain(text))) == 0.0
    ]
    assert flagged == []


def test_the_vocabulary_survives_persist_and_load(trained, storage, pipeline):
    loaded = UnknownWordsGuard.load(
        GUARD_CONFIG, storage, Resource("guard"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    assert loaded.vocabulary.words == trained.vocabulary.words
    assert confidence_after(loaded, pipeline.message("xqzt vlorp")) == 0.0


def test_an_untrained_guard_lets_everything_through(storage, pipeline):
    guard = UnknownWordsGuard.load(
        GUARD_CONFIG, storage, Resource("never-trained"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    assert confidence_after(guard, pipeline.message("xqzt vlorp")) == 0.93


@pytest.mark.parametrize("word, known", [
    ("colis", True), ("coli", True), ("coliss", True), ("cilis", True),   # exact, 1 deleted/added/changed
    ("clis", True), ("cols", True), ("xolix", False), ("cx", False),
])
def test_one_edit_is_tolerated_from_four_letters(word, known):
    assert Vocabulary(["colis", "ok"]).knows(word) is known


def test_normalise_drops_case_accents_and_punctuation():
    assert [normalise(w) for w in ("Reçu,", "j'", "ÉTÉ", "!!", "naïef")] == ["recu", "j", "ete", "", "naief"]
