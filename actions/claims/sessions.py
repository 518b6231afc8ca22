"""Web chat sessions the server issues (the channel side: bot/channels/sessions.py).

A session is a random 256-bit token, given to the browser in an HttpOnly cookie, and the conversation
id (sender) it may act for. Only the token's SHA-256 is stored, so a copy of the database opens no
conversation. Kept in the claims store rather than signed with a server secret: every worker and
instance sees the same sessions without sharing one more secret, a session survives restarts (a
reloaded page keeps its conversation), and erase-person or the purge can end it.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from typing import Collection

from sqlalchemy import delete, update

from .db import ClaimsDatabase, get_database
from .models import WebchatSession, utc_now

SENDER_PREFIX = "web-"
TOUCH_EVERY = timedelta(hours=1)  # last_seen_at is written at most this often (not at every message)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(*, db: ClaimsDatabase | None = None, now: datetime | None = None) -> tuple[str, str]:
    """A new session: (its token, for the cookie; its conversation id)."""
    token, sender = secrets.token_urlsafe(32), SENDER_PREFIX + secrets.token_hex(16)
    moment = now or utc_now()
    with (db or get_database()).session() as session:
        session.add(WebchatSession(token_hash=_hash(token), sender_id=sender, created_at=moment, last_seen_at=moment))
    return token, sender


def sender_of(token: str | None, *, max_idle: timedelta, db: ClaimsDatabase | None = None,
              now: datetime | None = None) -> str | None:
    """The conversation of a valid session token; None for no, an unknown or an expired token (unused
    for longer than `max_idle`)."""
    if not token or len(token) > 128:
        return None
    moment = now or utc_now()
    digest = _hash(token)
    with (db or get_database()).session() as session:
        row = session.get(WebchatSession, digest)
        if row is None:
            return None
        seen = _aware(row.last_seen_at)
        if moment - seen > max_idle:
            session.delete(row)
            return None
        if moment - seen > TOUCH_EVERY:
            session.execute(update(WebchatSession).where(WebchatSession.token_hash == digest)
                            .values(last_seen_at=moment).execution_options(synchronize_session=False))
        return row.sender_id


def end_sessions_of(sender_ids: Collection[str], *, db: ClaimsDatabase | None = None) -> int:
    """Erasure: the sessions of these conversations stop working."""
    if not sender_ids:
        return 0
    with (db or get_database()).session() as session:
        return session.execute(delete(WebchatSession).where(WebchatSession.sender_id.in_(list(sender_ids)))).rowcount


def purge_sessions(cutoff: datetime, *, db: ClaimsDatabase | None = None) -> int:
    """Deletes the sessions unused since before `cutoff`."""
    with (db or get_database()).session() as session:
        return session.execute(delete(WebchatSession).where(WebchatSession.last_seen_at < cutoff)).rowcount


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
