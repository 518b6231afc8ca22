"""Files users send, for every channel: kept by the claims store (actions/claims/files.py checks the
type from the content, the size and the count), then passed to the bot as a message it understands,
`/upload{"file_id": 3, "file_kind": "police_report", "file_name": "pv.pdf"}`: a form that asks for
the police report takes it as that evidence; otherwise the file is added to the dossier."""
from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, Optional

from actions.claims import files
from actions.claims.models import FILE_KINDS

MAX_BYTES = files.MAX_BYTES
FileRefused = files.FileRefused


# Words of a caption (Telegram) that say what a file is; the first kind whose word appears wins.
KIND_WORDS = {
    "police_report": ("pv", "proces-verbaal", "procès-verbal", "proces verbaal", "police report", "politie",
                      "police", "aangifte"),
    "merchant_complaint": ("klacht", "réclamation", "reclamation", "complaint", "plainte"),
    "order_confirmation": ("bestelling", "bestelbevestiging", "commande", "order", "factuur", "facture", "invoice"),
    "screenshot": ("screenshot", "schermafbeelding", "capture"),
}


def kind_of(value: Any) -> str:
    return value if value in FILE_KINDS else "other"


def kind_from_words(text: Optional[str], default: str) -> str:
    """The kind a caption names ("hier is het pv", "ma réclamation"), else `default`."""
    words = f" {(text or '').lower()} "
    for kind, names in KIND_WORDS.items():
        if any(f" {name} " in words or f" {name}." in words or f" {name}," in words for name in names):
            return kind
    return default


async def keep(sender_id: str, data: bytes, name: Optional[str], kind: str, channel: str) -> Dict[str, Any]:
    """Stores the file for the conversation (FileRefused when it is not acceptable)."""
    return await asyncio.to_thread(files.save_file, sender_id, data, name, kind_of(kind), channel=channel)


def upload_message(file: Dict[str, Any]) -> str:
    """What the bot is told: the file's id, kind and name as entities of the intent `upload`."""
    return "/upload" + json.dumps({"file_id": file["id"], "file_kind": file["kind"], "file_name": file["name"]},
                                  ensure_ascii=False)


def public(file: Dict[str, Any]) -> Dict[str, Any]:
    """What the user's page may see of a kept file."""
    return {key: file[key] for key in ("id", "name", "kind", "size", "content_type")}
