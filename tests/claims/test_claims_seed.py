"""Demo data: idempotent, and each demo policy shows the situation DEMO_POLICIES.md promises."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from actions.claims import store
from actions.claims.models import AcceptedClaim, Policyholder
from actions.claims.seed import DEMO_POLICIES, seed_demo_data
from actions.coverage import check

REPO = Path(__file__).resolve().parents[2]
DEMO_DAY = "2026-11-22"


def _counts(db) -> tuple[int, int]:
    with db.session() as session:
        return (session.scalar(select(func.count()).select_from(Policyholder)),
                session.scalar(select(func.count()).select_from(AcceptedClaim)))


def test_seeding_twice_gives_the_same_data(db) -> None:
    assert seed_demo_data(db) == len(DEMO_POLICIES)
    first = (_counts(db), [store.history_for(p.number, db=db) for p in DEMO_POLICIES])
    store.record_accepted_claim("CC-DEMO-0001", "ecommerce", "2026-11-01", 10, db=db)  # a demo claim to reset
    seed_demo_data(db)
    with db.session() as session:  # also within a caller's session
        seed_demo_data(session)
    assert (_counts(db), [store.history_for(p.number, db=db) for p in DEMO_POLICIES]) == first
    assert first[0] == (6, sum(len(p.claims) for p in DEMO_POLICIES))


@pytest.mark.stack  # starts a process of its own
def test_seed_by_url_and_from_the_command_line(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert seed_demo_data(url) == len(DEMO_POLICIES)
    result = subprocess.run([sys.executable, "-m", "actions.claims.seed"], cwd=REPO, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "CLAIMS_DB_URL": url}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"seeded {len(DEMO_POLICIES)} demo policies into {url}"


def _decide(db, number: str, incident: dict, today: str = DEMO_DAY) -> dict:
    return check({"today": today, "policy": store.policy_for_case(number, db=db),
                  "claimant": {"relation": "policyholder"}, "history": store.history_for(number, db=db),
                  "incident": incident})


PURCHASE = {"cover": "ecommerce", "kind": "non_delivery", "occurred_on": "2026-10-01", "amount": 800.0,
            "goods_category": "electronics", "complaint_date": "2026-10-02", "merchant_response": "refused"}


@pytest.mark.parametrize("number, incident, expected", [
    ("CC-DEMO-0001", {**PURCHASE, "merchant_response": "none"}, ("covered", ["covered_non_delivery"], 800.0)),
    ("CC-DEMO-0002", PURCHASE, ("partially_covered", ["annual_amount_limit"], 500.0)),
    ("CC-DEMO-0003", {"cover": "data_recovery", "occurred_on": "2026-11-20", "device": "laptop_ssd",
                      "cause": "human_error"}, ("not_covered", ["waiting_period"], 0.0)),
    ("CC-DEMO-0004", PURCHASE, ("not_covered", ["policy_inactive"], 0.0)),
    ("CC-DEMO-0005", PURCHASE, ("not_covered", ["annual_incident_limit"], 0.0)),
    ("CC-DEMO-0006", {"cover": "identity_theft", "occurred_on": "2026-11-15", "police_report": "PV-1",
                      "expenses": [{"type": "loans", "amount": 700.0}]}, ("partially_covered", ["expenses_capped"],
                                                                             400.0)),
    ("CC-DEMO-0006", {"cover": "e_reputation", "occurred_on": "2026-11-15", "started_on": "2026-11-14",
                      "channel": "forum", "police_report": "PV-2"}, ("covered", ["covered_e_reputation"], None)),
])
def test_demo_policies_show_their_situation(db, number, incident, expected) -> None:
    seed_demo_data(db)
    decision = _decide(db, number, incident)
    assert (decision["decision"], decision["reasons"], decision["payable_max"]) == expected


def test_demo_waiting_period_ends_on_1_december(db) -> None:
    seed_demo_data(db)
    loss = {"cover": "data_recovery", "device": "laptop_ssd", "cause": "human_error"}
    last_day_inside = _decide(db, "CC-DEMO-0003", {**loss, "occurred_on": "2026-11-30"}, today="2026-12-01")
    assert last_day_inside["reasons"] == ["waiting_period"]
    assert _decide(db, "CC-DEMO-0003", {**loss, "occurred_on": "2026-12-01"}, today="2026-12-01")["decision"] == "covered"


def test_demo_e_reputation_leaves_one_case(db) -> None:
    seed_demo_data(db)
    decision = _decide(db, "CC-DEMO-0006", {"cover": "e_reputation", "occurred_on": "2026-11-15",
                                            "started_on": "2026-11-14", "channel": "forum", "police_report": "PV"})
    assert decision["remaining"]["incidents"] == 0
