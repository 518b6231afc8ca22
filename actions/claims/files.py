"""Evidence files: checked, stored on disk, linked to dossiers.

The type is read from the content (the `filetype` library's magic numbers), never from the name or
the type the client claims. Accepted: JPEG, PNG, HEIC/HEIF photos and PDF, at most 10 MB a file and
10 files a conversation's claim. Bytes go to `CYBERCARE_UPLOADS_DIR` (default var/uploads) under a
random name; nothing there is served except to an agent of the desk.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import secrets
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

import filetype
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from .db import REPO_ROOT, ClaimsDatabase, get_database
from .models import FILE_KINDS, ClaimDossier, EvidenceFile, utc_now
from .redact import mask_payment_data

logger = logging.getLogger(__name__)

DIRECTORY_VARIABLE = "CYBERCARE_UPLOADS_DIR"
MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# A file no dossier holds after this long was sent in a declaration that never came to a draft (or by
# someone filling the disk): it goes, at the next upload and at each purge-conversations.
UNLINKED_KEPT_FOR = timedelta(hours=24)
ACCEPTED = {"image/jpeg": "jpg", "image/png": "png", "image/heic": "heic", "image/heif": "heif",
            "application/pdf": "pdf"}


class FileRefused(ValueError):
    """A file that is not kept; `code` names the user's message (bot/channels/messages.yml)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def directory() -> Path:
    path = Path(os.environ.get(DIRECTORY_VARIABLE) or REPO_ROOT / "var" / "uploads")
    path.mkdir(parents=True, exist_ok=True)
    return path


def content_type_of(data: bytes) -> str | None:
    """The accepted type the bytes really are, or None."""
    kind = filetype.guess(data[:8192])
    return kind.mime if kind and kind.mime in ACCEPTED else None


def clean_name(name: str | None, extension: str) -> str:
    """The user's file name without paths or control characters, at most 120 characters, with card
    numbers and IBANs masked ("kaart 4111 1111 1111 1111.pdf"): the name reaches the tracker too."""
    base = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] not in "C").strip(" .")
    base = mask_payment_data(re.sub(r"\s+", " ", base))[:120]
    return base or f"document.{extension}"


def save_file(sender_id: str, data: bytes, name: str | None, kind: str = "other", *, channel: str | None = None,
              db: ClaimsDatabase | None = None) -> dict[str, Any]:
    """Checks and keeps a file for the conversation; returns it. FileRefused: "file_empty",
    "file_too_big", "file_type", "too_many_files"."""
    if kind not in FILE_KINDS:
        kind = "other"
    if not data:
        raise FileRefused("file_empty")
    if len(data) > MAX_BYTES:
        raise FileRefused("file_too_big")
    content_type = content_type_of(data)
    if content_type is None:
        raise FileRefused("file_type")
    database = db or get_database()
    delete_stale_unlinked(db=database)
    with database.session() as session:
        if _count_for_claim(session, sender_id) >= MAX_FILES:
            raise FileRefused("too_many_files")
        storage_name = f"{secrets.token_hex(16)}.{ACCEPTED[content_type]}"
        path = directory() / storage_name
        path.write_bytes(data)
        try:
            row = EvidenceFile(sender_id=sender_id, kind=kind, name=clean_name(name, ACCEPTED[content_type]),
                               content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                               storage_name=storage_name, channel=channel,
                               reference=_open_draft_reference(session, sender_id))
            session.add(row)
            session.flush()
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        logger.info("file %d kept (%s, %d bytes)", row.id, content_type, len(data))
        return _data(row)


def link_pending(session: Session, sender_id: str, reference: str) -> int:
    """Links the conversation's files that have no dossier yet to `reference` (in the caller's
    transaction: save_draft and file_claim call it)."""
    return session.execute(update(EvidenceFile).where(EvidenceFile.sender_id == sender_id,
                                                      EvidenceFile.reference.is_(None))
                           .values(reference=reference).execution_options(synchronize_session=False)).rowcount


