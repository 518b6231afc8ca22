"""Conversations in the GDPR export and erasure, and the retention purge. The tracker store is written
by Rasa's own SQLTrackerStore, so the reading and deleting are checked against Rasa's real schema;
each test runs on SQLite and on PostgreSQL (the tracker store on the same kind as the claims store)."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url

from actions.claims import conversations, files, handoffs, store
from bot.settings import Settings
from tests.nlu_data import ROOT
from tests.postgres import throwaway_database

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOW = datetime.now(timezone.utc)


@dataclass
class Tracker:
    url: str
    rasa: SQLTrackerStore

    def save(self, sender_id: str, events: list[Event]) -> None:
        asyncio.run(self.rasa.save(DialogueStateTracker.from_events(sender_id, events)))

    def events_per_conversation(self) -> dict[str, int]:
        with self.rasa.engine.connect() as connection:
            return dict(connection.execute(text("SELECT sender_id, count(*) FROM events GROUP BY sender_id")).all())


@pytest.fixture(scope="session")
def tracker_postgres_url() -> Iterator[str]:
    """A second throwaway database on the same server, for the tracker store, dropped at the end."""
    with throwaway_database("cybercare_tracker_test") as url:
        yield url


@pytest.fixture
def tracker(db, tmp_path, request: pytest.FixtureRequest) -> Iterator[Tracker]:
    """Rasa's SQL tracker store, on the kind of database the claims store of the test is on."""
    if db.engine.dialect.name == "sqlite":
        path = tmp_path / "tracker.db"
        tracker = Tracker(f"sqlite:///{path}", SQLTrackerStore(dialect="sqlite", db=str(path)))
    else:
        url = make_url(request.getfixturevalue("tracker_postgres_url"))
        tracker = Tracker(url.render_as_string(hide_password=False),
                          SQLTrackerStore(dialect="postgresql", host=url.host, port=url.port, db=url.database,
                                          username=url.username, password=url.password))
    yield tracker
    if db.engine.dialect.name == "postgresql":  # the next test starts without a tracker store
        tracker.rasa.Base.metadata.drop_all(tracker.rasa.engine)
    tracker.rasa.engine.dispose()


@pytest.fixture(autouse=True)
def uploads(tmp_path, monkeypatch):
    monkeypatch.setenv(files.DIRECTORY_VARIABLE, str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def _exchange(at: datetime, user: str, bot: str, intent: str = "greet", action: str = "utter_greet") -> list[Event]:
    moment = at.timestamp()
    return [UserUttered(user, {"name": intent, "confidence": 0.9}, timestamp=moment),
            ActionExecuted(action, timestamp=moment + 1),
            BotUttered(bot, timestamp=moment + 2)]


def _cli(db, tracker: Tracker, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items()
             if key not in ("CLAIMS_DB_URL", "TRACKER_DB_URL", conversations.RETENTION_VARIABLE)}
    return subprocess.run([sys.executable, "-m", "actions.claims", *args, "--db", db.url, "--tracker-db", tracker.url],
                          cwd=ROOT, capture_output=True, text=True, env={**clean, **env}, timeout=120)


def _two_people(db, tracker: Tracker, add_policy) -> None:
    """CC-A talked in three conversations: the one of their draft, one handed to an agent (where they
    sent a file no dossier holds), one where they sent a file of their dossier. CC-B in one; someone
    unidentified in another."""
    add_policy(db, "CC-A", language="en")
    add_policy(db, "CC-B", language="en")
    day = datetime(2026, 11, 1, 9, 30, tzinfo=timezone.utc)
    tracker.save("web-b1", _exchange(day, "B's own parcel story", "Which policy, B?"))
    tracker.save("web-a1", _exchange(day + timedelta(hours=1), "My parcel never came", "Which policy?",
                                     "report_ecommerce", "utter_ask_policy_number"))
    tracker.save("tg-a2", _exchange(day + timedelta(hours=2), "I want a person", "An agent will answer",
                                    "request_human", "action_handoff"))
    tracker.save("web-x", _exchange(day + timedelta(hours=3), "Just looking", "Welcome"))
    tracker.save("web-a3", _exchange(day + timedelta(hours=4), "Here is the receipt", "Thank you"))
    reference = store.save_draft("web-a1", "CC-A", "ecommerce", {"amount": 40}, language="en", db=db)
    store.save_draft("web-b1", "CC-B", "ecommerce", {"amount": 70}, language="en", db=db)
    handoffs.open_handoff("tg-a2", language="en", channel="telegram", reason="request_human", policy_number="CC-A",
                          db=db)
    files.save_file("tg-a2", PDF, "screenshot-of-chat.pdf", db=db)
    receipt = files.save_file("web-a3", PDF, "receipt.pdf", "order_confirmation", db=db)
    files.link_file(receipt["id"], "web-a3", reference, db=db)


@pytest.mark.stack  # starts a process of its own
def test_the_export_has_the_persons_conversations_in_order_and_no_one_elses(db, tracker, add_policy) -> None:
    _two_people(db, tracker, add_policy)
    assert conversations.conversation_ids_of("CC-A", db) == {"web-a1", "tg-a2", "web-a3"}
    exported = conversations.export_conversations(tracker.url, ["web-a3", "tg-a2", "web-a1"])
    assert [c["sender_id"] for c in exported] == ["web-a1", "tg-a2", "web-a3"]  # in the order they started
    assert exported[0]["events"] == [
        {"time": "2026-11-01T10:30:00+00:00", "type": "user", "text": "My parcel never came",
         "intent": "report_ecommerce"},
        {"time": "2026-11-01T10:30:01+00:00", "type": "action", "action": "utter_ask_policy_number"},
        {"time": "2026-11-01T10:30:02+00:00", "type": "bot", "text": "Which policy?"}]

    run = _cli(db, tracker, "export-person", "CC-A")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["conversations"] == exported
    assert [[e.get("text") for e in c["events"]] for c in data["conversations"]] == [
        ["My parcel never came", None, "Which policy?"], ["I want a person", None, "An agent will answer"],
        ["Here is the receipt", None, "Thank you"]]
    assert "B's own parcel story" not in run.stdout and "Just looking" not in run.stdout
    assert sorted(f["name"] for f in data["files"]) == ["receipt.pdf", "screenshot-of-chat.pdf"]


@pytest.mark.stack  # starts a process of its own
def test_erasure_deletes_their_conversations_and_nothing_else(db, tracker, add_policy, uploads) -> None:
    _two_people(db, tracker, add_policy)
    run = _cli(db, tracker, "erase-person", "CC-A")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"policyholders": 1, "accepted_claims_kept": 0, "dossiers": 1, "handoffs": 1,
                                      "files": 2, "conversations": 3, "conversation_events": 9,
                                      "web_chat_sessions": 0, "identification_failures": 0}
    assert tracker.events_per_conversation() == {"web-b1": 3, "web-x": 3}
    assert not list(uploads.iterdir())  # both of A's files are gone from disk
    assert conversations.erase_conversations(tracker.url, ["web-a1", "tg-a2", "web-a3"]) == 0
    exported_b = json.loads(_cli(db, tracker, "export-person", "CC-B").stdout)
    assert [c["sender_id"] for c in exported_b["conversations"]] == ["web-b1"]


