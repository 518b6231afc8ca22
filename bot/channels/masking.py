"""Card numbers, IBANs and Belgian national register numbers are masked before a message reaches
Rasa: the assistant never needs them, so they are in neither the tracker store, the logs, the
dossier nor the desk. The user is told once per conversation (kept in this process), kindly."""
from __future__ import annotations

from collections import OrderedDict
from typing import Tuple

from actions.claims.redact import mask_personal_numbers

_TOLD_MAX = 10_000
_told: "OrderedDict[str, None]" = OrderedDict()


NOTICE = "personal_number_masked"  # its texts: bot/channels/messages.yml


def mask_message(sender_id: str, text: str) -> Tuple[str, bool]:
    """(the text Rasa may see, whether to tell the user: the first time something was masked)."""
    masked, found = mask_personal_numbers(text)
    if not found or sender_id in _told:
        return masked, False
    _told[sender_id] = None
    if len(_told) > _TOLD_MAX:
        _told.popitem(last=False)
    return masked, True
