"""The handoff queue in the claims store: positions, claiming (one winner), languages, closing,
and that it is kept in the database (a new process sees it)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from actions.claims import handoffs
from actions.claims.db import ClaimsDatabase
from bot.desk import agents


@pytest.fixture
def db(tmp_path):
    return ClaimsDatabase(f"sqlite:///{tmp_path / 'claims.db'}")


def queue_up(db, sender, language="nl", reason="request_human", **extra):
    return handoffs.open_handoff(sender, language=language, channel="webchat", reason=reason,
                                 summaries={"nl": "a\nb\nc", "fr": "d\ne\nf", "en": "g\nh\ni"}, db=db, **extra)


def test_positions_count_the_waiting_conversations_of_the_same_language(db):
    """Without agents on record, each language's queue is its own."""
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


def test_users_waiting_for_the_same_agent_are_told_different_positions_whatever_their_language(db):
    agents.add_agent("Sofie", ("nl", "fr"), db=db)
    agents.add_agent("John", ("en",), db=db)
    assert queue_up(db, "nl-user")["position"] == 1
    assert queue_up(db, "fr-user", language="fr")["position"] == 2  # Sofie takes both
    assert queue_up(db, "en-user", language="en")["position"] == 1  # John is someone else
    assert queue_up(db, "nl-user-2")["position"] == 3


def test_a_filed_claim_is_a_case_with_no_place_in_the_live_queue_until_the_user_asks_for_a_person(db):
    case = queue_up(db, "a", reason="claim_filed", reference="CC-2026-000001")
    assert case["live"] is False and case["position"] is None and case["expected_wait_seconds"] is None
    asked = queue_up(db, "a", reason="request_human")
    assert asked["live"] is True and asked["position"] == 1 and asked["expected_wait_seconds"] >= 60
    assert asked["reference"] == "CC-2026-000001"


def test_never_mind_turns_a_live_wait_back_into_a_case_or_closes_it(db):
    queue_up(db, "a", reason="claim_filed", reference="CC-2026-000001")
    queue_up(db, "a", reason="request_human")
    assert handoffs.withdraw_live("a", db=db) is True
    back = handoffs.open_handoff_of("a", db=db)
    assert back["live"] is False and back["status"] == "waiting" and back["reason"] == "claim_filed"
    queue_up(db, "b", reason="request_human")
    assert handoffs.withdraw_live("b", db=db) is True and handoffs.open_handoff_of("b", db=db) is None
    assert handoffs.withdraw_live("b", db=db) is False


def test_the_expected_wait_follows_the_recent_waits_agents_took(db):
    from datetime import timedelta

    from actions.claims.models import Handoff, utc_now
    queue_up(db, "old")
    handoffs.claim("old", "Sofie", ["nl"], db=db)
    with db.session() as session:  # that one waited 20 minutes
        row = session.query(Handoff).filter_by(sender_id="old").one()
        row.live_since = utc_now() - timedelta(minutes=20)
        row.claimed_at = utc_now()
    assert queue_up(db, "new")["expected_wait_seconds"] == 20 * 60
    assert queue_up(db, "newer")["expected_wait_seconds"] == 2 * 20 * 60
