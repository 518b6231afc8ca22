"""Identification, drafts, filing and the policyholder's own dossiers, on SQLite and PostgreSQL;
the schema upgrade of a database made by the previous version."""
from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, inspect, select, text

from actions.claims import store
from actions.claims.db import ClaimsDatabase
from actions.claims.models import Base, ClaimDossier, Policyholder
from actions.coverage import check

CARD = "4111 1111 1111 1111"


def _holder(db: ClaimsDatabase, number: str = "CC-T-0001", birth: date | None = date(1985, 4, 12)) -> None:
    with db.session() as session:
        session.add(Policyholder(policy_number=number, name="Holder", birth_date=birth, start_date=date(2025, 6, 1),
                                 country="BE", household_size=2, language="nl"))


# --- identification ----------------------------------------------------------------------------


def test_the_right_pair_identifies_and_a_wrong_one_says_nothing_more(db) -> None:
    _holder(db)
    policy = store.identify("CC-T-0001", "1985-04-12", db=db)
    assert policy == store.get_policy("CC-T-0001", db=db) and policy["birth_date"] == "1985-04-12"
    assert store.identify("cc t 0001", date(1985, 4, 12), db=db)["policy_number"] == "CC-T-0001"
    assert store.identify("CC-T-0001", datetime(1985, 4, 12, 0, 0), db=db)["policy_number"] == "CC-T-0001"
    wrong_birth_date = store.identify("CC-T-0001", "1985-04-13", db=db)
    wrong_number = store.identify("CC-T-9999", "1985-04-12", db=db)
    assert wrong_birth_date is None and wrong_number is None  # the same answer: nothing says which was wrong
    assert store.identify("CC-T-0001", "not a date", db=db) is None
    assert store.identify("hello", "1985-04-12", db=db) is None
    assert store.identify("CC-T-0001", None, db=db) is None  # type: ignore[arg-type]


def test_a_policy_without_a_date_of_birth_on_file_is_never_identified(db) -> None:
    _holder(db, birth=None)
    assert store.identify("CC-T-0001", "1985-04-12", db=db) is None
    assert store.identify("CC-T-0001", "", db=db) is None


def test_identification_logs_nothing_personal(db, caplog) -> None:
    _holder(db)
    caplog.set_level(logging.DEBUG, logger="actions.claims")
    store.identify("CC-T-0001", "1985-04-12", db=db)
    store.identify("CC-T-0001", "1985-04-13", db=db)
    assert "1985" not in caplog.text and "Holder" not in caplog.text


@pytest.mark.parametrize("typed, stored", [
    ("cc-demo-0001", "CC-DEMO-0001"), (" CC DEMO 0001 ", "CC-DEMO-0001"), ("CC.DEMO.0001", "CC-DEMO-0001"),
    ("cc–demo–0001", "CC-DEMO-0001"), ("cc_demo_0001", "CC-DEMO-0001"), ("CC - DEMO - 0001", "CC-DEMO-0001"),
    ("CC-DEMO-0001", "CC-DEMO-0001"), ("cc0001", "CC0001"),
    ("hello", None), ("", None), (None, None), ("12345", None), ("CC-DEMO-0001; drop table", None),
    ("CC/DEMO/0001", None), ("ABCDEFGH", None), ("C" * 31 + "12", None)])
def test_policy_numbers_are_read_as_typed(typed, stored) -> None:
    assert store.normalise_policy_number(typed) == stored


# --- drafts and filing ---------------------------------------------------------------------------


def _ecommerce_case(db: ClaimsDatabase, number: str = "CC-T-0001", **incident) -> dict:
    return {"today": "2026-11-22", "policy": store.policy_for_case(number, db=db),
            "claimant": {"relation": "policyholder"}, "history": store.history_for(number, db=db),
            "incident": {"cover": "ecommerce", "kind": "non_delivery", "occurred_on": "2026-10-01", "amount": 120.0,
                         "goods_category": "books", "complaint_date": "2026-10-02", "merchant_response": "refused",
                         **incident}}