def link_file(file_id: int, sender_id: str, reference: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """Links one of the conversation's files to a dossier (a file sent after the claim was filed)."""
    with (db or get_database()).session() as session:
        row = session.scalar(select(EvidenceFile).where(EvidenceFile.id == file_id,
                                                        EvidenceFile.sender_id == sender_id))
        if row is None:
            return None
        row.reference = reference
        return _data(row)


def get_file(file_id: int, sender_id: str, *, db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    with (db or get_database()).session() as session:
        row = session.scalar(select(EvidenceFile).where(EvidenceFile.id == file_id,
                                                        EvidenceFile.sender_id == sender_id))
        return _data(row) if row else None


def files_of(sender_id: str, reference: str | None = None, *, db: ClaimsDatabase | None = None) -> list[dict[str, Any]]:
    """The conversation's files, and those of the dossier `reference` if given."""
    with (db or get_database()).session() as session:
        condition = EvidenceFile.sender_id == sender_id
        if reference:
            condition = or_(condition, EvidenceFile.reference == reference)
        return [_data(row) for row in session.scalars(select(EvidenceFile).where(condition).order_by(EvidenceFile.id))]


def sent_file(entities: Iterable[Mapping[str, Any]], sender_id: str, *,
              db: ClaimsDatabase | None = None) -> dict[str, Any] | None:
    """The file a channel's `/upload{"file_id", ...}` message names, if it is one of this conversation's
    (a typed payload names none)."""
    file_id = str(next((e.get("value") for e in entities if e.get("entity") == "file_id"), ""))
    return get_file(int(file_id), sender_id, db=db) if file_id.isdigit() else None


def read_bytes(file: dict[str, Any]) -> bytes:
    return (directory() / file["storage_name"]).read_bytes()


def files_of_dossiers(session: Session, references: list[str]) -> list[EvidenceFile]:
    if not references:
        return []
    return list(session.scalars(select(EvidenceFile).where(EvidenceFile.reference.in_(references))
                                .order_by(EvidenceFile.id)))


def exported(row: EvidenceFile) -> dict[str, Any]:
    """A file in a person's GDPR export: what it is, and its bytes (base64; None if gone from disk)."""
    try:
        content = base64.b64encode((directory() / row.storage_name).read_bytes()).decode("ascii")
    except OSError:
        content = None
    received = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
    return {"id": row.id, "reference": row.reference, "kind": row.kind, "name": row.name,
            "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
            "received_at": received.isoformat(), "content_base64": content}


def delete_rows_and_bytes(session: Session, rows: list[EvidenceFile]) -> int:
    """Erasure: the rows and the bytes on disk."""
    for row in rows:
        (directory() / row.storage_name).unlink(missing_ok=True)
        session.delete(row)
    return len(rows)


def delete_stale_unlinked(*, db: ClaimsDatabase | None = None, now: datetime | None = None) -> int:
    """Deletes the files (rows and bytes) that no dossier holds and that came more than
    UNLINKED_KEPT_FOR ago; returns how many. Run at each upload, so the disk used is bounded by what
    one day of uploads brings even where nobody schedules the purge, and by purge-conversations."""
    cutoff = (now or utc_now()) - UNLINKED_KEPT_FOR
    with (db or get_database()).session() as session:
        stale = list(session.scalars(select(EvidenceFile).where(EvidenceFile.reference.is_(None),
                                                                EvidenceFile.created_at < cutoff)))
        return delete_rows_and_bytes(session, stale)


def _open_draft_reference(session: Session, sender_id: str) -> str | None:
    return session.scalar(select(ClaimDossier.reference).where(ClaimDossier.sender_id == sender_id,
                                                               ClaimDossier.status == "draft")
                          .order_by(ClaimDossier.id.desc()).limit(1))


def _count_for_claim(session: Session, sender_id: str) -> int:
    """Files of the conversation's claim in progress: not linked yet, or linked to its open draft."""
    draft = _open_draft_reference(session, sender_id)
    condition = EvidenceFile.reference.is_(None)
    if draft:
        condition = or_(condition, EvidenceFile.reference == draft)
    return int(session.scalar(select(func.count(EvidenceFile.id)).where(EvidenceFile.sender_id == sender_id,
                                                                        condition)) or 0)


def _data(row: EvidenceFile) -> dict[str, Any]:
    return {"id": row.id, "sender_id": row.sender_id, "reference": row.reference, "kind": row.kind, "name": row.name,
            "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
            "storage_name": row.storage_name, "channel": row.channel,
            "created_at": row.created_at.isoformat() if row.created_at else None}
