"""Agents are added from the command line; their token is printed once and only its hash is kept."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from actions.claims.db import ClaimsDatabase
from actions.claims.models import DeskAgent
from bot.desk import agents
from tests.nlu_data import ROOT


def cli(url, *args):
    return subprocess.run([sys.executable, "-m", "bot.desk", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "CLAIMS_DB_URL": url}, timeout=60)


@pytest.mark.stack  # starts a process of its own
def test_add_agent_prints_a_token_once_and_stores_only_its_hash(tmp_path):
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    run = cli(url, "add-agent", "Sofie Peeters", "--languages", "nl,fr")
    assert run.returncode == 0, run.stderr
    token = run.stdout.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    db = ClaimsDatabase(url)
    with db.session() as session:
        row = session.scalar(select(DeskAgent))
        stored = [str(getattr(row, column.name)) for column in DeskAgent.__table__.columns]
    assert token not in " ".join(stored)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert agents.agent_for_token(token, db=db) == agents.Agent("Sofie Peeters", ("nl", "fr"))
    assert agents.agent_for_token(token[:-1] + ("x" if token[-1] != "x" else "y"), db=db) is None
    assert agents.agent_for_token("", db=db) is None and agents.agent_for_token(None, db=db) is None
    assert "Sofie Peeters\tnl,fr" in cli(url, "list-agents").stdout


@pytest.mark.stack  # starts a process of its own
def test_a_new_token_replaces_the_old_one_and_removal_ends_access(tmp_path):
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    db = ClaimsDatabase(url)
    old = agents.add_agent("Marc", ("en",), db=db)
    new = agents.add_agent("Marc", ("en", "fr"), db=db)
    assert agents.agent_for_token(old, db=db) is None
    assert agents.agent_for_token(new, db=db).languages == ("en", "fr")
    assert cli(url, "remove-agent", "Marc").returncode == 0
    assert agents.agent_for_token(new, db=db) is None
    assert cli(url, "remove-agent", "Marc").returncode == 1


@pytest.mark.stack  # starts a process of its own
def test_wrong_languages_or_names_are_refused_clearly(tmp_path):
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    for args in (["add-agent", "Jan", "--languages", "de"], ["add-agent", "Jan", "--languages", ""],
                 ["add-agent", "<script>", "--languages", "nl"]):
        run = cli(url, *args)
        assert run.returncode == 2 and run.stderr.startswith("error:"), (args, run.stderr)
    assert cli(url, "list-agents").stdout == ""
