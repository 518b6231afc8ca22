"""Identification in the chat, with a lockout per policy number.

The form's three-tries limit lasts one conversation, and a new conversation costs nothing, so a date
of birth could be guessed over many. Here every wrong date of birth given for a policy number is
counted in the claims store (shared by every worker and instance, kept across restarts), whatever
the conversation: after MAX_FAILURES within WINDOW the number is locked for LOCKED_FOR, and even the
right date of birth does not identify until then (the user is given the 24/7 line instead).

Failures are counted for any well-formed number, known or not: a lock that only known numbers could
get would tell which numbers exist. `store.identify` stays the one check of the pair.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from . import store
from .db import ClaimsDatabase, get_database
from .models import IdentificationFailure, IdentificationLock, utc_now

logger = logging.getLogger(__name__)

MAX_FAILURES = 5
WINDOW = timedelta(hours=24)
LOCKED_FOR = timedelta(hours=24)
KEPT_FOR = WINDOW * 2  # failures older than this count for nothing: deleted as new ones come


def attempt_identification(policy_number: str, birth_date: date | str, *, sender_id: str,
                           db: ClaimsDatabase | None = None,
                           now: datetime | None = None) -> tuple[dict[str, Any] | None, bool]:
    """(the policy or None, whether the number is locked). A mismatch is recorded as a failure; the
    failure that reaches MAX_FAILURES locks the number and already answers locked=True. While locked,
    nothing is checked or recorded. A success forgets the number's failures."""
    database = db or get_database()
    moment = now or utc_now()
    number = store.normalise_policy_number(policy_number)
    if number is None:  # cannot be a policy number: nothing to count (identify says None)
        return store.identify(policy_number, birth_date, db=database), False
    if locked_until(number, db=database, now=moment) is not None:
        logger.info("identification refused: policy number locked")
        return None, True
    policy = store.identify(number, birth_date, db=database)
    if policy is not None:
        with database.session() as session:
            session.execute(delete(IdentificationFailure).where(IdentificationFailure.policy_number == number))
        return policy, False
    return None, _record_failure(database, number, sender_id, moment)


def locked_until(policy_number: str, *, db: ClaimsDatabase | None = None,
                 now: datetime | None = None) -> datetime | None:
    """When the number's lock ends, or None when it is not locked."""
    number = store.normalise_policy_number(policy_number) or policy_number
    with (db or get_database()).session() as session:
        lock = session.get(IdentificationLock, number)
        until = _aware(lock.locked_until) if lock is not None else None
    return until if until is not None and until > (now or utc_now()) else None


def unlock(policy_number: str, *, db: ClaimsDatabase | None = None) -> bool:
    """Lifts a lock and forgets the failures (the 24/7 line identified the caller another way)."""
    number = store.normalise_policy_number(policy_number) or policy_number
    with (db or get_database()).session() as session:
        session.execute(delete(IdentificationFailure).where(IdentificationFailure.policy_number == number))
        return session.execute(delete(IdentificationLock).where(
            IdentificationLock.policy_number == number)).rowcount > 0


def erase_attempts_of(policy_number: str, *, db: ClaimsDatabase | None = None) -> int:
    """GDPR erasure: the number's failures (they name its conversations) and its lock."""
    with (db or get_database()).session() as session:
        failures = session.execute(delete(IdentificationFailure).where(
            IdentificationFailure.policy_number == policy_number)).rowcount
        session.execute(delete(IdentificationLock).where(IdentificationLock.policy_number == policy_number))
        return failures


def _record_failure(database: ClaimsDatabase, number: str, sender_id: str, moment: datetime) -> bool:
    """Counts one failure; True when it locks the number. (On PostgreSQL two failures at the same
    instant may both count four and lock one failure later: the bound is 5, give or take one.)"""
    with database.session() as session:
        session.execute(delete(IdentificationFailure).where(IdentificationFailure.created_at < moment - KEPT_FOR))
        session.add(IdentificationFailure(policy_number=number, sender_id=str(sender_id)[:128], created_at=moment))
        session.flush()
        failures = session.scalar(select(func.count(IdentificationFailure.id)).where(
            IdentificationFailure.policy_number == number, IdentificationFailure.created_at > moment - WINDOW))
        if failures < MAX_FAILURES:
            return False
        until = moment + LOCKED_FOR
        lock = session.get(IdentificationLock, number)
        if lock is None:
            try:
                with session.begin_nested():
                    session.add(IdentificationLock(policy_number=number, locked_until=until))
            except IntegrityError:  # another worker locked it first
                lock = session.get(IdentificationLock, number, populate_existing=True)
        if lock is not None:
            lock.locked_until = until
    logger.warning("policy number locked for %s after %d failed identifications", LOCKED_FOR, failures)
    return True


def _aware(moment: datetime) -> datetime:
    # SQLite gives timestamps back without their zone: they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
