"""The outside services of the production mode, made ready before the servers start: the PostgreSQL
databases (created when missing; their tables are created by the stores themselves) and Redis
(checked, so a wrong REDIS_URL stops the start with one clear line instead of failing a user)."""
from __future__ import annotations

from urllib.parse import urlparse


def ensure_database(url: str) -> bool:
    """Creates the PostgreSQL database of `url` when it does not exist; True when it was created.
    SQLite files are created by whoever opens them, so nothing is done for them."""
    if not url.startswith("postgres"):
        return False
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    name = target.database or "postgres"
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": name}).first()
            if exists:
                return False
            quoted = name.replace('"', '""')
            connection.exec_driver_sql(f'CREATE DATABASE "{quoted}"')
            return True
    finally:
        admin.dispose()


def check_redis(url: str) -> None:
    """Raises RuntimeError with a readable reason when Redis at `url` does not answer."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as error:
        where = urlparse(url)
        raise RuntimeError(f"Redis at {where.hostname}:{where.port or 6379} does not answer ({error})") from error
