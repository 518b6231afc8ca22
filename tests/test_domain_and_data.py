"""The domain and the training data keep DESIGN.md's contract, in all three languages."""
from __future__ import annotations

import pytest
import yaml

from tests.nlu_data import LANGUAGES, ROOT, held_out_examples, normalized, training_examples

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = DOMAIN["responses"]
DESIGN_INTENTS = """greet goodbye thank affirm deny stop bot_challenge out_of_scope request_human
switch_language ask_prevention_tips check_claim_status inform declare_incident report_non_delivery
report_non_conforming report_identity_theft report_e_reputation report_data_loss report_payment_fraud""".split()
FAQ_TOPICS = """premium what_is_covered who_is_insured eligibility cancellation complaint contact
refund_delay territory exclusions how_to_declare start_of_cover""".split()
LABELS = DESIGN_INTENTS + [f"faq/{topic}" for topic in FAQ_TOPICS]
MIN_EXAMPLES = 25


def test_every_design_intent_is_in_the_domain():
    assert set(DESIGN_INTENTS + ["faq"]) <= set(DOMAIN["intents"])


SEVERAL_WORDINGS = ("utter_care_",)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_has_exactly_one_variation_per_language(name):
    languages = [
        next(c["value"] for c in variation["condition"] if c["name"] == "language")
        for variation in RESPONSES[name]
    ]
    # The care lines have several wordings per language (issue 16: none that sounds like a form letter).
    if name.startswith(SEVERAL_WORDINGS):
        assert set(languages) == set(LANGUAGES) and all(languages.count(lang) >= 1 for lang in LANGUAGES), name
    else:
        assert sorted(languages) == sorted(LANGUAGES), name
    texts = [variation["text"] for variation in RESPONSES[name]]
    assert len(set(texts)) == len(texts) and all(t.strip() for t in texts), f"{name}: a text is missing or untranslated"


def test_every_action_in_rules_and_test_stories_has_a_response_or_is_declared():
    used = set()
    for path in list((ROOT / "nlu_data").rglob("*.yml")) + list((ROOT / "tests" / "stories").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("rules", []) + data.get("stories", []):
            used |= {step["action"] for step in block["steps"] if "action" in step}
    actions = {name for entry in DOMAIN.get("actions", []) for name in ([entry] if isinstance(entry, str) else entry)}
    declared = set(RESPONSES) | actions | set(DOMAIN.get("forms", {})) | {"utter_faq"}
    assert used - declared == set()


@pytest.mark.parametrize("topic", FAQ_TOPICS)
def test_every_faq_topic_has_an_answer(topic):
    assert f"utter_faq/{topic}" in RESPONSES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_intent_has_enough_distinct_training_examples(lang):
    examples = training_examples(lang)
    too_few = {label: len(set(map(normalized, examples.get(label, [])))) for label in LABELS}
    assert {k: v for k, v in too_few.items() if v < MIN_EXAMPLES} == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_held_out_examples_are_not_in_training(lang):
    seen = {normalized(t) for texts in training_examples(lang).values() for t in texts}
    held_out = held_out_examples(lang)
    assert set(LABELS) <= set(held_out), "every intent and faq topic is measured"
    leaked = [t for texts in held_out.values() for t in texts if normalized(t) in seen]
    assert leaked == []


def answer(topic: str, lang: str) -> str:
    return next(
        v["text"] for v in RESPONSES[f"utter_faq/{topic}"]
        if any(c["value"] == lang for c in v["condition"])
    )


# Facts from the seed documents each FAQ answer must state, per language.
FACTS = {
    "premium": {"nl": ["4,99", "59,88"], "fr": ["4,99", "59,88"], "en": ["4.99", "59.88"]},
    "contact": {lang: ["02 552 51 65"] for lang in LANGUAGES},
    "refund_delay": {lang: ["15"] for lang in LANGUAGES},
    "territory": {"nl": ["België"], "fr": ["Belgique"], "en": ["Belgium"]},
    "start_of_cover": {"nl": ["2 maanden"], "fr": ["2 mois"], "en": ["2 months"]},
    "complaint": {lang: ["Ombudsman", "02 547 58 71", "quality.brussels@ip-assistance.com"] for lang in LANGUAGES},
    "eligibility": {"nl": ["Proximus", "antivirus", "18"], "fr": ["Proximus", "antivirus", "18"], "en": ["Proximus", "antivirus", "18"]},
    "who_is_insured": {"nl": ["dak"], "fr": ["toit"], "en": ["roof"]},
    "what_is_covered": {"nl": ["5.000", "800", "1.000"], "fr": ["5.000", "800", "1.000"], "en": ["5,000", "800", "1,000"]},
    "cancellation": {"nl": ["6 maanden"], "fr": ["6 premiers mois"], "en": ["6 months"]},
}


@pytest.mark.parametrize("topic, lang", [(topic, lang) for topic in FACTS for lang in LANGUAGES])
def test_faq_answers_state_the_facts_of_the_documents(topic, lang):
    text = answer(topic, lang).replace("\u00a0", " ").replace("\u202f", " ")
    missing = [fact for fact in FACTS[topic][lang] if fact not in text]
    assert missing == [], f"utter_faq/{topic} ({lang}): {text}"
