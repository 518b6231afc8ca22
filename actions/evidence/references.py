"""Belgian police report references (PV numbers) and web addresses in free text."""
from __future__ import annotations

import re
from typing import List, Optional

# BR.12.L3.054321/2026: arrondissement (2 letters), 2 digits, a letter and a digit, 6 digits, the year.
# Written with dots, spaces or dashes, in any case.
_PV = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})[.\s-]?(\d{2})[.\s-]?([A-Za-z]\d)[.\s-]?(\d{6})\s?/\s?(\d{4})(?!\d)")
# Looser: "pv 123456/2026", "PV-nummer 2026/012345" next to the word pv / proces-verbaal / procès-verbal.
_PV_WORD = re.compile(r"(?:\bpv|proces[- ]verbaal|proc[eè]s[- ]verbal|police report)(?:[- ]?(?:nummer|number|n°|nr\.?|no\.?|numero|numéro))?"
                      r"\s*(?:is|est|:)?\s*([A-Za-z0-9][A-Za-z0-9./-]{4,30}\d)", re.IGNORECASE)
_URL = re.compile(
    r"(?<![@\w.])((?:https?://)?(?:www\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]{1,63})*"
    r"\.(?:com|be|fr|nl|org|net|eu|io|co|me|tv|info|app|uk|de|tiktok|ly|gg|to)\b(?:/[^\s<>\"']*)?)",
    re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def police_report_in(text: str) -> Optional[str]:
    match = _PV.search(text)
    if match:
        area, unit, team, number, year = match.groups()
        return f"{area.upper()}.{unit}.{team.upper()}.{number}/{year}"
    loose = _PV_WORD.search(text)
    if loose and sum(ch.isdigit() for ch in loose.group(1)) >= 5:
        return loose.group(1).upper().rstrip(".")
    return None


def urls_in(text: str) -> List[str]:
    urls = []
    for match in _URL.finditer(text):
        url = match.group(1).rstrip(_TRAILING)
        if re.fullmatch(r"[\d.]+", url):
            continue
        urls.append(url)
    return urls
