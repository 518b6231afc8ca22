"""The action server's settings, read from the environment in this one place (the Rasa server's are in
bot/settings.py).

| variable | default | meaning |
| ACTIONS_HOST / ACTIONS_PORT | 127.0.0.1 / 5055 | where the action server listens |
| ACTIONS_TOKEN | (required) | the secret every caller but /health must send (the launcher makes one per start) |
| CLAIMS_DB_URL | sqlite:///var/cybercare.db | the claims store |
| CYBERCARE_UPLOADS_DIR | var/uploads | evidence files |
| CYBERCARE_OFFICE_HOURS | mon-fri 09:00-17:00 | when people are at the desk |
| CYBERCARE_TODAY | (none: the real day) | a fixed day in Belgium, for the evaluation corpus (`make eval`); never set in use |
"""
from __future__ import annotations

import os
from datetime import date
from typing import Optional

TODAY_VARIABLE = "CYBERCARE_TODAY"
OFFICE_HOURS_VARIABLE = "CYBERCARE_OFFICE_HOURS"
DEFAULT_OFFICE_HOURS = "mon-fri 09:00-17:00"


def fixed_today() -> Optional[date]:
    """The day `CYBERCARE_TODAY` fixes, or None. A malformed value raises ValueError (at start-up)."""
    value = os.environ.get(TODAY_VARIABLE)
    return date.fromisoformat(value) if value else None


def office_hours() -> str:
    return os.environ.get(OFFICE_HOURS_VARIABLE) or DEFAULT_OFFICE_HOURS
