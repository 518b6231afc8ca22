"""The input of a coverage check: JSON (as Python data) validated into a typed case.

Invalid input raises `InvalidCase` naming the field by its path (`incident.occurred_on`,
`history[0].paid`). Missing information is not invalid: optional facts stay `None` and the
engine asks for them (decision `incomplete`).

The values of the policy's lists (relations, goods categories, devices, channels, expense
types) and the covers come from the rules; the other enumerations are the contract's.
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:
    from .rules import Rules

KINDS = ("non_delivery", "non_conforming")
SELLERS = ("professional", "private")
MERCHANT_RESPONSES = ("none", "refused", "refunded", "replaced")
DELIVERY_PROBLEMS = ("strike", "pandemic")
DATA_LOSS_CAUSES = ("human_error", "device_damage", "software_bug", "malware")

# Dates outside these years, or amounts above this, are typing errors (and would overflow
# date arithmetic or the precision of sums).
FIRST_YEAR, LAST_YEAR = 1900, 2999
MAX_AMOUNT = 1_000_000_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Za-z]{2}")


class InvalidCase(ValueError):
    """The input is not a valid case; `field` is the path of the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PolicyTerms:
    start_date: date
    end_date: date | None
    country: str


@dataclass(frozen=True)
class PastClaim:
    """An earlier accepted claim of the same policy."""

    cover: str
    date: date
    paid: Decimal


# A cover's incident reads its own fields with `read(fields, values, today)`, where
# `values(list_name)` gives the values the policy rules allow for one of its fields.
_Values = Callable[[str], "tuple[str, ...]"]


@dataclass(frozen=True, kw_only=True)
class Incident:
    """Facts every incident may carry; absent booleans mean "no"."""

    cover: str
    occurred_on: date
    known_before_cover: bool = False
    country: str = "BE"
    caused_by_household_member: bool = False
    illegal_activity: bool = False
    intentional: bool = False
    published_by_authority: bool = False
    war_terrorism: bool = False
    police_report: str | None = None


@dataclass(frozen=True, kw_only=True)
class EcommerceIncident(Incident):
    kind: str
    amount: Decimal | None = None
    goods_category: str | None = None
    seller: str = "professional"  # the cover is about e-merchants: a private seller must be declared
    second_hand: bool = False
    auction_site: bool = False
    for_resale: bool = False
    order_date: date | None = None
    delivery_date: date | None = None
    complaint_date: date | None = None
    merchant_response: str | None = None
    delivery_problem: str | None = None
    tracked_delivery: bool = True
    returned_to_merchant: bool = False
    return_shipping_cost: Decimal | None = None

    @staticmethod
    def read(fields: _Fields, values: _Values, today: date) -> dict[str, Any]:
        return dict(
            kind=fields.required_choice("kind", KINDS),
            amount=fields.amount("amount"),
            goods_category=fields.choice("goods_category", values("goods_category")),
            seller=fields.choice("seller", SELLERS) or "professional",
            second_hand=fields.boolean("second_hand"),
            auction_site=fields.boolean("auction_site"),
            for_resale=fields.boolean("for_resale"),
            order_date=fields.date("order_date", not_after=today),
            delivery_date=fields.date("delivery_date", not_after=today),
            complaint_date=fields.date("complaint_date", not_after=today),
            merchant_response=fields.choice("merchant_response", MERCHANT_RESPONSES),
            delivery_problem=fields.choice("delivery_problem", DELIVERY_PROBLEMS),
            tracked_delivery=fields.boolean("tracked_delivery", default=True),
            returned_to_merchant=fields.boolean("returned_to_merchant"),
            return_shipping_cost=fields.amount("return_shipping_cost"),
        )


@dataclass(frozen=True)
class Expense:
    type: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class IdentityTheftIncident(Incident):
    caused_by_insured: bool = False
    provider_breach: bool = False
    expenses: tuple[Expense, ...] = ()

    @staticmethod
    def read(fields: _Fields, values: _Values, today: date) -> dict[str, Any]:
        expenses = []
        for item in fields.objects("expenses"):
            expenses.append(Expense(type=item.required_choice("type", values("expense_type")),
                                    amount=item.required_amount("amount")))
        return dict(
            caused_by_insured=fields.boolean("caused_by_insured"),
            provider_breach=fields.boolean("provider_breach"),
            expenses=tuple(expenses),
        )


