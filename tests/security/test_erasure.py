"""Item 7 of issue 18: a conversation that only asked how a claim stands (identified, no draft) stayed
in the tracker store after `erase-person`. Now every conversation in which the number was identified
goes, and so do the messages typed while waiting for an agent."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

from sqlalchemy import create_engine, text

from actions.claims import conversations
from actions.claims.db import get_database
from actions.claims.store import create_dossier
from tests.conftest import ROOT
from tests.declaration.helpers import new_policy
from tests.responses import response_text


def stored_events(stack, sender: str) -> int:
    engine = create_engine(stack.settings.tracker_db_url, future=True)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    engine.dispose()
    return count


def test_erase_person_deletes_every_conversation_the_number_was_identified_in(stack, chat):
    policy = new_policy(stack, start=date.today() - timedelta(days=400))
    db = get_database(stack.settings.claims_db_url)
    reference = create_dossier(policy.number, "ecommerce", {"cover": "ecommerce"}, None, language="nl",
                               status="submitted", db=db)  # filed by phone: no conversation of its own
    status = chat(page_language="nl")  # only asks how the claim stands
    assert status.say(f"Hoe staat het met mijn dossier {reference}?") == response_text("utter_ask_policy_number", "nl")
    status.say(policy.number)
    assert reference in status.say(policy.birth_text)
    waiting = chat(page_language="nl")  # identified, then waits for a person and writes meanwhile
    waiting.say(f"Hoe staat het met mijn dossier {reference}?")
    waiting.say(policy.number)
    waiting.say(policy.birth_text)
    waiting.say("Ik wil met een medewerker spreken")
    waiting.say("/request_human")
    waiting.send("Ik wacht nog steeds, mijn naam is Test Holder")
    bystander = chat(page_language="nl")
    bystander.say("hallo")
    # The door: the claims store links neither conversation to the person (no draft, no dossier of theirs).
    assert status.sender not in conversations.conversation_ids_of(policy.number, db)
    assert stored_events(stack, status.sender) and stored_events(stack, waiting.sender)

    run = subprocess.run([sys.executable, "-m", "actions.claims", "erase-person", policy.number,
                          "--db", stack.settings.claims_db_url, "--tracker-db", stack.settings.tracker_db_url],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["conversations"] >= 2
    assert stored_events(stack, status.sender) == 0 and stored_events(stack, waiting.sender) == 0
    assert stored_events(stack, bystander.sender) > 0  # nobody else's
    # Their sessions are over too: the page of an erased conversation starts anew.
    assert status.get(f"{stack.settings.webchat_url}history", timeout=30).status_code == 401
