"""Coverage check of Cyber Care claims: pure Python, reads the policy rules in `policy_rules/`.

    from actions.coverage import check, explain
    decision = check(case)              # the contract: policy/COVERAGE_SPEC.md
    text = explain(decision, "nl")      # the decision in words, nl / fr / en
"""
from .case import InvalidCase
from .engine import DECISIONS, check
from .explain import explain
from .rules import Rules, RulesError, load_rules

__all__ = ["DECISIONS", "InvalidCase", "Rules", "RulesError", "check", "explain", "load_rules"]