def test_a_draft_keeps_its_reference_until_it_is_filed(db) -> None:
    _holder(db)
    first = store.save_draft("web-1", "CC-T-0001", "ecommerce", {"amount": 100.0}, language="nl", channel="webchat",
                             db=db)
    again = store.save_draft("web-1", "CC-T-0001", "ecommerce", {"amount": 120.0, "kind": "non_delivery"},
                             language="nl", db=db)
    assert first == again
    draft = store.find_draft("web-1", db=db)
    assert draft["reference"] == first and draft["status"] == "draft" and draft["decision"] is None
    assert draft["case"] == {"amount": 120.0, "kind": "non_delivery"}
    assert draft["channel"] == "webchat" and draft["sender_id"] == "web-1"  # kept when not given again
    assert store.find_draft("someone-else", db=db) is None
    case = _ecommerce_case(db)
    decision = check(case)
    filed = store.file_claim("web-1", "CC-T-0001", "ecommerce", case, decision, language="nl", channel="webchat",
                             summary="Parcel never delivered", db=db)
    assert filed == first
    dossier = store.get_dossier(filed, db=db)
    assert dossier["status"] == "submitted" and dossier["decision"] == decision and dossier["case"] == case
    assert dossier["summary"] == "Parcel never delivered" and dossier["sender_id"] == "web-1"
    assert store.find_draft("web-1", db=db) is None and store.discard_draft("web-1", db=db) is None
    # The paying decision counts in the next check of the same insurance year.
    assert store.history_for("CC-T-0001", db=db) == [{"cover": "ecommerce", "date": "2026-10-01", "paid": 120.0}]
    # The next declaration of the same conversation is a new draft, with a new reference.
    assert store.save_draft("web-1", "CC-T-0001", "data_recovery", {}, language="nl", db=db) != first


def test_a_conversation_has_one_open_draft_and_the_facts_of_the_last_save(db) -> None:
    _holder(db)
    _holder(db, "CC-T-0002")
    mine = store.save_draft("s-1", "CC-T-0001", "ecommerce", {"amount": 10}, language="nl", db=db)
    theirs = store.save_draft("s-2", "CC-T-0002", "ecommerce", {"amount": 20}, language="fr", db=db)
    # Another cover (the user changed their mind) and language: still the same draft.
    assert store.save_draft("s-1", "CC-T-0001", "payment_fraud", {"amount": 30}, language="en", db=db) == mine
    draft = store.find_draft("s-1", db=db)
    assert (draft["cover"], draft["language"], draft["case"]) == ("payment_fraud", "en", {"amount": 30})
    assert store.find_draft("s-2", db=db)["reference"] == theirs != mine
    with db.session() as session:
        drafts = session.scalars(select(ClaimDossier.reference).where(ClaimDossier.sender_id == "s-1",
                                                                      ClaimDossier.status == "draft")).all()
    assert drafts == [mine]


def test_a_leftover_older_draft_gives_way_to_the_newest(db) -> None:
    _holder(db)
    older = store.create_dossier("CC-T-0001", "ecommerce", {"old": True}, None, language="nl", db=db)
    newer = store.create_dossier("CC-T-0001", "ecommerce", {"new": True}, None, language="nl", db=db)
    with db.session() as session:  # two open drafts of one conversation, as a crash could leave them
        for dossier in session.scalars(select(ClaimDossier)):
            dossier.sender_id = "s-1"
    assert store.find_draft("s-1", db=db)["reference"] == newer
    assert store.save_draft("s-1", "CC-T-0001", "ecommerce", {"amount": 1}, language="nl", db=db) == newer
    assert store.get_dossier(older, db=db)["status"] == "withdrawn"


def test_draft_facts_are_stored_with_payment_data_masked(db) -> None:
    _holder(db)
    store.save_draft("s-1", "CC-T-0001", "payment_fraud", {"note": f"my card {CARD}", "amount": 99.5},
                     language="en", db=db)
    case = store.find_draft("s-1", db=db)["case"]
    assert CARD not in str(case) and case == {"note": "my card [card number]", "amount": 99.5}


