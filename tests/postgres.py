"""Throwaway databases on this machine's PostgreSQL, for the tests that need a real one (the claims
store, the tracker store, the production mode). TEST_POSTGRES_URL names the server to use."""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def database_url(prefix: str) -> str:
    """A database name nobody uses yet, `<prefix>_<random>`; the code under test creates it (or the test does)."""
    return make_url(POSTGRES_URL).set(database=f"{prefix}_{secrets.token_hex(5)}").render_as_string(
        hide_password=False)


def _admin(**options):
    return create_engine(POSTGRES_URL, future=True, **options)


def create_database(url: str) -> str:
    admin = _admin(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{make_url(url).database}"')
    admin.dispose()
    return url


def drop_databases(*urls: str) -> None:
    admin = _admin(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for url in urls:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    admin.dispose()


def database_exists(url: str) -> bool:
    admin = _admin()
    with admin.connect() as connection:
        found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                   {"n": make_url(url).database}).first()
    admin.dispose()
    return found is not None


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A fresh database `<prefix>_<random>`, dropped afterwards."""
    url = create_database(database_url(prefix))
    try:
        yield url
    finally:
        drop_databases(url)
