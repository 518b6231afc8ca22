"""Which of nl/fr/en a message is written in, and how sure we are.

Pure Python, no Rasa: the Rasa component (language_detector.py) and the dialogue policy only read
the `Identification` it returns. Three signals, because each alone fails on chat messages:
- a lexicon of short chat words ("hallo", "merci", "thanks"): lingua calls "hallo" English;
- words that are stop words in exactly one of the three languages ("mijn", "les", "my");
- lingua's n-gram models, restricted to the three languages, loaded once per process.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Sequence

import yaml

from actions.constants import LANGUAGES
from actions.evidence.date_rules import MONTHS, WEEKDAYS
from actions.evidence.text import fold

# Words of no language in particular in a Belgian chat: months and days are read in the others' words too.
_NO_EVIDENCE = frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(
    "mail email e-mail sms ok oke okay pc gsm laptop online app whatsapp facebook instagram tiktok per via".split())
_LEXICON_FILE = Path(__file__).with_name("short_words.yml")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_CODE = re.compile(r"\S*\d\S*")


@dataclass(frozen=True)
class Identification:
    language: str
    confidence: float  # 0..1
    words: int  # letters-only words in the message
    source: str  # "lexicon" | "stopwords+lingua" | "lingua" | "default"


def words_of(text: str) -> list[str]:
    """The words that can tell a language: codes with a digit in them (a policy number like
    "CC-TFC5C-007105", a PV number, a date, an amount) are left out whole, not read as "CC TFC C"; so are
    the names of months and weekdays ("18 november, per mail" is no English) and words every language uses
    in a chat ("mail", "ok", "pc")."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(_CODE.sub(" ", text or ""))]
    return [w for w in words if fold(w) not in _NO_EVIDENCE]


class LanguageIdentifier:
    """Identifies nl/fr/en. Build once (models load in ~1 s); `identify` is thread-safe."""

    _shared: Optional["LanguageIdentifier"] = None
    _lock = threading.Lock()

    def __init__(self, default_language: str = "nl") -> None:
        from lingua import Language, LanguageDetectorBuilder
        from spacy.lang.en.stop_words import STOP_WORDS as EN
        from spacy.lang.fr.stop_words import STOP_WORDS as FR
        from spacy.lang.nl.stop_words import STOP_WORDS as NL

        self.default_language = default_language
        self._lingua_codes = {Language.DUTCH: "nl", Language.FRENCH: "fr", Language.ENGLISH: "en"}
        self._detector = (
            LanguageDetectorBuilder.from_languages(*self._lingua_codes)
            .with_preloaded_language_models()
            .with_low_accuracy_mode()
            .build()
        )
        lexicon = yaml.safe_load(_LEXICON_FILE.read_text(encoding="utf-8"))
        self._short_words: Dict[str, str] = {
            word.lower(): lang for lang in LANGUAGES for word in lexicon[lang].split()
        }
        stops = {"nl": set(NL), "fr": set(FR), "en": set(EN)}
        # A word counts as evidence only when it is a stop word of exactly one language.
        self._exclusive_stop: Dict[str, str] = {}
        for lang, words in stops.items():
            others = set().union(*(stops[o] for o in LANGUAGES if o != lang))
            for word in words - others:
                if len(word) > 1:
                    self._exclusive_stop[word] = lang

    @classmethod
    def shared(cls) -> "LanguageIdentifier":
        """One instance per process: the models are large and immutable."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def identify(self, text: str, hint: Optional[str] = None) -> Identification:
        words = words_of(text)
        fallback = hint if hint in LANGUAGES else self.default_language
        if not words:
            return Identification(fallback, 0.0, 0, "default")

        if len(words) <= 3:
            votes = self._vote(words, self._short_words)
            if votes:
                lang = max(votes, key=votes.get)
                if votes[lang] == sum(votes.values()):
                    return Identification(lang, 0.9, len(words), "lexicon")

        scores = self._lingua_scores(" ".join(words))
        if not scores:
            return Identification(fallback, 0.0, len(words), "default")
        stop_votes = self._vote(words, self._exclusive_stop)
        if stop_votes:
            total = sum(stop_votes.values())
            # Equal weight to the n-gram model and the function words.
            scores = {
                lang: 0.5 * scores.get(lang, 0.0) + 0.5 * stop_votes.get(lang, 0) / total
                for lang in LANGUAGES
            }
        lang = max(scores, key=scores.get)
        source = "stopwords+lingua" if stop_votes else "lingua"
        return Identification(lang, round(scores[lang], 4), len(words), source)

    def _lingua_scores(self, text: str) -> Dict[str, float]:
        values = self._detector.compute_language_confidence_values(text)
        return {self._lingua_codes[v.language]: v.value for v in values}

    @staticmethod
    def _vote(words: Sequence[str], table: Dict[str, str]) -> Dict[str, int]:
        votes: Dict[str, int] = {}
        for word in words:
            lang = table.get(word)
            if lang:
                votes[lang] = votes.get(lang, 0) + 1
        return votes
