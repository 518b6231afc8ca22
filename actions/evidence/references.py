"""Belgian police report references (PV numbers) and web addresses in free text."""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

# BR.12.L3.054321/2026: judicial district (2 letters), 2 digits, a letter and a digit or letter, 6 digits, the
# year. People type it with spaces or dashes instead of dots and in lower case: read leniently, give it back
# in the police's own writing.
_PV = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\s?[.\s-]\s?(\d{2})\s?[.\s-]\s?([A-Za-z][A-Za-z0-9])\s?[.\s-]\s?"
                 r"(\d{6})\s?/\s?(\d{4})(?![\d/])")
# Any other reference right after the word for it ("pv 123456/2026", "PV-nummer: 2026/012345"), as written.
_PV_WORD = re.compile(
    r"(?:\bp\.?\s?v\b\.?|proces[\s-]verbaal|proc[eè]s[\s-]verbal|police report|politierapport)"
    r"(?:[\s-]?(?:nummer|number|nr|n°|no|num[eé]ro)\b\.?)?"
    r"(?:\s*(?:is|est|was|met|with|avec|het|le|nr|n°|nummer|number|num[eé]ro|:|=|#)\.?)*\s*"
    r"(?P<ref>[A-Za-z0-9](?:[A-Za-z0-9]|[./-](?=[A-Za-z0-9])){4,30})", re.IGNORECASE)
_PV_MIN_DIGITS = 5  # a reference, not a word or a short number
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")  # "pv: 12/10/2026" gives the day, not the reference

# With a scheme, with www., or a host ending in a common top-level domain; not after "@" (an e-mail address)
# and not digits only ("3.11.2026").
_TLD = ("com|be|fr|nl|eu|org|net|io|co|me|tv|info|app|uk|de|lu|ch|it|es|ly|gg|to|shop|store|online|site|xyz|"
        "biz|us|ca|link|page|blog|news|social")
_URL = re.compile(
    r"(?<![@\w.-])(?:https?://[^\s<>\"']+|(?:www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+"
    rf"|(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLD}))(?![\w@-])(?:[/?#][^\s<>\"']*)?)",
    re.IGNORECASE)
_TRAILING = ".,;:!?'\""


def police_report_in(text: str) -> Optional[str]:
    """The first police report reference in `text`, or None."""
    match = _PV.search(text)
    if match:
        area, unit, team, number, year = match.groups()
        return f"{area.upper()}.{unit}.{team.upper()}.{number}/{year}"
    for loose in _PV_WORD.finditer(text):
        reference = loose.group("ref")
        if sum(ch.isdigit() for ch in reference) >= _PV_MIN_DIGITS and not _DATE.fullmatch(reference):
            return reference.upper()
    return None


def urls_in(text: str) -> List[str]:
    """Web addresses in order of appearance, as written (without trailing punctuation)."""
    return [url for url, _ in _urls(text)]


def _urls(text: str) -> List[Tuple[str, Tuple[int, int]]]:
    found = []
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        if url.endswith(")") and url.count("(") < url.count(")"):  # "(see x.com/a)"
            url = url[:-1]
        found.append((url, (match.start(), match.start() + len(url))))
    return found


def reference_spans(text: str) -> List[Tuple[int, int]]:
    """Where `text` holds a PV reference or a web address: not dates, whatever they look like."""
    spans = [m.span() for m in _PV.finditer(text)] + [m.span("ref") for m in _PV_WORD.finditer(text)]
    return spans + [span for _, span in _urls(text)]
