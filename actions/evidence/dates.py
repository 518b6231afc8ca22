"""Dates in nl/fr/en free text, for events in the past: dateparser's `search_dates` reads most of them
("gisteren", "afgelopen vrijdag", "op 12 oktober", "12/10/2026", "il y a 10 jours", "last Friday",
"on 2 December"); date_rules.py reads first what it misses or gets wrong.

What is not a date is hidden from dateparser before it reads (times "14u", amounts, order and phone
numbers, PV references, web addresses), and what it still finds must name a day (a year alone, "now",
"45 jaar" or "3 weken" do not). A day written without a year is its most recent occurrence on or
before `today`; a date after `today` is kept apart as `future`, never moved into the past.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import List, Optional, Tuple

from dateparser.search import search_dates

from .amounts import money_spans
from .date_rules import MONTHS, WEEKDAYS, make_day, rule_dates
from .references import reference_spans
from .text import fold

_BY_THEN = re.compile(r"\b(?:deadline|by|until|till|before|tegen|voor|tot|ten laatste|avant|d'ici|jusqu'a|pour)\s+$")
_HIDDEN = re.compile(
    r"\b\d{1,2}(?:[:.hu]\d{2})?\s?(?:u|h|uur|heures?|am|pm|a\.m\.|p\.m\.)(?:\d{2})?(?!\w)"  # 14u, 14h30, 2pm
    r"|\b\d{1,2}:\d{2}\b|\b(?:om|a|at|vers|rond|tegen)\s+\d{1,2}[.:]\d{2}\b"            # 14:30, om 14.30
    r"|\b[\w-]*\d{5,}[\w-]*|\b[a-z]+[-_]?\d+[\w-]*|\b\d+[a-z]+\d[\w-]*"                  # order numbers, codes
    r"|https?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|be|nl|fr|eu|de|net|org|shop|store|io|lu|uk)\b",  # sites
    re.IGNORECASE)
# 02 552 51 65, 0470/12.34.56, +32 470 12 34 56: nine digits or more ("05/03/85" is a date).
_PHONE = re.compile(r"(?:\+32\s?|(?<![\d/.-])\b0)\d{1,3}(?:[\s./-]\d{2,3}){2,4}\b")
_PHONE_DIGITS = 9
_WEEKDAY_WORDS = "|".join(WEEKDAYS)  # no abbreviations: "jeu", "sam", "mar", "sun" are other words too
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
# What dateparser found must name a day: a numeric date, a day and a month, a weekday, a day word, or a
# week or month counted from today.
_NAMES_A_DAY = re.compile(
    r"\d{1,2}\s?[/-]\s?\d{1,2}|\d{4}-\d{2}-\d{2}"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th|e|er|de|ste)?\b.*\b(?:{_MONTH_WORDS})\b|\b(?:{_MONTH_WORDS})\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b(?:{_WEEKDAY_WORDS})\b"
    r"|\b(?:eergisteren|gisteren|vandaag|overmorgen|morgen|avant-hier|hier|aujourd'hui|apres-demain|demain"
    r"|yesterday|today|tomorrow)\b"
    r"|\b(?:vorige|afgelopen|verleden|volgende|komende|last|next|derniere?|prochaine?)\s+(?:week|maand|month)\b")
_FUTURE_WORDS = re.compile(r"\b(?:morgen|overmorgen|demain|apres-demain|tomorrow|volgende|komende|next|prochaine?)\b")
_HAS_YEAR = re.compile(r"\b\d{4}\b|\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{2}\b")
_SETTINGS = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False}
_WEEKDAY_WORD = re.compile(rf"\b(?:{_WEEKDAY_WORDS})\b")
_DAY_OR_MONTH = re.compile(rf"\d|\b(?:{_MONTH_WORDS})\b")
# "d'hier", "l'avant-hier": dateparser sees no word after an elided article ("aujourd'hui" stays).
_ELISION = re.compile(r"(?<![^\W\d_])([dljnst]|qu)['’](?=\w)", re.IGNORECASE)
_SOME_DAY = re.compile(r"\b(?:a|een|un)\s+$")
_SOME_DAY_WORDS = re.compile(r"(?:on\s+|op\s+)?(?:a|een|un)\s+")
_HABITUAL_DAY = re.compile(rf".*\b(?:le|les|tous les|chaque)\s+(?:{_WEEKDAY_WORDS})s?")
_GLUE = re.compile(r"[\s,.]*(?:(?:de|le|the|on|op|den|du)\s+)?")


@dataclass(frozen=True)
class FoundDate:
    day: date
    start: int
    end: int
    future: bool = False
    weekday_only: bool = False  # "samedi" of "samedi 14 novembre": the date that follows says it better
    kind: str = ""  # date_rules' tag: "bare_day" (a day of the month alone), "month_part" ("begin oktober")


def find_dates(text: str, lang: str, today: date) -> List[FoundDate]:
    """Every date in `text` in order of appearance, future ones flagged (not dropped)."""
    folded = fold(text)
    taken: List[Tuple[int, int]] = []
    found = [FoundDate(r.day, r.start, r.end, r.future, kind=r.kind) for r in rule_dates(folded, lang, today, taken)]
    found += _dateparser_dates(text, folded, lang, today, taken)
    found.sort(key=lambda f: f.start)
    return [f for i, f in enumerate(found) if not _said_again(f, found[i + 1:i + 2], folded)]


def _said_again(current: FoundDate, following: List[FoundDate], folded: str) -> bool:
    """A weekday right before the date it names ("zaterdag 14 november", "sam. 21/11")."""
    if not current.weekday_only or not following:
        return False
    gap = folded[current.end:following[0].start]
    return bool(_GLUE.fullmatch(gap))


def _hide(text: str, spans: List[Tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _dateparser_dates(text: str, folded: str, lang: str, today: date,
                      taken: List[Tuple[int, int]]) -> List[FoundDate]:
    hidden = taken + money_spans(text) + reference_spans(text) + [m.span() for m in _HIDDEN.finditer(folded)]
    hidden += [m.span() for m in _PHONE.finditer(folded) if sum(ch.isdigit() for ch in m.group()) >= _PHONE_DIGITS]
    rest = _ELISION.sub(r"\1 ", _hide(text, hidden))
    if not re.search(r"[^\W\d_]{2,}|\d", rest):
        return []
    settings = {**_SETTINGS, "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12)}
    try:
        results = search_dates(rest, languages=[lang], settings=settings) or []
    except Exception:  # dateparser fails on some odd input: no date then, rather than no answer at all
        return []
    found, cursor = [], 0
    for phrase, moment in results:
        # dateparser gives the phrase with its spaces squeezed: find it again as written.
        where = re.compile(r"\s+".join(map(re.escape, phrase.split()))).search(rest, cursor)
        if where is None:
            continue
        start, cursor = where.span()
        # dateparser squeezes the blanks of a hidden span ("on maisonsdumonde.com on 28 october" -> "on on 28
        # october"): the date starts after what was hidden.
        for hidden_start, hidden_end in sorted(hidden):
            if start <= hidden_start and hidden_end < cursor:
                start = hidden_end + len(rest[hidden_end:cursor]) - len(rest[hidden_end:cursor].lstrip())
        words = folded[start:cursor]
        if not _NAMES_A_DAY.search(words):
            continue
        day, future = _past_or_future(moment.date(), words, today)
        if lang == "fr" and _HABITUAL_DAY.fullmatch(folded[max(0, start - 10):cursor].strip()):
            continue  # "ils sont fermés le dimanche": on Sundays, not a day
        if (_SOME_DAY.search(folded[max(0, start - 6):start]) or _SOME_DAY_WORDS.match(words)) and _WEEKDAY_WORD.search(words)\
                and not _DAY_OR_MONTH.search(words):
            continue  # "3 weeks ago, on a tuesday": it says which weekday that was, not another day
        weekday_only = bool(_WEEKDAY_WORD.search(words)) and not _DAY_OR_MONTH.search(words)
        if weekday_only and _BY_THEN.search(folded[max(0, start - 14):start]):
            continue  # "a deadline friday", "tegen vrijdag", "avant vendredi": a day to come, not a fact
        if day is not None:
            found.append(FoundDate(day, start, cursor, future, weekday_only))
    return found


def _past_or_future(day: date, words: str, today: date) -> Tuple[Optional[date], bool]:
    """A date after today is in the future when the text says so (a year, "tomorrow", "next"); otherwise
    it is a day written without its year, whose most recent occurrence is meant."""
    if day <= today:
        return day, False
    if _HAS_YEAR.search(words) or _FUTURE_WORDS.search(words):
        return day, True
    return make_day(day.day, day.month, None, today) or (None, False)
