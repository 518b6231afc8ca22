"""The coverage check: one case in, one decision out.

Pure: the date of the check is part of the case, the figures come from the rules.
Precedence: an exclusion (general first, then the cover's) gives `not_covered` with every
exclusion that applies; otherwise missing evidence gives `incomplete`; otherwise a claim
that cannot be declared yet gives `not_yet`; otherwise `covered` or `partially_covered`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Iterable, Mapping

from .case import (
    Case,
    DataRecoveryIncident,
    EcommerceIncident,
    EReputationIncident,
    IdentityTheftIncident,
    Incident,
    parse_case,
)
from .insurance_year import add_months, insurance_year
from .rules import Clause, CoverRules, Exclusion, Rules, RulesError, load_rules

DECISIONS = ("covered", "partially_covered", "not_covered", "incomplete", "not_yet", "refer")
PAYING_DECISIONS = ("covered", "partially_covered")
_CENT = Decimal("0.01")
_RESOLVED = ("refunded", "replaced")  # merchant responses that settle the purchase itself


@dataclass(frozen=True)
class _Context:
    """A case with its cover's rules and what earlier claims used in the insurance year."""

    case: Case
    rules: Rules
    cover: CoverRules
    paid_this_year: Decimal
    claims_this_year: int

    @property
    def incident(self) -> Any:  # the cover's Incident subclass
        return self.case.incident

    @property
    def start(self) -> date:
        return self.case.policy.start_date

    def amount_left(self) -> Decimal | None:
        ceiling = self.cover.limits.annual_amount
        return None if ceiling is None else max(Decimal(0), ceiling - self.paid_this_year)

    def incidents_left(self) -> int | None:
        ceiling = self.cover.limits.annual_incidents
        return None if ceiling is None else max(0, ceiling - self.claims_this_year)


@dataclass(frozen=True)
class _Outcome:
    decision: str
    reasons: list[str]
    payable: Decimal | None = None
    benefits: list[str] = field(default_factory=list)
    claimable_from: date | None = None


def check(case: Mapping[str, Any] | Case, rules: Rules | None = None) -> dict[str, Any]:
    """Decide on one declared incident. `case` is the contract's input (decoded JSON) or a
    parsed `Case`; raises `InvalidCase` for invalid input. Returns the decision as a dict in
    the contract's key order."""
    rules = rules or load_rules()
    if not isinstance(case, Case):
        case = parse_case(case, rules)
    context = _context(case, rules)
    incident = case.incident
    cover = context.cover

    excluded = [e for e in (*rules.general_exclusions, *cover.exclusions) if _applies(e, context)]
    if excluded:
        return _decision(context, _Outcome(
            "not_covered", [e.reason for e in excluded],
            payable=Decimal(0) if cover.pays_a_sum else None))

    missing = [e for e in cover.evidence
               if getattr(incident, e.field) is None and (e.condition is None or e.condition.holds(incident))]
    if missing:
        own_reasons = _unique(e.reason for e in missing if e.reason)
        return _decision(context, _Outcome("incomplete", own_reasons or [_BASE_REASON[cover.cover](incident)]),
                         missing=_unique(e.report_as for e in missing),
                         evidence_clauses=[e.clause for e in missing])

    return _decision(context, _SETTLE[cover.cover](context))


def _context(case: Case, rules: Rules) -> _Context:
    # An incident dated before the start is excluded anyway; count it in the first year.
    year = insurance_year(case.policy.start_date, max(case.incident.occurred_on, case.policy.start_date),
                          rules.insurance_year_months)
    earlier = [c for c in case.history if c.cover == case.incident.cover and c.date in year]
    return _Context(case=case, rules=rules, cover=rules.covers[case.incident.cover],
                    paid_this_year=sum((c.paid for c in earlier), Decimal(0)),
                    claims_this_year=len(earlier))


