"""Identification, drafts, filing and the policyholder's own dossiers, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from actions.claims import store
from actions.claims.db import ClaimsDatabase
from actions.claims.models import Policyholder
from actions.coverage import check
from tests.nlu_data import ROOT


def _holder(db: ClaimsDatabase, number: str = "CC-T-0001", birth: date = date(1985, 4, 12)) -> None:
    with db.session() as session:
        session.add(Policyholder(policy_number=number, name="Holder", birth_date=birth, start_date=date(2025, 6, 1),
                                 country="BE", household_size=2, language="nl"))


def test_the_right_pair_identifies_and_a_wrong_one_says_nothing_more(db) -> None:
    _holder(db)
    assert store.identify("CC-T-0001", "1985-04-12", db=db)["policy_number"] == "CC-T-0001"
    assert store.identify("cc t 0001", date(1985, 4, 12), db=db)["policy_number"] == "CC-T-0001"
    assert store.identify("CC-T-0001", "1985-04-13", db=db) is None
    assert store.identify("CC-T-9999", "1985-04-12", db=db) is None
    assert store.identify("CC-T-0001", "not a date", db=db) is None


@pytest.mark.parametrize("typed, stored", [("cc-demo-0001", "CC-DEMO-0001"), (" CC DEMO 0001 ", "CC-DEMO-0001"),
                                           ("CC.DEMO.0001", "CC-DEMO-0001"), ("cc–demo–0001", "CC-DEMO-0001"),
                                           ("hello", None), ("", None), ("CC-DEMO-0001; drop table", None)])
def test_policy_numbers_are_read_as_typed(typed, stored) -> None:
    assert store.normalise_policy_number(typed) == stored


def test_a_draft_keeps_its_reference_until_it_is_filed(db) -> None:
    _holder(db)
    first = store.save_draft("web-1", "CC-T-0001", "ecommerce", {"amount": 100.0}, language="nl", channel="webchat",
                             db=db)
    again = store.save_draft("web-1", "CC-T-0001", "ecommerce", {"amount": 120.0, "kind": "non_delivery"},
                             language="nl", db=db)
    assert first == again
    draft = store.find_draft("web-1", db=db)
    assert draft["case"] == {"amount": 120.0, "kind": "non_delivery"} and draft["status"] == "draft"
    assert draft["channel"] == "webchat" and draft["sender_id"] == "web-1"
    assert store.find_draft("someone-else", db=db) is None
    case = {"today": "2026-11-22", "policy": {"start_date": "2025-06-01", "end_date": None, "country": "BE"},
            "claimant": {"relation": "policyholder"}, "history": store.history_for("CC-T-0001", db=db),
            "incident": {"cover": "ecommerce", "kind": "non_delivery", "occurred_on": "2026-10-01", "amount": 120.0,
                         "goods_category": "books", "complaint_date": "2026-10-02", "merchant_response": "refused"}}
    decision = check(case)
    filed = store.file_claim("web-1", "CC-T-0001", "ecommerce", case, decision, language="nl", db=db)
    assert filed == first
    dossier = store.get_dossier(filed, db=db)
    assert dossier["status"] == "submitted" and dossier["decision"]["decision"] == "covered"
    assert store.find_draft("web-1", db=db) is None
    # The paying decision counts in the next check of the same insurance year.
    assert store.history_for("CC-T-0001", db=db) == [{"cover": "ecommerce", "date": "2026-10-01", "paid": 120.0}]


def test_a_refusal_is_filed_but_counts_nothing(db) -> None:
    _holder(db)
    reference = store.file_claim("web-2", "CC-T-0001", "data_recovery", {"incident": {"occurred_on": "2026-11-01"}},
                                 {"decision": "not_covered", "payable_max": None}, language="fr", db=db)
    assert store.get_dossier(reference, db=db)["status"] == "submitted"
    assert store.history_for("CC-T-0001", db=db) == []


def test_a_discarded_draft_is_withdrawn(db) -> None:
    _holder(db)
    reference = store.save_draft("web-3", "CC-T-0001", "payment_fraud", {}, language="en", db=db)
    assert store.discard_draft("web-3", db=db) == reference
    assert store.find_draft("web-3", db=db) is None and store.discard_draft("web-3", db=db) is None


def test_only_the_policyholders_own_dossiers_are_shown(db) -> None:
    _holder(db, "CC-T-0001")
    _holder(db, "CC-T-0002")
    mine = store.create_dossier("CC-T-0001", "ecommerce", {}, None, language="nl", status="submitted", db=db)
    theirs = store.create_dossier("CC-T-0002", "ecommerce", {}, None, language="nl", status="submitted", db=db)
    assert [d["reference"] for d in store.dossiers_of("CC-T-0001", db=db)] == [mine]
    assert store.get_dossier_of(mine, "CC-T-0001", db=db)["reference"] == mine
    assert store.get_dossier_of(theirs, "CC-T-0001", db=db) is None


def test_an_older_database_gets_the_new_columns_and_keeps_its_data(tmp_path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript("""
            CREATE TABLE policyholders (id INTEGER PRIMARY KEY, policy_number VARCHAR(32) UNIQUE NOT NULL,
              name VARCHAR(200) NOT NULL, start_date DATE NOT NULL, end_date DATE, country VARCHAR(2) NOT NULL,
              household_size INTEGER NOT NULL, language VARCHAR(2) NOT NULL, email VARCHAR(254),
              created_at DATETIME NOT NULL);
            INSERT INTO policyholders VALUES (1, 'CC-OLD-0001', 'Old', '2024-01-01', NULL, 'BE', 1, 'nl', NULL,
              '2024-01-01 00:00:00');
            CREATE TABLE claim_dossiers (id INTEGER PRIMARY KEY, reference VARCHAR(16) UNIQUE NOT NULL,
              policyholder_id INTEGER NOT NULL, cover VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL,
              language VARCHAR(2) NOT NULL, case_json JSON NOT NULL, decision_json JSON, summary TEXT NOT NULL,
              created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL);""")
    db = ClaimsDatabase(f"sqlite:///{path}")
    assert store.get_policy("CC-OLD-0001", db=db)["birth_date"] is None
    assert store.save_draft("s", "CC-OLD-0001", "ecommerce", {}, language="nl", db=db).startswith("CC-")
    db.dispose()


# --- the command line ---------------------------------------------------------------------------

def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "actions.claims", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "CLAIMS_DB_URL": url}, timeout=120)


HEADER = "policy_number,holder_name,birth_date,language,start_date,end_date\n"


def test_import_policies_loads_a_good_file_and_updates_on_a_second_run(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    csv_file = tmp_path / "policies.csv"
    csv_file.write_bytes(("\ufeff" + HEADER + "CC-X-0001,Jan Janssens,1980-01-02,nl,2025-01-01,\n"
                          "CC-X-0002,Marie Dupont,1975-05-06,fr,2024-03-01,2026-03-01\n").encode("utf-8"))
    run = _cli(url, "import-policies", str(csv_file))
    assert run.returncode == 0 and run.stdout.strip() == "imported 2 policies (2 new, 0 updated)"
    csv_file.write_text(HEADER + "CC-X-0001,Jan Janssens-Peeters,1980-01-02,nl,2025-01-01,\n", encoding="utf-8")
    assert _cli(url, "import-policies", str(csv_file)).stdout.strip() == "imported 1 policies (0 new, 1 updated)"
    exported = json.loads(_cli(url, "export-person", "CC-X-0001").stdout)
    assert exported["policyholder"]["name"] == "Jan Janssens-Peeters"
    assert exported["policyholder"]["birth_date"] == "1980-01-02"
    assert json.loads(_cli(url, "erase-person", "CC-X-0002").stdout)["policyholders"] == 1
    assert _cli(url, "export-person", "CC-X-0002").returncode == 1


def test_a_file_with_bad_rows_names_each_line_and_imports_nothing(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    csv_file = tmp_path / "policies.csv"
    csv_file.write_text(HEADER + "CC-X-0001,Jan,1980-01-02,nl,2025-01-01,\n"
                                 "CC-X-0002,Marie,06/05/1975,fr,2024-03-01,\n"
                                 "CC-X-0003,Piet,1970-01-01,de,2024-03-01,\n"
                                 "CC-X-0001,Jan again,1980-01-02,nl,2025-01-01,\n", encoding="utf-8")
    run = _cli(url, "import-policies", str(csv_file))
    assert run.returncode == 2
    assert [line.split(":")[0] for line in run.stderr.splitlines()[:3]] == ["line 3", "line 4", "line 5"]
    assert "nothing imported" in run.stderr
    assert _cli(url, "export-person", "CC-X-0001").returncode == 1


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"just,some,other\ncolumns,here,x\n"])
def test_a_file_that_is_not_the_export_is_refused(tmp_path, content) -> None:
    csv_file = tmp_path / "x.csv"
    csv_file.write_bytes(content)
    run = _cli(f"sqlite:///{tmp_path / 'c.db'}", "import-policies", str(csv_file))
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_a_missing_file_is_said_in_one_line(tmp_path) -> None:
    run = _cli(f"sqlite:///{tmp_path / 'c.db'}", "import-policies", str(tmp_path / "nope.csv"))
    assert run.returncode == 2 and run.stderr.strip().endswith("no such file")
