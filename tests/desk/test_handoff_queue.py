"""The handoff queue in the claims store: positions, claiming (one winner), languages, closing,
and that it is kept in the database (a new process sees it)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from actions.claims import handoffs
from actions.claims.db import ClaimsDatabase


@pytest.fixture
def db(tmp_path):
    return ClaimsDatabase(f"sqlite:///{tmp_path / 'claims.db'}")


def queue_up(db, sender, language="nl", reason="request_human", **extra):
    return handoffs.open_handoff(sender, language=language, channel="webchat", reason=reason,
                                 summaries={"nl": "a\nb\nc", "fr": "d\ne\nf", "en": "g\nh\ni"}, db=db, **extra)


def test_positions_count_the_waiting_conversations_of_the_same_language(db):
    assert queue_up(db, "a")["position"] == 1
    assert queue_up(db, "b", language="fr")["position"] == 1
    assert queue_up(db, "c")["position"] == 2
    handoffs.claim("a", "Sofie", ["nl"], db=db)
    assert handoffs.open_handoff_of("c", db=db)["position"] == 1
    assert handoffs.open_handoff_of("a", db=db)["position"] is None


def test_a_second_handoff_of_the_same_conversation_updates_the_open_one(db):
    first = queue_up(db, "a")
    again = queue_up(db, "a", reason="claim_filed", reference="CC-2026-000001")
    assert again["waiting_since"] == first["waiting_since"] and again["reference"] == "CC-2026-000001"
    assert len(handoffs.queue(["nl"], db=db)) == 1


def test_two_agents_cannot_claim_the_same_conversation(db):
    queue_up(db, "a")

    def attempt(agent):
        try:
            return handoffs.claim("a", agent, ["nl"], db=db)["agent"]
        except handoffs.HandoffConflict as conflict:
            return f"conflict:{conflict.handoff['agent']}"

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(attempt, ["Sofie", "Marc", "Lotte", "Jan"]))
    winners = [result for result in results if not result.startswith("conflict:")]
    assert len(winners) == 1
    assert all(result == f"conflict:{winners[0]}" for result in results if result.startswith("conflict:"))
    assert handoffs.claim("a", winners[0], ["nl"], db=db)["status"] == "claimed"  # one's own again: fine


def test_an_agent_sees_only_conversations_in_their_languages(db):
    queue_up(db, "nl-user")
    queue_up(db, "fr-user", language="fr")
    assert [row["sender_id"] for row in handoffs.queue(["nl"], db=db)] == ["nl-user"]
    with pytest.raises(handoffs.NoHandoff):
        handoffs.claim("fr-user", "Sofie", ["nl", "en"], db=db)
    with pytest.raises(handoffs.NoHandoff):
        handoffs.handoff_of("fr-user", ["nl"], db=db)


def test_only_the_agent_who_claimed_can_write_or_hand_back(db):
    queue_up(db, "a")
    with pytest.raises(handoffs.HandoffConflict):
        handoffs.claimed_by("a", "Sofie", ["nl"], db=db)  # nobody has it yet
    handoffs.claim("a", "Sofie", ["nl"], db=db)
    with pytest.raises(handoffs.HandoffConflict):
        handoffs.close("a", "Marc", ["nl"], db=db)
    closed = handoffs.close("a", "Sofie", ["nl"], db=db)
    assert closed["status"] == "closed" and closed["closed_at"]
    assert handoffs.open_handoff_of("a", db=db) is None
    assert [row["sender_id"] for row in handoffs.queue(["nl"], ["closed"], db=db)] == ["a"]
    # A new handoff after the hand-back is a new entry, waiting again.
    assert queue_up(db, "a")["status"] == "waiting"


def test_the_queue_is_in_the_database_not_in_the_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    queue_up(ClaimsDatabase(url), "a", language="en")
    reopened = ClaimsDatabase(url)
    assert [row["sender_id"] for row in handoffs.queue(["en"], db=reopened)] == ["a"]


def test_bad_values_are_refused(db):
    with pytest.raises(ValueError):
        queue_up(db, "a", language="de")
    with pytest.raises(ValueError):
        queue_up(db, "a", reason="bored")
