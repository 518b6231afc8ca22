"""`make run-production` from nothing, on the PostgreSQL and Redis of this machine: the launcher
creates the databases, starts two Rasa workers and two action workers, and keeps them running.
A Rasa server and an action server killed with SIGKILL in the middle of a declaration are started
again by the launcher, and the user's next message continues the same form with every answer
kept; a draft the user left is still offered after a full restart."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import free_port
from tests.postgres import database_exists, database_url, drop_databases
from tests.production.helpers import (
    LOAD_ENV,
    REDIS_URL,
    Launcher,
    as_stored,
    check,
    parcel_declaration,
    policy_in,
    tracker_events,
    wait_until_answering,
)
from tests.responses import response_text

API_TOKEN = "production-test-token"  # set, as an insurer sets it (README)
TRUSTED = {"Authorization": f"Bearer {API_TOKEN}"}


def workers_of(pid: int) -> int:
    """Sanic's workers are forked children running the same command as their main process."""
    main = Path(f"/proc/{pid}/cmdline").read_bytes()
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return sum(1 for child in children if Path(f"/proc/{child}/cmdline").read_bytes() == main)


@pytest.fixture
def new_databases():
    """Names of two databases that do not exist yet (the launcher creates them); dropped afterwards,
    whatever happened."""
    urls = database_url("cc_prod_tracker"), database_url("cc_prod_claims")
    yield urls
    drop_databases(*urls)


def test_production_mode_from_nothing_survives_sigkill_of_each_server_and_a_full_restart(model, tmp_path,
                                                                                          new_databases):
    rasa_port, actions_port = free_port(), free_port()
    tracker_url, claims_url = new_databases
    env = {**os.environ, **LOAD_ENV, "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port),
           "TRACKER_DB_URL": tracker_url, "CLAIMS_DB_URL": claims_url, "REDIS_URL": REDIS_URL,
           "CYBERCARE_UPLOADS_DIR": str(tmp_path / "uploads"), "RASA_API_TOKEN": API_TOKEN}
    webchat = f"http://127.0.0.1:{rasa_port}/webhooks/webchat/webhook"
    rasa_status, actions_health = f"http://127.0.0.1:{rasa_port}/status?token={API_TOKEN}", f"http://127.0.0.1:{actions_port}/health"

    def say(sender: str, message: str) -> str:
        reply = requests.post(webchat, json={"sender": sender, "message": message,  # a trusted caller's
                                             "metadata": {"language": "nl"}}, headers=TRUSTED, timeout=60)
        assert reply.status_code == 200, reply.text
        return "\n".join(m.get("text", "") for m in reply.json())

    assert not database_exists(tracker_url) and not database_exists(claims_url)
    launcher = Launcher(env, production=True)
    try:
        launcher.wait_for("Press Ctrl-C to stop.")
        output = "".join(launcher.lines)
        assert output.count("Created the database") == 2 and database_exists(tracker_url)
        assert "2 Rasa workers, 2 action workers" in output
        assert workers_of(launcher.child("bot.rasa_server run")) == 2
        assert workers_of(launcher.child("actions.server")) == 2

        policy = policy_in(claims_url)
        sender = f"prod-{uuid.uuid4().hex[:10]}"
        steps = parcel_declaration(policy)
        for step in steps[:3]:
            check(step, say(sender, step.message))

        # The Rasa server dies in the middle of the form; the launcher starts it again.
        os.kill(launcher.child("bot.rasa_server run"), signal.SIGKILL)
        launcher.wait_for(r"rasa stopped \(exit code -9\).*starting it again in 1 s \(restart 1\)")
        launcher.wait_for(r"rasa started again")
        wait_until_answering(rasa_status)
        check(steps[3], say(sender, steps[3].message))

        # Then the action server.
        os.kill(launcher.child("actions.server"), signal.SIGKILL)
        launcher.wait_for(r"actions stopped \(exit code -9\)")
        launcher.wait_for(r"actions started again")
        wait_until_answering(actions_health)
        check(steps[4], say(sender, steps[4].message))
        filed = say(sender, steps[5].message)
        check(steps[5], filed)

        # One dossier, in PostgreSQL; every user message once, in order, in PostgreSQL's tracker store.
        engine = create_engine(claims_url, future=True)
        with engine.connect() as connection:
            dossiers = connection.execute(text("SELECT reference, status FROM claim_dossiers WHERE sender_id = :s"),
                                          {"s": sender}).all()
            # No demo policy (their dates of birth are in the README) in an insurer's store.
            demo = connection.execute(text("SELECT count(*) FROM policyholders WHERE policy_number LIKE "
                                           "'CC-DEMO-%'")).scalar()
        engine.dispose()
        assert len(dossiers) == 1 and dossiers[0][1] == "submitted" and dossiers[0][0] in filed
        assert demo == 0
        events = tracker_events(tracker_url, sender)
        assert [t for _, kind, _, t in events if kind == "user"] == as_stored([step.message for step in steps])
        stamps = [stamp for _, _, stamp, _ in events]
        assert stamps == sorted(stamps)

        # A second user leaves a draft; everything stops; the user comes back.
        other = f"prod-{uuid.uuid4().hex[:10]}"
        for step in steps[:3]:
            say(other, step.message)
        assert say(other, "stop") == response_text("utter_ask_stop_confirmation", "nl")
        left = say(other, "ja")
        reference = re.search(r"CC-\d{4}-\d{6}", left).group(0)
    finally:
        output = launcher.stop()
    assert "Stopped." in output

    again = Launcher(env, production=True)
    try:
        again.wait_for("Press Ctrl-C to stop.")
        assert "Created the database" not in "".join(again.lines)
        started = requests.post(f"http://127.0.0.1:{rasa_port}/conversations/{other}/execute",
                                params={"token": API_TOKEN}, json={"name": "action_session_start"}, timeout=60)
        offer = "\n".join(m.get("text", "") for m in started.json()["messages"])
        assert reference in offer
        assert say(other, "/resume_declaration").endswith(response_text("utter_ask_birth_date", "nl"))
        assert say(other, policy.birth_text).endswith(response_text("utter_ask_complaint_date", "nl"))
    finally:
        again.stop()
