"""Numbers written in words, as digits: "le onze octobre cinquante-huit" -> "le 11 octobre 58", "elf oktober
achtenvijftig" -> "11 oktober 58", "the eleventh of october fifty-eight" -> "the 11 of october 58". For dates
people spell out (a date of birth told by an older user); 0 to 99."""
from __future__ import annotations

import re
from typing import Dict

_UNITS = {
    "fr": {"un": 1, "une": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16},
    "nl": {"een": 1, "eerste": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
           "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
           "zeventien": 17, "achttien": 18, "negentien": 19},
    "en": {"one": 1, "first": 1, "two": 2, "second": 2, "three": 3, "third": 3, "four": 4, "fourth": 4, "five": 5,
           "fifth": 5, "six": 6, "sixth": 6, "seven": 7, "seventh": 7, "eight": 8, "eighth": 8, "nine": 9, "ninth": 9,
           "ten": 10, "tenth": 10, "eleven": 11, "eleventh": 11, "twelve": 12, "twelfth": 12, "thirteen": 13,
           "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19},
}
_TENS = {
    "fr": {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70,
           "huitante": 80, "quatre-vingt": 80, "quatre-vingts": 80, "nonante": 90},
    "nl": {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
           "negentig": 90},
    "en": {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90},
}


def _alternatives(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _pattern(lang: str) -> "re.Pattern[str]":
    units, tens = _alternatives(_UNITS[lang]), _alternatives(_TENS[lang])
    if lang == "nl":  # achtenvijftig: the unit first, glued with "en"
        body = rf"(?:(?P<u1>{units})en(?P<t1>{tens})|(?P<t2>{tens})|(?P<u2>{units})(?:ste|de)?)"
    else:  # cinquante-huit, vingt et un, fifty-eight, twenty first
        body = rf"(?:(?P<t1>{tens})(?:[- ](?:et[- ])?(?P<u1>{units}))?|(?P<u2>{units})(?:th|e|eme|ième)?)"
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


_PATTERNS: Dict[str, "re.Pattern[str]"] = {lang: _pattern(lang) for lang in _UNITS}


def with_digits(text: str, lang: str) -> str:
    """`text` with its spelled numbers (0-99) in digits, in the message's language."""
    units, tens = _UNITS.get(lang), _TENS.get(lang)
    if units is None:
        return text

    def digits(match: "re.Match[str]") -> str:
        found = {k: v.lower() for k, v in match.groupdict().items() if v}
        value = tens.get(found.get("t1") or found.get("t2") or "", 0) + units.get(found.get("u1") or found.get("u2") or "", 0)
        return str(value) if value else match.group()

    return _PATTERNS[lang].sub(digits, text)