def _decision(context: _Context, outcome: _Outcome, *, missing: Iterable[str] = (),
              evidence_clauses: Iterable[Clause] = ()) -> dict[str, Any]:
    paying = outcome.decision in PAYING_DECISIONS
    clauses = [context.rules.clause_for(reason, context.cover.cover) for reason in outcome.reasons]
    return {
        "decision": outcome.decision,
        "cover": context.cover.cover,
        "reasons": outcome.reasons,
        "payable_max": _euros(outcome.payable),
        "benefits": outcome.benefits,
        "missing": list(missing),
        "claimable_from": outcome.claimable_from.isoformat() if outcome.claimable_from else None,
        "remaining": _remaining(context, outcome.payable, counts=paying),
        "clauses": _unique(c.primary for c in (*clauses, *evidence_clauses)),
    }


def _remaining(context: _Context, paid_now: Decimal | None, counts: bool) -> dict[str, Any] | None:
    """What is left of the cover's annual counters after this incident (counted if it is paid)."""
    remaining: dict[str, Any] = {}
    amount_left = context.amount_left()
    if amount_left is not None:
        remaining["amount"] = _euros(max(Decimal(0), amount_left - (paid_now or 0)))
    incidents_left = context.incidents_left()
    if incidents_left is not None:
        remaining["incidents"] = max(0, incidents_left - (1 if counts else 0))
    return remaining or None


def _euros(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount.quantize(_CENT, rounding=ROUND_HALF_UP))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- exclusions the rules mark `computed` ---------------------------------------------------


def _applies(exclusion: Exclusion, context: _Context) -> bool:
    if exclusion.condition is not None:
        return exclusion.condition.holds(context.incident)
    computation = _COMPUTED.get(exclusion.reason)
    if computation is None:
        raise RulesError(f"{exclusion.reason}: marked computed, but the engine has no computation for it")
    return computation(context)


def _policy_inactive(c: _Context) -> bool:
    end = c.case.policy.end_date
    return c.case.today < c.start or (end is not None and c.case.today > end)


def _known_before_cover(c: _Context) -> bool:
    # `occurred_on` is the day of the facts or of their discovery: before the start, they were known.
    return c.incident.known_before_cover or c.incident.occurred_on < c.start


def _outside_territory(c: _Context) -> bool:
    return c.case.policy.country not in c.rules.territory or c.incident.country not in c.rules.territory


def _not_insured(c: _Context) -> bool:
    return c.case.claimant_relation not in c.rules.lists["relation"]["insured"]


def _complaint_too_late(c: _Context) -> bool:
    incident: EcommerceIncident = c.incident
    days = c.cover.limits.complaint_days
    if days is None or incident.kind != "non_conforming" or incident.delivery_date is None:
        return False
    # Without a complaint yet, it is too late once the window is over.
    return (incident.complaint_date or c.case.today) > incident.delivery_date + timedelta(days=days)


def _merchant_resolved(c: _Context) -> bool:
    incident: EcommerceIncident = c.incident
    return incident.merchant_response in _RESOLVED and not incident.returned_to_merchant


def _amount_used_up(c: _Context) -> bool:
    left = c.amount_left()
    return left is not None and left <= 0


def _incidents_used_up(c: _Context) -> bool:
    left = c.incidents_left()
    return left is not None and left <= 0


def _prior_to_cover(c: _Context) -> bool:
    incident: EReputationIncident = c.incident
    return incident.started_on is not None and incident.started_on < c.start


def _in_waiting_period(c: _Context) -> bool:
    months = c.cover.limits.waiting_months
    return bool(months) and c.incident.occurred_on < add_months(c.start, months)


_COMPUTED: Mapping[str, Callable[[_Context], bool]] = {
    "policy_inactive": _policy_inactive,
    "known_before_cover": _known_before_cover,
    "outside_belgium": _outside_territory,
    "not_insured_person": _not_insured,
    "complaint_too_late": _complaint_too_late,
    "merchant_resolved": _merchant_resolved,
    "annual_amount_limit": _amount_used_up,
    "annual_incident_limit": _incidents_used_up,
    "prior_to_cover": _prior_to_cover,
    "waiting_period": _in_waiting_period,
}


