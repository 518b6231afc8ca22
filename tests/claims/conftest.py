"""Fixtures of the claims-store tests: every store test runs on SQLite (a temporary file) and
on the PostgreSQL of this machine (a throwaway database for the test session)."""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterator

import pytest

from actions.claims.db import ClaimsDatabase
from actions.claims.models import Base, Policyholder
from tests.postgres import throwaway_database


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database `cybercare_test_<random>`, dropped at the end of the session."""
    with throwaway_database("cybercare_test") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path) -> Iterator[ClaimsDatabase]:
    """An empty claims database (tables created on opening, as in production)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'claims.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = ClaimsDatabase(url)
    yield database
    if request.param == "postgresql":  # the next test starts from empty tables
        Base.metadata.drop_all(database.engine)
    database.dispose()


def _add_policy(db: ClaimsDatabase, number: str = "CC-T-1", *, end_date: date | None = None,
                language: str = "nl") -> None:
    with db.session() as session:
        session.add(Policyholder(policy_number=number, name=f"Holder {number}", start_date=date(2025, 6, 1),
                                 end_date=end_date, country="BE", household_size=3, language=language,
                                 email=f"{number.lower()}@example.org"))


@pytest.fixture(scope="session")
def add_policy() -> Callable[..., None]:
    """Adds a policy started on 2025-06-01: `add_policy(db, number="CC-T-1", end_date=None, language="nl")`."""
    return _add_policy
