"""What each cover's form asks, in what order, and what kind of answer each question takes.

Pure: the validators (`base.py`) and the summary read this; nothing here knows Rasa. Slot names are
COVERAGE_SPEC's field names. A question is asked only when its slot is empty, its condition holds
(e.g. the delivery date only for a non-conforming delivery) and the user has not already answered
"no / not yet" to it (`declined`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple

Values = Mapping[str, Any]

# Answer kinds: how `reading` takes an answer to the question.
DATE, AMOUNT, CHOICE, YES_NO, GOODS, POLICE_REPORT, EXPENSES, URLS, POLICY_NUMBER, BIRTH_DATE, TEXT = (
    "date", "amount", "choice", "yes_no", "goods", "police_report", "expenses", "urls", "policy_number",
    "birth_date", "text")

COVERS = ("ecommerce", "identity_theft", "e_reputation", "data_recovery", "payment_fraud")
FORM_OF_COVER = {cover: f"{cover}_form" for cover in COVERS}
COVER_OF_FORM = {form: cover for cover, form in FORM_OF_COVER.items()}
IDENTIFICATION_FORM = "identification_form"

# The values a choice question takes (the buttons send them; `signals.yml` reads them from words).
CHOICES: Dict[str, Tuple[str, ...]] = {
    "kind": ("non_delivery", "non_conforming"),
    "relation": ("policyholder", "family_household", "non_family_household", "other"),
    "merchant_response": ("none", "refused", "refunded", "replaced"),
    "channel": ("website", "social_network", "forum", "press", "live_chat", "video_conference"),
    "device": ("laptop_hdd", "pc_hdd", "laptop_ssd", "pc_ssd", "external_hdd", "external_ssd", "usb_stick",
               "memory_card", "tablet", "phone", "raid", "nas", "san", "game_console", "smart_tv", "camera",
               "cloud", "other"),
    "cause": ("human_error", "device_damage", "software_bug", "malware"),
    "misuse": ("loan", "credit_card", "bank_account", "phone_contract", "online_account", "purchases", "documents",
               "other"),
}
# A choice whose values also hold for another slot: where a two-place story started (e-reputation).
CHOICES["origin_channel"] = CHOICES["channel"]


@dataclass(frozen=True)
class Question:
    slot: str
    kind: str
    # Asked only when this holds for the values so far.
    when: Callable[[Values], bool] = lambda values: True
    # "No" / "not yet" is an answer (the slot stays empty and the check reports it as missing).
    optional: bool = False


def _always(values: Values) -> bool:
    return True


def _relation_unclear(values: Values) -> bool:
    # Asked only when the story names someone else ("my daughter is being bullied").
    return bool(values.get("relation_hint"))


def _non_conforming(values: Values) -> bool:
    return values.get("kind") == "non_conforming"


def _complained(values: Values) -> bool:
    return values.get("complaint_date") is not None


def _merchant_resolved(values: Values) -> bool:
    return values.get("merchant_response") in ("refunded", "replaced")


IDENTIFICATION = (Question("policy_number", POLICY_NUMBER), Question("birth_date", BIRTH_DATE))

QUESTIONS: Dict[str, Tuple[Question, ...]] = {
    "ecommerce": (
        Question("kind", CHOICE),
        Question("relation", CHOICE, _relation_unclear),
        Question("goods_category", GOODS),
        Question("amount", AMOUNT),
        Question("merchant", TEXT, optional=True),
        Question("order_date", DATE),
        Question("delivery_date", DATE, _non_conforming),
        Question("complaint_date", DATE, optional=True),
        Question("merchant_response", CHOICE, _complained),
        Question("return_shipping_cost", AMOUNT, _merchant_resolved, optional=True),
    ),
    "identity_theft": (
        Question("relation", CHOICE, _relation_unclear),
        Question("misuse", CHOICE),
        Question("misused_at", TEXT, optional=True),
        Question("occurred_on", DATE),
        Question("police_report", POLICE_REPORT, optional=True),
        Question("expenses", EXPENSES, optional=True),
    ),
    "e_reputation": (
        Question("relation", CHOICE, _relation_unclear),
        Question("started_on", DATE),
        Question("channel", CHOICE),
        Question("offender", TEXT, optional=True),
        Question("urls", URLS, optional=True),
        Question("police_report", POLICE_REPORT, optional=True),
    ),
    "data_recovery": (
        Question("relation", CHOICE, _relation_unclear),
        Question("device", CHOICE),
        Question("cause", CHOICE),
        Question("occurred_on", DATE),
        Question("cost_estimate", AMOUNT, optional=True),
    ),
    "payment_fraud": (
        Question("relation", CHOICE, _relation_unclear),
        Question("occurred_on", DATE),
        Question("amount", AMOUNT),
        Question("card_blocked", YES_NO),
        Question("bank_notified", YES_NO),
        Question("bank", TEXT, optional=True),
        Question("payee", TEXT, optional=True),
        Question("police_report", POLICE_REPORT, optional=True),
    ),
}

# Facts a cover reads from the story without asking (see signals.yml), besides its questions.
STORY_FACTS: Dict[str, Tuple[str, ...]] = {
    "ecommerce": ("kind", "seller", "second_hand", "auction_site", "for_resale", "tracked_delivery", "delivery_problem",
                  "merchant_response"),
    "identity_theft": ("provider_breach", "caused_by_insured", "misuse"),
    "e_reputation": ("voluntary_disclosure", "channel"),
    "data_recovery": ("device", "cause"),
    "payment_fraud": ("card_blocked", "bank_notified"),
}
# Facts an agent needs that the form reads when they are told, without asking them (names, references).
NOTED_FACTS: Dict[str, Tuple[str, ...]] = {
    "ecommerce": ("order_reference", "tracking_number"),
    "identity_theft": (),
    "e_reputation": ("platform", "origin_channel"),
    "data_recovery": (),
    "payment_fraud": (),
}

# What an agent needs to act on a case, per cover (the desk shows each, or that it was not asked).
AGENT_FACTS: Dict[str, Tuple[str, ...]] = {
    "ecommerce": ("goods", "amount", "merchant", "order_reference", "tracking_number", "order_date"),
    "identity_theft": ("misuse", "misused_at", "occurred_on", "police_report"),
    "e_reputation": ("channel", "platform", "urls", "offender", "police_report"),
    "data_recovery": ("device", "cause", "cost_estimate"),
    "payment_fraud": ("amount", "occurred_on", "payee", "bank", "card_blocked", "bank_notified", "police_report"),
}

# Slots every declaration may fill, beyond its questions (the case builder reads them).
EXTRA_SLOTS = ("goods", "returned_to_merchant", "known_before_cover", "illegal_data")

# Form-only slots: requested by the validator at the end (or on "stop"), never facts of the case.
CONTROL_SLOTS = ("stop_confirmation", "correction", "confirmed")


def questions(cover: str) -> Tuple[Question, ...]:
    return QUESTIONS[cover]


def question(cover: str, slot: str) -> Optional[Question]:
    return next((q for q in IDENTIFICATION + QUESTIONS[cover] if q.slot == slot), None)


def date_slots(cover: str) -> Tuple[str, ...]:
    return tuple(q.slot for q in QUESTIONS[cover] if q.kind == DATE)


def amount_slots(cover: str) -> Tuple[str, ...]:
    return tuple(q.slot for q in QUESTIONS[cover] if q.kind == AMOUNT)


def fact_slots(cover: str) -> Tuple[str, ...]:
    """Every slot that holds a fact of this cover's case (asked or read from the story)."""
    asked = tuple(q.slot for q in QUESTIONS[cover])
    return tuple(dict.fromkeys(asked + STORY_FACTS[cover] + NOTED_FACTS[cover] + EXTRA_SLOTS))


def all_fact_slots() -> Tuple[str, ...]:
    return tuple(dict.fromkeys(slot for cover in COVERS for slot in fact_slots(cover)))


def next_question(cover: str, values: Values, declined: Sequence[str]) -> Optional[Question]:
    """The first question still to ask, or None when the facts are complete."""
    for q in QUESTIONS[cover]:
        if values.get(q.slot) is None and q.slot not in declined and q.when(values):
            return q
    return None


# Slots every declaration clears when a new one starts (the identification stays).
DECLARATION_SLOTS = all_fact_slots() + CONTROL_SLOTS + ("coverage_decision", "claim_reference")
