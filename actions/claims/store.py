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

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import files
from .db import ClaimsDatabase, get_database
from .models import (
    COVERS,
    DOSSIER_STATUSES,
    LANGUAGES,
    AcceptedClaim,
    ClaimDossier,
    DossierSequence,
    Handoff,
    Policyholder,
    to_cents,
    utc_now,
)
from .redact import mask_in, mask_payment_data

logger = logging.getLogger(__name__)
# What an erased policyholder who had paid claims is called from then on (erase_policyholder_data).
ERASED_NAME = "[erased]"

# Dossier references carry the year of creation in Belgian time: CC-2026-000042.
REFERENCE_TIMEZONE = ZoneInfo("Europe/Brussels")


class UnknownPolicy(LookupError):
    """No policy with this number."""


class UnknownDossier(LookupError):
    """No dossier with this reference."""


# Decisions that pay (an amount or a service): they count in the policy year's counters at once.
PAYING_DECISIONS = ("covered", "partially_covered")
# Statuses of a dossier that no longer counts: an agent refused it, or the policyholder withdrew it.
NOT_COUNTED_STATUSES = ("refused", "withdrawn")


# --- policies and their history ---------------------------------------------------------

_POLICY_NUMBER = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def normalise_policy_number(text: str | None) -> str | None:
    """A policy number as typed ("cc demo 0001", "CC.DEMO.0001", "cc–demo–0001", "cc_demo_0001") in its
    stored form (CC-DEMO-0001): upper case, and spaces, dots, underscores and any kind of dash read as
    the dash between its parts. None when the text cannot be one: after this, only letters, digits
    and single dashes, 6 to 32 characters, at least one digit (so that no word is taken for one)."""
    if not isinstance(text, str):
        return None
    value = re.sub(r"[\s._\u2010-\u2015\u2212-]+", "-", text.strip().upper()).strip("-")
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
    with (db or get_database()).session() as session:
        holder = _require_policy(session, policy_number)
        dossier = _new_dossier(session, holder, cover, case, decision, language=language, summary=summary,
                               status=status, now=now)
    logger.info("dossier %s created (%s, %s)", dossier.reference, cover, status)
    return dossier.reference


# --- drafts and filing: what the declaration forms call ---------------------------------


def save_draft(sender_id: str, policy_number: str, cover: str, facts: Mapping[str, Any], *, language: str,
               channel: str | None = None, db: ClaimsDatabase | None = None) -> str:
    """Create or update THE open draft of this conversation (`sender_id`) with the form's answers so
    far (`facts`, plain JSON, stored with payment data masked); returns its reference, allocated
    when the draft is created and kept when it is filed. A conversation has at most one open
    draft: should an older one be left over, it is withdrawn."""
    _check_choice("cover", cover, COVERS)
    _check_choice("language", language, LANGUAGES)
    _check_sender(sender_id)
    with (db or get_database()).session() as session:
        holder = _require_policy(session, policy_number)
        draft = _the_open_draft(session, sender_id)
        if draft is None:
            draft = _new_dossier(session, holder, cover, facts, None, language=language, status="draft",
                                 sender_id=sender_id, channel=channel)
            logger.info("draft %s created (%s)", draft.reference, cover)
        else:
            draft.policyholder, draft.cover, draft.language = holder, cover, language
            draft.channel = channel or draft.channel
            draft.case_json = mask_in(dict(facts))
        session.flush()
        files.link_pending(session, sender_id, draft.reference)  # files sent before identification
        return draft.reference


