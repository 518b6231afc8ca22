"""Office hours: the setting's format, open or closed at a moment (Belgian time), and how they read."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from actions import settings
from actions.handoff import office_hours
from actions.handoff.office_hours import describe, is_open, parse


def brussels(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=office_hours.BELGIUM)


def test_weekday_hours_in_belgian_time():
    hours = parse("mon-fri 09:00-17:00")
    assert is_open(brussels(2026, 11, 30, 9, 0), hours)  # a Monday
    assert not is_open(brussels(2026, 11, 30, 17, 0), hours)
    assert not is_open(brussels(2026, 11, 29, 12, 0), hours)  # a Sunday
    # 08:30 UTC is 09:30 in Brussels in winter.
    assert is_open(datetime(2026, 11, 30, 8, 30, tzinfo=timezone.utc), hours)


def test_several_windows_and_always():
    hours = parse("mon-fri 08:30-18:00; sat 09:00-12:00")
    assert is_open(brussels(2026, 11, 28, 10), hours) and not is_open(brussels(2026, 11, 28, 13), hours)
    assert is_open(brussels(2026, 11, 29, 3), parse("always"))
    assert describe(parse("always"), "fr") == "jour et nuit, 7 jours sur 7"
    assert describe(hours, "nl") == "maandag tot vrijdag, 08:30–18:00; zaterdag, 09:00–12:00"
    assert describe(parse("mon-sun 00:00-24:00"), "en") == "day and night, 7 days a week"
    assert describe(parse("mon-sun 00:00-23:00"), "en") == "Monday to Sunday, 00:00–23:00"


@pytest.mark.parametrize("setting", ["", "weekdays 9-5", "fri-mon 09:00-17:00", "mon 17:00-09:00", "mon 9h-17h"])
def test_a_wrong_setting_is_refused_with_an_example(setting):
    with pytest.raises(ValueError, match="mon-fri 09:00-17:00|ends before|no opening hours"):
        parse(setting)


def test_the_setting_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(office_hours.VARIABLE, "sat 10:00-11:00")
    assert describe(office_hours.configured(), "en") == "Saturday, 10:00–11:00"
    monkeypatch.delenv(office_hours.VARIABLE)
    assert office_hours.configured() == parse(settings.DEFAULT_OFFICE_HOURS)
