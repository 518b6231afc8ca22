"""Field-level accuracy of the extraction on a labelled corpus of realistic messages, per language.
Printed and written to results/evidence_accuracy.json; each field must be right in 90 % of messages."""
from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from actions.evidence import extract
from tests.nlu_data import ROOT

TODAY = date(2026, 11, 24)
FIELDS = ("dates", "amounts", "police_report", "urls", "goods_category")
EMPTY = {"dates": [], "amounts": [], "police_report": None, "urls": [], "goods_category": None}
MIN_ACCURACY = 0.9
CORPUS = yaml.safe_load((ROOT / "tests" / "evidence" / "corpus.yml").read_text(encoding="utf-8"))


def accuracy(lang: str) -> dict:
    right = {field: 0 for field in FIELDS}
    for item in CORPUS[lang]:
        expected = {**EMPTY, **{k: v for k, v in item.items() if k != "text"}}
        found = extract(item["text"], lang, TODAY).to_json()
        for field in FIELDS:
            right[field] += found[field] == expected[field]
    return {field: round(count / len(CORPUS[lang]), 3) for field, count in right.items()} | {
        "messages": len(CORPUS[lang])}


@pytest.fixture(scope="module")
def figures() -> dict:
    result = {lang: accuracy(lang) for lang in ("nl", "fr", "en")}
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "evidence_accuracy.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return result


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_every_field_is_right_in_nine_messages_out_of_ten(figures, lang):
    assert {f: v for f, v in figures[lang].items() if f != "messages" and v < MIN_ACCURACY} == {}
