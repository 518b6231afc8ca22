"""The thin layer over dateparser: what dateparser 1.2 misses or reads wrong in nl/fr/en, checked one by one.

- "twee weken geleden", "een maand geleden" (Dutch number words: missed); "3 weken" alone is a
  duration, and dateparser reads it as three weeks ago: only a count with "geleden/ago/il y a" is a date;
- "3.11.2026" (missed: dateparser takes "2026" as a year alone); "2026-10-05" (read day-first: 10 May);
- "vorige week woensdag", "Wednesday last week", "mercredi de la semaine dernière" (split or missed);
- "next Monday", "volgende maandag", "lundi prochain" (read as LAST Monday when past dates are preferred);
- "le premier octobre", "le 1er octobre", "the first of October" (read as today's day in October, or missed);
- "the 12th", "le 12", "op de 12de" (corrections: missed in nl and fr); "rond de 20ste van vorige maand";
- "vanmorgen", "ce matin", "this morning", "gisteravond"; "la semaine dernière", "le mois dernier" (missed);
- "the day before yesterday" (read as yesterday), "the day after tomorrow" (read as tomorrow).

Every rule reads folded text (text.fold: lower case, no accents, same positions as the original).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator, List, Optional, Tuple

MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "jan": 1, "feb": 2, "fev": 2, "febr": 2, "mrt": 3, "apr": 4, "avr": 4, "jun": 6, "jul": 7, "juil": 7,
    "aug": 8, "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
COUNTS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
    "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "twintig": 20, "dertig": 30,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "vingt": 20, "trente": 30,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20,
    "thirty": 30, "a couple of": 2, "couple of": 2,
}
UNITS = {  # a number of days, or "M" months, or "Y" years
    "dag": 1, "dagen": 1, "jour": 1, "jours": 1, "day": 1, "days": 1,
    "week": 7, "weken": 7, "semaine": 7, "semaines": 7, "weeks": 7, "fortnight": 14, "fortnights": 14,
    "maand": "M", "maanden": "M", "mois": "M", "month": "M", "months": "M",
    "jaar": "Y", "jaren": "Y", "an": "Y", "ans": "Y", "annee": "Y", "annees": "Y", "year": "Y", "years": "Y",
}


def _alternatives(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MONTH = f"(?P<month>{_alternatives(MONTHS)})\\.?"
_WEEKDAY = f"(?P<weekday>{_alternatives(WEEKDAYS)})"
_COUNT = f"(?P<count>\\d{{1,3}}|{_alternatives(COUNTS)})"
_UNIT = f"(?P<unit>{_alternatives(UNITS)})"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
_LAST = r"(?:vorige|afgelopen|verleden|voorbije|last|past|previous|derniere?|passee?)"
_LAST_WEEK = r"(?:(?:de\s+)?(?:vorige|afgelopen|verleden|voorbije)\s+week|last\s+week|la\s+semaine\s+(?:derniere|passee))"
_LAST_MONTH = r"(?:(?:de\s+)?(?:vorige|afgelopen|verleden)\s+maand|last\s+month|(?:le\s+)?mois\s+(?:dernier|passe))"
_NTH = r"(?P<day>\d{1,2})(?:st|nd|rd|th|ste|de|er|e)?"
_NEXT_WEEK = r"(?:(?:de\s+)?(?:volgende|komende)\s+week|next\s+week|la\s+semaine\s+prochaine)"
_NOT_A_DAY_AFTER = (r"(?!\s*(?:[/.:,-]?\d|" + _alternatives(MONTHS) + r"|of\s|de\s+(?:" + _alternatives(MONTHS)
                    + r")|%|€|eur|euro|h\b|u\b|uur|kg|km|cm|ans?\b|jaar|jours?\b|dagen|days?\b|stuks|pieces|items))")


@dataclass(frozen=True)
class RuleDate:
    start: int
    end: int
    day: date
    future: bool
    kind: str = ""  # "bare_day" ("the 12th": a day of the month only), "month_part" ("begin oktober")


Reader = Callable[["re.Match[str]", date], Optional[Tuple[date, bool]]]


def _months_back(today: date, count: int) -> date:
    month0 = today.month - 1 - count
    year, month = today.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _count(m: "re.Match[str]") -> int:
    raw = re.sub(r"\s+", " ", m.group("count"))
    return int(raw) if raw.isdigit() else COUNTS[raw]


def _shift(today: date, count: int, unit, sign: int) -> Optional[date]:
    if unit == "M":
        return _months_back(today, sign * count)
    if unit == "Y":
        return _months_back(today, sign * 12 * count)
    try:
        return today - timedelta(days=sign * count * unit)
    except OverflowError:
        return None


def _ago(m, today):
    day = _shift(today, _count(m), UNITS[m.group("unit")], +1)
    return (day, False) if day and day.year >= 1900 else None


def _ago_unless_waiting(m, today):
    """"al 2 weken uitgelachen" started then; "ik wacht al 3 dagen" is how long, not a day."""
    if re.search(r"(?:wacht|wachten|attends|attend|attendons|waiting|wait)\w*\s+$", m.string[max(0, m.start() - 14):m.start()]):
        return None
    return _ago(m, today)


def _in_future(m, today):
    day = _shift(today, _count(m), UNITS[m.group("unit")], -1)
    return (day, True) if day else None


def _last_week_day(m, today):
    return today - timedelta(days=today.weekday() + 7) + timedelta(days=WEEKDAYS[m.group("weekday")]), False


def _next_week_day(m, today):
    return today - timedelta(days=today.weekday() - 7) + timedelta(days=WEEKDAYS[m.group("weekday")]), True


def _next_weekday(m, today):
    return today + timedelta(days=(WEEKDAYS[m.group("weekday")] - today.weekday()) % 7 or 7), True


def _period(sign: int) -> Reader:
    """"la semaine dernière" = 7 days ago, "le mois dernier" = a month ago (as dateparser reads "vorige week")."""
    def read(m, today):
        unit = "M" if re.search(r"maand|month|mois", m.group()) else 7
        return _shift(today, 1, unit, sign), sign < 0
    return read


def make_day(day: int, month: int, year: Optional[int], today: date) -> Optional[Tuple[date, bool]]:
    """A day of a month; without a year, its most recent occurrence on or before `today`."""
    if year is not None:
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        return found, found > today
    for back in range(0, 5):  # 29 February waits for a leap year
        try:
            found = date(today.year - back, month, day)
        except ValueError:
            continue
        if found <= today:
            return found, False
    return None


def _dotted(m, today):
    year = m.group("year") or None
    if year is not None and len(year) == 2:  # "3.11.26" is 2026; "5.3.85" is 1985, not 2085
        year = ("20" if int(year) <= today.year % 100 else "19") + year
    return make_day(int(m.group("day")), int(m.group("mon")), int(year) if year else None, today)


def _day_of_last_month(m, today):
    month, year = (12, today.year - 1) if today.month == 1 else (today.month - 1, today.year)
    return make_day(int(m.group("day")), month, year, today)


def _first_of(m, today):
    return make_day(1, MONTHS[m.group("month")], int(m.group("year")) if m.group("year") else None, today)


def _bare_day(m, today):
    """"the 12th": the most recent 12th on or before today (a correction of a day of the month)."""
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    month, year = today.month, today.year
    for _ in range(12):
        found = make_day(day, month, year, today)
        if found and not found[1]:
            return found
        month, year = (12, year - 1) if month == 1 else (month - 1, year)
    return None


def _last_weekday(m, today):
    """The most recent such weekday, today included ("zondagavond", "le livreur est passé samedi")."""
    return today - timedelta(days=(today.weekday() - WEEKDAYS[m.group("weekday")]) % 7), False


def _previous_weekday(m, today):
    return today - timedelta(days=(today.weekday() - WEEKDAYS[m.group("weekday")]) % 7 or 7), False


# Days people name by their feast: the most recent one on or before today.
HOLIDAYS = {"halloween": (10, 31), "kerstmis": (12, 25), "kerstdag": (12, 25), "kerst": (12, 25), "noel": (12, 25),
            "christmas": (12, 25), "xmas": (12, 25), "oudejaar": (12, 31), "oudejaarsavond": (12, 31),
            "reveillon": (12, 31), "new year's eve": (12, 31), "nieuwjaar": (1, 1), "nieuwjaarsdag": (1, 1),
            "nouvel an": (1, 1), "jour de l'an": (1, 1), "new year's day": (1, 1), "valentijn": (2, 14),
            "valentijnsdag": (2, 14), "saint-valentin": (2, 14), "saint valentin": (2, 14),
            "valentine's day": (2, 14), "valentines day": (2, 14)}


def _holiday(m, today):
    month, day = HOLIDAYS[m.group("feast")]
    return make_day(day, month, None, today)


def _fixed(days_back: int) -> Reader:
    return lambda m, today: (today - timedelta(days=days_back), days_back < 0)


ALL = ("nl", "fr", "en")


def _month_part(m, today):
    """"begin oktober" the 1st, "mi-novembre" the 15th, "end of October" its last day; a day named with it
    ("begin oktober, de 8e", "beginning of october, like the 8th") is that day. The most recent such day,
    and never after today ("eind november" on 24 November is today)."""
    month = MONTHS[m.group("month")]
    year = int(m.group("year")) if m.group("year") else None
    if m.group("day"):
        day = int(m.group("day"))
    else:
        part = m.group("part").replace("the ", "")
        day = 1 if re.match(_BEGIN, part) else 15 if re.match(_MID, part) else 31
    if year is None and month == today.month and day > today.day:
        return today, False
    last = calendar.monthrange(year or today.year, month)[1]
    return make_day(min(day, last), month, year, today)


def _month_part_relative(m, today):
    """"begin deze maand", "fin du mois dernier", "end of last month": a part of this month or the last one."""
    last = bool(re.search(r"vorige|afgelopen|verleden|dernier|passe|last|previous", m.group()))
    month, year = ((12, today.year - 1) if today.month == 1 else (today.month - 1, today.year)) if last else \
        (today.month, today.year)
    part = m.group("part").replace("the ", "")
    day = 1 if re.match(_BEGIN, part) else 15 if re.match(_MID, part) else calendar.monthrange(year, month)[1]
    found = date(year, month, day)
    return (found, False) if found <= today else (today, False)


def _rule(languages, pattern: str, read: Reader, kind: str = "") -> Tuple[Tuple[str, ...], "re.Pattern[str]", Reader, str]:
    return languages, re.compile(pattern), read, kind


_BEGIN = r"begin|start|early|debut"
_MID = r"half|midden|mid|mi\b|middle"
_END = r"eind|einde|end|late|fin|tegen het einde|vers la fin|a la fin|towards the end"
_PART = (r"(?:(?:in|au|a\s+la|at\s+the|tegen)\s+)?(?P<part>tegen het einde|vers la fin|towards the end|the beginning|the end"
         r"|the middle|beginning|begin|start|early|debut|half|midden|middle|mid|mi|einde|eind|end|late|fin)"
         r"(?:\s+(?:van|of|de|d'))?")
_DAY_WITH_PART = (r"(?:[,\s]+(?:zo\s+|zowat\s+|ongeveer\s+|rond\s+|like\s+|around\s+|about\s+|so\s+|genre\s+|vers\s+"
                  r"|op\s+|on\s+)?(?:de|le|the)\s+(?P<day>\d{1,2})(?:ste|de|er|e|th|st|nd|rd|eme)?\b)?")


# (languages, pattern, reader), tried in this order; a later rule never takes text an earlier one took.
_RULES = [
    # vorige week woensdag, last week on Wednesday / woensdag vorige week, mercredi de la semaine dernière
    _rule(ALL, rf"\b{_LAST_WEEK}(?:\s+on|\s+op|,)?\s+(?:le\s+)?{_WEEKDAY}\b", _last_week_day),
    _rule(ALL, rf"\b{_WEEKDAY}\s+(?:van\s+|of\s+|de\s+)?{_LAST_WEEK}", _last_week_day),
    # maandag volgende week, next Monday, lundi prochain: in the future
    _rule(ALL, rf"\b{_WEEKDAY}\s+(?:van\s+)?{_NEXT_WEEK}", _next_week_day),
    _rule(ALL, rf"\b(?:volgende|komende|aanstaande|next|this coming)\s+{_WEEKDAY}\b", _next_weekday),
    _rule(ALL, rf"\b{_WEEKDAY}\s+(?:prochain|qui vient)\b", _next_weekday),
    # 2026-10-05 (dateparser applies the day-first order to it: 10 May)
    _rule(ALL, r"(?<![\w./-])(?P<year>(?:19|20)\d{2})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?![\w/-]|\.\d)", _dotted),
    # 3.11.2026, 3.11.26; "op 3.11" (without a year only after a preposition: "3.5" is a number)
    _rule(ALL, r"(?<![\w.,/-])(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4}|\d{2})(?![\w.,/-]*\d)", _dotted),
    _rule(ALL, r"\b(?:op|le|on|du|au|sinds|depuis|since|van|tot)\s+(?P<day>\d{1,2})\.(?P<mon>\d{1,2})(?P<year>)"
               r"(?![\w,/-]|\.\d)", _dotted),
    # il y a 10 jours, twee weken geleden, three weeks ago; "over twee weken", "dans 3 jours": future
    _rule(ALL, rf"\b(?:il y a|voici)\s+(?:environ\s+|presque\s+|plus de\s+|pres de\s+)?{_COUNT}\s+{_UNIT}\b", _ago),
    _rule(ALL, rf"(?<![\w.,]){_COUNT}\s+{_UNIT}\s+(?:geleden|ago|terug)\b", _ago),
    # "since 3 weeks" (Belgian English), "sinds 2 weken", "depuis 3 semaines": that long ago
    _rule(ALL, rf"\b(?:since|sinds|depuis)\s+(?:bijna\s+|presque\s+|almost\s+)?{_COUNT}\s+{_UNIT}\b", _ago),
    _rule(("nl", "fr"), rf"\b(?:over|dans)\s+{_COUNT}\s+{_UNIT}\b", _in_future),
    # "ça fait 10 jours que", "al 2 weken", "already 3 weeks": that long ago
    _rule(ALL, rf"\b(?:ca fait|cela fait|ca va faire|voila|al|already)\s+(?:bijna\s+|presque\s+|almost\s+|plus de\s+|meer dan\s+)?"
               rf"{_COUNT}\s+{_UNIT}\b", _ago_unless_waiting),
    # last thursday, vorige donderdag, jeudi dernier: the most recent such day before today
    _rule(ALL, rf"\b(?:last|vorige|afgelopen|verleden|voorbije)\s+{_WEEKDAY}\b", _previous_weekday),
    _rule(("fr",), rf"\b{_WEEKDAY}\s+(?:dernier|passe)\b", _previous_weekday),
    # zondagavond, samedi soir, sunday night; "le livreur est passé samedi": the last such day
    _rule(ALL, rf"\b{_WEEKDAY}\s?(?:avond|ochtend|middag|nacht|morgen|soir|matin|apres-midi|night|evening|morning"
               r"|afternoon)\b", _last_weekday),
    _rule(("fr",), rf"\b(?:passee?s?|venue?s?)\s+(?:ce\s+)?{_WEEKDAY}\b(?!\s+(?:dernier|passe|prochain))", _last_weekday),
    # on halloween, met kerstmis, à noël
    _rule(ALL, rf"\b(?P<feast>{_alternatives(HOLIDAYS)})\b", _holiday),
    # begin deze maand, eind vorige maand, au début du mois, fin du mois dernier, end of last month
    _rule(ALL, rf"\b{_PART}\s*(?:(?:deze|de|ce|du|this|le)\s+)?(?:(?:vorige|afgelopen|verleden|last|previous)\s+)?"
               r"(?:maand|mois|month)(?:\s+(?:dernier|passe))?\b", _month_part_relative, "month_part"),
    # begin oktober, mi-novembre, end of October, beginning of october like the 8th
    _rule(ALL, rf"\b{_PART}\s*-?\s*(?:de\s+maand\s+)?{_MONTH}{_YEAR}{_DAY_WITH_PART}", _month_part, "month_part"),
    # le premier octobre, le 1er octobre, the first of October
    _rule(ALL, rf"(?:\b(?:le|the|op|on)\s+)?\b(?:premier|1er|1re|first|eerste|1ste|1st)\s+(?:of\s+|de\s+)?{_MONTH}"
               rf"{_YEAR}(?!\w)", _first_of),
    # the 20th of last month, rond de 20ste van vorige maand, le mois dernier vers le 20
    _rule(ALL, rf"\b(?:the|de|le)\s+{_NTH}\s+(?:van|of|du)\s+{_LAST_MONTH}\b", _day_of_last_month),
    _rule(ALL, rf"\b{_LAST_MONTH},?\s+(?:(?:around|about|on|rond|omstreeks|op|vers)\s+)?(?:the|de|le)\s+{_NTH}\b",
          _day_of_last_month),
    # the 12th, le 12, op de 12de: a day of the month alone
    _rule(("en",), r"\b(?:on\s+)?the\s+(?P<day>\d{1,2})(?:st|nd|rd|th\b|(?=\s*(?:$|[.,;!?)])))" + _NOT_A_DAY_AFTER,
          _bare_day, "bare_day"),
    _rule(("fr",), r"\ble\s+(?P<day>\d{1,2})(?:er|e|eme)?(?!\w)" + _NOT_A_DAY_AFTER, _bare_day, "bare_day"),
    _rule(("nl",), r"\b(?:(?:op|tegen|rond|voor)\s+)?de\s+(?P<day>\d{1,2})(?:ste|de|e)\b" + _NOT_A_DAY_AFTER, _bare_day,
          "bare_day"),
    _rule(("nl",), r"\bop\s+de\s+(?P<day>\d{1,2})(?=\s*(?:$|[.,;!?)]))", _bare_day, "bare_day"),
    # "the day before yesterday": dateparser reads "yesterday" in it (and "tomorrow" in "the day after tomorrow")
    _rule(("en",), r"\bthe day before yesterday\b", _fixed(2)),
    _rule(("en",), r"\bthe day after tomorrow\b", _fixed(-2)),
    # vanmorgen, ce matin, this morning; gisteravond, last night
    _rule(ALL, r"\b(?:vanmorgen|vanochtend|vanmiddag|vanavond|vannacht|deze (?:morgen|ochtend)|ce matin"
               r"|cet apres-midi|ce soir|cette nuit|this (?:morning|afternoon|evening)|tonight)\b", _fixed(0)),
    _rule(ALL, r"\b(?:gisteren|gister)\s?(?:avond|middag|ochtend|morgen|nacht)\b|\blast night\b", _fixed(1)),
    # la semaine dernière, le mois dernier (vorige week, last month alike); la semaine prochaine: future
    _rule(ALL, rf"\b(?:(?:de|la|le)\s+)?{_LAST}\s+(?:week|maand|month)\b", _period(+1)),
    _rule(ALL, r"\b(?:la\s+)?semaine\s+(?:derniere|passee)\b|\b(?:le\s+)?mois\s+(?:dernier|passe)\b", _period(+1)),
    _rule(ALL, r"\b(?:volgende|komende)\s+(?:week|maand)\b|\bnext\s+(?:week|month)\b"
               r"|\b(?:la\s+)?semaine\s+prochaine\b|\b(?:le\s+)?mois\s+prochain\b", _period(-1)),
]


def rule_dates(folded: str, lang: str, today: date, taken: List[Tuple[int, int]]) -> Iterator[RuleDate]:
    """The dates the rules find in `folded`, skipping the spans in `taken` (which grows with each find)."""
    for languages, pattern, read, kind in _RULES:
        if lang not in languages:
            continue
        for m in pattern.finditer(folded):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            try:
                found = read(m, today)
            except (ValueError, OverflowError):  # "31.11.2026", a count of 10^9 days: no such day
                found = None
            if found is None or found[0] is None:
                continue
            taken.append(m.span())
            yield RuleDate(m.start(), m.end(), found[0], found[1], kind)
