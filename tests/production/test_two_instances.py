"""Two Rasa instances behind a round-robin balancer, sharing PostgreSQL (conversations, claims) and
Redis (Rasa's lock store, the push bus), with one action server: what a deployment over several
machines does, on loopback.

- one conversation answered alternately by the two instances stays one consistent conversation;
- 50 declarations at once, every message sent to the other instance than the one before, all
  complete: 0 lost, 0 duplicated, 0 out-of-order events, one dossier per declaration;
- an agent writing through one instance reaches the user's page open on the other (Redis pub/sub).
"""
from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Dict, Iterator, List, Tuple

import pytest
import requests
from sqlalchemy import create_engine, text

from actions.claims.db import get_database
from actions.claims.seed import seed_demo_data
from bot.channels.inbound import error_text
from bot.desk import agents
from bot.servers import Stack, start_actions, start_rasa, with_api_token
from bot.settings import Settings
from tests import rasa_api
from tests.conftest import free_port
from tests.desk.conftest import EventStream
from tests.postgres import create_database, database_url, drop_databases
from tests.production.helpers import (
    LOAD_ENV,
    REDIS_URL,
    as_stored,
    check,
    parcel_declaration,
    policy_in,
    tracker_events,
)

CONVERSATIONS = 50
LOAD_SECONDS_AT_MOST = 600


@pytest.fixture(scope="module")
def instances(model, tmp_path_factory) -> Iterator[List[Settings]]:
    tmp = tmp_path_factory.mktemp("two-instances")
    tracker_url, claims_url = create_database(database_url("cc_two_tracker")), create_database(
        database_url("cc_two_claims"))
    seed_demo_data(claims_url)
    first = with_api_token(Settings(rasa_port=free_port(), actions_port=free_port(), tracker_db_url=tracker_url,
                                    claims_db_url=claims_url, redis_url=REDIS_URL, model=model,
                                    extra_env={**LOAD_ENV, "CYBERCARE_UPLOADS_DIR": str(tmp / "uploads")}))
    second = replace(first, rasa_port=free_port())  # same action server, same secret, same stores
    actions = start_actions(first, tmp / "actions")
    rasas = [start_rasa(first, tmp / "rasa-1"), start_rasa(second, tmp / "rasa-2")]
    stack = Stack(first, [actions, *rasas])
    try:
        for process in stack.processes:
            process.wait_ready(400)
        yield [first, second]
    finally:
        stack.stop()
        drop_databases(tracker_url, claims_url)


def say(settings: Settings, sender: str, message: str) -> str:
    """A message of `sender`, sent as a trusted server-side caller (the API token names any conversation)."""
    reply = requests.post(f"{settings.webchat_url}webhook", timeout=120, headers=rasa_api.trusted(settings),
                          json={"sender": sender, "message": message, "metadata": {"language": "nl"}})
    assert reply.status_code == 200, reply.text
    return "\n".join(m.get("text", "") for m in reply.json())


def dossiers_of(claims_url: str) -> Dict[str, List[str]]:
    engine = create_engine(claims_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT sender_id, status FROM claim_dossiers")).all()
    engine.dispose()
    found: Dict[str, List[str]] = {}
    for sender, status in rows:
        found.setdefault(sender, []).append(status)
    return found


def declare_alternately(instances: List[Settings], sender: str, start: int = 0) -> List[str]:
    """Plays the declaration, each message to the other instance; returns the messages as the tracker stores them."""
    steps = parcel_declaration(policy_in(instances[0].claims_db_url))
    for number, step in enumerate(steps):
        check(step, say(instances[(start + number) % 2], sender, step.message))
    return as_stored([step.message for step in steps])


def test_one_conversation_answered_alternately_by_two_instances_stays_one(instances):
    sender = f"rr-{uuid.uuid4().hex[:10]}"
    sent = declare_alternately(instances, sender)
    # Both instances read the same conversation from the tracker store.
    seen = [rasa_api.tracker(s, sender) for s in instances]
    assert seen[0]["events"] == seen[1]["events"]
    assert seen[0]["slots"]["coverage_decision"] == "covered"
    assert [t for _, kind, _, t in tracker_events(instances[0].tracker_db_url, sender) if kind == "user"] == sent
    assert dossiers_of(instances[0].claims_db_url)[sender] == ["submitted"]


def test_fifty_declarations_at_once_over_two_instances_lose_duplicate_and_reorder_nothing(instances):
    senders = [f"load-{number:02d}-{uuid.uuid4().hex[:8]}" for number in range(CONVERSATIONS)]
    started = time.monotonic()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(pool.map(lambda pair: _declare_or_error(instances, *pair), enumerate(senders)))
    elapsed = time.monotonic() - started
    failures = [error for _, error in results if error]
    assert not failures, f"{len(failures)} declarations failed; first: {failures[0]}"
    assert elapsed < LOAD_SECONDS_AT_MOST

    lost = duplicated = out_of_order = 0
    dossiers = dossiers_of(instances[0].claims_db_url)
    for sender, (sent, _) in zip(senders, results):
        events = tracker_events(instances[0].tracker_db_url, sender)
        stored = [t for _, kind, _, t in events if kind == "user"]
        lost += sum(1 for message in sent if message not in stored)
        duplicated += len(stored) - len(set(stored))
        stamps = [stamp for _, _, stamp, _ in events]
        out_of_order += sum(1 for a, b in zip(stamps, stamps[1:]) if b < a)  # stored later, stamped earlier
        out_of_order += int(stored != sent and sorted(stored) == sorted(sent))  # all there, wrong order
        assert dossiers.get(sender) == ["submitted"], (sender, dossiers.get(sender))
    print(f"\n{CONVERSATIONS} declarations over two instances in {elapsed:.1f} s: "
          f"{lost} lost, {duplicated} duplicated, {out_of_order} out of order")
    assert (lost, duplicated, out_of_order) == (0, 0, 0)


def _declare_or_error(instances: List[Settings], number: int, sender: str) -> Tuple[List[str], str]:
    try:
        return declare_alternately(instances, sender, start=number % 2), ""
    except Exception as error:  # reported together, with the sender, after all have run
        return [], f"{sender}: {type(error).__name__}: {error}"


def test_an_agent_writing_through_one_instance_reaches_the_page_open_on_the_other(instances):
    page_side, agent_side = instances
    name = f"Ines{uuid.uuid4().hex[:6]}"
    token = agents.add_agent(name, ("nl",), db=get_database(page_side.claims_db_url))
    sender = f"push-{uuid.uuid4().hex[:10]}"
    declare_alternately(instances, sender)  # filed: handed to the desk
    page = EventStream(f"{page_side.webchat_url}events?sender={sender}", headers=rasa_api.trusted(page_side))
    try:
        desk = f"{agent_side.rasa_url}/webhooks/desk/api/conversations/{sender}"
        headers = {"Authorization": f"Bearer {token}"}
        assert requests.post(f"{desk}/claim", headers=headers, timeout=30).status_code == 200
        sent = requests.post(f"{desk}/messages", json={"text": "Dag, ik ben Ines van Cyber Care."},
                             headers=headers, timeout=30)
        assert sent.status_code == 200 and sent.json()["live"] is True
        # First the bot's line that the agent joined, then the agent's own words.
        assert page.next(30) == {"from": "bot", "text": error_text("agent_joined", "nl").format(agent=name)}
        assert page.next(30) == {"from": "agent", "agent": name, "text": "Dag, ik ben Ines van Cyber Care."}
    finally:
        page.close()
