"""Item 8 of issue 18: the demo policies (their dates of birth are in the README) are seeded only
when the launcher listens on loopback."""
from __future__ import annotations

import os

from sqlalchemy import create_engine, text

from tests.conftest import free_port
from tests.production.helpers import Launcher


def policies_in(url: str) -> list:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        numbers = [row[0] for row in connection.execute(text("SELECT policy_number FROM policyholders"))]
    engine.dispose()
    return numbers


def start_until_seeded(tmp_path, host: str) -> list:
    claims = f"sqlite:///{tmp_path / host.replace(':', '_')}-claims.db"
    env = {**os.environ, "CYBERCARE_HOST": host, "RASA_API_TOKEN": "demo-test-token",
           "RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port()), "CLAIMS_DB_URL": claims,
           "TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}"}
    launcher = Launcher(env)
    try:
        launcher.wait_for("Starting the action server")  # the claims store is ready (and seeded or not)
    finally:
        launcher.stop()
    return policies_in(claims)


def test_no_demo_policies_on_a_server_others_reach(model, tmp_path):
    assert start_until_seeded(tmp_path, "0.0.0.0") == []
    assert "CC-DEMO-0001" in start_until_seeded(tmp_path, "127.0.0.1")


def test_no_prompt_shows_a_demo_policys_number_or_date_of_birth():
    """The questions for the policy number and the date of birth, their re-asks and explanations showed
    "CC-DEMO-0001" and "12/04/1985", a working login: they must show a format instead."""
    from actions.claims.seed import DEMO_POLICIES
    from tests.responses import _responses

    secrets = [p.number for p in DEMO_POLICIES] + [p.birth_date.strftime(f) for p in DEMO_POLICIES
                                                   for f in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")]
    shown = [(name, secret) for name, variations in _responses().items() for variation in variations
             for secret in secrets if secret in (variation.get("text") or "")]
    assert shown == []
