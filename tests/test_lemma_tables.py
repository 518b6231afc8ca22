"""The compact lemma tables (bot/nlu/lemma_tables.py) give exactly the lemma spaCy's own lookup
tables give, for every word of the training data and held-out data in the three languages, and for
words no table knows."""
from __future__ import annotations

import re

import pytest
from spacy.lookups import load_lookups

from bot.nlu import lemma_tables
from tests.conftest import ROOT


def spacy_lemma(table, word: str):
    lemma = table.get(word)
    if isinstance(lemma, list):
        return lemma[0] if lemma else None
    return lemma


def words_of_the_data():
    text = " ".join(path.read_text(encoding="utf-8") for folder in ("nlu_data", "tests/nlu")
                    for path in (ROOT / folder).rglob("*.yml"))
    return sorted({word.lower() for word in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)})


@pytest.mark.parametrize("lang", lemma_tables.LANGUAGES)
def test_every_word_of_the_data_gets_spacys_own_lemma(lang):
    original = load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
    compact = lemma_tables.table(lang)
    assert len(compact) == sum(1 for value in original.values() if value != [])
    words = words_of_the_data() + ["xqzvtr", "ï", "j'", "l'", "huizen", "pakjes", "livrés", "parcels"]
    differing = [w for w in words if compact.get(w) != spacy_lemma(original, w)]
    assert differing == []
    found = [w for w in words if compact.get(w) is not None]
    assert len(found) > 100  # the data's words are (mostly) in the tables: the lookups really ran


def test_the_tokenizer_lemmatises_with_them():
    from bot.nlu.spacy_tokenizer import _LanguageTools

    assert _LanguageTools.for_language("fr").lemma("Livrés") == "livrer"
    assert _LanguageTools.for_language("en").lemma("Parcels") == "parcel"
    assert _LanguageTools.for_language("nl").lemma("xqzvtr") == "xqzvtr"
