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


def police_report_spans(text: str) -> List[Tuple[int, int]]:
    """Where `text` writes a PV reference in the police's own shape."""
    return [m.span() for m in _PV.finditer(text)]


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


# --- references an agent needs, and codes that hold digits but are no amount or date ----------------

# Policy numbers as typed ("CC-DEMO-0001", "cc demo 0001", "CC.DEMO.0001"); not a dossier (CC-2026-000123).
_POLICY = re.compile(r"(?<![\w-])CC[-\s._]?(?!\d{4}[-\s._]\d{6}\b)[A-Z0-9]{2,10}[-\s._]?\d{2,8}(?![\w-])", re.IGNORECASE)
_POLICY_SHAPE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
_CLAIM = re.compile(r"\bCC-\d{4}-\d{6}\b", re.IGNORECASE)
# An order number after its word ("bestelnummer 40012345", "commande n° 123-456", "order #A12345").
_ORDER = re.compile(
    r"(?:bestel(?:ling)?s?[\s-]?(?:nummer|nr)|bestelling|ordernummer|ordernr|order[\s-]?(?:number|nr|no|id|ref)?"
    r"|n[°o]\s?de\s+commande|num[eé]ro\s+de\s+commande|commande(?:\s+[a-z][\w.-]{1,20})?(?:\s+(?:n[°o]|num[eé]ro))?"
    r"|referentie|r[eé]f[eé]rence)"
    r"\s*(?:is|est|was|:|#|n[°o]|nr)?\s*[:#]?\s*(?P<ref>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,30})", re.IGNORECASE)
# A tracking number after its word, or in a carrier's own shape (PostNL 3S..., UPS 1Z..., DHL JJD..., bpost ..BE).
_TRACKING_WORD = re.compile(
    r"(?:track(?:ing)?(?:[\s-]?(?:code|number|nummer|nr|id))?|track\s?(?:&|and|en)\s?trace|volgnummer|"
    r"(?:num[eé]ro|n[°o]|code)\s+de\s+suivi|suivi)\s*(?:is|est|:|#)?\s*[:#]?\s*(?P<ref>(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{8,34})",
    re.IGNORECASE)
_TRACKING_SHAPE = re.compile(r"\b(?:3S[A-Z]{4}\d{6,}|1Z[A-Z0-9]{16}|JJD\d{10,}|JVGL\d{10,}|[A-Z]{2}\d{9}BE)\b", re.IGNORECASE)
# 02 552 51 65, 0470/12.34.56, +32 470 12 34 56, 0032...: nine digits or more.
_PHONE = re.compile(r"(?:\+\d{2}\s?|00\d{2}\s?|(?<![\d/.-])\b0)\d{1,3}(?:[\s./-]?\d{2,3}){2,4}\b")
# What the channel put instead of a card number or an IBAN (bot/channels/masking.py).
_MASKED = re.compile(r"\[(?:card number|IBAN|national number)\]")
# A long run of digits: an order, a client or an account number, never an amount or a date.
_LONG_NUMBER = re.compile(r"(?<![\d,.])\d{7,}(?![\d,.])")


def normalise_policy_number(text: Optional[str]) -> Optional[str]:
    """A policy number as typed ("cc demo 0001", "CC.DEMO.0001", "cc–demo–0001") in its stored form
    (CC-DEMO-0001); None when the text cannot be one (6 to 32 letters, digits and single dashes, a digit)."""
    if not isinstance(text, str):
        return None
    value = re.sub(r"[\s._\u2010-\u2015\u2212-]+", "-", text.strip().upper()).strip("-")
    if not 6 <= len(value) <= 32 or not _POLICY_SHAPE.fullmatch(value) or not any(c.isdigit() for c in value):
        return None
    return value


def policy_number_in(text: str) -> Optional[Tuple[str, Tuple[int, int]]]:
    match = _POLICY.search(text)
    if match:
        number = normalise_policy_number(match.group())
        if number:
            return number, match.span()
    return None


def order_reference_in(text: str) -> Optional[Tuple[str, Tuple[int, int]]]:
    match = _ORDER.search(text)
    if match and not _PV.match(text, match.start("ref")):
        return match.group("ref"), match.span("ref")
    return None


def tracking_number_in(text: str) -> Optional[Tuple[str, Tuple[int, int]]]:
    match = _TRACKING_WORD.search(text)
    if match:
        return match.group("ref"), match.span("ref")
    match = _TRACKING_SHAPE.search(text)
    return (match.group(), match.span()) if match else None


def code_spans(text: str) -> List[Tuple[int, int]]:
    """Places of codes with digits that are neither amounts nor dates: PV numbers, web addresses, policy and
    dossier numbers, order and tracking numbers, phone numbers, masked numbers, long digit runs."""
    spans = reference_spans(text)
    spans += [m.span() for m in _POLICY.finditer(text)] + [m.span() for m in _CLAIM.finditer(text)]
    spans += [m.span("ref") for m in _ORDER.finditer(text)] + [m.span("ref") for m in _TRACKING_WORD.finditer(text)]
    spans += [m.span() for m in _TRACKING_SHAPE.finditer(text)] + [m.span() for m in _MASKED.finditer(text)]
    spans += [m.span() for m in _PHONE.finditer(text) if sum(ch.isdigit() for ch in m.group()) >= 9]
    spans += [m.span() for m in _LONG_NUMBER.finditer(text)]
    return spans
