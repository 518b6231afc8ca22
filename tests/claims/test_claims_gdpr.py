"""Export and erasure of a policyholder's personal data."""
from __future__ import annotations

import json

from actions.claims import handoffs, store


def _fill(db, add_policy, number: str) -> str:
    add_policy(db, number, language="en")
    store.record_accepted_claim(number, "ecommerce", "2026-07-01", 120.5, db=db)
    reference = store.create_dossier(number, "identity_theft", {"incident": {"cover": "identity_theft"}},
                                     {"decision": "incomplete"}, language="en", summary="ID card stolen", db=db)
    handoffs.open_handoff(f"web-{number}", language="en", channel="webchat", reason="claim_filed",
                          policy_number=number, reference=reference, db=db)
    return reference


def test_export_holds_everything_about_the_policyholder(db, add_policy) -> None:
    reference = _fill(db, add_policy, "CC-A")
    _fill(db, add_policy, "CC-B")
    exported = store.export_policyholder_data("CC-A", db=db)
    assert json.loads(json.dumps(exported)) == exported  # JSON-ready
    assert exported["policyholder"]["name"] == "Holder CC-A"
    assert exported["policyholder"]["email"] == "cc-a@example.org"
    assert [(c["cover"], c["occurred_on"], c["amount_paid"]) for c in exported["accepted_claims"]] == [
        ("ecommerce", "2026-07-01", 120.5)]
    assert [(d["reference"], d["summary"], d["decision"]) for d in exported["dossiers"]] == [
        (reference, "ID card stolen", {"decision": "incomplete"})]
    assert [(h["sender_id"], h["reference"], h["status"]) for h in exported["handoffs"]] == [
        ("web-CC-A", reference, "waiting")]
    assert store.export_policyholder_data("CC-NOPE", db=db) is None


def test_erase_removes_the_policyholder_and_only_them(db, add_policy) -> None:
    add_policy(db, "CC-A", language="en")
    reference = store.create_dossier("CC-A", "identity_theft", {"incident": {"cover": "identity_theft"}},
                                     {"decision": "incomplete"}, language="en", summary="ID card stolen", db=db)
    handoffs.open_handoff("web-CC-A", language="en", channel="webchat", reason="claim_filed",
                          policy_number="CC-A", reference=reference, db=db)
    kept = _fill(db, add_policy, "CC-B")
    assert store.erase_policyholder_data("CC-A", db=db) == {"policyholders": 1, "accepted_claims_kept": 0,
                                                        "dossiers": 1, "handoffs": 1, "files": 0}
    assert store.get_policy("CC-A", db=db) is None
    assert store.get_dossier(reference, db=db) is None
    assert store.export_policyholder_data("CC-A", db=db) is None
    assert store.get_dossier(kept, db=db) is not None
    assert handoffs.open_handoff_of("web-CC-A", db=db) is None and handoffs.open_handoff_of("web-CC-B", db=db)
    assert store.history_for("CC-B", db=db) == [{"cover": "ecommerce", "date": "2026-07-01", "paid": 120.5}]
    assert store.erase_policyholder_data("CC-A", db=db) == {"policyholders": 0, "accepted_claims_kept": 0,
                                                        "dossiers": 0, "handoffs": 0, "files": 0}


def test_erase_keeps_paid_claims_on_a_bare_policy_number(db, add_policy) -> None:
    """What the insurer must keep (claims it paid: accounting, the 12-month limits) stays, tied to the
    policy number alone; the person behind it is gone and can no longer be identified."""
    reference = _fill(db, add_policy, "CC-A")
    assert store.erase_policyholder_data("CC-A", db=db) == {"policyholders": 1, "accepted_claims_kept": 1,
                                                        "dossiers": 1, "handoffs": 1, "files": 0}
    left = store.export_policyholder_data("CC-A", db=db)
    assert left["policyholder"]["name"] == store.ERASED_NAME
    assert left["policyholder"]["email"] is None and left["policyholder"].get("birth_date") is None
    assert left["dossiers"] == [] and left["handoffs"] == []
    assert store.get_dossier(reference, db=db) is None
    assert store.history_for("CC-A", db=db) == [{"cover": "ecommerce", "date": "2026-07-01", "paid": 120.5}]
    # Erasing again finds nothing more to erase.
    assert store.erase_policyholder_data("CC-A", db=db) == {"policyholders": 0, "accepted_claims_kept": 0,
                                                        "dossiers": 0, "handoffs": 0, "files": 0}
