"""The day in Belgium: the day a declaration is made on, and the `today` of every evidence reading and
coverage check. `CYBERCARE_TODAY` (actions/settings.py) fixes it for the evaluation corpus."""
from __future__ import annotations

from datetime import date, datetime

from actions import settings
from actions.constants import BELGIUM


def today_in_belgium() -> date:
    return settings.fixed_today() or datetime.now(BELGIUM).date()
