"""The coverage check's input (COVERAGE_SPEC.md) from a declaration's slot values. Pure."""
from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Mapping

# Which slots are fields of each cover's incident, as the spec names them.
INCIDENT_FIELDS: Dict[str, tuple] = {
    "ecommerce": ("kind", "amount", "goods_category", "seller", "second_hand", "auction_site", "for_resale",
                  "order_date", "delivery_date", "complaint_date", "merchant_response", "delivery_problem",
                  "tracked_delivery", "returned_to_merchant", "return_shipping_cost"),
    "identity_theft": ("caused_by_insured", "provider_breach", "expenses", "police_report"),
    "e_reputation": ("started_on", "channel", "voluntary_disclosure", "urls", "police_report"),
    "data_recovery": ("device", "cause", "illegal_data", "cost_estimate"),
    "payment_fraud": ("bank_notified", "card_blocked", "amount", "police_report"),
}


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
    for name in INCIDENT_FIELDS[cover]:
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