def test_a_draft_needs_a_known_policy_and_a_conversation(db) -> None:
    _holder(db)
    with pytest.raises(store.UnknownPolicy):
        store.save_draft("s-1", "CC-T-9999", "ecommerce", {}, language="nl", db=db)
    with pytest.raises(ValueError):
        store.save_draft("", "CC-T-0001", "ecommerce", {}, language="nl", db=db)
    with pytest.raises(ValueError):
        store.save_draft("s-1", "CC-T-0001", "car_theft", {}, language="nl", db=db)
    assert store.find_draft("s-1", db=db) is None


def test_a_discarded_draft_is_withdrawn_and_the_next_one_is_new(db) -> None:
    _holder(db)
    reference = store.save_draft("web-3", "CC-T-0001", "payment_fraud", {}, language="en", db=db)
    assert store.discard_draft("web-3", db=db) == reference
    assert store.get_dossier(reference, db=db)["status"] == "withdrawn"
    assert store.find_draft("web-3", db=db) is None and store.discard_draft("web-3", db=db) is None
    assert store.dossiers_of("CC-T-0001", db=db) == []
    assert store.save_draft("web-3", "CC-T-0001", "payment_fraud", {}, language="en", db=db) != reference


def test_filing_without_a_draft_makes_a_new_dossier(db) -> None:
    _holder(db)
    case = _ecommerce_case(db)
    reference = store.file_claim("tg-7", "CC-T-0001", "ecommerce", case, check(case), language="fr",
                                 channel="telegram", db=db)
    dossier = store.get_dossier(reference, db=db)
    assert (dossier["status"], dossier["sender_id"], dossier["channel"], dossier["language"]) == (
        "submitted", "tg-7", "telegram", "fr")


def test_a_refusal_is_filed_but_counts_nothing(db) -> None:
    _holder(db)
    for decision in ("not_covered", "incomplete", "not_yet", "refer"):
        reference = store.file_claim(f"web-{decision}", "CC-T-0001", "data_recovery",
                                     {"incident": {"occurred_on": "2026-11-01"}},
                                     {"decision": decision, "payable_max": None}, language="fr", db=db)
        assert store.get_dossier(reference, db=db)["status"] == "submitted"
    assert store.history_for("CC-T-0001", db=db) == []


def test_filed_claims_count_so_that_a_4th_in_the_year_is_not_covered(db) -> None:
    """Three e-commerce incidents a year: the bot's own filings must fill the counter."""
    _holder(db)
    for month in (7, 8, 9):
        case = _ecommerce_case(db, occurred_on=f"2026-{month:02d}-01", complaint_date=f"2026-{month:02d}-02")
        decision = check(case)
        assert decision["decision"] == "covered"
        store.file_claim(f"web-{month}", "CC-T-0001", "ecommerce", case, decision, language="nl", db=db)
    assert [h["date"] for h in store.history_for("CC-T-0001", db=db)] == ["2026-07-01", "2026-08-01", "2026-09-01"]
    fourth = check(_ecommerce_case(db))
    assert (fourth["decision"], fourth["reasons"]) == ("not_covered", ["annual_incident_limit"])


def test_a_partly_covered_claim_counts_what_the_check_allows(db) -> None:
    _holder(db)
    store.record_accepted_claim("CC-T-0001", "ecommerce", "2026-07-01", 4500, db=db)
    case = _ecommerce_case(db, amount=800.0)
    decision = check(case)
    assert (decision["decision"], decision["payable_max"]) == ("partially_covered", 500.0)
    reference = store.file_claim("web-1", "CC-T-0001", "ecommerce", case, decision, language="nl", db=db)
    assert store.history_for("CC-T-0001", db=db)[-1] == {"cover": "ecommerce", "date": "2026-10-01", "paid": 500.0}
    exported = store.export_policyholder_data("CC-T-0001", db=db)["accepted_claims"]
    assert exported[-1]["dossier_reference"] == reference
    assert check(_ecommerce_case(db, occurred_on="2026-10-15"))["reasons"] == ["annual_amount_limit"]


