"""Dossier references: readable, per year, unique and gap-free under concurrent creation."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from actions.claims import store

THREADS, PER_THREAD = 8, 5


def _create(db, when: datetime) -> str:
    return store.create_dossier("CC-T-1", "ecommerce", {"incident": {}}, None, language="nl", db=db, now=when)


def test_references_are_readable_and_numbered_per_year(db, add_policy) -> None:
    add_policy(db)
    in_2026 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
    assert [_create(db, in_2026) for _ in range(3)] == ["CC-2026-000001", "CC-2026-000002", "CC-2026-000003"]
    # 23:30 UTC on 31 December is already 1 January in Brussels: a new year, a new sequence
    assert _create(db, datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)) == "CC-2027-000001"
    assert _create(db, in_2026) == "CC-2026-000004"


def test_concurrent_creation_gives_unique_sequential_references(db, add_policy) -> None:
    add_policy(db)
    start = threading.Barrier(THREADS)
    when = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
    references: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            start.wait()
            for _ in range(PER_THREAD):
                reference = _create(db, when)
                with lock:
                    references.append(reference)
        except BaseException as error:  # reported below, with the references
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    total = THREADS * PER_THREAD
    assert sorted(references) == [f"CC-2026-{n:06d}" for n in range(1, total + 1)]
    assert all(store.get_dossier(reference, db=db) for reference in references)