def find_draft(sender_id: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """The open draft of this conversation (as `get_dossier`; `case` holds the facts so far), or None."""
    with (db or get_database()).session() as session:
        draft = _open_drafts(session, sender_id).first()
        return _dossier_data(draft) if draft else None


def discard_draft(sender_id: str, *, db: ClaimsDatabase | None = None) -> str | None:
    """The conversation's open draft is withdrawn; returns its reference (None when there was none)."""
    with (db or get_database()).session() as session:
        draft = _the_open_draft(session, sender_id)
        if draft is None:
            return None
        draft.status = "withdrawn"
        logger.info("draft %s withdrawn", draft.reference)
        return draft.reference


def file_claim(sender_id: str, policy_number: str, cover: str, case: Mapping[str, Any], decision: Mapping[str, Any],
               *, language: str, channel: str | None = None, summary: str = "",
               db: ClaimsDatabase | None = None) -> str:
    """File the declaration as `submitted`: the conversation's open draft (its reference is kept),
    else a new dossier; stores the coverage check's input `case` (masked), its `decision` and the
    summary. Returns the reference.

    A `covered` or `partially_covered` decision also records an accepted claim (occurred on the
    incident's date, for the amount the check allows, 0 for a service), in the same transaction.
    Why: the bot's decision is provisional until an agent reviews the dossier, but the annual
    counters of the policy year must see it at once, or a 4th claim declared right after the 3rd
    would pass the incident limit (and amounts would exceed the annual ceiling). When an agent
    refuses the dossier (`update_dossier_status`), that claim leaves the history again."""
    _check_choice("cover", cover, COVERS)
    _check_choice("language", language, LANGUAGES)
    _check_sender(sender_id)
    with (db or get_database()).session() as session:
        holder = _require_policy(session, policy_number)
        dossier = _the_open_draft(session, sender_id)
        if dossier is None:
            dossier = _new_dossier(session, holder, cover, case, decision, language=language, summary=summary,
                                   status="submitted", sender_id=sender_id, channel=channel)
        else:
            dossier.policyholder, dossier.cover, dossier.language, dossier.status = holder, cover, language, "submitted"
            dossier.channel = channel or dossier.channel
            dossier.case_json = mask_in(dict(case))
            dossier.decision_json = dict(decision)
            dossier.summary = mask_payment_data(summary)
        if decision.get("decision") in PAYING_DECISIONS:
            session.add(AcceptedClaim(policyholder_id=holder.id, cover=cover, dossier_reference=dossier.reference,
                                      **_counted_claim(case, decision)))
        session.flush()
        files.link_pending(session, sender_id, dossier.reference)
        reference = dossier.reference
    logger.info("dossier %s filed (%s, %s)", reference, cover, decision.get("decision"))
    return reference


def refile_claim(reference: str, case: Mapping[str, Any], decision: Mapping[str, Any], *,
                 db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """A filed dossier completed later (a police report number, the date of the complaint): the new
    case and decision replace the old; a paying decision is counted once (with its new amount), one
    that no longer pays leaves the history."""
    with (db or get_database()).session() as session:
        dossier = session.scalar(select(ClaimDossier).where(ClaimDossier.reference == reference))
        if dossier is None:
            raise UnknownDossier(reference)
        dossier.case_json = mask_in(dict(case))
        dossier.decision_json = dict(decision)
        counted = session.scalar(select(AcceptedClaim).where(AcceptedClaim.dossier_reference == reference))
        if decision.get("decision") in PAYING_DECISIONS:
            if counted is None:
                session.add(AcceptedClaim(policyholder_id=dossier.policyholder_id, cover=dossier.cover,
                                          dossier_reference=reference, **_counted_claim(case, decision)))
            else:  # counted once, with the new decision's date and amount
                for name, value in _counted_claim(case, decision).items():
                    setattr(counted, name, value)
        elif counted is not None:
            session.delete(counted)
        session.flush()
        logger.info("dossier %s completed (%s)", reference, decision.get("decision"))
        return _dossier_data(dossier)


def dossiers_of(policy_number: str, *, db: ClaimsDatabase | None = None) -> list[dict[str, Any]]:
    """The policyholder's dossiers (open drafts included, withdrawn ones left out), newest first."""
    with (db or get_database()).session() as session:
        holder = _find_policy(session, policy_number)
        if holder is None:
            return []
        dossiers = session.scalars(select(ClaimDossier).where(ClaimDossier.policyholder_id == holder.id,
                                                              ClaimDossier.status != "withdrawn")
                                   .order_by(ClaimDossier.id.desc()))
        return [_dossier_data(d) for d in dossiers]


def get_dossier_of(reference: str, policy_number: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """The dossier when it is this policyholder's, else None, exactly as for a reference that does not
    exist: claim status shows the identified policyholder's own dossiers only. The reference may be
    typed in lower case ("cc-2026-000042")."""
    if not isinstance(reference, str) or not isinstance(policy_number, str):
        return None
    with (db or get_database()).session() as session:
        dossier = session.scalar(select(ClaimDossier).join(Policyholder)
                                 .where(ClaimDossier.reference == reference.strip().upper(),
                                        Policyholder.policy_number == policy_number))
        return _dossier_data(dossier) if dossier else None


def _open_drafts(session: Session, sender_id: str):
    return session.scalars(select(ClaimDossier).where(ClaimDossier.sender_id == sender_id,
                                                      ClaimDossier.status == "draft")
                           .order_by(ClaimDossier.id.desc()))


def _the_open_draft(session: Session, sender_id: str) -> ClaimDossier | None:
    """The newest open draft of the conversation; any older one left over is withdrawn."""
    drafts = _open_drafts(session, sender_id).all()
    for leftover in drafts[1:]:
        leftover.status = "withdrawn"
    return drafts[0] if drafts else None


def get_dossier(reference: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    with (db or get_database()).session() as session:
        dossier = session.scalar(select(ClaimDossier).where(ClaimDossier.reference == reference))
        return _dossier_data(dossier) if dossier else None


def update_dossier_status(reference: str, status: str, *, decision: Mapping[str, Any] | None = None,
                          db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """Move a dossier to `status` (and store a new decision, if given); returns the dossier.
    A dossier refused or withdrawn no longer counts in the policy's history (see `file_claim`)."""
    _check_choice("status", status, DOSSIER_STATUSES)
    with (db or get_database()).session() as session:
        dossier = session.scalar(select(ClaimDossier).where(ClaimDossier.reference == reference))
        if dossier is None:
            raise UnknownDossier(reference)
        dossier.status = status
        if status in NOT_COUNTED_STATUSES:
            session.execute(delete(AcceptedClaim).where(AcceptedClaim.dossier_reference == reference))
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
            "files": [files.exported(f) for f in files.files_of_dossiers(session, [d.reference for d in holder.dossiers])],
            "handoffs": [{"sender_id": h.sender_id, "reason": h.reason, "status": h.status, "reference": h.reference,
                          "agent": h.agent, "waiting_since": _iso(h.created_at)}
                         for h in session.scalars(select(Handoff).where(Handoff.policy_number == policy_number)
                                                  .order_by(Handoff.id))],
        }


def erase_policyholder_data(policy_number: str, *, db: ClaimsDatabase | None = None) -> dict[str, int]:
    """Erase what is held about a policyholder; returns how many rows of each went.

    Dossiers (the story, the facts, the summaries), hand-offs and files are deleted. Claims the
    insurer accepted and paid are kept, because the insurer must keep them (accounting and the
    policy's 12-month limits): the policyholder row then stays as a bare policy number and contract
    dates, with the name replaced and the date of birth and e-mail removed, so nobody can be
    identified or identify as them. Without paid claims the policyholder row is deleted too."""
    with (db or get_database()).session() as session:
        holder = _find_policy(session, policy_number)
        if holder is None or (holder.name == ERASED_NAME and not holder.dossiers):
            return {"policyholders": 0, "accepted_claims_kept": 0, "dossiers": 0, "handoffs": 0, "files": 0}
        kept_files = files.delete_rows_and_bytes(session, files.files_of_dossiers(
            session, [d.reference for d in holder.dossiers]))
        dossiers = session.execute(delete(ClaimDossier).where(ClaimDossier.policyholder_id == holder.id)).rowcount
        handed = session.execute(delete(Handoff).where(Handoff.policy_number == holder.policy_number)).rowcount
        paid = session.scalar(select(func.count()).select_from(AcceptedClaim)
                              .where(AcceptedClaim.policyholder_id == holder.id))
        if paid:
            holder.name, holder.birth_date, holder.email = ERASED_NAME, None, None
        else:
            session.execute(delete(Policyholder).where(Policyholder.id == holder.id))
    logger.info("personal data of a policyholder erased (%d dossiers, %d handoffs; %d paid claims kept)", dossiers,
                handed, paid)
    return {"policyholders": 1, "accepted_claims_kept": paid, "dossiers": dossiers, "handoffs": handed,
            "files": kept_files}


# --- helpers -----------------------------------------------------------------------------


def _find_policy(session: Session, policy_number: str) -> Policyholder | None:
    return session.scalar(select(Policyholder).where(Policyholder.policy_number == policy_number))


def _require_policy(session: Session, policy_number: str) -> Policyholder:
    holder = _find_policy(session, policy_number)
    if holder is None:
        raise UnknownPolicy(policy_number)
    return holder


def _new_dossier(session: Session, holder: Policyholder, cover: str, case: Mapping[str, Any],
                 decision: Mapping[str, Any] | None, *, language: str, status: str, summary: str = "",
                 sender_id: str | None = None, channel: str | None = None,
                 now: datetime | None = None) -> ClaimDossier:
    """A new dossier in the caller's transaction, with the next reference of the year."""
    created_at = now or utc_now()
    dossier = ClaimDossier(
        reference=_next_reference(session, created_at.astimezone(REFERENCE_TIMEZONE).year), policyholder=holder,
        cover=cover, status=status, language=language, case_json=mask_in(dict(case)),
        decision_json=dict(decision) if decision is not None else None, summary=mask_payment_data(summary),
        sender_id=sender_id, channel=channel, created_at=created_at, updated_at=created_at)
    session.add(dossier)
    session.flush()
    return dossier


def _counted_claim(case: Mapping[str, Any], decision: Mapping[str, Any]) -> dict[str, Any]:
    """What a paying decision adds to the policy's history (see `file_claim`): the incident's date
    and the amount the check allows (0 for a service)."""
    incident = case.get("incident") or {}
    return {"occurred_on": _as_date(incident.get("occurred_on") or date.today()),
            "amount_paid_cents": to_cents(decision.get("payable_max") or 0)}


def _next_reference(session: Session, year: int) -> str:
    if session.get(DossierSequence, year) is None:  # the year's first dossier: its counter row
        try:
            with session.begin_nested():
                session.add(DossierSequence(year=year, last_number=0))
        except IntegrityError:
            pass  # a concurrent transaction created it first: that is all we needed
    # The UPDATE locks the year's row until this transaction commits, so concurrent
    # creations wait for each other and each reads its own number.
    session.execute(update(DossierSequence).where(DossierSequence.year == year)
                    .values(last_number=DossierSequence.last_number + 1))
    number = session.scalar(select(DossierSequence.last_number).where(DossierSequence.year == year)
                            .execution_options(populate_existing=True))
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
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(value)


def _check_sender(sender_id: str) -> None:
    if not isinstance(sender_id, str) or not sender_id or len(sender_id) > 128:
        raise ValueError("a conversation id (sender_id) of 1 to 128 characters is needed")


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} {value!r} not one of {', '.join(allowed)}")
