"""The handoff queue: conversations waiting for a person, claimed by an agent, or handed back.

Two kinds of waiting entries: a *case* (a filed claim for an agent to handle; the bot goes on talking with the
user) and a *live wait* (the user asked for a person, the bot misunderstood twice, or the check refers the claim:
`live_since` is set). A user's position counts the live waits of everyone waiting for the agents who can take
this conversation (every agent who speaks its language, and the other languages those agents speak).

Written by the action server when the bot hands a conversation over, read and changed by the agent
desk in the Rasa server (bot/desk). It lives in the claims store so it survives restarts and is
shared by every instance. A conversation has at most one open (waiting or claimed) handoff; a second
handoff while one is open updates it. Claiming is one conditional UPDATE, so two agents (or two
instances) cannot both win.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from statistics import median
from typing import Any, Iterable, Mapping

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from .db import ClaimsDatabase, get_database
from .models import (
    HANDOFF_REASONS,
    HANDOFF_STATUSES,
    LANGUAGES,
    LIVE_REASONS,
    DeskAgent,
    Handoff,
    Policyholder,
    utc_now,
)

logger = logging.getLogger(__name__)

OPEN = ("waiting", "claimed")
# Without a record of recent waits: what a user is told a person takes, per position in the queue.
DEFAULT_WAIT_SECONDS = 600
RECENT_WAITS = 20


class NoHandoff(LookupError):
    """No handoff for this conversation that this agent may see."""


class HandoffConflict(Exception):
    """The handoff is not in a state that allows this: claimed by someone else, or not claimed by you."""

    def __init__(self, code: str, handoff: dict[str, Any]) -> None:
        super().__init__(code)
        self.code = code
        self.handoff = handoff


def open_handoff(sender_id: str, *, language: str, channel: str, reason: str, policy_number: str | None = None,
                 reference: str | None = None, summaries: Mapping[str, str] | None = None,
                 db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """Put the conversation in the queue (or update its open handoff); returns it with its position."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} not one of {', '.join(LANGUAGES)}")
    if reason not in HANDOFF_REASONS:
        raise ValueError(f"reason {reason!r} not one of {', '.join(HANDOFF_REASONS)}")
    with (db or get_database()).session() as session:
        handoff = _open_of(session, sender_id)
        if handoff is None:
            handoff = Handoff(sender_id=sender_id, language=language, channel=channel or "unknown", reason=reason,
                              status="waiting")
            session.add(handoff)
        handoff.language = language
        if reason in LIVE_REASONS:  # the user now waits for a person (a case can become one)
            handoff.reason = reason
            handoff.live_since = handoff.live_since or utc_now()
        handoff.policy_number = policy_number or handoff.policy_number
        handoff.reference = reference or handoff.reference
        handoff.summaries = dict(summaries or handoff.summaries or {})
        session.flush()
        logger.info("conversation handed off (%s, %s, handoff %d)", reason, language, handoff.id)
        return _data(session, handoff)


