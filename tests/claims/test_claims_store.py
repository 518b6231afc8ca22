"""The store: policies, history in the engine's format, dossiers, statuses, masking."""
from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from actions.claims import store
from actions.claims.db import DEFAULT_URL, database_url, get_database
from actions.claims.models import AcceptedClaim
from actions.coverage import check

CARD = "4111 1111 1111 1111"
IBAN = "BE68 5390 0754 7034"


def _case(history: list[dict], **incident) -> dict:
    return {
        "today": "2026-11-22",
        "policy": {"start_date": "2025-06-01", "end_date": None, "country": "BE"},
        "claimant": {"relation": "policyholder"},
        "history": history,
        "incident": {"cover": "ecommerce", "kind": "non_delivery", "occurred_on": "2026-10-01", "amount": 800.0,
                     "goods_category": "electronics", "complaint_date": "2026-10-02", "merchant_response": "refused",
                     **incident},
    }


def test_tables_are_created_on_opening(db) -> None:
    assert {"policyholders", "accepted_claims", "claim_dossiers", "dossier_sequences"} <= set(
        inspect(db.engine).get_table_names())


def test_policy_and_its_case_form(db, add_policy) -> None:
    add_policy(db, end_date=date(2027, 5, 31))
    assert store.get_policy("CC-T-1", db=db) == {
        "policy_number": "CC-T-1", "name": "Holder CC-T-1", "birth_date": None, "start_date": "2025-06-01", "end_date": "2027-05-31",
        "country": "BE", "household_size": 3, "language": "nl", "email": "cc-t-1@example.org"}
    assert store.policy_for_case("CC-T-1", db=db) == {"start_date": "2025-06-01", "end_date": "2027-05-31",
                                                      "country": "BE"}
    assert store.get_policy("CC-NOPE", db=db) is None
    assert store.policy_for_case("CC-NOPE", db=db) is None


def test_policy_numbers_are_unique(db, add_policy) -> None:
    add_policy(db)
    with pytest.raises(IntegrityError):
        add_policy(db)


def test_history_feeds_the_engine_and_changes_the_decision(db, add_policy) -> None:
    add_policy(db)
    assert check(_case(store.history_for("CC-T-1", db=db)))["decision"] == "covered"
    store.record_accepted_claim("CC-T-1", "ecommerce", date(2026, 7, 1), 2500, db=db)
    store.record_accepted_claim("CC-T-1", "ecommerce", "2026-08-01", 2000.0, db=db)
    history = store.history_for("CC-T-1", db=db)
    assert history == [{"cover": "ecommerce", "date": "2026-07-01", "paid": 2500.0},
                       {"cover": "ecommerce", "date": "2026-08-01", "paid": 2000.0}]
    decision = check(_case(history))
    assert (decision["decision"], decision["payable_max"]) == ("partially_covered", 500.0)


def test_amounts_are_kept_to_the_cent(db, add_policy) -> None:
    add_policy(db)
    store.record_accepted_claim("CC-T-1", "identity_theft", "2026-07-01", 0.1, db=db)
    store.record_accepted_claim("CC-T-1", "identity_theft", "2026-07-02", 0.2, db=db)
    store.record_accepted_claim("CC-T-1", "identity_theft", "2026-07-03", 333.335, db=db)
    assert [h["paid"] for h in store.history_for("CC-T-1", db=db)] == [0.1, 0.2, 333.34]


@pytest.mark.parametrize("cover, amount", [("car_theft", 10), ("ecommerce", -1), ("ecommerce", float("nan"))])
def test_invalid_accepted_claims_are_refused(db, add_policy, cover, amount) -> None:
    add_policy(db)
    with pytest.raises(ValueError):
        store.record_accepted_claim("CC-T-1", cover, "2026-07-01", amount, db=db)


def test_unknown_policy_is_reported(db) -> None:
    with pytest.raises(store.UnknownPolicy):
        store.history_for("CC-NOPE", db=db)
    with pytest.raises(store.UnknownPolicy):
        store.record_accepted_claim("CC-NOPE", "ecommerce", "2026-07-01", 10, db=db)
    with pytest.raises(store.UnknownPolicy):
        store.create_dossier("CC-NOPE", "ecommerce", {}, None, language="nl", db=db)


