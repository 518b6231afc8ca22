"""The policy rules: `policy_rules/*.yml` loaded and validated into immutable dataclasses.

Every limit, window, list, exclusion, piece of evidence and clause reference the engine
uses comes from here. Loading fails with `RulesError` naming the file and the key, so a
mistake in the YAML shows at start-up, not in the middle of a conversation.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from .case import INCIDENT_TYPES, Incident

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "policy_rules"

# Document languages of clause references, in order of preference for the primary one.
CLAUSE_LANGUAGES = ("nl", "fr", "en")

# Lists (and the sub-lists) the engine reads by name, besides the values they allow.
_REQUIRED_LISTS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "policy": {"relation": ("insured",)},
    "ecommerce": {"goods_category": ()},
    "identity_theft": {"expense_type": ("reimbursable",)},
    "e_reputation": {"channel": ()},
    "data_recovery": {"device": ()},
    "payment_fraud": {},
}


class RulesError(ValueError):
    """The policy rules files are missing or malformed."""


@dataclass(frozen=True)
class Clause:
    """Where a rule stands, one reference per document language."""

    references: Mapping[str, str]

    @property
    def primary(self) -> str:
        return next(self.references[lang] for lang in CLAUSE_LANGUAGES if lang in self.references)

    def in_language(self, lang: str) -> str:
        return self.references.get(lang, self.primary)


@dataclass(frozen=True)
class Condition:
    """Facts that must all match: field name -> the values that match."""

    expected: tuple[tuple[str, frozenset[Any]], ...]

    def holds(self, incident: Incident) -> bool:
        return all(getattr(incident, name) in values for name, values in self.expected)


@dataclass(frozen=True)
class Exclusion:
    reason: str
    clause: Clause
    condition: Condition | None  # None: computed by the engine from dates and counters


@dataclass(frozen=True)
class Evidence:
    field: str        # the incident field that must be known
    report_as: str    # the name `missing` reports
    reason: str | None  # a reason code of its own, if the contract has one
    clause: Clause
    condition: Condition | None  # required only when this holds


@dataclass(frozen=True)
class Limits:
    """Figures of a cover; an absent one is no limit."""

    annual_amount: Decimal | None = None       # EUR per insurance year
    annual_incidents: int | None = None        # claims per insurance year
    intervention_amount: Decimal | None = None  # EUR per intervention
    waiting_months: int | None = None          # months after the start date without cover
    complaint_days: int | None = None          # calendar days after delivery to complain
    merchant_reply_days: int | None = None     # calendar days the merchant has to answer


_AMOUNT_LIMITS = {"annual_amount", "intervention_amount"}


@dataclass(frozen=True)
class CoverRules:
    cover: str
    clause: Clause
    pays_a_sum: bool  # `benefit_type: payment`; a service cover has no payable amount
    benefits: tuple[str, ...]
    limits: Limits
    exclusions: tuple[Exclusion, ...]
    evidence: tuple[Evidence, ...]
    reason_clauses: Mapping[str, Clause]  # every reason code of the cover -> where it stands
    lists: Mapping[str, Mapping[str, tuple[str, ...]]]
    # Figures of services the assistance desk counts, not the check (3 consultations a year, ...).
    service_limits: Mapping[str, Decimal | int] = field(default_factory=dict)

    def values(self, list_name: str) -> tuple[str, ...]:
        """Every value a field may take: all sub-lists of `lists.<list_name>` together."""
        return _all_values(self.lists, list_name)


@dataclass(frozen=True)
class Rules:
    insurance_year_months: int
    territory: frozenset[str]
    lists: Mapping[str, Mapping[str, tuple[str, ...]]]
    general_exclusions: tuple[Exclusion, ...]
    covers: Mapping[str, CoverRules]

    def values(self, list_name: str) -> tuple[str, ...]:
        return _all_values(self.lists, list_name)

    def clause_for(self, reason: str, cover: str) -> Clause:
        """The clause of a reason code: the cover's own rule first, then the general ones."""
        own = self.covers[cover].reason_clauses
        if reason in own:
            return own[reason]
        general = next((e.clause for e in self.general_exclusions if e.reason == reason), None)
        if general is None:
            raise RulesError(f"covers/{cover}.yml: no clause for the reason {reason!r} (add it under 'outcomes')")
        return general

    def clause_by_reference(self, reference: str) -> Clause | None:
        """The clause whose primary reference is `reference` (to show it in another language)."""
        return next((clause for clause in self._all_clauses() if clause.primary == reference), None)

    def _all_clauses(self) -> Iterable[Clause]:
        yield from (e.clause for e in self.general_exclusions)
        for cover in self.covers.values():
            yield cover.clause
            yield from cover.reason_clauses.values()
            yield from (e.clause for e in cover.evidence)


