"""When people are at the desk. The product documents give no hours, so they are a setting:
`CYBERCARE_OFFICE_HOURS`, e.g. "mon-fri 09:00-17:00" or "mon-fri 08:30-18:00; sat 09:00-12:00", or
"always"; Belgian time. Outside them the user is told nobody is there now, that they will be
contacted, and the 24/7 line for what cannot wait."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import List, Optional, Tuple

from actions import settings
from actions.constants import BELGIUM

VARIABLE = settings.OFFICE_HOURS_VARIABLE
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
TO = {"nl": "tot", "fr": "au", "en": "to"}
ALWAYS = {"nl": "dag en nacht, 7 dagen op 7", "fr": "jour et nuit, 7 jours sur 7", "en": "day and night, 7 days a week"}
_RANGE = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?\s+"
                    r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class Window:
    first_day: int
    last_day: int
    opens: time
    closes: time  # time(0) stands for 24:00

    def contains(self, moment: datetime) -> bool:
        closes_at = self.closes if self.closes != time(0) else time.max
        return self.first_day <= moment.weekday() <= self.last_day and self.opens <= moment.time() < closes_at

    def describe(self, lang: str) -> str:
        names = DAY_NAMES[lang]
        days = names[self.first_day] if self.first_day == self.last_day else \
            f"{names[self.first_day]} {TO[lang]} {names[self.last_day]}"
        closes = "24:00" if self.closes == time(0) else f"{self.closes:%H:%M}"
        return f"{days}, {self.opens:%H:%M}–{closes}"


def parse(setting: str) -> Tuple[Window, ...]:
    """"mon-fri 09:00-17:00; sat 09:00-12:00" -> windows; "always" -> every day all day.
    ValueError on anything else, so a typo in the setting stops the server at start, not a user."""
    setting = (setting or "").strip().lower()
    if setting == "always":
        return (Window(0, 6, time(0), time(0)),)
    windows: List[Window] = []
    for part in filter(None, (piece.strip() for piece in setting.split(";"))):
        match = _RANGE.match(part)
        if not match:
            raise ValueError(f"{VARIABLE}: {part!r} is not like 'mon-fri 09:00-17:00'")
        first, last, h1, m1, h2, m2 = match.groups()
        opens = time(int(h1), int(m1))
        closes = time(0) if (int(h2), int(m2)) == (24, 0) else time(int(h2), int(m2))
        first_day, last_day = DAYS.index(first), DAYS.index(last or first)
        if last_day < first_day or (closes != time(0) and closes <= opens):
            raise ValueError(f"{VARIABLE}: {part!r} ends before it starts")
        windows.append(Window(first_day, last_day, opens, closes))
    if not windows:
        raise ValueError(f"{VARIABLE}: no opening hours in {setting!r}")
    return tuple(windows)


def configured() -> Tuple[Window, ...]:
    return parse(settings.office_hours())


def next_opening(moment: datetime, windows: Tuple[Window, ...]) -> Optional[datetime]:
    """When the desk opens next after `moment` (Belgian time), within a week; None when it is open always."""
    local = moment.astimezone(BELGIUM).replace(second=0, microsecond=0)
    for step in range(1, 7 * 24 * 4 + 1):  # quarter hours, a week ahead
        later = local + timedelta(minutes=15 * step)
        later = later.replace(minute=later.minute - later.minute % 15)
        if any(window.contains(later) for window in windows):
            return later
    return None


def describe_opening(moment: datetime, lang: str) -> str:
    """"maandag 09:00", "lundi 09:00", "Monday 09:00"."""
    return f"{DAY_NAMES[lang][moment.weekday()]} {moment:%H:%M}"


def is_open(moment: datetime, windows: Tuple[Window, ...]) -> bool:
    local = moment.astimezone(BELGIUM)
    return any(window.contains(local) for window in windows)


def describe(windows: Tuple[Window, ...], lang: str) -> str:
    if len(windows) == 1 and windows[0] == Window(0, 6, time(0), time(0)):
        return ALWAYS[lang]
    return "; ".join(window.describe(lang) for window in windows)