@dataclass(frozen=True, kw_only=True)
class EReputationIncident(Incident):
    started_on: date | None = None
    channel: str | None = None
    voluntary_disclosure: bool = False
    urls: tuple[str, ...] = ()

    @staticmethod
    def read(fields: _Fields, values: _Values, today: date) -> dict[str, Any]:
        return dict(
            started_on=fields.date("started_on", not_after=today),
            channel=fields.choice("channel", values("channel")),
            voluntary_disclosure=fields.boolean("voluntary_disclosure"),
            urls=fields.texts("urls"),
        )


@dataclass(frozen=True, kw_only=True)
class DataRecoveryIncident(Incident):
    device: str | None = None
    cause: str | None = None
    illegal_data: bool = False
    cost_estimate: Decimal | None = None

    @staticmethod
    def read(fields: _Fields, values: _Values, today: date) -> dict[str, Any]:
        return dict(
            device=fields.choice("device", values("device")),
            cause=fields.choice("cause", DATA_LOSS_CAUSES),
            illegal_data=fields.boolean("illegal_data"),
            cost_estimate=fields.amount("cost_estimate"),
        )


@dataclass(frozen=True, kw_only=True)
class PaymentFraudIncident(Incident):
    bank_notified: bool = False
    card_blocked: bool = False
    amount: Decimal | None = None

    @staticmethod
    def read(fields: _Fields, values: _Values, today: date) -> dict[str, Any]:
        return dict(
            bank_notified=fields.boolean("bank_notified"),
            card_blocked=fields.boolean("card_blocked"),
            amount=fields.amount("amount"),
        )


def incident_fields(cover: str) -> tuple[str, ...]:
    """The fields a case's incident of `cover` may carry besides `cover` and `occurred_on`: its dataclass's."""
    return tuple(f.name for f in dataclasses.fields(INCIDENT_TYPES[cover]) if f.name not in ("cover", "occurred_on"))


INCIDENT_TYPES: Mapping[str, Any] = {
    "ecommerce": EcommerceIncident,
    "identity_theft": IdentityTheftIncident,
    "e_reputation": EReputationIncident,
    "data_recovery": DataRecoveryIncident,
    "payment_fraud": PaymentFraudIncident,
}


@dataclass(frozen=True)
class Case:
    today: date
    policy: PolicyTerms
    claimant_relation: str
    incident: Incident
    history: tuple[PastClaim, ...] = ()