def _all_values(lists: Mapping[str, Mapping[str, tuple[str, ...]]], list_name: str) -> tuple[str, ...]:
    return tuple(value for sub_list in lists[list_name].values() for value in sub_list)


@lru_cache(maxsize=8)
def _load_cached(directory: Path, _versions: tuple[tuple[str, int], ...]) -> Rules:
    return _load(directory)


def load_rules(directory: str | Path | None = None) -> Rules:
    """The rules in `directory` (default: the project's `policy_rules/`). Loaded once, and
    again when one of its files changes: an edited limit applies without a restart."""
    directory = Path(directory or DEFAULT_RULES_DIR).resolve()
    files = [directory / "policy.yml", *sorted((directory / "covers").glob("*.yml"))]
    versions = tuple((str(path), path.stat().st_mtime_ns) for path in files if path.exists())
    return _load_cached(directory, versions)


# --- loading and validation -------------------------------------------------------------


class _Node:
    """One YAML value with its location, for error messages."""

    def __init__(self, value: Any, where: str) -> None:
        self.value = value
        self.where = where

    def fail(self, message: str) -> RulesError:
        return RulesError(f"{self.where}: {message}")

    def at(self, key: str, *, required: bool = True) -> _Node:
        mapping = self.mapping()
        if required and key not in mapping:
            raise self.fail(f"missing key {key!r}")
        return _Node(mapping.get(key), f"{self.where}.{key}" if ": " in self.where else f"{self.where}: {key}")

    def has(self, key: str) -> bool:
        return key in self.mapping()

    def mapping(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail("must be a mapping")
        return self.value

    def items(self) -> list[tuple[str, _Node]]:
        return [(str(key), self.at(str(key))) for key in self.mapping()]

    def sequence(self) -> list[_Node]:
        if not isinstance(self.value, list):
            raise self.fail("must be a list")
        return [_Node(item, f"{self.where}[{i}]") for i, item in enumerate(self.value)]

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.fail("must be a non-empty text")
        return self.value

    def texts(self) -> tuple[str, ...]:
        values = tuple(item.text() for item in self.sequence())
        if len(set(values)) != len(values):
            raise self.fail("has duplicate values")
        return values

    def count(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int) or self.value < 0:
            raise self.fail("must be a whole number >= 0")
        return self.value

    def amount(self) -> Decimal:
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)) or self.value < 0:
            raise self.fail("must be an amount >= 0")
        return Decimal(str(self.value))