def test_a_refused_dossier_leaves_the_history(db) -> None:
    _holder(db)
    case = _ecommerce_case(db)
    reference = store.file_claim("web-1", "CC-T-0001", "ecommerce", case, check(case), language="nl", db=db)
    store.update_dossier_status(reference, "handed_off", db=db)
    assert len(store.history_for("CC-T-0001", db=db)) == 1
    store.update_dossier_status(reference, "refused", db=db)
    assert store.history_for("CC-T-0001", db=db) == []


def test_a_completed_dossier_is_counted_once_with_its_new_decision(db) -> None:
    _holder(db)
    reference = store.file_claim("web-1", "CC-T-0001", "ecommerce", {"incident": {"occurred_on": "2026-10-01"}},
                                 {"decision": "incomplete", "payable_max": None}, language="nl", db=db)
    assert store.history_for("CC-T-0001", db=db) == []
    paying = {"decision": "covered", "payable_max": 120.0}
    store.refile_claim(reference, {"incident": {"occurred_on": "2026-10-01"}}, paying, db=db)
    store.refile_claim(reference, {"incident": {"occurred_on": "2026-10-01"}}, {**paying, "payable_max": 90.0}, db=db)
    assert store.history_for("CC-T-0001", db=db) == [{"cover": "ecommerce", "date": "2026-10-01", "paid": 90.0}]
    store.refile_claim(reference, {"incident": {"occurred_on": "2026-10-01"}}, {"decision": "not_covered"}, db=db)
    assert store.history_for("CC-T-0001", db=db) == []


# --- the policyholder's own dossiers -------------------------------------------------------------


def test_only_the_policyholders_own_dossiers_are_shown(db) -> None:
    _holder(db, "CC-T-0001")
    _holder(db, "CC-T-0002")
    first = store.create_dossier("CC-T-0001", "ecommerce", {}, None, language="nl", status="submitted", db=db)
    theirs = store.create_dossier("CC-T-0002", "ecommerce", {}, None, language="nl", status="submitted", db=db)
    withdrawn = store.save_draft("s-1", "CC-T-0001", "data_recovery", {}, language="nl", db=db)
    store.discard_draft("s-1", db=db)
    draft = store.save_draft("s-1", "CC-T-0001", "payment_fraud", {}, language="nl", db=db)
    assert [d["reference"] for d in store.dossiers_of("CC-T-0001", db=db)] == [draft, first]  # newest first
    assert withdrawn not in [d["reference"] for d in store.dossiers_of("CC-T-0001", db=db)]
    assert [d["reference"] for d in store.dossiers_of("CC-T-0002", db=db)] == [theirs]
    assert store.dossiers_of("CC-T-9999", db=db) == []
    assert store.get_dossier_of(first, "CC-T-0001", db=db)["reference"] == first
    assert store.get_dossier_of(first.lower(), "CC-T-0001", db=db)["reference"] == first  # as typed
    assert store.get_dossier_of(theirs, "CC-T-0001", db=db) is None  # exists, but is someone else's
    assert store.get_dossier_of("CC-2026-999999", "CC-T-0001", db=db) is None
    assert store.get_dossier_of(first, "CC-T-9999", db=db) is None


# --- a database made by the previous version ----------------------------------------------------

