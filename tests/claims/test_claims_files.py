"""Evidence files: the type from the content, the limits, linking to the dossier (also for files sent
before identification), and the GDPR export and erasure (bytes on disk included)."""
from __future__ import annotations

import base64

import pytest

from actions.claims import files, store

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200


@pytest.fixture(autouse=True)
def uploads(tmp_path, monkeypatch):
    monkeypatch.setenv(files.DIRECTORY_VARIABLE, str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def test_the_type_comes_from_the_content_not_the_name(db, uploads):
    kept = files.save_file("web-1", PDF, "../../etc/klacht.pdf", "merchant_complaint", channel="webchat", db=db)
    assert (kept["content_type"], kept["name"], kept["kind"]) == ("application/pdf", "klacht.pdf", "merchant_complaint")
    assert (uploads / kept["storage_name"]).read_bytes() == PDF and "klacht" not in kept["storage_name"]
    assert files.save_file("web-1", PNG, "scan.pdf", "photo", db=db)["content_type"] == "image/png"
    for data, code in ((ELF, "file_type"), (b"just text, renamed.pdf", "file_type"), (b"", "file_empty"),
                       (PDF + b"\x00" * files.MAX_BYTES, "file_too_big")):
        with pytest.raises(files.FileRefused) as refused:
            files.save_file("web-1", data, "invoice.pdf", db=db)
        assert refused.value.code == code
    assert len(list(uploads.iterdir())) == 2  # nothing refused was written


def test_at_most_ten_files_for_a_claim_and_an_unknown_kind_is_other(db):
    for number in range(files.MAX_FILES):
        assert files.save_file("web-2", PDF, f"{number}.pdf", "bogus", db=db)["kind"] == "other"
    with pytest.raises(files.FileRefused) as refused:
        files.save_file("web-2", PDF, "11.pdf", db=db)
    assert refused.value.code == "too_many_files"


def test_files_sent_before_identification_are_linked_when_the_draft_is_saved(db, add_policy):
    add_policy(db, "CC-F-1")
    early = files.save_file("web-3", PDF, "pv.pdf", "police_report", db=db)
    assert early["reference"] is None
    reference = store.save_draft("web-3", "CC-F-1", "identity_theft", {"occurred_on": "2026-11-01"}, language="nl",
                                 db=db)
    later = files.save_file("web-3", PNG, "screen.png", "screenshot", db=db)
    assert later["reference"] == reference
    assert [f["reference"] for f in files.files_of("web-3", db=db)] == [reference, reference]
    assert files.get_file(early["id"], "another-conversation", db=db) is None


def test_export_has_the_files_and_erasure_deletes_them_from_disk(db, add_policy, uploads):
    add_policy(db, "CC-F-2")
    kept = files.save_file("web-4", PDF, "klacht.pdf", "merchant_complaint", db=db)
    store.save_draft("web-4", "CC-F-2", "ecommerce", {"amount": 20}, language="fr", db=db)
    exported = store.export_policyholder_data("CC-F-2", db=db)["files"]
    assert [(f["name"], f["kind"]) for f in exported] == [("klacht.pdf", "merchant_complaint")]
    assert base64.b64decode(exported[0]["content_base64"]) == PDF
    erased = store.erase_policyholder_data("CC-F-2", db=db)
    assert erased["files"] == 1 and not (uploads / kept["storage_name"]).exists()
    assert files.get_file(kept["id"], "web-4", db=db) is None


def test_a_file_no_dossier_holds_is_deleted_after_a_day_and_a_held_one_stays(db, uploads, add_policy):
    from datetime import timedelta

    from actions.claims.models import EvidenceFile, utc_now

    add_policy(db, "CC-F-1")
    stray = files.save_file("web-stray", PDF, "a.pdf", db=db)
    held = files.save_file("web-held", PDF, "b.pdf", db=db)
    store.save_draft("web-held", "CC-F-1", "ecommerce", {}, language="nl", db=db)  # links b.pdf
    assert files.delete_stale_unlinked(db=db) == 0  # both are fresh
    with db.session() as session:  # a day and an hour later
        for row in session.query(EvidenceFile):
            row.created_at = utc_now() - timedelta(hours=25)
    files.save_file("web-new", PDF, "c.pdf", db=db)  # the next upload clears what is stale
    assert not (uploads / stray["storage_name"]).exists()
    assert files.get_file(stray["id"], "web-stray", db=db) is None
    assert files.get_file(held["id"], "web-held", db=db) is not None and (uploads / held["storage_name"]).exists()


@pytest.mark.parametrize("name, kept", [("kaart 4111 1111 1111 1111.pdf", "kaart [card number].pdf"),
                                        ("BE68\u00a05390\u00a00754\u00a07034.pdf", "[IBAN].pdf")])
def test_a_file_name_is_kept_with_personal_numbers_masked(db, uploads, name, kept):
    assert files.save_file("web-1", PDF, name, db=db)["name"] == kept
