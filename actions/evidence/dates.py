"""Dates in nl/fr/en free text: absolute ("op 12 oktober", "3.11.2026", "12/10") and relative
("gisteren", "il y a 10 jours", "three weeks ago", "vorige week woensdag", "last Friday").

A thin layer of patterns of our own for what dateparser 1.2 misses or splits (Dutch relative dates,
dotted dates, bare day numbers "the 12th", "le premier octobre"), then dateparser's `search_dates`
on what is left. Past events: a day written without a year is its most recent occurrence on or
before `today`; a date that is still in the future is reported apart (`future`), never moved.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import List, Optional, Tuple

from dateparser.search import search_dates

MONTHS = {
    # nl
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    # fr
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "decembre": 12,
    # en
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    # common short forms
    "jan": 1, "feb": 2, "fev": 2, "mrt": 3, "apr": 4, "avr": 4, "jun": 6, "jul": 7, "juil": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
NUMBER_WORDS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
    "elf": 11, "twaalf": 12, "veertien": 14, "vijftien": 15, "twintig": 20, "dertig": 30,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "couple": 2,
}
UNITS = {
    "dag": 1, "dagen": 1, "jour": 1, "jours": 1, "day": 1, "days": 1,
    "week": 7, "weken": 7, "semaine": 7, "semaines": 7, "weeks": 7,
    "maand": 30, "maanden": 30, "mois": 30, "month": 30, "months": 30,
}
DAY_WORDS = {"vandaag": 0, "gisteren": 1, "eergisteren": 2, "aujourd'hui": 0, "aujourdhui": 0, "hier": 1,
             "avant-hier": 2, "today": 0, "yesterday": 1, "morgen": -1, "demain": -1, "tomorrow": -1,
             "overmorgen": -2, "apres-demain": -2}
PREVIOUS = r"(?:vorige|afgelopen|verleden|laatste|last|past|previous|dernier|derniere|passe|passee)"
NEXT = r"(?:volgende|komende|next|prochain|prochaine)"
FIRST = r"(?:1er|1e|premier|premiere|first|eerste)"


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@dataclass(frozen=True)
class FoundDate:
    day: date
    start: int
    end: int
    future: bool = False


_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
_NUMBER = r"(\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = "(" + "|".join(sorted(UNITS, key=len, reverse=True)) + ")"
_PATTERNS: List[Tuple[str, "re.Pattern[str]"]] = [
    # 12/10/2026, 3.11.2026, 12-10-26, 12/10
    ("numeric", re.compile(r"(?<![\w./-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\w/-]|\.\d)")),
    ("iso", re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")),
    # 12 oktober 2026, 2 octobre, le premier octobre, 1er mars
    ("day_month", re.compile(r"(?<!\w)(\d{1,2}|" + FIRST + r")(?:e|de|ste|th|st|nd|rd)?\s+(?:of\s+)?(" + _MONTH_NAMES
                             + r")\.?(?:\s+(\d{4}))?(?!\w)")),
    # October 2nd, December 2
    ("month_day", re.compile(r"(?<!\w)(" + _MONTH_NAMES + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?!\w)")),
    # three weeks ago, il y a 10 jours, twee weken geleden, 40 days ago
    ("ago", re.compile(r"(?<!\w)(?:il y a\s+|voici\s+|about\s+|ongeveer\s+|environ\s+)?" + _NUMBER + r"\s+" + _UNIT
                       + r"(?:\s+(?:geleden|ago|terug))?(?!\w)")),
    # vorige week woensdag / woensdag vorige week
    ("last_week_day", re.compile(r"(?<!\w)(?:vorige|afgelopen) week\s+(" + _WEEKDAY_NAMES + r")(?!\w)|(?<!\w)("
                                 + _WEEKDAY_NAMES + r")\s+(?:van\s+)?(?:vorige|de vorige|la semaine derniere|last week)(?!\w)")),
    # vorige vrijdag, last Friday, vendredi dernier, le vendredi passé, next monday
    ("weekday", re.compile(r"(?<!\w)(?:(" + PREVIOUS + "|" + NEXT + r")\s+)?(" + _WEEKDAY_NAMES + r")(?:\s+("
                           + PREVIOUS + "|" + NEXT + r"))?(?!\w)")),
    ("day_word", re.compile(r"(?<![\w-])(eergisteren|gisteren|vandaag|overmorgen|morgen|avant-hier|aujourd'?hui|"
                            r"apres-demain|demain|hier|today|yesterday|tomorrow)(?![\w-])")),
    # the 12th, le 12, op de 12de, de 12e
    ("bare_day", re.compile(r"(?<!\w)(?:the|le|op de|de|on the)\s+(\d{1,2})(?:st|nd|rd|th|e|de|ste)?(?![\w/.:,-]|\s*(?:euro|eur|€|%))")),
]
_TIME = re.compile(r"\b\d{1,2}\s*(?:u|h|uur|:\d{2})\b")


def find_dates(text: str, lang: str, today: date) -> List[FoundDate]:
    """Every date in `text`, in order of appearance (future ones flagged, not dropped)."""
    folded = fold(text)
    taken: List[Tuple[int, int]] = []
    found: List[FoundDate] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if kind == "day_word" and not _word_in_language(match.group(1), lang):
                continue
            day = _read(kind, match, today)
            if day is None:
                if kind == "ago":  # "3 weken" is a duration: not a date for dateparser either
                    taken.append((match.start(), match.end()))
                continue
            taken.append((match.start(), match.end()))
            found.append(FoundDate(day, match.start(), match.end(), day > today))
    found += _dateparser_dates(text, folded, lang, today, taken)
    return sorted(found, key=lambda f: f.start)


def _read(kind: str, m: "re.Match[str]", today: date) -> Optional[date]:
    if kind == "numeric":
        day, month, year = int(m.group(1)), int(m.group(3)), m.group(4)
        if m.group(2) == "." and year is None:
            return None  # "3.5" is a number
        return _make(day, month, _year(year), today)
    if kind == "iso":
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if kind == "day_month":
        day = int(m.group(1)) if m.group(1).isdigit() else 1
        return _make(day, MONTHS[m.group(2)], _year(m.group(3)), today)
    if kind == "month_day":
        return _make(int(m.group(2)), MONTHS[m.group(1)], _year(m.group(3)), today)
    if kind == "ago":
        count = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS[m.group(1)]
        text = m.group(0)
        if not re.search(r"geleden|ago|terug|il y a|voici", text):
            return None  # "3 weken" alone is a duration, not a date
        unit = UNITS[m.group(2)]
        if unit == 30:
            return _months_back(today, count)
        return today - timedelta(days=count * unit)
    if kind == "last_week_day":
        weekday = WEEKDAYS[m.group(1) or m.group(2)]
        monday_last_week = today - timedelta(days=today.weekday() + 7)
        return monday_last_week + timedelta(days=weekday)
    if kind == "weekday":
        weekday = WEEKDAYS[m.group(2)]
        qualifier = m.group(1) or m.group(3) or ""
        back = (today.weekday() - weekday) % 7
        if re.fullmatch(NEXT, qualifier):
            return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
        if back == 0 and qualifier:
            back = 7
        return today - timedelta(days=back)
    if kind == "day_word":
        word = m.group(1).replace("aujourdhui", "aujourd'hui")
        return today - timedelta(days=DAY_WORDS[word])
    if kind == "bare_day":
        day = int(m.group(1))
        if not 1 <= day <= 31:
            return None
        month, year = today.month, today.year
        for _ in range(12):
            candidate = _safe(year, month, day)
            if candidate and candidate <= today:
                return candidate
            month, year = (12, year - 1) if month == 1 else (month - 1, year)
    return None


def _word_in_language(word: str, lang: str) -> bool:
    """"hier" is yesterday in French but "here" in Dutch; "morgen" is tomorrow only in Dutch."""
    if word in ("hier", "avant-hier", "demain", "apres-demain"):
        return lang == "fr"
    if word in ("morgen", "overmorgen"):
        return lang == "nl"
    return True


def _year(text: Optional[str]) -> Optional[int]:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(day: int, month: int, year: Optional[int], today: date) -> Optional[date]:
    """A day and month; without a year, its most recent occurrence on or before today."""
    if year is not None:
        return _safe(year, month, day)
    for candidate_year in (today.year, today.year - 1, today.year - 2, today.year - 3, today.year - 4):
        candidate = _safe(candidate_year, month, day)
        if candidate and candidate <= today:
            return candidate
    return None


def _safe(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day) if 1900 <= year <= 2999 else None
    except ValueError:
        return None


def _months_back(today: date, count: int) -> date:
    month = today.month - count
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _dateparser_dates(text: str, folded: str, lang: str, today: date,
                      taken: List[Tuple[int, int]]) -> List[FoundDate]:
    """What dateparser reads in the parts our patterns did not take (with times, years alone,
    amounts and numbers of other things left out)."""
    masked = list(text)
    for start, end in taken:
        masked[start:end] = " " * (end - start)
    rest = _TIME.sub(lambda m: " " * len(m.group()), "".join(masked))
    if not re.search(r"[^\W\d_]{3,}", rest):
        return []
    settings = {"RELATIVE_BASE": datetime(today.year, today.month, today.day, 12), "PREFER_DATES_FROM": "past",
                "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False, "REQUIRE_PARTS": ["day"]}
    try:
        results = search_dates(rest, languages=[lang], settings=settings) or []
    except Exception:  # dateparser raises on odd input; no date is then better than a crash
        return []
    found, cursor = [], 0
    for phrase, moment in results:
        if not re.search(r"[^\W\d_]{3,}", phrase) or re.search(r"\d{3,}", phrase.replace(str(moment.year), "")):
            continue  # numbers alone (order numbers, amounts, years) are not dates
        start = rest.find(phrase, cursor)
        cursor = max(cursor, start + len(phrase)) if start >= 0 else cursor
        day = moment.date()
        found.append(FoundDate(day, max(start, 0), max(start, 0) + len(phrase), day > today))
    return found
