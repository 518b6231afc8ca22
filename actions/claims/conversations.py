"""The conversations themselves, held in Rasa's tracker store: given in a person's GDPR export, deleted
with the rest of their data, and purged after the retention period.

Rasa's SQLTrackerStore keeps one row per event in its `events` table (sender_id = the conversation id,
type_name, timestamp in epoch seconds, intent_name, action_name, data = the event as JSON text). That
table is read and deleted from here with SQLAlchemy Core: importing rasa would make the CLI slow to
start. The claims store links a person to their conversations through the `sender_id` of their
dossiers, handoffs and files. A tracker database that does not exist yet, or has no `events` table,
holds no conversation: it gives an empty export and deletes nothing (and no SQLite file is created).
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Collection, Iterator, Sequence

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    exists,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session

from . import files
from .db import REPO_ROOT, ClaimsDatabase
from .handoffs import OPEN
from .models import ClaimDossier, EvidenceFile, Handoff, Policyholder

URL_VARIABLE = "TRACKER_DB_URL"
DEFAULT_URL = f"sqlite:///{REPO_ROOT / 'var' / 'tracker.db'}"  # as bot/settings.py gives it to Rasa
RETENTION_VARIABLE = "CYBERCARE_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90

# The columns of Rasa's table that are read here (rasa.core.tracker_store.SQLTrackerStore.SQLEvent).
EVENTS = Table("events", MetaData(),
               Column("id", Integer, primary_key=True),
               Column("sender_id", String(255), nullable=False),
               Column("type_name", String(255), nullable=False),
               Column("timestamp", Float),
               Column("intent_name", String(255)),
               Column("action_name", String(255)),
               Column("data", Text))

# Conversation ids per statement: a first purge may find many more than SQLite binds in one query.
CHUNK = 500


@dataclass(frozen=True)
class Purged:
    """What a purge deleted: the ids, so that the files sent in those conversations can go too."""

    sender_ids: list[str]  # the conversations deleted whole
    events: int


def tracker_url() -> str:
    """The tracker store the bot writes to (bot/settings.py reads the same variable)."""
    return os.environ.get(URL_VARIABLE) or DEFAULT_URL


def conversation_ids_of(policy_number: str, claims_db: ClaimsDatabase,
                        tracker_url: str | None = None) -> set[str]:
    """The conversations linked to the policyholder: those of their dossiers, of the handoffs naming
    them or their dossiers, those the files of their dossiers were sent in, and, read from the tracker
    store when `tracker_url` is given, every conversation in which the number was identified (one that
    only asked how a claim stands leaves nothing in the claims store)."""
    with claims_db.session() as session:
        dossiers = session.execute(select(ClaimDossier.reference, ClaimDossier.sender_id).join(Policyholder)
                                   .where(Policyholder.policy_number == policy_number)).all()
        references = [dossier.reference for dossier in dossiers]
        sender_ids = {dossier.sender_id for dossier in dossiers}
        sender_ids.update(session.scalars(select(Handoff.sender_id).where(
            or_(Handoff.policy_number == policy_number, Handoff.reference.in_(references)))))
        sender_ids.update(session.scalars(select(EvidenceFile.sender_id).where(EvidenceFile.reference.in_(references))))
    sender_ids.discard(None)  # dossiers created outside a conversation
    if tracker_url:
        sender_ids |= identified_in(tracker_url, policy_number)
    return sender_ids


# The slots that name an identified policy: `policy_number` (set by the form as the user gives it),
# and the form's memory `declaration_state`, whose `identified` is the number whose date of birth matched.
IDENTITY_SLOTS = ("policy_number", "declaration_state")


def identified_in(tracker_url: str, policy_number: str) -> set[str]:
    """The conversations with a slot event setting `policy_number` or `declaration_state.identified`
    to this number (Rasa stores each event's JSON in `events.data`)."""
    if not policy_number or not policy_number.replace("-", "").isalnum():
        return set()  # a stored policy number is letters, digits and dashes: nothing to escape in LIKE
    found: set[str] = set()
    with _events_of(tracker_url) as connection:
        if connection is None:
            return found
        rows = connection.execute(select(EVENTS.c.sender_id, EVENTS.c.data).where(
            EVENTS.c.type_name == "slot", EVENTS.c.data.like(f"%{policy_number}%")))
        for sender_id, data in rows:
            try:
                event = json.loads(data or "{}")
            except ValueError:
                continue
            value = event.get("value")
            if event.get("name") == "policy_number" and value == policy_number:
                found.add(sender_id)
            elif event.get("name") == "declaration_state" and isinstance(value, dict) \
                    and value.get("identified") == policy_number:
                found.add(sender_id)
    return found


def open_handoff_conversations(claims_db: ClaimsDatabase) -> set[str]:
    """Conversations waiting for or claimed by an agent: the desk still reads them, so no purge."""
    with claims_db.session() as session:
        return set(session.scalars(select(Handoff.sender_id).where(Handoff.status.in_(OPEN))))


def export_conversations(tracker_url: str, sender_ids: Collection[str]) -> list[dict[str, Any]]:
    """The conversations' events in the order Rasa stored them, as JSON-ready data; the conversations
    in the order they started. A conversation without events is left out."""
    if not sender_ids:
        return []
    with _events_of(tracker_url) as connection:
        if connection is None:
            return []
        events_by_sender: dict[str, list[dict[str, Any]]] = {}
        for row in connection.execute(select(EVENTS).where(EVENTS.c.sender_id.in_(list(sender_ids)))
                                      .order_by(EVENTS.c.id)):
            events_by_sender.setdefault(row.sender_id, []).append(_exported(row))
    return [{"sender_id": sender_id, "events": events} for sender_id, events in events_by_sender.items()]


def erase_conversations(tracker_url: str, sender_ids: Collection[str]) -> int:
    """Deletes every event of the conversations; returns how many went."""
    if not sender_ids:
        return 0
    with _events_of(tracker_url) as connection:
        if connection is None:
            return 0
        return sum(connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk))).rowcount
                   for chunk in _chunks(list(sender_ids)))


