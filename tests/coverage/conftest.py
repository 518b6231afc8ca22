"""Fixtures of the coverage-check tests: the contract (spec text and worked examples),
the rules, a builder of valid cases, and a runner of the command line."""
from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from actions.coverage import load_rules
from actions.coverage.rules import Rules

REPO = Path(__file__).resolve().parents[2]


def _contract_dir() -> Path:
    """Where COVERAGE_SPEC.md and examples.yml live: $COVERAGE_SPEC_DIR, the repo's
    `policy/`, or the shared folder beside the repo."""
    candidates = [os.environ.get("COVERAGE_SPEC_DIR"), REPO / "policy", REPO.parent / "shared" / "policy"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "COVERAGE_SPEC.md").is_file():
            return Path(candidate)
    raise FileNotFoundError(f"COVERAGE_SPEC.md not found in any of {candidates}")


CONTRACT_DIR = _contract_dir()
SPEC_TEXT = (CONTRACT_DIR / "COVERAGE_SPEC.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = SPEC_TEXT.index(f"## {title}")
    end = SPEC_TEXT.find("\n## ", start + 1)
    return SPEC_TEXT[start:end if end != -1 else None]


def _line_codes(section: str, line_start: str) -> list[str]:
    line = next(line for line in section.splitlines() if line.startswith(line_start))
    return re.findall(r"`([a-z_]+)`", line[len(line_start):])


def _reason_groups() -> dict[str, tuple[str, ...]]:
    """Reason codes per paragraph of the spec ("General", "ecommerce", ...), in spec order."""
    groups = {}
    for paragraph in _section("Reason codes").split("\n\n")[1:]:
        label, _, body = paragraph.partition(":")
        groups[label.strip()] = tuple(re.findall(r"`([a-z_]+)`", body))
    return groups


EXAMPLES: list[dict[str, Any]] = yaml.safe_load((CONTRACT_DIR / "examples.yml").read_text(encoding="utf-8"))["cases"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test asking for `example` runs once per worked case of examples.yml."""
    if "example" in metafunc.fixturenames:
        metafunc.parametrize("example", EXAMPLES, ids=[case["name"] for case in EXAMPLES])


# The contract's vocabularies, read from the spec text (not from the engine).


@pytest.fixture(scope="session")
def spec_reason_groups() -> dict[str, tuple[str, ...]]:
    return _reason_groups()


@pytest.fixture(scope="session")
def spec_reason_codes() -> frozenset[str]:
    return frozenset(re.findall(r"`([a-z_]+)`", _section("Reason codes")))


@pytest.fixture(scope="session")
def spec_missing_names() -> frozenset[str]:
    return frozenset(_line_codes(_section("Output"), "- `missing`:"))


@pytest.fixture(scope="session")
def spec_benefits() -> frozenset[str]:
    # The output section lists examples; `advice` is named in the payment-fraud rule.
    return frozenset(_line_codes(_section("Output"), "- `benefits`:")) | {"advice"}


@pytest.fixture(scope="session")
def spec_decisions() -> tuple[str, ...]:
    return tuple(re.findall(r"^  - `([a-z_]+)`:", _section("Output"), re.MULTILINE))


@pytest.fixture(scope="session")
def spec_output_keys() -> tuple[str, ...]:
    return tuple(re.findall(r'^  "([a-z_]+)":', _section("Output"), re.MULTILINE))


TODAY = "2026-11-22"
START = "2025-06-01"
POLICE_REPORT = "BR.12.L3.054321/2026"

# One valid incident per cover, each covered in full on TODAY with an empty history.
BASE_INCIDENTS: dict[str, dict[str, Any]] = {
    "ecommerce": {
        "cover": "ecommerce", "kind": "non_delivery", "occurred_on": "2026-10-01", "amount": 249.99,
        "goods_category": "electronics", "seller": "professional", "order_date": "2026-09-20",
        "complaint_date": "2026-10-02", "merchant_response": "refused",
    },
    "identity_theft": {
        "cover": "identity_theft", "occurred_on": "2026-11-15", "police_report": POLICE_REPORT,
        "expenses": [{"type": "identity_documents", "amount": 120.0}],
    },
    "e_reputation": {
        "cover": "e_reputation", "occurred_on": "2026-11-01", "started_on": "2026-10-28",
        "channel": "social_network", "police_report": POLICE_REPORT, "urls": ["https://example.org/post/1"],
    },
    "data_recovery": {
        "cover": "data_recovery", "occurred_on": "2026-11-10", "device": "usb_stick", "cause": "device_damage",
        "cost_estimate": 300.0,
    },
    "payment_fraud": {
        "cover": "payment_fraud", "occurred_on": "2026-11-10", "police_report": POLICE_REPORT,
        "bank_notified": True, "card_blocked": True, "amount": 120.0,
    },
}

CaseBuilder = Callable[..., dict[str, Any]]


def build_case(base: str = "ecommerce", *, today: str = TODAY, start_date: str = START, end_date: str | None = None,
               policy_country: str = "BE", relation: str = "policyholder", history: list[dict[str, Any]] | None = None,
               **incident: Any) -> dict[str, Any]:
    """A valid case with the base incident of cover `base`, its fields overridden by keyword
    (None = absent; `cover=` overrides the incident's cover itself)."""
    fields = copy.deepcopy(BASE_INCIDENTS[base])
    fields.update(incident)
    return {
        "today": today,
        "policy": {"start_date": start_date, "end_date": end_date, "country": policy_country},
        "claimant": {"relation": relation},
        "history": history or [],
        "incident": fields,
    }


@pytest.fixture(scope="session")
def make_case() -> CaseBuilder:
    return build_case


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m actions.coverage ARGS` from the repository root."""
    return subprocess.run([sys.executable, "-m", "actions.coverage", *args], input=stdin, capture_output=True,
                          cwd=REPO, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.fixture(scope="session")
def cli() -> Callable[..., subprocess.CompletedProcess[bytes]]:
    return run_cli
