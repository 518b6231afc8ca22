"""The lockout per policy number (actions/claims/identification.py), on SQLite and PostgreSQL: five
wrong dates of birth within a day, in any conversations and any worker, lock the number for a day,
the right date of birth included; other numbers are unaffected; the count survives a restart."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from actions.claims import store
from actions.claims.db import ClaimsDatabase
from actions.claims.identification import LOCKED_FOR, MAX_FAILURES, WINDOW, attempt_identification, locked_until, unlock
from actions.claims.models import Policyholder, utc_now

BORN, WRONG = date(1980, 1, 2), date(1980, 2, 1)


@pytest.fixture
def policies(db: ClaimsDatabase):
    with db.session() as session:
        for number in ("CC-L-0001", "CC-L-0002"):
            session.add(Policyholder(policy_number=number, name="Holder", birth_date=BORN,
                                     start_date=date(2025, 1, 1), language="nl"))
    return db


def test_five_wrong_dates_of_birth_in_several_conversations_lock_the_number(policies):
    db, now = policies, utc_now()
    results = [attempt_identification("CC-L-0001", WRONG, sender_id=f"web-{n % 2}", db=db, now=now)
               for n in range(MAX_FAILURES)]
    assert results == [(None, False)] * (MAX_FAILURES - 1) + [(None, True)]  # the 5th already says so
    # Even the right date of birth does not identify now, as typed in any form.
    assert attempt_identification("cc l 0001", BORN, sender_id="web-3", db=db, now=now) == (None, True)
    assert locked_until("CC-L-0001", db=db, now=now) == now + LOCKED_FOR
    # Another number is unaffected; store.identify itself is unchanged (the lock is the chat's).
    policy, locked = attempt_identification("CC-L-0002", BORN, sender_id="web-3", db=db, now=now)
    assert policy["policy_number"] == "CC-L-0002" and not locked
    assert store.identify("CC-L-0001", BORN, db=db)["policy_number"] == "CC-L-0001"
    # A day later the lock is over.
    later = now + LOCKED_FOR + timedelta(minutes=1)
    policy, locked = attempt_identification("CC-L-0001", BORN, sender_id="web-3", db=db, now=later)
    assert policy["policy_number"] == "CC-L-0001" and not locked


def test_the_count_is_shared_by_workers_and_survives_a_restart(policies):
    """Each attempt through another connection pool (another worker, or the server started again)."""
    now = utc_now()
    for n in range(MAX_FAILURES - 1):
        worker = ClaimsDatabase(policies.url)
        assert attempt_identification("CC-L-0001", WRONG, sender_id=f"web-{n}", db=worker, now=now) == (None, False)
        worker.dispose()
    restarted = ClaimsDatabase(policies.url)
    assert attempt_identification("CC-L-0001", WRONG, sender_id="web-9", db=restarted, now=now) == (None, True)
    assert attempt_identification("CC-L-0001", BORN, sender_id="web-9", db=restarted, now=now) == (None, True)
    restarted.dispose()


def test_failures_older_than_a_day_do_not_count_and_a_success_forgets_them(policies):
    db, now = policies, utc_now()
    for _ in range(MAX_FAILURES - 1):
        attempt_identification("CC-L-0001", WRONG, sender_id="web-1", db=db, now=now - WINDOW - timedelta(hours=1))
    assert attempt_identification("CC-L-0001", WRONG, sender_id="web-1", db=db, now=now) == (None, False)
    for _ in range(MAX_FAILURES - 2):
        attempt_identification("CC-L-0001", WRONG, sender_id="web-1", db=db, now=now)
    assert attempt_identification("CC-L-0001", BORN, sender_id="web-1", db=db, now=now)[0] is not None
    assert attempt_identification("CC-L-0001", WRONG, sender_id="web-1", db=db, now=now) == (None, False)


def test_an_unknown_number_locks_alike_so_a_lock_tells_nothing_and_unlock_lifts_it(policies):
    db, now = policies, utc_now()
    answers = [attempt_identification("CC-NOPE-0009", WRONG, sender_id="web-1", db=db, now=now)
               for _ in range(MAX_FAILURES)]
    assert answers[-1] == (None, True)
    assert attempt_identification("not a number", WRONG, sender_id="web-1", db=db, now=now) == (None, False)
    for _ in range(MAX_FAILURES):
        attempt_identification("CC-L-0001", WRONG, sender_id="web-1", db=db, now=now)
    assert unlock("CC-L-0001", db=db)
    assert attempt_identification("CC-L-0001", BORN, sender_id="web-1", db=db, now=now)[0] is not None
