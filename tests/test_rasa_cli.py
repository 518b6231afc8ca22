"""Rasa's own checks: the training data validates, and the test stories pass in all three languages."""
from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import RASA, RASA_ENV, ROOT


# Responses said by custom actions (dispatcher.utter_message), by the forms when they ask a slot, or
# by Rasa's default fallback action, so no rule names them: Rasa reports them as unused. Every other
# warning fails the test.
def _said_outside_rules() -> set:
    import yaml

    from actions.forms import fields

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").rglob("*.py"))
    named_in_code = set(re.findall(r"\"(utter_[a-z_]+)\"", code))
    asked_by_forms = {f"utter_ask_{slot}" for form in domain["forms"].values() for slot in form["required_slots"]}
    asked_by_forms |= {f"utter_ask_{form}_{slot}" for form, spec in domain["forms"].items()
                       for slot in spec["required_slots"]}
    built_in_code = {f"utter_prevention_tips_{cover}" for cover in fields.COVERS}
    # The care lines and the support the cover gives, named per cover (actions/forms/care.py).
    built_in_code |= {f"utter_care_{cover}{tail}" for cover in fields.COVERS for tail in ("", "_distress")}
    built_in_code |= {"utter_care_ecommerce_non_delivery", "utter_care_ecommerce_non_conforming",
                      "utter_support_e_reputation", "utter_support_identity_theft",
                      "utter_faq"}  # the retrieval response: action_answer_question says utter_faq/<topic>
    built_in_code |= {f"utter_claim_status_{s}" for s in ("draft", "submitted", "handed_off", "accepted", "refused",
                                                          "withdrawn")}
    return {"utter_default"} | named_in_code | asked_by_forms | built_in_code


SAID_BY_ACTIONS = _said_outside_rules()
ALLOWED_WARNINGS = [
    re.compile(r"The utterance '(?P<name>[\w/]+)' is not used in any story or rule\."),
    # Rasa 3.6 counts the retrieval intent `faq` twice once its utter_faq/* responses are loaded.
    re.compile(r"The following duplicated intents have been found across multiple domain files: faq$"),
    # Intents the system sends (the desk's hand-back, a channel's file message), never typed: no
    # training examples by design.
    re.compile(r"The intent '(EXTERNAL_\w+|upload)' is listed in the domain file, but is not found in the NLU training data"),
]


def unexpected_warnings(output: str) -> list:
    unexpected = []
    for warning in re.findall(r"UserWarning: (.+)", output):
        match = next((m for m in (p.search(warning) for p in ALLOWED_WARNINGS) if m), None)
        if match is None or match.groupdict().get("name", "utter_default") not in SAID_BY_ACTIONS:
            unexpected.append(warning)
    return unexpected


@pytest.mark.stack  # starts a process of its own
def test_training_data_and_domain_validate():
    run = subprocess.run(
        [str(RASA), "data", "validate", "--config", "config.yml", "--domain", "domain.yml", "--data", "nlu_data"],
        cwd=ROOT, env=RASA_ENV, capture_output=True, text=True, timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    assert "No story structure conflicts found" in output
    assert unexpected_warnings(output) == []


def test_the_warning_filter_lets_no_other_warning_through():
    assert unexpected_warnings("UserWarning: The utterance 'utter_greet' is not used in any story or rule.") != []
    assert unexpected_warnings("UserWarning: Slot 'x' is not used") != []
    assert unexpected_warnings("UserWarning: The utterance 'utter_default' is not used in any story or rule.") == []


@pytest.mark.stack  # starts a process of its own
def test_stories_in_three_languages_pass_without_prediction_errors(model, tmp_path):
    run = subprocess.run(
        [str(RASA), "test", "core", "--model", str(model), "--stories", "tests/stories",
         "--fail-on-prediction-errors", "--out", str(tmp_path / "results")],
        cwd=ROOT, env=RASA_ENV, capture_output=True, text=True, timeout=900,
    )
    failed = (tmp_path / "results" / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else ""
    assert run.returncode == 0, details[-4000:] + run.stdout[-2000:] + run.stderr[-3000:]