def purge_older_than(tracker_url: str, cutoff: datetime, keep: Collection[str] = frozenset()) -> Purged:
    """Deletes, whole, every conversation whose last event is older than `cutoff` (a time with its zone),
    except those in `keep`."""
    limit = cutoff.timestamp()
    with _events_of(tracker_url) as connection:
        if connection is None:
            return Purged([], 0)
        stale = [sender_id for sender_id in connection.scalars(
            select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(func.max(EVENTS.c.timestamp) < limit))
            if sender_id not in keep]
        newer = EVENTS.alias("newer")
        purged, deleted = [], 0
        for chunk in _chunks(stale):
            # Checked again in the DELETE itself: a conversation resumed meanwhile keeps its history.
            deleted += connection.execute(delete(EVENTS).where(
                EVENTS.c.sender_id.in_(chunk),
                ~exists().where(newer.c.sender_id == EVENTS.c.sender_id, newer.c.timestamp >= limit))).rowcount
            resumed = set(connection.scalars(select(EVENTS.c.sender_id).where(EVENTS.c.sender_id.in_(chunk))))
            purged += [sender_id for sender_id in chunk if sender_id not in resumed]
    return Purged(purged, deleted)


def export_unlinked_files(claims_db: ClaimsDatabase, sender_ids: Collection[str]) -> list[dict[str, Any]]:
    """The files sent in the conversations that no dossier holds (sent, then no claim was saved), as in
    a person's export: the export of their dossiers does not have them."""
    with claims_db.session() as session:
        return [files.exported(row) for row in _unlinked_files(session, list(sender_ids))]


def delete_unlinked_files(claims_db: ClaimsDatabase, sender_ids: Collection[str]) -> int:
    """Deletes those files, rows and bytes; returns how many went. Files of a dossier stay with it."""
    with claims_db.session() as session:
        return sum(files.delete_rows_and_bytes(session, _unlinked_files(session, chunk))
                   for chunk in _chunks(list(sender_ids)))


# --- helpers -----------------------------------------------------------------------------


@contextmanager
def _events_of(tracker_url: str) -> Iterator[Connection | None]:
    """A transaction on the tracker database, or None when it has no `events` table (yet)."""
    url = _resolved(tracker_url)
    sqlite = url.drivername.startswith("sqlite")
    if sqlite and not (url.database and Path(url.database).is_file()):  # connecting would create the file
        yield None
        return
    engine = create_engine(url, future=True, hide_parameters=True,  # no message text in an error
                           **({"connect_args": {"timeout": 30}} if sqlite else {}))
    try:
        with engine.begin() as connection:
            yield connection if inspect(connection).has_table(EVENTS.name) else None
    finally:
        engine.dispose()


def _resolved(tracker_url: str) -> URL:
    """The URL Rasa is given for this setting (bot/settings.py): a relative SQLite path is under the
    repository, and postgres:// is PostgreSQL."""
    url = make_url(tracker_url)
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        return url.set(database=str(REPO_ROOT / url.database))  # an absolute path stays as it is
    if url.drivername.split("+")[0] == "postgres":
        return url.set(drivername="postgresql")
    return url


def _exported(row: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"time": datetime.fromtimestamp(row.timestamp, timezone.utc).isoformat(),
                             "type": row.type_name}
    for key, value in (("text", json.loads(row.data or "{}").get("text")), ("intent", row.intent_name),
                       ("action", row.action_name)):
        if value is not None:
            event[key] = value
    return event


def _unlinked_files(session: Session, sender_ids: Sequence[str]) -> list[EvidenceFile]:
    return list(session.scalars(select(EvidenceFile).where(EvidenceFile.sender_id.in_(sender_ids),
                                                           EvidenceFile.reference.is_(None))
                                .order_by(EvidenceFile.id)))


def _chunks(sender_ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(sender_ids), CHUNK):
        yield sender_ids[start:start + CHUNK]
