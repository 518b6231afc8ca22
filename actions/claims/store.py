"""What the bot's actions call to read policies and file claims.

Each function runs in its own short session and returns plain data (dicts, lists, ISO
dates), never ORM objects. `db` defaults to the database of `CLAIMS_DB_URL`.
Free text is stored with card numbers and IBANs masked; logs carry references only.
"""
from __future__ import annotations

import hmac
import logging
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import ClaimsDatabase, get_database
from .models import (COVERS, DOSSIER_STATUSES, LANGUAGES, AcceptedClaim, ClaimDossier, DossierSequence,
                     Policyholder, to_cents, utc_now)
from .redact import mask_in, mask_payment_data

logger = logging.getLogger(__name__)

# Dossier references carry the year of creation in Belgian time: CC-2026-000042.
REFERENCE_TIMEZONE = ZoneInfo("Europe/Brussels")


class UnknownPolicy(LookupError):
    """No policy with this number."""


class UnknownDossier(LookupError):
    """No dossier with this reference."""


# --- policies and their history ---------------------------------------------------------

_POLICY_NUMBER = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def normalise_policy_number(text: str | None) -> str | None:
    """A policy number as typed ("cc demo 0001", "CC.DEMO.0001", "cc–demo–0001") in its stored form
    (CC-DEMO-0001), or None when the text cannot be one."""
    if not isinstance(text, str):
        return None
    value = re.sub(r"[\s._\u2010-\u2015]+", "-", text.strip().upper()).strip("-")
    value = re.sub(r"-{2,}", "-", value)
    if not 6 <= len(value) <= 32 or not _POLICY_NUMBER.fullmatch(value) or not any(c.isdigit() for c in value):
        return None
    return value


