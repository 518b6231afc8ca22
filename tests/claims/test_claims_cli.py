"""`python -m actions.claims`: policies imported from a CSV export (every row checked first, nothing
imported when one is bad), the demo seed, export and erasure of a person; run as a user runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from actions.claims import store
from actions.claims.db import ClaimsDatabase
from actions.claims.policies_csv import ImportRefused, read_policies
from actions.claims.seed import DEMO_POLICIES
from tests.nlu_data import ROOT

HEADER = "policy_number,holder_name,birth_date,language,start_date,end_date\n"
TODAY = date(2026, 11, 22)


def _cli(url: str | None, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "CLAIMS_DB_URL"}
    if url is not None:
        env["CLAIMS_DB_URL"] = url
    return subprocess.run([sys.executable, "-m", "actions.claims", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'claims.db'}"


def _exported(url: str, number: str) -> dict:
    run = _cli(url, "export-person", number)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


# --- import-policies ------------------------------------------------------------------------------


@pytest.mark.stack  # starts a process of its own
def test_a_good_file_is_imported_then_updated_on_a_second_run(url, tmp_path) -> None:
    csv_file = tmp_path / "policies.csv"
    csv_file.write_text(HEADER + "CC-X-0001,Jan Janssens,1980-01-02,nl,2025-01-01,\n"
                                 "cc x 0002,Marie Dupont,1975-05-06,fr,2024-03-01,2026-03-01\n", encoding="utf-8")
    run = _cli(url, "import-policies", str(csv_file))
    assert (run.returncode, run.stdout.strip(), run.stderr) == (0, "imported 2 policies (2 new, 0 updated)", "")
    assert _exported(url, "CC-X-0002")["policyholder"]["end_date"] == "2026-03-01"  # stored normalised

    csv_file.write_text(HEADER + "CC-X-0001,Jan Janssens-Peeters,1980-01-03,en,2025-02-01,2027-01-31\n"
                                 "CC-X-0003,Emma Smith,1999-12-31,en,2026-01-01,\n", encoding="utf-8")
    run = _cli(url, "import-policies", str(csv_file))
    assert (run.returncode, run.stdout.strip()) == (0, "imported 2 policies (1 new, 1 updated)")
    updated = _exported(url, "CC-X-0001")["policyholder"]
    assert {k: updated[k] for k in ("name", "birth_date", "language", "start_date", "end_date")} == {
        "name": "Jan Janssens-Peeters", "birth_date": "1980-01-03", "language": "en", "start_date": "2025-02-01",
        "end_date": "2027-01-31"}
    db = ClaimsDatabase(url)
    assert store.identify("cc-x-0001", "1980-01-03", db=db)["name"] == "Jan Janssens-Peeters"
    db.dispose()


@pytest.mark.stack  # starts a process of its own
def test_a_file_with_a_bom_and_windows_line_ends_is_read(url, tmp_path) -> None:
    csv_file = tmp_path / "export.csv"
    csv_file.write_bytes(("\ufeff" + HEADER + "CC-X-0001,Zoë Lefèvre,1980-01-02,fr,2025-01-01,\n")
                         .replace("\n", "\r\n").encode("utf-8"))
    run = _cli(url, "import-policies", str(csv_file))
    assert (run.returncode, run.stdout.strip()) == (0, "imported 1 policies (1 new, 0 updated)")
    assert _exported(url, "CC-X-0001")["policyholder"]["name"] == "Zoë Lefèvre"


@pytest.mark.stack  # starts a process of its own
def test_a_file_with_two_bad_rows_names_both_lines_and_imports_nothing(url, tmp_path) -> None:
    csv_file = tmp_path / "policies.csv"
    csv_file.write_text(HEADER + "CC-X-0001,Jan,1980-01-02,nl,2025-01-01,\n"
                                 "CC-X-0002,Marie,06/05/1975,fr,2024-03-01,\n"
                                 "\n"
                                 "CC-X-0003,Piet,1970-01-01,de,2024-03-01,\n"
                                 "CC-X-0004,Lies,1970-01-01,nl,2024-03-01,\n", encoding="utf-8")
    run = _cli(url, "import-policies", str(csv_file))
    assert run.returncode == 2 and run.stdout == "" and "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert lines[:2] == ["line 3: birth_date: not a date (YYYY-MM-DD): '06/05/1975'",
                         "line 5: language: 'de' not one of nl, fr, en"]
    assert lines[2:] == ["nothing imported"]
    assert _cli(url, "export-person", "CC-X-0001").returncode == 1  # not even the good rows


@pytest.mark.stack  # starts a process of its own
def test_nothing_of_a_bad_file_touches_policies_already_there(url, tmp_path) -> None:
    csv_file = tmp_path / "policies.csv"
    csv_file.write_text(HEADER + "CC-X-0001,Jan,1980-01-02,nl,2025-01-01,\n", encoding="utf-8")
    assert _cli(url, "import-policies", str(csv_file)).returncode == 0
    csv_file.write_text(HEADER + "CC-X-0001,Jan Renamed,1980-01-02,nl,2025-01-01,\n"
                                 "CC-X-0002,,1980-01-02,nl,2025-01-01,\n", encoding="utf-8")
    run = _cli(url, "import-policies", str(csv_file))
    assert run.returncode == 2 and run.stderr.splitlines()[0] == "line 3: holder_name: empty"
    assert _exported(url, "CC-X-0001")["policyholder"]["name"] == "Jan"


@pytest.mark.parametrize("row, problem", [
    ("CC-X-0002,Marie,1975-05-06,fr,2024-03-01", "5 columns, expected 6"),
    ("CC-X-0002,Marie,1975-05-06,fr,2024-03-01,,extra", "7 columns, expected 6"),
    ("CC-X-0002,Marie,1975-05-06,fr,2024-13-01,", "start_date: not a date (YYYY-MM-DD): '2024-13-01'"),
    ("CC-X-0002,Marie,1975-05-06,fr,2024-03-01,2024-02-29", "end_date: before start_date"),
    ("CC-X-0002,Marie,1975-05-06,FR,2024-03-01,", "language: 'FR' not one of nl, fr, en"),
    ("CC-X-0002,,1975-05-06,fr,2024-03-01,", "holder_name: empty"),
    ("CC-X-0002,Marie,2026-11-23,fr,2024-03-01,", "birth_date: in the future"),
    ("CC-X-0002,Marie,,fr,2024-03-01,", "birth_date: not a date (YYYY-MM-DD): ''"),
    ("CC/X/0002,Marie,1975-05-06,fr,2024-03-01,", "policy_number: not a policy number: 'CC/X/0002'"),
    ("CC-X,Marie,1975-05-06,fr,2024-03-01,", "policy_number: not a policy number: 'CC-X'"),
    ("cc x 0001,Jan again,1980-01-02,nl,2025-01-01,", "policy number CC-X-0001 already on line 2"),
    ("CC-X-0002," + "M" * 201 + ",1975-05-06,fr,2024-03-01,", "holder_name: longer than 200 characters"),
])
def test_every_rule_of_a_row_is_checked(row, problem) -> None:
    data = (HEADER + "CC-X-0001,Jan,1980-01-02,nl,2025-01-01,\n" + row + "\n").encode("utf-8")
    with pytest.raises(ImportRefused) as refused:
        read_policies(data, TODAY)
    assert refused.value.problems == [f"line 3: {problem}"]


def test_a_born_today_birth_date_and_an_end_on_the_start_day_are_fine() -> None:
    rows = read_policies((HEADER + f"CC-X-0001,Baby,{TODAY.isoformat()},nl,2026-01-01,2026-01-01\n").encode(), TODAY)
    assert [(r.number, r.birth_date, r.end_date) for r in rows] == [("CC-X-0001", TODAY, date(2026, 1, 1))]


def test_line_numbers_are_the_files_even_with_a_quoted_line_break() -> None:
    data = (HEADER + 'CC-X-0001,"Jan\nJanssens",1980-01-02,nl,2025-01-01,\n'
                     "CC-X-0002,Bad,1980-01-02,xx,2025-01-01,\n").encode()
    with pytest.raises(ImportRefused) as refused:
        read_policies(data, TODAY)
    assert refused.value.problems == ["line 4: language: 'xx' not one of nl, fr, en"]


@pytest.mark.stack  # starts a process of its own
@pytest.mark.parametrize("content, message", [
    (b"", "line 1: the header must be policy_number,holder_name,birth_date,language,start_date,end_date"),
    (b"just,some,other\ncolumns,here,x\n", "line 1: the header must be"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV text file (binary content)"),
    ("policy_number;holder_name\n".encode("utf-16"), "not a CSV text file (binary content)"),
    (HEADER.encode() + b"CC-X-0001,Jos\xe9,1980-01-02,nl,2025-01-01,\n", "not UTF-8 text"),
])
def test_a_file_that_is_not_the_export_is_refused_in_one_line(url, tmp_path, content, message) -> None:
    csv_file = tmp_path / "x.csv"
    csv_file.write_bytes(content)
    run = _cli(url, "import-policies", str(csv_file))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[0].startswith(message) and run.stderr.splitlines()[1:] == ["nothing imported"]


@pytest.mark.stack  # starts a process of its own
def test_a_missing_file_or_a_folder_is_said_in_one_line(url, tmp_path) -> None:
    run = _cli(url, "import-policies", str(tmp_path / "nope.csv"))
    assert (run.returncode, run.stderr) == (2, f"{tmp_path / 'nope.csv'}: no such file\n")
    run = _cli(url, "import-policies", str(tmp_path))
    assert (run.returncode, run.stderr) == (2, f"{tmp_path}: not a file\n")


# --- the database, the other commands, usage -----------------------------------------------------


@pytest.mark.stack  # starts a process of its own
def test_db_option_wins_over_the_environment_before_or_after_the_command(tmp_path) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text(HEADER + "CC-X-0001,Jan,1980-01-02,nl,2025-01-01,\n", encoding="utf-8")
    env_url, before, after = (f"sqlite:///{tmp_path / name}" for name in ("env.db", "before.db", "after.db"))
    assert _cli(env_url, "--db", before, "import-policies", str(csv_file)).returncode == 0
    assert _cli(env_url, "import-policies", str(csv_file), "--db", after).returncode == 0
    assert _cli(env_url, "export-person", "CC-X-0001").returncode == 1  # the environment's database is untouched
    assert _cli(env_url, "export-person", "CC-X-0001", "--db", before).returncode == 0
    assert _cli(env_url, "--db", after, "export-person", "CC-X-0001").returncode == 0


@pytest.mark.stack  # starts a process of its own
def test_seed_creates_the_demo_policies(url) -> None:
    run = _cli(url, "seed")
    assert (run.returncode, run.stdout.strip()) == (0, f"seeded {len(DEMO_POLICIES)} demo policies into {url}")
    exported = _exported(url, "cc demo 0001")  # typed as a user would
    assert exported["policyholder"]["birth_date"] == "1985-04-12"
    assert _cli(url, "seed").returncode == 0  # again: the same demo state


@pytest.mark.stack  # starts a process of its own
def test_export_and_erase_a_person(url, tmp_path) -> None:
    db = ClaimsDatabase(url)
    csv_file = tmp_path / "p.csv"
    csv_file.write_text(HEADER + "CC-X-0001,Jan,1980-01-02,nl,2025-01-01,\nCC-X-0002,Marie,1975-05-06,fr,2024-03-01,\n",
                        encoding="utf-8")
    assert _cli(url, "import-policies", str(csv_file)).returncode == 0
    reference = store.save_draft("web-1", "CC-X-0001", "ecommerce", {"amount": 12.5}, language="nl", db=db)
    exported = _exported(url, "CC-X-0001")
    assert exported["policyholder"]["name"] == "Jan"
    assert [(d["reference"], d["case"], d["sender_id"]) for d in exported["dossiers"]] == [
        (reference, {"amount": 12.5}, "web-1")]
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"  # never the repository's own conversations
    run = _cli(url, "erase-person", "CC-X-0001", "--tracker-db", tracker)
    assert (run.returncode, json.loads(run.stdout)) == (0, {"policyholders": 1, "accepted_claims_kept": 0,
                                                                   "dossiers": 1, "handoffs": 0, "files": 0,
                                                                   "conversations": 1, "conversation_events": 0,
                                                                   "web_chat_sessions": 0,
                                                                   "identification_failures": 0})
    run = _cli(url, "export-person", "CC-X-0001")
    assert (run.returncode, run.stdout, run.stderr) == (1, "", "no policy CC-X-0001\n")
    assert json.loads(_cli(url, "erase-person", "CC-X-0001", "--tracker-db", tracker).stdout)["policyholders"] == 0
    assert _exported(url, "CC-X-0002")["policyholder"]["name"] == "Marie"  # only them
    db.dispose()


@pytest.mark.stack  # starts a process of its own
@pytest.mark.parametrize("args", [(), ("frobnicate",), ("import-policies",), ("export-person", "a", "b")])
def test_a_wrong_command_line_is_one_line(url, args) -> None:
    run = _cli(url, *args)
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr


@pytest.mark.stack  # starts a process of its own
def test_an_unreachable_database_is_one_line(tmp_path) -> None:
    run = _cli("postgresql://nobody@127.0.0.1:1/none", "export-person", "CC-X-0001")
    assert run.returncode == 1 and len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr


@pytest.mark.stack  # starts a process of its own
def test_help_names_every_command() -> None:
    run = _cli(None, "--help")
    assert run.returncode == 0
    for command in ("import-policies", "seed", "export-person", "erase-person", "--db"):
        assert command in run.stdout