def open_handoff_of(sender_id: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """The conversation's waiting or claimed handoff, or None."""
    with (db or get_database()).session() as session:
        handoff = _open_of(session, sender_id)
        return _data(session, handoff) if handoff else None


def handoff_of(sender_id: str, languages: Iterable[str], *, open_only: bool = False,
               db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """The conversation's latest handoff in one of `languages` (open first; with `open_only`, only an
    open one); NoHandoff otherwise."""
    with (db or get_database()).session() as session:
        handoff = _visible(session, sender_id, languages)
        if open_only and handoff.status not in OPEN:
            raise NoHandoff(sender_id)
        return _data(session, handoff)


def queue(languages: Iterable[str], statuses: Iterable[str] = OPEN, *,
          db: ClaimsDatabase | None = None) -> list[dict[str, Any]]:
    """Handoffs in `languages` with one of `statuses`, the longest waiting first."""
    statuses = [status for status in statuses if status in HANDOFF_STATUSES]
    languages = [language for language in languages if language in LANGUAGES]
    with (db or get_database()).session() as session:
        rows = session.scalars(select(Handoff).where(Handoff.language.in_(languages), Handoff.status.in_(statuses))
                               .order_by(Handoff.created_at, Handoff.id).limit(500))
        return [_data(session, handoff) for handoff in rows]


def claim(sender_id: str, agent: str, languages: Iterable[str], *, db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """The agent takes the conversation. Claiming one's own again is fine; HandoffConflict
    ("already_claimed") when another agent has it or it is closed."""
    with (db or get_database()).session() as session:
        handoff = _visible(session, sender_id, languages)
        won = session.execute(update(Handoff).where(Handoff.id == handoff.id, Handoff.status == "waiting")
                              .values(status="claimed", agent=agent, claimed_at=utc_now())
                              .execution_options(synchronize_session=False)).rowcount
        session.refresh(handoff)
        if not won and not (handoff.status == "claimed" and handoff.agent == agent):
            raise HandoffConflict("already_claimed", _data(session, handoff))
        logger.info("handoff %d claimed by an agent", handoff.id)
        return _data(session, handoff)


def claimed_by(sender_id: str, agent: str, languages: Iterable[str], *,
               db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """The handoff, if this agent has claimed it; HandoffConflict ("not_claimed") otherwise."""
    with (db or get_database()).session() as session:
        handoff = _visible(session, sender_id, languages)
        if handoff.status != "claimed" or handoff.agent != agent:
            raise HandoffConflict("not_claimed", _data(session, handoff))
        return _data(session, handoff)


def close(sender_id: str, agent: str, languages: Iterable[str], *, db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """The agent hands the conversation back to the bot; only the agent who claimed it can."""
    with (db or get_database()).session() as session:
        handoff = _visible(session, sender_id, languages)
        done = session.execute(update(Handoff).where(Handoff.id == handoff.id, Handoff.status == "claimed",
                                                     Handoff.agent == agent)
                               .values(status="closed", closed_at=utc_now())
                               .execution_options(synchronize_session=False)).rowcount
        session.refresh(handoff)
        if not done:
            raise HandoffConflict("not_claimed", _data(session, handoff))
        logger.info("handoff %d closed, back to the bot", handoff.id)
        return _data(session, handoff)


def withdraw_live(sender_id: str, *, db: ClaimsDatabase | None = None) -> bool:
    """The user no longer waits for a person ("laat maar"): a case goes back to being a case, anything else is
    closed. True when there was a live wait to withdraw; a conversation an agent has taken is left as it is."""
    with (db or get_database()).session() as session:
        handoff = _open_of(session, sender_id)
        if handoff is None or handoff.status != "waiting" or handoff.live_since is None:
            return False
        if handoff.reference and handoff.reason != "refer":
            handoff.reason, handoff.live_since = "claim_filed", None
        else:
            handoff.status, handoff.closed_at = "closed", utc_now()
        logger.info("handoff %d: the user no longer waits for a person", handoff.id)
        return True


def erase_handoffs_of(sender_id: str, *, db: ClaimsDatabase | None = None) -> int:
    """Forget a conversation's handoffs (GDPR erasure); returns how many went."""
    with (db or get_database()).session() as session:
        rows = list(session.scalars(select(Handoff).where(Handoff.sender_id == sender_id)))
        for row in rows:
            session.delete(row)
        return len(rows)


# --- helpers -----------------------------------------------------------------------------


def _open_of(session: Session, sender_id: str) -> Handoff | None:
    return session.scalar(select(Handoff).where(Handoff.sender_id == sender_id, Handoff.status.in_(OPEN))
                          .order_by(Handoff.id.desc()).limit(1))


def _visible(session: Session, sender_id: str, languages: Iterable[str]) -> Handoff:
    """The conversation's open handoff, else its latest one, if in the agent's languages."""
    handoff = session.scalar(select(Handoff).where(Handoff.sender_id == sender_id,
                                                   Handoff.language.in_(list(languages)))
                             .order_by(Handoff.status.in_(OPEN).desc(), Handoff.id.desc()).limit(1))
    if handoff is None:
        raise NoHandoff(sender_id)
    return handoff


def _shared_languages(session: Session, language: str) -> list[str]:
    """The languages of the conversations that compete with one in `language` for the same agents."""
    spoken = [row.split(",") for row in session.scalars(select(DeskAgent.languages))]
    shared = {lang for languages in spoken if language in languages for lang in languages}
    return sorted(shared or {language})


def _position(session: Session, handoff: Handoff) -> int | None:
    """1 for the next live wait the agents who can take this one will answer; None for a case or a taken one."""
    if handoff.status != "waiting" or handoff.live_since is None:
        return None
    since = handoff.live_since
    ahead = session.scalar(select(func.count(Handoff.id)).where(
        Handoff.status == "waiting", Handoff.live_since.is_not(None),
        Handoff.language.in_(_shared_languages(session, handoff.language)),
        or_(Handoff.live_since < since, and_(Handoff.live_since == since, Handoff.id < handoff.id))))
    return int(ahead or 0) + 1


def _expected_wait(session: Session, handoff: Handoff, position: int | None) -> int | None:
    """Seconds until a person answers: the median wait of the last live waits agents took, per place in the queue."""
    if position is None:
        return None
    waits = [(_aware(row.claimed_at) - _aware(row.live_since)).total_seconds() for row in session.scalars(
        select(Handoff).where(Handoff.live_since.is_not(None), Handoff.claimed_at.is_not(None),
                              Handoff.language.in_(_shared_languages(session, handoff.language)))
        .order_by(Handoff.claimed_at.desc()).limit(RECENT_WAITS))]
    per_place = median(waits) if waits else DEFAULT_WAIT_SECONDS
    return int(max(60, per_place) * position)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite gives timestamps back without their zone: they were stored in UTC.
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _data(session: Session, handoff: Handoff) -> dict[str, Any]:
    since = _aware(handoff.created_at)
    until = _aware(handoff.claimed_at) if handoff.status != "waiting" else utc_now()
    position = _position(session, handoff)
    holder = (session.scalar(select(Policyholder).where(Policyholder.policy_number == handoff.policy_number))
              if handoff.policy_number else None)
    return {
        "sender_id": handoff.sender_id,
        "language": handoff.language,
        "channel": handoff.channel,
        "reason": handoff.reason,
        "status": handoff.status,
        "agent": handoff.agent,
        "policyholder": {"policy_number": holder.policy_number, "name": holder.name} if holder else None,
        "reference": handoff.reference,
        "summaries": dict(handoff.summaries or {}),
        "waiting_since": since.isoformat(),
        "waiting_seconds": max(0, int(((until or utc_now()) - since).total_seconds())),
        "live": handoff.live_since is not None,
        "live_since": _aware(handoff.live_since).isoformat() if handoff.live_since else None,
        "position": position,
        "expected_wait_seconds": _expected_wait(session, handoff, position),
        "claimed_at": _aware(handoff.claimed_at).isoformat() if handoff.claimed_at else None,
        "closed_at": _aware(handoff.closed_at).isoformat() if handoff.closed_at else None,
    }