@pytest.mark.stack  # starts a process of its own
def test_the_purge_deletes_whole_conversations_older_than_the_cutoff(db, tracker, add_policy, uploads) -> None:
    add_policy(db, "CC-P", language="en")
    old = NOW - timedelta(days=100)
    tracker.save("old", _exchange(old, "hello", "hi"))
    tracker.save("resumed", _exchange(NOW - timedelta(days=200), "hello", "hi")
                 + _exchange(NOW - timedelta(days=10), "back again", "welcome back"))
    for status in ("waiting", "claimed", "closed"):
        tracker.save(status, _exchange(old, "a person please", "one moment"))
        handoffs.open_handoff(status, language="en", channel="webchat", reason="request_human", db=db)
    handoffs.claim("claimed", "agent-1", ["en"], db=db)
    handoffs.claim("closed", "agent-1", ["en"], db=db)
    handoffs.close("closed", "agent-1", ["en"], db=db)
    tracker.save("old-file", _exchange(old, "here is a file", "thanks"))
    unlinked = files.save_file("old-file", PDF, "unlinked.pdf", db=db)
    tracker.save("old-dossier", _exchange(old, "my claim", "filed"))
    store.save_draft("old-dossier", "CC-P", "ecommerce", {"amount": 10}, language="en", db=db)
    of_dossier = files.save_file("old-dossier", PDF, "of-the-dossier.pdf", db=db)

    run = _cli(db, tracker, "purge-conversations", "--older-than-days", "90")
    assert run.returncode == 0, run.stderr
    purged = json.loads(run.stdout)
    assert {key: purged[key] for key in ("conversations", "events", "files")} == {
        "conversations": 4, "events": 12, "files": 1}
    cutoff = datetime.fromisoformat(purged["cutoff"])
    assert abs(cutoff - (datetime.now(timezone.utc) - timedelta(days=90))) < timedelta(minutes=2)
    assert tracker.events_per_conversation() == {"resumed": 6, "waiting": 3, "claimed": 3}
    assert sorted(path.name for path in uploads.iterdir()) == [of_dossier["storage_name"]]
    assert files.get_file(unlinked["id"], "old-file", db=db) is None
    assert json.loads(_cli(db, tracker, "purge-conversations", "--older-than-days", "90").stdout)["events"] == 0


