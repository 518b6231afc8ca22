"""Field-level accuracy of the extraction on a labelled corpus of realistic messages (corpus.yml), per
language: printed, written to results/evidence_accuracy.json, and each field must be right in at least
95 % of the messages. Field-level: a message's `dates` is right when the whole list is."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml

from actions.evidence import extract

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)
FIELDS = ("dates", "amounts", "police_report", "urls", "goods_category")
MIN_ACCURACY = 0.95


def measure() -> dict:
    corpus = yaml.safe_load((ROOT / "tests" / "evidence" / "corpus.yml").read_text(encoding="utf-8"))
    figures, misses = {}, []
    for lang, items in corpus.items():
        right = dict.fromkeys(FIELDS, 0)
        for item in items:
            found = extract(item["text"], lang, TODAY).to_json()
            for field in FIELDS:
                if found[field] == item["expected"][field]:
                    right[field] += 1
                else:
                    misses.append({"lang": lang, "text": item["text"], "field": field,
                                   "expected": item["expected"][field], "found": found[field]})
        figures[lang] = {field: round(count / len(items), 3) for field, count in right.items()} | {
            "messages": len(items)}
    return {"today": TODAY.isoformat(), "accuracy": figures, "misses": misses}


def test_every_field_is_right_in_at_least_95_percent_of_the_messages_of_each_language():
    result = measure()
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "evidence_accuracy.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                                                            encoding="utf-8")
    print("\n" + json.dumps(result, indent=2, ensure_ascii=False))
    assert set(result["accuracy"]) == {"nl", "fr", "en"}
    assert all(figures["messages"] >= 60 for figures in result["accuracy"].values())
    low = {(lang, field): value for lang, figures in result["accuracy"].items()
           for field, value in figures.items() if field != "messages" and value < MIN_ACCURACY}
    assert low == {}, result["misses"]