def test_dossier_life_cycle(db, add_policy) -> None:
    add_policy(db, language="fr")
    case = _case([])
    decision = check(case)
    reference = store.create_dossier("CC-T-1", "ecommerce", case, decision, language="fr",
                                     summary="Colis jamais livré", db=db)
    assert re.fullmatch(r"CC-\d{4}-\d{6}", reference)
    dossier = store.get_dossier(reference, db=db)
    assert {k: dossier[k] for k in ("reference", "policy_number", "cover", "status", "language", "summary")} == {
        "reference": reference, "policy_number": "CC-T-1", "cover": "ecommerce", "status": "draft",
        "language": "fr", "summary": "Colis jamais livré"}
    assert dossier["case"] == case and dossier["decision"] == decision
    assert dossier["created_at"] == dossier["updated_at"]

    updated = store.update_dossier_status(reference, "handed_off", db=db)
    assert updated["status"] == "handed_off" == store.get_dossier(reference, db=db)["status"]
    assert updated["updated_at"] > updated["created_at"]
    refused = store.update_dossier_status(reference, "refused", decision={**decision, "decision": "refer"}, db=db)
    assert refused["decision"]["decision"] == "refer"
    assert store.get_dossier("CC-2026-999999", db=db) is None


def test_dossier_statuses_and_languages_are_checked(db, add_policy) -> None:
    add_policy(db)
    reference = store.create_dossier("CC-T-1", "ecommerce", {}, None, language="nl", db=db)
    with pytest.raises(ValueError):
        store.update_dossier_status(reference, "lost", db=db)
    with pytest.raises(store.UnknownDossier):
        store.update_dossier_status("CC-2026-999999", "submitted", db=db)
    with pytest.raises(ValueError):
        store.create_dossier("CC-T-1", "ecommerce", {}, None, language="de", db=db)
    with pytest.raises(IntegrityError), db.session() as session:  # the database refuses it too
        session.add(AcceptedClaim(policyholder_id=1, cover="ecommerce", occurred_on=date(2026, 1, 1),
                                  amount_paid_cents=-5))
        session.flush()


def test_payment_data_never_stored_nor_logged(db, add_policy, caplog) -> None:
    add_policy(db)
    caplog.set_level(logging.DEBUG)
    case = _case([], merchant_note=f"paid with card {CARD}, refund to {IBAN}")
    reference = store.create_dossier("CC-T-1", "ecommerce", case, None, language="nl",
                                     summary=f"Kaart {CARD}, rekening {IBAN}, bestelling 1234567890123", db=db)
    dossier = store.get_dossier(reference, db=db)
    stored = f"{dossier['summary']} {dossier['case']}"
    assert CARD not in stored and IBAN not in stored and "BE68" not in stored
    assert "[card number]" in dossier["summary"] and "[IBAN]" in dossier["summary"]
    assert "1234567890123" in dossier["summary"]  # an order number is not a card number
    assert CARD not in caplog.text and IBAN not in caplog.text and reference in caplog.text


def test_default_database_comes_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("CLAIMS_DB_URL", raising=False)
    assert database_url() == DEFAULT_URL and DEFAULT_URL.endswith("/var/cybercare.db")
    url = f"sqlite:///{tmp_path / 'nested' / 'env.db'}"
    monkeypatch.setenv("CLAIMS_DB_URL", url)
    database = get_database()
    assert database.url == url and database is get_database()
    assert (tmp_path / "nested" / "env.db").exists()
    database.dispose()


def test_a_failed_query_never_shows_its_parameters(db, tmp_path) -> None:
    """hide_parameters on the engines: an error (and the log line made of it) carries no date of birth."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from actions.claims import conversations

    with pytest.raises(DBAPIError) as failed:
        with db.session() as session:
            session.execute(text("SELECT * FROM no_such_table WHERE born = :born"), {"born": "1985-04-12"})
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(failed.value)
    if db.engine.dialect.name == "sqlite":  # psycopg2 sends the values inside the query: PostgreSQL may quote it
        assert "1985-04-12" not in str(failed.value)
    tracker = tmp_path / "tracker.db"
    tracker.write_bytes(b"")  # an empty SQLite file: no events table yet
    with conversations._events_of(f"sqlite:///{tracker}") as connection:
        assert connection is None
    from sqlalchemy import create_engine
    engine = create_engine(f"sqlite:///{tracker}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                                   "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)")
    engine.dispose()
    with conversations._events_of(f"sqlite:///{tracker}") as connection:
        assert connection.engine.hide_parameters