# --- what each cover pays or provides, once nothing excludes it and nothing is missing ----


def _pay(asked: Decimal | None, cap: Decimal | None, reason: str, cap_reason: str, benefits: list[str]) -> _Outcome:
    if asked is not None and cap is not None and asked > cap:
        return _Outcome("partially_covered", [cap_reason], payable=cap, benefits=benefits)
    return _Outcome("covered", [reason], payable=asked if asked is not None else cap, benefits=benefits)


def _ecommerce_reason(incident: EcommerceIncident) -> str:
    if incident.merchant_response in _RESOLVED:  # merchant_resolved excludes it unless the good went back
        return "return_shipping_only"
    return f"covered_{incident.kind}"


def _settle_ecommerce(c: _Context) -> _Outcome:
    incident: EcommerceIncident = c.incident
    reply_days = c.cover.limits.merchant_reply_days
    if incident.merchant_response == "none" and reply_days is not None:
        claimable_from = incident.complaint_date + timedelta(days=reply_days)
        if c.case.today < claimable_from:
            return _Outcome("not_yet", ["merchant_response_pending"], claimable_from=claimable_from)
    reason = _ecommerce_reason(incident)
    if reason == "return_shipping_only":
        return _pay(incident.return_shipping_cost, c.amount_left(), reason, "annual_amount_limit", ["return_shipping"])
    return _pay(incident.amount, c.amount_left(), reason, "annual_amount_limit", ["refund_purchase_price"])


def _settle_identity_theft(c: _Context) -> _Outcome:
    incident: IdentityTheftIncident = c.incident
    reimbursable = set(c.cover.lists["expense_type"]["reimbursable"])
    asked = sum((e.amount for e in incident.expenses if e.type in reimbursable), Decimal(0))
    return _pay(asked, c.amount_left(), "covered_identity_theft", "expenses_capped", list(c.cover.benefits))


def _settle_e_reputation(c: _Context) -> _Outcome:
    budget_left = c.amount_left()
    if budget_left is not None and budget_left <= 0:
        # The specialist's yearly budget is spent; psychological support has its own count.
        return _Outcome("partially_covered", ["annual_amount_limit"],
                        benefits=[b for b in c.cover.benefits if b != "specialist_provider"])
    return _Outcome("covered", ["covered_e_reputation"], benefits=list(c.cover.benefits))


def _settle_data_recovery(c: _Context) -> _Outcome:
    incident: DataRecoveryIncident = c.incident
    return _pay(incident.cost_estimate, c.cover.limits.intervention_amount, "covered_data_recovery",
                "amount_capped", list(c.cover.benefits))


def _settle_payment_fraud(c: _Context) -> _Outcome:
    return _Outcome("covered", ["covered_payment_fraud_advice"], benefits=list(c.cover.benefits))


_SETTLE: Mapping[str, Callable[[_Context], _Outcome]] = {
    "ecommerce": _settle_ecommerce,
    "identity_theft": _settle_identity_theft,
    "e_reputation": _settle_e_reputation,
    "data_recovery": _settle_data_recovery,
    "payment_fraud": _settle_payment_fraud,
}

# The reason an incomplete claim falls under when no missing item has a reason of its own.
_BASE_REASON: Mapping[str, Callable[[Incident], str]] = {
    "ecommerce": _ecommerce_reason,  # type: ignore[dict-item]  # called with an EcommerceIncident
    "identity_theft": lambda _incident: "covered_identity_theft",
    "e_reputation": lambda _incident: "covered_e_reputation",
    "data_recovery": lambda _incident: "covered_data_recovery",
    "payment_fraud": lambda _incident: "covered_payment_fraud_advice",
}
