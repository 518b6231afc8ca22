"""Names in a message: the web shop ("bij Coolblue", "chez Zalando"), the bank ("mijn KBC-kaart"), the platform
("op Insta", "sur TikTok"). The vocabulary is data (names.yml); each name is given back as written. Pure."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from .text import fold

NAMES_FILE = Path(__file__).with_name("names.yml")


@dataclass(frozen=True)
class Name:
    kind: str  # merchant | bank | lender | telecom | platform
    written: str  # as the user wrote it
    start: int
    end: int
    channel: Optional[str] = None  # for a platform: where it publishes (COVERAGE_SPEC e-reputation channel)
    negated: bool = False  # "pas chez Zalando", "not on facebook", "niet bij cofidis maar bij santander"


_TLD = r"(?:\.(?:com|be|fr|nl|de|eu|net|co\.uk|lu|shop|store))"
# A name written as its web address ("bol.com", "fnac.be", "amazon.de") is given back with it.
_NEGATOR = re.compile(r"(?:\b(?:niet|ni|nie|geen|pas|not|non|no|never|nooit|isn't|wasn't|isnt|wasnt|ipv|in plaats van|au lieu de"
                      r"|instead of|rather than)\b|n't)\s+(?:(?:bij|op|van|via|met|chez|sur|de|du|a|au|par|at|on|from|with|in"
                      r"|by|the|le|la|een|un|une|de la)\s+){0,2}$")


# Dutch glues a platform to what is on it: "facebookprofiel", "instagramaccount", "tiktokfilmpje".
_COMPOUND = r"(?:profiel|profielen|groep|groepje|pagina|account|accounts|filmpje|filmpjes|bericht|berichten|post|story)?"


def _pattern(word: str, compound: bool = False) -> "re.Pattern[str]":
    body = re.escape(fold(word)).replace(r"\ ", r"[\s-]?")
    return re.compile(r"(?<![\w.@/])" + body + (_COMPOUND if compound else "") + _TLD + r"?(?![\w@-]|\.[a-z])")


@lru_cache(maxsize=1)
def _vocabulary() -> Tuple[Tuple[str, "re.Pattern[str]", int, Optional[str]], ...]:
    data = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    entries: List[Tuple[str, "re.Pattern[str]", int, Optional[str]]] = []
    for word in data["merchants"]:
        entries.append(("merchant", _pattern(str(word)), len(str(word)), None))
    for kind, key in (("bank", "banks"), ("lender", "lenders"), ("telecom", "telecoms")):
        for word in data[key]:
            entries.append((kind, _pattern(str(word)), len(str(word)), None))
    for channel, words in data["platforms"].items():
        for word in words:
            entries.append(("platform", _pattern(str(word), compound=len(str(word)) > 3), len(str(word)), channel))
    return tuple(sorted(entries, key=lambda e: -e[2]))


def names_in(text: str, hidden: List[Tuple[int, int]] = ()) -> List[Name]:
    """Every known name in `text` outside the `hidden` spans (PV references), in order."""
    folded = fold(text)
    found: List[Name] = []
    for kind, pattern, _, channel in _vocabulary():
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < e and s < end for s, e in hidden) or any(start < n.end and n.start < end for n in found):
                continue
            negated = bool(_NEGATOR.search(folded[max(0, start - 30):start]))
            found.append(Name(kind, text[start:end], start, end, channel, negated))
    return sorted(found, key=lambda n: n.start)


@lru_cache(maxsize=1)
def _marketplaces() -> frozenset:
    data = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    return frozenset(fold(str(word)) for word in data.get("marketplaces") or [])


def is_marketplace(written: str) -> bool:
    """A place where private people sell to each other (2dehands, Vinted, Marketplace)."""
    return fold(written) in _marketplaces()


def first_of(kind: str, names: List[Name]) -> Optional[Name]:
    """The first name of `kind` the user does not say it is NOT ("pas chez X, c'est chez Y": Y)."""
    of_kind = [name for name in names if name.kind == kind]
    return next((name for name in of_kind if not name.negated), None)


def by_kind(names: List[Name]) -> Dict[str, Name]:
    chosen: Dict[str, Name] = {}
    for name in names:
        chosen.setdefault(name.kind, name)
    return chosen
