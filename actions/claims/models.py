"""Tables of the claims store."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import JSON, CheckConstraint, Column, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

from actions.coverage.case import INCIDENT_TYPES

Base = declarative_base()

COVERS = tuple(INCIDENT_TYPES)
LANGUAGES = ("nl", "fr", "en")
DOSSIER_STATUSES = ("draft", "submitted", "handed_off", "accepted", "refused", "withdrawn")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def to_cents(amount: float | Decimal) -> int:
    """An amount in EUR as whole cents; refuses negative and non-finite amounts."""
    value = Decimal(str(amount))
    if not value.is_finite() or value < 0:
        raise ValueError(f"not a non-negative amount: {amount!r}")
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    quoted = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_known")


class Policyholder(Base):
    """A Cyber Care policy and its holder. Who declares a claim (policyholder, family under
    the same roof, ...) is asked per claim: the household is only kept as a size."""

    __tablename__ = "policyholders"
    __table_args__ = (_one_of("language", LANGUAGES),)

    id = Column(Integer, primary_key=True)
    policy_number = Column(String(32), unique=True, nullable=False)
    name = Column(String(200), nullable=False)
    birth_date = Column(Date)  # the second identification factor, with the policy number
    start_date = Column(Date, nullable=False)
    end_date = Column(Date)  # null while the contract runs
    country = Column(String(2), nullable=False, default="BE")  # of domicile
    household_size = Column(Integer, nullable=False, default=1)
    language = Column(String(2), nullable=False, default="nl")
    email = Column(String(254))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    accepted_claims = relationship("AcceptedClaim", back_populates="policyholder",
                                   cascade="all, delete-orphan", passive_deletes=True)
    dossiers = relationship("ClaimDossier", back_populates="policyholder",
                            cascade="all, delete-orphan", passive_deletes=True)


class AcceptedClaim(Base):
    """A claim the insurer accepted: the history the coverage check counts ceilings on."""

    __tablename__ = "accepted_claims"
    __table_args__ = (_one_of("cover", COVERS), CheckConstraint("amount_paid_cents >= 0", name="amount_paid_positive"))

    id = Column(Integer, primary_key=True)
    policyholder_id = Column(Integer, ForeignKey("policyholders.id", ondelete="CASCADE"), nullable=False, index=True)
    cover = Column(String(32), nullable=False)
    occurred_on = Column(Date, nullable=False)
    amount_paid_cents = Column(Integer, nullable=False)  # whole cents: exact on SQLite too
    dossier_reference = Column(String(16))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)

    policyholder = relationship("Policyholder", back_populates="accepted_claims")


class ClaimDossier(Base):
    """A declared claim: the case the check saw, its decision, and where it stands."""

    __tablename__ = "claim_dossiers"
    __table_args__ = (_one_of("cover", COVERS), _one_of("status", DOSSIER_STATUSES), _one_of("language", LANGUAGES))

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), unique=True, nullable=False)  # CC-YYYY-NNNNNN
    policyholder_id = Column(Integer, ForeignKey("policyholders.id", ondelete="CASCADE"), nullable=False, index=True)
    cover = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default="draft")
    language = Column(String(2), nullable=False)
    case_json = Column(JSON, nullable=False)  # the coverage check's input
    decision_json = Column(JSON)  # its output
    summary = Column(Text, nullable=False, default="")
    sender_id = Column(String(128), index=True)  # the conversation it came from (tracker store key)
    channel = Column(String(32))  # webchat, telegram, ...
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, onupdate=utc_now)

    policyholder = relationship("Policyholder", back_populates="dossiers")


class DossierSequence(Base):
    """The last dossier number handed out in a year; incremented in the transaction that
    creates the dossier, so concurrent creations get distinct, gap-free numbers."""

    __tablename__ = "dossier_sequences"

    year = Column(Integer, primary_key=True, autoincrement=False)
    last_number = Column(Integer, nullable=False, default=0)


HANDOFF_STATUSES = ("waiting", "claimed", "closed")
HANDOFF_REASONS = ("claim_filed", "request_human", "misunderstood", "refer")
# Reasons a person waits in the chat for an agent (a filed claim alone is a case for the desk: the bot goes on).
LIVE_REASONS = ("request_human", "misunderstood", "refer")


class Handoff(Base):
    """A conversation handed to a person: waiting in the queue, claimed by an agent, or closed
    (handed back to the bot). One open handoff per conversation at most; closed ones stay as history.
    The transcript is not copied here: the desk reads it from the tracker store."""

    __tablename__ = "handoffs"
    __table_args__ = (_one_of("status", HANDOFF_STATUSES), _one_of("language", LANGUAGES),
                      _one_of("reason", HANDOFF_REASONS))

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(128), nullable=False, index=True)  # the conversation (tracker store key)
    language = Column(String(2), nullable=False)
    channel = Column(String(32), nullable=False)  # webchat, telegram, ...
    reason = Column(String(16), nullable=False)
    policy_number = Column(String(32))  # the identified policyholder, if any
    reference = Column(String(16))  # the dossier (filed or draft), if any
    summaries = Column(JSON, nullable=False, default=dict)  # three lines per agent language: {"nl": "..."}
    status = Column(String(8), nullable=False, default="waiting", index=True)
    agent = Column(String(64))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)  # in the queue since
    live_since = Column(DateTime(timezone=True))  # the user waits in the chat for a person since (None: a case)
    claimed_at = Column(DateTime(timezone=True))
    closed_at = Column(DateTime(timezone=True))


class DeskAgent(Base):
    """A person at the desk. Only a hash of their API token is kept: the token is shown once."""

    __tablename__ = "desk_agents"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), unique=True, nullable=False)
    languages = Column(String(16), nullable=False)  # "nl,fr"
    token_hash = Column(String(64), unique=True, nullable=False)  # sha256 hex
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


FILE_KINDS = ("police_report", "merchant_complaint", "order_confirmation", "screenshot", "photo", "other")


class EvidenceFile(Base):
    """A file a user sent as evidence. The bytes are on disk (files.py), outside the tracker and the
    database; this row says whose it is and which dossier it belongs to. A file sent before the user
    was identified has no dossier yet: it is linked when the conversation's dossier is saved."""

    __tablename__ = "evidence_files"
    __table_args__ = (_one_of("kind", FILE_KINDS),)

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(128), nullable=False, index=True)
    reference = Column(String(16), index=True)  # the dossier, once known
    kind = Column(String(24), nullable=False, default="other")
    name = Column(String(200), nullable=False)  # as the user named it, cleaned
    content_type = Column(String(64), nullable=False)  # from the content, not the name
    size = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)
    storage_name = Column(String(64), unique=True, nullable=False)  # random; never the user's name
    channel = Column(String(32))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class IdentificationFailure(Base):
    """A wrong date of birth given for a policy number in the chat (identification.py counts them:
    five within a day lock the number). Kept two days at most; the conversation is named so that an
    erasure or an investigation finds it."""

    __tablename__ = "identification_failures"

    id = Column(Integer, primary_key=True)
    policy_number = Column(String(32), nullable=False, index=True)
    sender_id = Column(String(128), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)


class IdentificationLock(Base):
    """A policy number that cannot be identified in the chat until `locked_until` (too many failures)."""

    __tablename__ = "identification_locks"

    policy_number = Column(String(32), primary_key=True)
    locked_until = Column(DateTime(timezone=True), nullable=False)


class WebchatSession(Base):
    """A web chat session the server issued (bot/channels/sessions.py): the cookie holds a random
    token, only its SHA-256 is kept, with the conversation it may act for."""

    __tablename__ = "webchat_sessions"

    token_hash = Column(String(64), primary_key=True)
    sender_id = Column(String(128), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
