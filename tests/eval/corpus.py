"""The evaluation corpus (tests/eval/README.md): loading its files and comparing what was read with what a
message states."""
from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

import yaml

HERE = Path(__file__).resolve().parent
LANGUAGES = ("nl", "fr", "en")
# dev: read while building; held_out: never used to write a rule; fresh: written afterwards by people who had not seen
# the code, like held_out, then read to fix what failed (a dev set whose floors are still below the dev bar).
SPLITS = ("dev", "held_out", "fresh")
_SPLIT_OF_FILE = {"held-out": "held_out", "round3": "fresh"}
# "no" to an optional question: the slot stays empty and the question is answered.
DECLINED = "no"
# Slots whose label is free text: read right when one contains the other (case and accents aside).
FREE_TEXT = ("goods", "merchant", "bank", "payee", "platform", "offender", "misused_at", "order_reference",
             "tracking_number")
# Set by the form from another fact the message states (a return cost says the good went back; a web address on
# Instagram says where the content is), so not labelled on their own.
DERIVED = {"returned_to_merchant": ("return_shipping_cost",), "channel": ("urls",), "platform": ("urls",)}


def files(part: str) -> Iterator[Tuple[str, str, Path]]:
    """(language, split, path) of every file of a part ("turns", "conversations", "questions")."""
    for path in sorted((HERE / part).glob("*.yml")):
        lang, _, rest = path.stem.partition("-")
        if lang in LANGUAGES:
            yield lang, _SPLIT_OF_FILE.get(rest, "dev"), path


def load(part: str) -> List[Dict[str, Any]]:
    """Every item of a part, each with its `lang`, `split` and the file's `today`."""
    items = []
    key = {"turns": "turns", "conversations": "conversations", "questions": "questions"}[part]
    for lang, split, path in files(part):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        today = data.get("today")
        for item in data.get(key) or []:
            items.append({**item, "lang": lang, "split": data.get("split", split),
                          "today": _as_date(today) if today else None})
    return items


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def fold(text: Any) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip(" .,'\"")


def same(slot: str, label: Any, found: Any) -> bool:
    """Whether the value read (`found`) is the labelled one."""
    if found is None:
        return False
    if label == DECLINED or found == DECLINED:
        return label == found
    if isinstance(label, date):
        label = label.isoformat()
    if slot in FREE_TEXT:
        a, b = fold(label), fold(found)
        return bool(a) and bool(b) and (a in b or b in a)
    if slot == "expenses":
        return _expenses(label) == _expenses(found)
    if slot == "urls":
        return sorted(_url(u) for u in label) == sorted(_url(u) for u in found)
    if isinstance(label, bool) or isinstance(found, bool):
        return label is found
    if isinstance(label, (int, float)) and isinstance(found, (int, float)):
        return abs(float(label) - float(found)) < 0.005
    if slot in ("policy_number", "police_report"):
        return fold(label).replace(" ", "") == fold(found).replace(" ", "")
    return str(label) == str(found)


def _expenses(value: Any) -> List[Tuple[str, float]]:
    return sorted((e["type"], round(float(e["amount"]), 2)) for e in value or [])


def _url(value: str) -> str:
    value = fold(value)
    for prefix in ("https://", "http://", "www."):
        value = value[len(prefix):] if value.startswith(prefix) else value
    return value.rstrip("/")


# Slots that hold true / false: for any other, YAML's unquoted `no` (read as False) is the declined "no".
BOOLEAN = ("second_hand", "auction_site", "for_resale", "tracked_delivery", "returned_to_merchant", "card_blocked",
           "bank_notified", "provider_breach", "caused_by_insured", "voluntary_disclosure", "illegal_data",
           "known_before_cover", "caused_by_household_member", "confirmed")


def label(slot: str, value: Any) -> Any:
    """A label as the measure compares it: dates as ISO strings, an unquoted `no` as DECLINED."""
    if isinstance(value, date):
        return value.isoformat()
    if value is False and slot not in BOOLEAN:
        return DECLINED
    return value


def states(item: Mapping[str, Any]) -> Dict[str, Any]:
    """The labelled facts of a turn, as the measure compares them."""
    return {slot: label(slot, value) for slot, value in (item.get("states") or {}).items()}


def ratio(right: int, total: int) -> Optional[float]:
    return round(right / total, 3) if total else None
