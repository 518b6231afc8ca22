"""Held-out NLU evaluation per language, against the running Rasa server (POST /model/parse).

Examples in tests/nlu/<lang>.yml are never trained on. Intent accuracy counts faq topics as their
own labels (faq/premium, ...), as the user experiences them; nlu_fallback counts as wrong. The
figures are written to results/nlu_evaluation.json and printed (pytest -s, or the report file).
"""
from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.nlu_data import LANGUAGES, ROOT, held_out_examples, labelled

# Floors the model must stay above (measured figures are in the closing note and the report).
MIN_INTENT_ACCURACY = 0.84
MIN_LANGUAGE_ACCURACY = 0.95


def predicted_label(parse: dict) -> str:
    intent = parse["intent"]["name"]
    if intent == "faq":
        return parse["response_selector"]["faq"]["response"]["intent_response_key"]
    return intent


@pytest.fixture(scope="module")
def evaluation(stack) -> dict:
    url = f"{stack.settings.rasa_url}/model/parse?token={stack.settings.api_token}"
    session = requests.Session()
    report = {}
    for lang in LANGUAGES:
        cases = labelled(held_out_examples(lang))

        def parse(text: str) -> dict:
            return session.post(url, json={"text": text}, timeout=30).json()

        with ThreadPoolExecutor(4) as pool:
            parses = list(pool.map(parse, [text for text, _ in cases]))
        errors = Counter()
        intent_hits = language_hits = 0
        for (text, gold), result in zip(cases, parses):
            label = predicted_label(result)
            intent_hits += label == gold
            language_hits += result.get("language") == lang
            if label != gold:
                errors[f"{gold} -> {label}"] += 1
        report[lang] = {
            "examples": len(cases),
            "intent_accuracy": round(intent_hits / len(cases), 4),
            "language_accuracy": round(language_hits / len(cases), 4),
            "top_confusions": errors.most_common(8),
        }
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "nlu_evaluation.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print("\nHeld-out NLU evaluation")
    for lang, figures in report.items():
        print(f"  {lang}: {figures['examples']} examples, intent accuracy {figures['intent_accuracy']:.1%}, "
              f"language detection {figures['language_accuracy']:.1%}")
    return report


@pytest.mark.parametrize("lang", LANGUAGES)
def test_intent_accuracy_on_held_out_examples(evaluation, lang):
    figures = evaluation[lang]
    assert figures["intent_accuracy"] >= MIN_INTENT_ACCURACY, figures


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_detection_on_held_out_examples(evaluation, lang):
    figures = evaluation[lang]
    assert figures["language_accuracy"] >= MIN_LANGUAGE_ACCURACY, figures