def _read_yaml(path: Path) -> _Node:
    try:
        with path.open(encoding="utf-8") as stream:
            return _Node(yaml.safe_load(stream), path.name if path.parent.name != "covers" else f"covers/{path.name}")
    except OSError as error:
        raise RulesError(f"cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise RulesError(f"{path}: not valid YAML: {error}") from None


def _load(directory: Path) -> Rules:
    policy = _read_yaml(directory / "policy.yml")
    cover_files = sorted((directory / "covers").glob("*.yml"))
    covers = {cover.cover: cover for cover in (_cover(_read_yaml(path)) for path in cover_files)}
    if set(covers) != set(INCIDENT_TYPES):
        raise RulesError(f"{directory / 'covers'}: expected one file per cover {sorted(INCIDENT_TYPES)}, "
                         f"found {sorted(covers)}")
    lists = _lists(policy.at("lists"), _REQUIRED_LISTS["policy"])
    return Rules(
        insurance_year_months=policy.at("insurance_year").at("months").count(),
        territory=frozenset(policy.at("territory").at("countries").texts()),
        lists=lists,
        general_exclusions=_exclusions(policy.at("general_exclusions"), Incident),
        covers={cover: covers[cover] for cover in INCIDENT_TYPES},  # in the contract's order
    )


def _cover(node: _Node) -> CoverRules:
    cover = node.at("cover").text()
    if cover not in INCIDENT_TYPES:
        raise node.at("cover").fail(f"unknown cover {cover!r} (expected one of {sorted(INCIDENT_TYPES)})")
    incident_type = INCIDENT_TYPES[cover]
    limits = node.at("limits", required=False)
    exclusions = _exclusions(node.at("exclusions"), incident_type)
    evidence = tuple(_evidence(item, incident_type) for item in node.at("evidence").sequence())
    reason_clauses = {e.reason: e.clause for e in exclusions}
    reason_clauses.update((e.reason, e.clause) for e in evidence if e.reason)
    reason_clauses.update((reason, _clause(clause)) for reason, clause in node.at("outcomes").items())
    return CoverRules(
        cover=cover,
        clause=_clause(node.at("clause")),
        pays_a_sum=_benefit_type(node.at("benefit_type")) == "payment",
        benefits=_benefits(node.at("benefits")),
        limits=_limits(limits) if limits.value is not None else Limits(),
        exclusions=exclusions,
        evidence=evidence,
        reason_clauses=reason_clauses,
        lists=_lists(node.at("lists", required=False), _REQUIRED_LISTS[cover]),
        service_limits=_service_limits(node.at("service_limits", required=False)),
    )


def _service_limits(node: "_Node") -> dict:
    if node.value is None:
        return {}
    if not isinstance(node.value, dict):
        raise node.fail("expected a mapping of figures")
    figures = {}
    for name, value in node.value.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise node.fail(f"{name}: expected a non-negative number")
        figures[name] = value if isinstance(value, int) else Decimal(str(value))
    return figures


def _benefit_type(node: _Node) -> str:
    value = node.text()
    if value not in ("payment", "service"):
        raise node.fail("must be 'payment' or 'service'")
    return value


def _benefits(node: _Node) -> tuple[str, ...]:
    """Benefit codes in the order written; each needs a description for the reader."""
    for _code, description in node.items():
        description.text()
    return tuple(code for code, _description in node.items())


def _clause(node: _Node) -> Clause:
    references = {lang: ref.text() for lang, ref in node.items()}
    unknown = set(references) - set(CLAUSE_LANGUAGES)
    if unknown or not references:
        raise node.fail(f"needs references keyed by document language {CLAUSE_LANGUAGES}")
    return Clause(references=references)


def _limits(node: _Node) -> Limits:
    known = {f.name for f in dataclasses.fields(Limits)}
    values: dict[str, Any] = {}
    for key, value in node.items():
        if key not in known:
            raise value.fail(f"unknown limit (known: {', '.join(sorted(known))})")
        values[key] = value.amount() if key in _AMOUNT_LIMITS else value.count()
    return Limits(**values)


def _lists(node: _Node, required: Mapping[str, tuple[str, ...]]) -> dict[str, dict[str, tuple[str, ...]]]:
    lists = {} if node.value is None else {
        name: {sub_name: values.texts() for sub_name, values in sub_lists.items()}
        for name, sub_lists in node.items()
    }
    for name, sub_lists in lists.items():
        every = _all_values(lists, name)
        if len(set(every)) != len(every):
            raise node.at(name).fail("a value appears in more than one sub-list")
    for name, sub_names in required.items():
        if name not in lists or any(sub not in lists[name] for sub in sub_names):
            raise node.fail(f"needs the list {name!r} with sub-lists {list(sub_names)}")
    return lists


def _field_names(incident_type: type[Incident]) -> set[str]:
    return {f.name for f in dataclasses.fields(incident_type)}


def _condition(node: _Node, incident_type: type[Incident]) -> Condition:
    expected = []
    for name, values in node.items():
        if name not in _field_names(incident_type):
            raise values.fail(f"not a field of a {incident_type.__name__}")
        wanted = values.value if isinstance(values.value, list) else [values.value]
        if not wanted or not all(isinstance(v, (str, bool)) for v in wanted):
            raise values.fail("must be a value or a list of values")
        expected.append((name, frozenset(wanted)))
    return Condition(expected=tuple(expected))


def _exclusions(node: _Node, incident_type: type[Incident]) -> tuple[Exclusion, ...]:
    exclusions = []
    for item in node.sequence():
        clause = _clause(item.at("clause"))
        if item.has("judged_by"):  # in the contract, judged by a claims agent, not by the check
            item.at("description").text()
            continue
        if item.has("when") == item.has("computed"):
            raise item.fail("needs exactly one of 'when' (facts) or 'computed: true'")
        if item.has("computed") and item.at("computed").value is not True:
            raise item.at("computed").fail("must be true")
        exclusions.append(Exclusion(
            reason=item.at("reason").text(),
            clause=clause,
            condition=_condition(item.at("when"), incident_type) if item.has("when") else None,
        ))
    reasons = [e.reason for e in exclusions]
    if len(set(reasons)) != len(reasons):
        raise node.fail("a reason appears twice")
    return tuple(exclusions)


def _evidence(node: _Node, incident_type: type[Incident]) -> Evidence:
    field = node.at("field").text()
    defaults = {f.name: f.default for f in dataclasses.fields(incident_type)}
    if defaults.get(field, "absent") is not None:
        raise node.at("field").fail(f"not an optional field of a {incident_type.__name__}")
    return Evidence(
        field=field,
        report_as=node.at("report_as").text() if node.has("report_as") else field,
        reason=node.at("reason").text() if node.has("reason") else None,
        clause=_clause(node.at("clause")),
        condition=_condition(node.at("when"), incident_type) if node.has("when") else None,
    )