OLD_SCHEMA = """
CREATE TABLE policyholders (id {pk}, policy_number VARCHAR(32) UNIQUE NOT NULL, name VARCHAR(200) NOT NULL,
  start_date DATE NOT NULL, end_date DATE, country VARCHAR(2) NOT NULL, household_size INTEGER NOT NULL,
  language VARCHAR(2) NOT NULL, email VARCHAR(254), created_at {ts} NOT NULL);
INSERT INTO policyholders (policy_number, name, start_date, end_date, country, household_size, language, email,
  created_at) VALUES ('CC-OLD-0001', 'Old Holder', '2024-01-01', NULL, 'BE', 1, 'nl', NULL, '2024-01-01 00:00:00');
CREATE TABLE claim_dossiers (id {pk}, reference VARCHAR(16) UNIQUE NOT NULL,
  policyholder_id INTEGER NOT NULL REFERENCES policyholders (id), cover VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL, language VARCHAR(2) NOT NULL, case_json JSON NOT NULL, decision_json JSON,
  summary TEXT NOT NULL, created_at {ts} NOT NULL, updated_at {ts} NOT NULL);
INSERT INTO claim_dossiers (reference, policyholder_id, cover, status, language, case_json, summary, created_at,
  updated_at) VALUES ('CC-2025-000001', 1, 'ecommerce', 'submitted', 'nl', '{{"amount": 80}}', 'old one',
  '2025-05-01 10:00:00', '2025-05-01 10:00:00')
"""
NEW_COLUMNS = {"policyholders": {"birth_date"}, "claim_dossiers": {"sender_id", "channel"}}


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database_url(request: pytest.FixtureRequest, tmp_path):
    """The URL of a database with the previous version's tables (no birth date, no conversation)."""
    if request.param == "sqlite":
        url, pk, ts = f"sqlite:///{tmp_path / 'old.db'}", "INTEGER PRIMARY KEY", "DATETIME"
    else:
        url, pk, ts = request.getfixturevalue("postgres_url"), "SERIAL PRIMARY KEY", "TIMESTAMP WITH TIME ZONE"
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        for statement in OLD_SCHEMA.format(pk=pk, ts=ts).split(";"):
            connection.execute(text(statement))
    yield url
    Base.metadata.drop_all(engine)
    engine.dispose()


def test_an_older_database_gets_the_new_columns_and_keeps_its_data(old_database_url) -> None:
    for _ in range(2):  # the upgrade runs on every opening: the second finds nothing to do
        db = ClaimsDatabase(old_database_url)
        inspector = inspect(db.engine)
        for table, columns in NEW_COLUMNS.items():
            assert columns <= {column["name"] for column in inspector.get_columns(table)}
        assert "ix_claim_dossiers_sender_id" in {index["name"] for index in inspector.get_indexes("claim_dossiers")}
        assert {"accepted_claims", "dossier_sequences"} <= set(inspector.get_table_names())
        db.dispose()
    db = ClaimsDatabase(old_database_url)
    policy = store.get_policy("CC-OLD-0001", db=db)
    assert (policy["name"], policy["start_date"], policy["birth_date"]) == ("Old Holder", "2024-01-01", None)
    old = store.get_dossier("CC-2025-000001", db=db)
    assert (old["case"], old["summary"], old["sender_id"], old["channel"]) == ({"amount": 80}, "old one", None, None)
    assert store.identify("CC-OLD-0001", "1980-01-01", db=db) is None  # no date of birth on file yet
    with db.session() as session:
        session.scalar(select(Policyholder).where(Policyholder.policy_number == "CC-OLD-0001")).birth_date = \
            date(1980, 1, 1)
    assert store.identify("cc old 0001", "1980-01-01", db=db)["policy_number"] == "CC-OLD-0001"
    reference = store.save_draft("s", "CC-OLD-0001", "ecommerce", {}, language="nl", db=db)
    assert store.find_draft("s", db=db)["reference"] == reference
    assert [d["reference"] for d in store.dossiers_of("CC-OLD-0001", db=db)] == [reference, "CC-2025-000001"]
    db.dispose()


def test_an_old_sqlite_file_made_with_sqlite3_is_upgraded_in_place(tmp_path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript(OLD_SCHEMA.format(pk="INTEGER PRIMARY KEY", ts="DATETIME") + ";")
    ClaimsDatabase(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as upgraded:
        columns = {row[1] for row in upgraded.execute("PRAGMA table_info(policyholders)")}
        assert upgraded.execute("SELECT name FROM policyholders").fetchall() == [("Old Holder",)]
    assert "birth_date" in columns
