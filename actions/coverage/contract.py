"""Contract rules a policyholder asks about (cancellation, refund of premiums, the 14-day withdrawal, who may
subscribe, territory, start of the cover, the premium, who is insured, services and their counts), as data in
`policy_rules/contract.yml`: the first case of a topic whose conditions hold for the facts a question states is
the answer, with its verdict and the clause it rests on. Pure: no Rasa, no clock."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

CONTRACT_FILE = Path(__file__).resolve().parents[2] / "policy_rules" / "contract.yml"
VERDICTS = ("yes", "no", "partly", "depends")


@dataclass(frozen=True)
class ContractAnswer:
    topic: str
    verdict: str  # one of VERDICTS
    key: str  # the wording's key (actions/questions/answers.yml)
    clause: Mapping[str, str]  # document language -> reference


@lru_cache(maxsize=1)
def _contract() -> Dict[str, Any]:
    data = yaml.safe_load(CONTRACT_FILE.read_text(encoding="utf-8"))
    for topic, cases in data["topics"].items():
        for case in cases:
            if case["verdict"] not in VERDICTS:
                raise ValueError(f"contract.yml: {topic}: verdict {case['verdict']!r} not one of {VERDICTS}")
    return data


def topics() -> Tuple[str, ...]:
    return tuple(_contract()["topics"])


def figures() -> Dict[str, Any]:
    """The contract's figures (6 months, 14 days, 4.99 a month, ...), for the wordings."""
    return dict(_contract()["figures"])


def implied_topics(facts: Mapping[str, Any]) -> Tuple[str, ...]:
    """The topics a fact stated belongs to even when the question names none ("ik woon in Maastricht, kan ik toch
    verzekerd zijn?" is about who may subscribe)."""
    implied = _contract().get("implied_topics") or {}
    return tuple(dict.fromkeys(topic for fact, topic in implied.items() if facts.get(fact)))


_COMPARE = {"lt": lambda a, b: a < b, "lte": lambda a, b: a <= b, "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b}


def _holds(when: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    for name, wanted in (when or {}).items():
        value = facts.get(name)
        if isinstance(wanted, dict):
            if value is None:
                return False
            for op, bound in wanted.items():
                # A bound may name a figure ("gt: psychological_consultations_per_year"): the limit is written once.
                limit = figures()[bound] if isinstance(bound, str) else bound
                if not _COMPARE[op](value, limit):
                    return False
        elif value != wanted:
            return False
    return True


def answer(topic: str, facts: Mapping[str, Any]) -> Optional[ContractAnswer]:
    """The answer to a question about `topic` that states `facts`, or None for an unknown topic."""
    cases = _contract()["topics"].get(topic)
    if cases is None:
        return None
    for case in cases:
        if _holds(case.get("when"), facts):
            return ContractAnswer(topic, case["verdict"], case["key"], case["clause"])
    raise ValueError(f"contract.yml: {topic}: no case holds and no default case")  # every topic ends with one
