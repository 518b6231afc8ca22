"""Database engine and short-lived sessions, from a URL.

The URL comes from `CLAIMS_DB_URL`, by default an SQLite file in `<repo>/var/`; a
`postgresql://` URL selects PostgreSQL. Tables are created when the database is first
opened, and columns added since the first release are added to an older database (see
`_add_missing_columns`): there is no manual migration step.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from .models import Base

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"sqlite:///{REPO_ROOT / 'var' / 'cybercare.db'}"
URL_VARIABLE = "CLAIMS_DB_URL"


def database_url() -> str:
    return os.environ.get(URL_VARIABLE) or DEFAULT_URL


class ClaimsDatabase:
    """One engine (with its connection pool) and a factory of short sessions."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self.engine = _create_engine(self.url)
        Base.metadata.create_all(self.engine)
        _add_missing_columns(self.engine)
        self._sessions = sessionmaker(bind=self.engine, future=True, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one operation: committed when the block ends, rolled back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def get_database(url: str | None = None) -> ClaimsDatabase:
    """The shared database for `url` (default: `database_url()`), opened once per process."""
    return _database_at(url or database_url())


@lru_cache(maxsize=None)
def _database_at(url: str) -> ClaimsDatabase:
    return ClaimsDatabase(url)


# Columns (and their indexes) added after the first release: a database created before gets them
# when it is opened. create_all makes missing tables, never missing columns.
ADDED_COLUMNS = {
    "policyholders": {"birth_date": "DATE"},
    "claim_dossiers": {"sender_id": "VARCHAR(128)", "channel": "VARCHAR(32)"},
    "handoffs": {"live_since": "TIMESTAMP"},
}
ADDED_INDEXES = {"ix_claim_dossiers_sender_id": ("claim_dossiers", "sender_id")}


def _add_missing_columns(engine: Engine) -> None:
    """The upgrade step: idempotent, and harmless when another process runs it at the same time."""
    for table, columns in ADDED_COLUMNS.items():
        for name, kind in columns.items():
            if name not in _columns(engine, table):
                _execute_unless(engine, f"ALTER TABLE {table} ADD COLUMN {name} {kind}",
                                done=lambda: name in _columns(engine, table))
    for index, (table, column) in ADDED_INDEXES.items():
        if index not in _indexes(engine, table):
            _execute_unless(engine, f"CREATE INDEX {index} ON {table} ({column})",
                            done=lambda: index in _indexes(engine, table))


def _columns(engine: Engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def _indexes(engine: Engine, table: str) -> set[str]:
    return {index["name"] for index in inspect(engine).get_indexes(table)}


def _execute_unless(engine: Engine, statement: str, done: Callable[[], bool]) -> None:
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    except DBAPIError:
        if not done():  # not a concurrent opening that did it first: a real problem
            raise


def _create_engine(url: str) -> Engine:
    # hide_parameters: a failed query's error (and log line) must not carry a date of birth or a name.
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, connect_args={"timeout": 30}, hide_parameters=True)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, and every transaction takes the write lock at BEGIN: two sessions
    that read then write would otherwise deadlock instead of waiting for each other."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