def test_the_cutoff_is_on_the_last_event_and_kept_conversations_stay(tracker) -> None:
    cutoff = datetime(2026, 1, 1, tzinfo=timezone.utc)
    tracker.save("ended-before", _exchange(cutoff - timedelta(days=30), "a", "b")
                 + _exchange(cutoff - timedelta(minutes=5), "c", "d"))
    tracker.save("ended-after", _exchange(cutoff - timedelta(days=30), "e", "f")
                 + _exchange(cutoff + timedelta(minutes=5), "g", "h"))
    tracker.save("kept", _exchange(cutoff - timedelta(days=30), "i", "j"))
    assert conversations.purge_older_than(tracker.url, cutoff, keep={"kept"}) == conversations.Purged(
        ["ended-before"], 6)
    assert tracker.events_per_conversation() == {"ended-after": 6, "kept": 3}


def test_a_conversation_resumed_while_the_purge_runs_keeps_its_history(tracker) -> None:
    long_ago = _exchange(NOW - timedelta(days=100), "hello", "hi")
    tracker.save("comes-back", long_ago)
    tracker.save("stale", _exchange(NOW - timedelta(days=100), "hello", "hi"))
    came_back = []

    def user_writes_before_the_delete(_connection, _cursor, statement: str, *_args) -> None:
        if statement.startswith("DELETE FROM events") and not came_back:
            came_back.append(True)
            tracker.save("comes-back", long_ago + _exchange(NOW, "I am back", "welcome back"))

    event.listen(Engine, "before_cursor_execute", user_writes_before_the_delete)
    try:
        purged = conversations.purge_older_than(tracker.url, NOW - timedelta(days=90))
    finally:
        event.remove(Engine, "before_cursor_execute", user_writes_before_the_delete)
    assert came_back and purged == conversations.Purged(["stale"], 3)
    assert tracker.events_per_conversation() == {"comes-back": 6}


@pytest.mark.stack  # starts a process of its own
def test_the_retention_setting_is_the_default(db, tracker) -> None:
    tracker.save("ten-days-old", _exchange(NOW - timedelta(days=10), "hello", "hi"))
    run = _cli(db, tracker, "purge-conversations")  # 90 days when not set
    assert (run.returncode, json.loads(run.stdout)["conversations"]) == (0, 0)
    assert tracker.events_per_conversation() == {"ten-days-old": 3}
    run = _cli(db, tracker, "purge-conversations", **{conversations.RETENTION_VARIABLE: "5"})
    assert (run.returncode, json.loads(run.stdout)["conversations"]) == (0, 1)
    assert tracker.events_per_conversation() == {}


@pytest.mark.stack  # starts a process of its own
@pytest.mark.parametrize("days, setting", [("0", None), ("-3", None), ("abc", None), ("2.5", None), ("", None),
                                           ("100000", None), (None, "0"), (None, "soon")])
def test_a_bad_number_of_days_is_one_line_and_purges_nothing(db, tracker, days, setting) -> None:
    tracker.save("old", _exchange(NOW - timedelta(days=400), "hello", "hi"))
    args = ["purge-conversations"] + ([f"--older-than-days={days}"] if days is not None else [])
    run = _cli(db, tracker, *args, **({conversations.RETENTION_VARIABLE: setting} if setting is not None else {}))
    assert (run.returncode, run.stdout) == (2, "")
    assert len(run.stderr.splitlines()) == 1 and "not a whole number of days" in run.stderr
    assert tracker.events_per_conversation() == {"old": 3}


def test_a_tracker_store_not_created_yet_holds_no_conversation(db, tmp_path, request) -> None:
    if db.engine.dialect.name == "sqlite":
        path = tmp_path / "never-started.db"
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("tracker_postgres_url")
        engine = create_engine(url, future=True)
        assert not inspect(engine).has_table("events")  # a database, but Rasa never wrote to it
        engine.dispose()
    assert conversations.export_conversations(url, ["web-1"]) == []
    assert conversations.erase_conversations(url, ["web-1"]) == 0
    assert conversations.purge_older_than(url, NOW) == conversations.Purged([], 0)
    if db.engine.dialect.name == "sqlite":
        assert not path.exists()


def test_the_default_tracker_database_is_the_bots(monkeypatch) -> None:
    assert conversations.DEFAULT_URL == Settings().tracker_db_url
    monkeypatch.delenv(conversations.URL_VARIABLE, raising=False)
    assert conversations.tracker_url() == Settings.from_env().tracker_db_url
    monkeypatch.setenv(conversations.URL_VARIABLE, "postgresql://bot@db:5432/tracker")
    assert conversations.tracker_url() == Settings.from_env().tracker_db_url