def identify(policy_number: str, birth_date: date | str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """The policy when the number and the holder's date of birth belong together, else None.
    It never tells which of the two was wrong, and does the same work either way."""
    number = normalise_policy_number(policy_number)
    try:
        born = _as_date(birth_date)
    except (TypeError, ValueError):
        born = None
    with (db or get_database()).session() as session:
        holder = _find_policy(session, number or "")
        stored = holder.birth_date.isoformat() if holder is not None and holder.birth_date else "-"
        given = born.isoformat() if born else "+"
        match = hmac.compare_digest(stored, given)  # constant time: no timing hint either
        return _policy_data(holder) if holder is not None and match else None



def get_policy(policy_number: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    with (db or get_database()).session() as session:
        holder = _find_policy(session, policy_number)
        return _policy_data(holder) if holder else None


def policy_for_case(policy_number: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """The `policy` object of a coverage-check case, or None for an unknown policy."""
    policy = get_policy(policy_number, db=db)
    if policy is None:
        return None
    return {key: policy[key] for key in ("start_date", "end_date", "country")}


def history_for(policy_number: str, *, db: ClaimsDatabase | None = None) -> list[dict[str, Any]]:
    """Accepted claims of the policy in the coverage check's `history` format, oldest first
    (the check itself keeps those of the insurance year concerned)."""
    with (db or get_database()).session() as session:
        holder = _require_policy(session, policy_number)
        claims = session.scalars(select(AcceptedClaim).where(AcceptedClaim.policyholder_id == holder.id)
                                 .order_by(AcceptedClaim.occurred_on, AcceptedClaim.id))
        return [{"cover": c.cover, "date": c.occurred_on.isoformat(), "paid": c.amount_paid_cents / 100} for c in claims]


def record_accepted_claim(policy_number: str, cover: str, occurred_on: date | str, amount_paid: float | Decimal, *,
                          dossier_reference: str | None = None, db: ClaimsDatabase | None = None) -> int:
    """Record a claim the insurer accepted; it counts in later coverage checks. Returns its id."""
    _check_choice("cover", cover, COVERS)
    cents = to_cents(amount_paid)
    with (db or get_database()).session() as session:
        holder = _require_policy(session, policy_number)
        claim = AcceptedClaim(policyholder=holder, cover=cover, occurred_on=_as_date(occurred_on),
                              amount_paid_cents=cents, dossier_reference=dossier_reference)
        session.add(claim)
        session.flush()
        logger.info("accepted %s claim recorded on policy %s", cover, policy_number)
        return claim.id


# --- claim dossiers ----------------------------------------------------------------------


def create_dossier(policy_number: str, cover: str, case: Mapping[str, Any], decision: Mapping[str, Any] | None, *,
                   language: str, summary: str = "", status: str = "draft",
                   db: ClaimsDatabase | None = None, now: datetime | None = None) -> str:
    """File a claim dossier and return its reference `CC-YYYY-NNNNNN` (numbered per year)."""
    _check_choice("cover", cover, COVERS)
    _check_choice("language", language, LANGUAGES)
    _check_choice("status", status, DOSSIER_STATUSES)
    database = db or get_database()
    created_at = now or utc_now()
    year = created_at.astimezone(REFERENCE_TIMEZONE).year
    _ensure_sequence(database, year)
    with database.session() as session:
        holder = _require_policy(session, policy_number)
        reference = _next_reference(session, year)
        session.add(ClaimDossier(
            reference=reference, policyholder=holder, cover=cover, status=status, language=language,
            case_json=mask_in(dict(case)), decision_json=dict(decision) if decision is not None else None,
            summary=mask_payment_data(summary), created_at=created_at, updated_at=created_at,
        ))
    logger.info("dossier %s created (%s, %s)", reference, cover, status)
    return reference


# --- drafts and filing: what the declaration forms call ---------------------------------


def save_draft(sender_id: str, policy_number: str, cover: str, facts: Mapping[str, Any], *, language: str,
               channel: str | None = None, db: ClaimsDatabase | None = None) -> str:
    """Create or update the one open draft of this conversation; returns its reference, which
    stays the same until the claim is filed."""
    _check_choice("cover", cover, COVERS)
    _check_choice("language", language, LANGUAGES)
    database = db or get_database()
    with database.session() as session:
        draft = _open_draft(session, sender_id)
        if draft is not None:
            holder = _require_policy(session, policy_number)
            draft.policyholder = holder
            draft.cover = cover
            draft.language = language
            draft.channel = channel or draft.channel
            draft.case_json = mask_in(dict(facts))
            session.flush()
            return draft.reference
    reference = create_dossier(policy_number, cover, facts, None, language=language, status="draft", db=database)
    with database.session() as session:
        dossier = session.scalar(select(ClaimDossier).where(ClaimDossier.reference == reference))
        dossier.sender_id, dossier.channel = sender_id, channel
    return reference


def find_draft(sender_id: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """The open draft of this conversation (`case` holds the facts so far), or None."""
    with (db or get_database()).session() as session:
        draft = _open_draft(session, sender_id)
        return _dossier_data(draft) if draft else None


def discard_draft(sender_id: str, *, db: ClaimsDatabase | None = None) -> str | None:
    with (db or get_database()).session() as session:
        draft = _open_draft(session, sender_id)
        if draft is None:
            return None
        draft.status = "withdrawn"
        return draft.reference


def file_claim(sender_id: str, policy_number: str, cover: str, case: Mapping[str, Any], decision: Mapping[str, Any],
               *, language: str, channel: str | None = None, summary: str = "",
               db: ClaimsDatabase | None = None) -> str:
    """File the declaration (the conversation's draft, or a new dossier) as `submitted`, with the
    coverage check's input and decision; returns its reference.

    A covered or partially covered decision also records an accepted claim (the amount the check
    allows, 0 for a service) in the same transaction: the bot's decision is provisional until an
    agent reviews it, but the annual counters must see it, or a 4th claim in a row would pass."""
    _check_choice("cover", cover, COVERS)
    _check_choice("language", language, LANGUAGES)
    database = db or get_database()
    reference = save_draft(sender_id, policy_number, cover, {}, language=language, channel=channel, db=database)
    with database.session() as session:
        dossier = session.scalar(select(ClaimDossier).where(ClaimDossier.reference == reference))
        dossier.status = "submitted"
        dossier.case_json = mask_in(dict(case))
        dossier.decision_json = dict(decision)
        dossier.summary = mask_payment_data(summary)
        if decision.get("decision") in ("covered", "partially_covered"):
            incident = case.get("incident") or {}
            session.add(AcceptedClaim(policyholder=dossier.policyholder, cover=cover,
                                      occurred_on=_as_date(incident.get("occurred_on") or date.today()),
                                      amount_paid_cents=to_cents(decision.get("payable_max") or 0),
                                      dossier_reference=reference))
    logger.info("dossier %s filed (%s, %s)", reference, cover, decision.get("decision"))
    return reference


def refile_claim(reference: str, case: Mapping[str, Any], decision: Mapping[str, Any], *,
                 db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """A filed dossier completed later (a police report number, the date of the complaint): the new
    case and decision replace the old; a paying decision is counted once."""
    with (db or get_database()).session() as session:
        dossier = session.scalar(select(ClaimDossier).where(ClaimDossier.reference == reference))
        if dossier is None:
            raise UnknownDossier(reference)
        dossier.case_json = mask_in(dict(case))
        dossier.decision_json = dict(decision)
        counted = session.scalar(select(AcceptedClaim.id).where(AcceptedClaim.dossier_reference == reference))
        if decision.get("decision") in ("covered", "partially_covered") and counted is None:
            incident = case.get("incident") or {}
            session.add(AcceptedClaim(policyholder=dossier.policyholder, cover=dossier.cover,
                                      occurred_on=_as_date(incident.get("occurred_on") or date.today()),
                                      amount_paid_cents=to_cents(decision.get("payable_max") or 0),
                                      dossier_reference=reference))
        session.flush()
        logger.info("dossier %s completed (%s)", reference, decision.get("decision"))
        return _dossier_data(dossier)


def dossiers_of(policy_number: str, *, db: ClaimsDatabase | None = None) -> list[dict[str, Any]]:
    """The policyholder's dossiers, newest first (withdrawn drafts left out)."""
    with (db or get_database()).session() as session:
        holder = _find_policy(session, policy_number)
        if holder is None:
            return []
        dossiers = session.scalars(select(ClaimDossier).where(ClaimDossier.policyholder_id == holder.id,
                                                              ClaimDossier.status != "withdrawn")
                                   .order_by(ClaimDossier.id.desc()))
        return [_dossier_data(d) for d in dossiers]


def get_dossier_of(reference: str, policy_number: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """The dossier when it is this policyholder's, else None (as if it did not exist)."""
    dossier = get_dossier(reference, db=db)
    return dossier if dossier is not None and dossier["policy_number"] == policy_number else None


def _open_draft(session: Session, sender_id: str) -> ClaimDossier | None:
    return session.scalar(select(ClaimDossier).where(ClaimDossier.sender_id == sender_id,
                                                     ClaimDossier.status == "draft")
                          .order_by(ClaimDossier.id.desc()).limit(1))


def get_dossier(reference: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    with (db or get_database()).session() as session:
        dossier = session.scalar(select(ClaimDossier).where(ClaimDossier.reference == reference))
        return _dossier_data(dossier) if dossier else None


def update_dossier_status(reference: str, status: str, *, decision: Mapping[str, Any] | None = None,
                          db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """Move a dossier to `status` (and store a new decision, if given); returns the dossier."""
    _check_choice("status", status, DOSSIER_STATUSES)
    with (db or get_database()).session() as session:
        dossier = session.scalar(select(ClaimDossier).where(ClaimDossier.reference == reference))
        if dossier is None:
            raise UnknownDossier(reference)
        dossier.status = status
        if decision is not None:
            dossier.decision_json = dict(decision)
        session.flush()  # sets updated_at
        logger.info("dossier %s is now %s", reference, status)
        return _dossier_data(dossier)


# --- personal data (GDPR) ----------------------------------------------------------------


def export_policyholder_data(policy_number: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """Everything stored about a policyholder, as JSON-ready data; None if unknown."""
    with (db or get_database()).session() as session:
        holder = _find_policy(session, policy_number)
        if holder is None:
            return None
        return {
            "policyholder": _policy_data(holder),
            "accepted_claims": [
                {"cover": c.cover, "occurred_on": c.occurred_on.isoformat(), "amount_paid": c.amount_paid_cents / 100,
                 "dossier_reference": c.dossier_reference, "recorded_at": _iso(c.created_at)}
                for c in sorted(holder.accepted_claims, key=lambda c: (c.occurred_on, c.id))
            ],
            "dossiers": [_dossier_data(d) for d in sorted(holder.dossiers, key=lambda d: d.id)],
        }


def erase_policyholder_data(policy_number: str, *, db: ClaimsDatabase | None = None) -> dict[str, int]:
    """Delete the policyholder with their claims and dossiers; returns how many rows of each went."""
    with (db or get_database()).session() as session:
        holder = _find_policy(session, policy_number)
        if holder is None:
            return {"policyholders": 0, "accepted_claims": 0, "dossiers": 0}
        claims = session.execute(delete(AcceptedClaim).where(AcceptedClaim.policyholder_id == holder.id)).rowcount
        dossiers = session.execute(delete(ClaimDossier).where(ClaimDossier.policyholder_id == holder.id)).rowcount
        session.execute(delete(Policyholder).where(Policyholder.id == holder.id))
    logger.info("personal data of a policyholder erased (%d claims, %d dossiers)", claims, dossiers)
    return {"policyholders": 1, "accepted_claims": claims, "dossiers": dossiers}


# --- helpers -----------------------------------------------------------------------------


def _find_policy(session: Session, policy_number: str) -> Policyholder | None:
    return session.scalar(select(Policyholder).where(Policyholder.policy_number == policy_number))


def _require_policy(session: Session, policy_number: str) -> Policyholder:
    holder = _find_policy(session, policy_number)
    if holder is None:
        raise UnknownPolicy(policy_number)
    return holder


def _ensure_sequence(database: ClaimsDatabase, year: int) -> None:
    """Create the year's counter row in a transaction of its own; a concurrent creator may win."""
    try:
        with database.session() as session:
            if session.get(DossierSequence, year) is None:
                session.add(DossierSequence(year=year, last_number=0))
    except IntegrityError:
        pass  # another session created it first: that is all we needed


def _next_reference(session: Session, year: int) -> str:
    # The UPDATE locks the year's row until this transaction commits, so concurrent
    # creations wait for each other and each reads its own number.
    session.execute(update(DossierSequence).where(DossierSequence.year == year)
                    .values(last_number=DossierSequence.last_number + 1))
    number = session.scalar(select(DossierSequence.last_number).where(DossierSequence.year == year))
    return f"CC-{year}-{number:06d}"


def _policy_data(holder: Policyholder) -> dict[str, Any]:
    return {
        "policy_number": holder.policy_number,
        "name": holder.name,
        "birth_date": holder.birth_date.isoformat() if holder.birth_date else None,
        "start_date": holder.start_date.isoformat(),
        "end_date": holder.end_date.isoformat() if holder.end_date else None,
        "country": holder.country,
        "household_size": holder.household_size,
        "language": holder.language,
        "email": holder.email,
    }


def _dossier_data(dossier: ClaimDossier) -> dict[str, Any]:
    return {
        "reference": dossier.reference,
        "policy_number": dossier.policyholder.policy_number,
        "cover": dossier.cover,
        "status": dossier.status,
        "language": dossier.language,
        "case": dossier.case_json,
        "decision": dossier.decision_json,
        "summary": dossier.summary,
        "sender_id": dossier.sender_id,
        "channel": dossier.channel,
        "created_at": _iso(dossier.created_at),
        "updated_at": _iso(dossier.updated_at),
    }


def _iso(moment: datetime) -> str:
    # SQLite gives timestamps back without their zone: they were stored in UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} {value!r} not one of {', '.join(allowed)}")