def _show(value: Any) -> str:
    """A short, one-line rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Fields:
    """Typed reading of one JSON object; errors name the field by its full path.

    A field that is absent or null reads as its default (`None` unless stated)."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise InvalidCase(path, f"not an object: {_show(data)}")
        self._data = data
        self._path = path

    def path(self, name: str) -> str:
        return f"{self._path}.{name}" if self._path != "case" else name

    def _raw(self, name: str, required: bool) -> Any:
        value = self._data.get(name)
        if value is None and required:
            raise InvalidCase(self.path(name), "required")
        return value

    def object(self, name: str) -> _Fields:
        return _Fields(self._raw(name, required=True), self.path(name))

    def list(self, name: str) -> list[Any]:
        value = self._raw(name, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise InvalidCase(self.path(name), f"not a list: {_show(value)}")
        return value

    def objects(self, name: str) -> list[_Fields]:
        return [_Fields(item, f"{self.path(name)}[{i}]") for i, item in enumerate(self.list(name))]

    def texts(self, name: str) -> tuple[str, ...]:
        items = self.list(name)
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise InvalidCase(f"{self.path(name)}[{i}]", f"not a text: {_show(item)}")
        return tuple(items)

    def date(self, name: str, *, not_after: date | None = None) -> date | None:
        value = self._raw(name, required=False)
        return None if value is None else self._date(name, value, not_after)

    def required_date(self, name: str, *, not_after: date | None = None) -> date:
        return self._date(name, self._raw(name, required=True), not_after)

    def _date(self, name: str, value: Any, not_after: date | None) -> date:
        parsed = _parse_date(value, self.path(name))
        if not_after is not None and parsed > not_after:
            raise InvalidCase(self.path(name), f"after today ({not_after.isoformat()}): {_show(value)}")
        return parsed

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self._raw(name, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise InvalidCase(self.path(name), f"not true or false: {_show(value)}")
        return value

    def amount(self, name: str) -> Decimal | None:
        value = self._raw(name, required=False)
        return None if value is None else _parse_amount(value, self.path(name))

    def required_amount(self, name: str) -> Decimal:
        return _parse_amount(self._raw(name, required=True), self.path(name))

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self._raw(name, required=False)
        return None if value is None else self._choice(name, value, allowed)

    def required_choice(self, name: str, allowed: tuple[str, ...]) -> str:
        return self._choice(name, self._raw(name, required=True), allowed)

    def _choice(self, name: str, value: Any, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise InvalidCase(self.path(name), f"unknown value {_show(value)} (expected one of: {', '.join(allowed)})")
        return value

    def text(self, name: str) -> str | None:
        """Free text; blank counts as absent."""
        value = self._raw(name, required=False)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidCase(self.path(name), f"not a text: {_show(value)}")
        return value.strip() or None

    def country(self, name: str, *, default: str | None = None) -> str:
        """A two-letter country code, upper case; required when there is no default."""
        value = self._raw(name, required=default is None)
        if value is None:
            return str(default)
        if not isinstance(value, str) or not _COUNTRY.fullmatch(value):
            raise InvalidCase(self.path(name), f"not a two-letter country code: {_show(value)}")
        return value.upper()


def _parse_date(value: Any, path: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise InvalidCase(path, f"not a date: {_show(value)}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidCase(path, f"not a date: {_show(value)}") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise InvalidCase(path, f"out of range ({FIRST_YEAR}-{LAST_YEAR}): {_show(value)}")
    return parsed


def _parse_amount(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidCase(path, f"not a number: {_show(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidCase(path, f"not a finite number: {_show(value)}")
    if value < 0:
        raise InvalidCase(path, f"negative amount: {_show(value)}")
    if value > MAX_AMOUNT:
        raise InvalidCase(path, f"implausible amount (more than {MAX_AMOUNT}): {_show(value)}")
    return Decimal(str(value))  # str() keeps the decimals as written (249.99, not 249.990000000000009)


def parse_case(data: Any, rules: Rules) -> Case:
    """Validate `data` (decoded JSON) into a `Case`; raises `InvalidCase`."""
    top = _Fields(data, "case")
    today = top.required_date("today")

    policy_fields = top.object("policy")
    start = policy_fields.required_date("start_date")
    end = policy_fields.date("end_date")
    if end is not None and end < start:
        raise InvalidCase(policy_fields.path("end_date"), f"before policy.start_date: {end.isoformat()!r}")
    policy = PolicyTerms(start_date=start, end_date=end, country=policy_fields.country("country"))

    relation = top.object("claimant").required_choice("relation", rules.values("relation"))
    covers = tuple(rules.covers)
    history = tuple(
        PastClaim(cover=item.required_choice("cover", covers),
                  date=item.required_date("date", not_after=today),
                  paid=item.required_amount("paid"))
        for item in top.objects("history")
    )
    return Case(today=today, policy=policy, claimant_relation=relation, history=history,
                incident=_incident(top.object("incident"), rules, today))


def _incident(fields: _Fields, rules: Rules, today: date) -> Incident:
    cover = fields.required_choice("cover", tuple(rules.covers))
    incident_type = INCIDENT_TYPES[cover]
    return incident_type(
        cover=cover,
        occurred_on=fields.required_date("occurred_on", not_after=today),
        known_before_cover=fields.boolean("known_before_cover"),
        country=fields.country("country", default="BE"),
        caused_by_household_member=fields.boolean("caused_by_household_member"),
        illegal_activity=fields.boolean("illegal_activity"),
        intentional=fields.boolean("intentional"),
        published_by_authority=fields.boolean("published_by_authority"),
        war_terrorism=fields.boolean("war_terrorism"),
        police_report=fields.text("police_report"),
        **incident_type.read(fields, rules.covers[cover].values, today),
    )
