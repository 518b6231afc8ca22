"""Card numbers, IBANs and Belgian national register numbers are masked before a message reaches
Rasa: the assistant never needs them, so they are in neither the tracker store, the logs, the
dossier nor the desk. The user is told once per conversation, kindly; "told" is kept where the rate
limit counts are (bot/channels/rate_limit.py: this process, or Redis shared by all workers)."""
from __future__ import annotations

import os
from typing import Optional, Tuple

from actions.claims.redact import mask_personal_numbers
from bot.channels.rate_limit import Backend, BackendUnavailable, shared_backend

NOTICE = "personal_number_masked"  # its texts: bot/channels/messages.yml
TOLD_FOR = 30 * 24 * 3600.0  # seconds: longer than any conversation


async def mask_message(sender_id: str, text: str, memory: Optional[Backend] = None) -> Tuple[str, bool]:
    """(the text Rasa may see, whether to tell the user: the first time something was masked)."""
    masked, found = mask_personal_numbers(text)
    if not found:
        return masked, False
    memory = memory or shared_backend(os.environ.get("REDIS_URL") or None)
    try:
        return masked, await memory.first_time(f"told:{sender_id}", TOLD_FOR)
    except BackendUnavailable:  # telling twice is better than never
        return masked, True
