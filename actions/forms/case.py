"""The coverage check's input (COVERAGE_SPEC.md) from a declaration's slot values (the form's, or those a
question states). Pure. Which slots are incident fields is the coverage dataclasses' business
(`actions.coverage.case.incident_fields`): one list, not a copy of it."""
from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Mapping

from actions.coverage.case import incident_fields


def occurred_on(cover: str, values: Mapping[str, Any], today: date) -> str:
    """The day of the facts: for a purchase the delivery (non-conforming) or the order."""
    if cover == "ecommerce":
        day = values.get("delivery_date") if values.get("kind") == "non_conforming" else None
        return day or values.get("order_date") or today.isoformat()
    if cover == "e_reputation":
        return values.get("started_on") or today.isoformat()
    return values.get("occurred_on") or today.isoformat()


def build_case(cover: str, values: Mapping[str, Any], policy: Mapping[str, Any], history: List[Mapping[str, Any]],
               today: date) -> Dict[str, Any]:
    incident: Dict[str, Any] = {"cover": cover, "occurred_on": occurred_on(cover, values, today)}
    for name in incident_fields(cover):
        value = values.get(name)
        if value is not None and value != []:
            incident[name] = value
    if cover == "ecommerce":
        incident.setdefault("kind", "non_delivery")
    # Facts that began before the policy did were known before it (the FR IPID's exclusion).
    if incident["occurred_on"] < policy["start_date"]:
        incident["known_before_cover"] = True
    return {
        "today": today.isoformat(),
        "policy": {"start_date": policy["start_date"], "end_date": policy.get("end_date"),
                   "country": policy.get("country") or "BE"},
        "claimant": {"relation": values.get("relation") or "policyholder"},
        "history": [dict(item) for item in history],
        "incident": incident,
    }
