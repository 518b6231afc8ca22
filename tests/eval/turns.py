"""One message at a time: the form's reader (actions/forms/reading.py) on each labelled turn of the corpus.

For every slot a turn states: read right, read wrong, or missed; for every slot read that the turn does
not state: invented. A turn that answers an optional question with "no" is right when the reader takes it
as a "no" (`declined`); an answer to the summary ("Klopt dit?") is read as the form reads it.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Dict, List, Mapping

from actions.forms.reading import Message, read_answer, read_confirmation
from tests.eval.corpus import DECLINED, DERIVED, label, load, ratio, same, states

# The intent a button-less typed answer usually gets; the reader must not lean on the intent.
TYPED_INTENT = "inform"


def read_turn(item: Mapping[str, Any]) -> Dict[str, Any]:
    """{slot: value read}, with DECLINED for an optional question answered "no", and `confirmed`."""
    message = Message(item["text"], item["lang"], item["today"], TYPED_INTENT)
    # A "no" the conversation holds is no value: the form keeps it as a declined question, not in the slot.
    known = {slot: label(slot, value) for slot, value in (item.get("known") or {}).items()
             if label(slot, value) != DECLINED}
    asked = item.get("asked")
    last_date = next((slot for slot in ("complaint_date", "delivery_date", "order_date", "occurred_on", "started_on")
                      if known.get(slot)), None)
    if asked == "confirmed":
        confirmed, reading = read_confirmation(message, item["cover"], known, last_date)
        found = dict(reading.updates)
        if confirmed is not None:
            found["confirmed"] = confirmed
        return found
    reading = read_answer(message, item["cover"], asked, known, last_date)
    found = dict(reading.updates)
    if asked and reading.declined:
        found[asked] = DECLINED
    for slot in reading.said_no:
        found.setdefault(slot, DECLINED)
    # A fact the conversation already holds with the same value is read right, though not set again.
    found.update({slot: value for slot, value in known.items() if slot not in found})
    return found


def measure(split: str = None) -> Dict[str, Any]:
    """Per language and slot: stated, right, wrong, missed, invented; and the misses to read."""
    items = [item for item in load("turns") if split is None or item["split"] == split]
    counts: Dict[str, Dict[str, Dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    misses: List[Dict[str, Any]] = []
    for item in items:
        lang, labels, found = item["lang"], states(item), read_turn(item)
        for slot, stated in labels.items():
            figures = counts[lang][slot]
            figures["stated"] += 1
            value = found.get(slot)
            if value is not None and same(slot, stated, value):
                figures["right"] += 1
                continue
            figures["wrong" if value is not None else "missed"] += 1
            misses.append({"id": item.get("id"), "text": item["text"], "asked": item.get("asked"), "slot": slot,
                           "label": stated, "read": value})
        known = item.get("known") or {}
        for slot, value in found.items():
            if slot in labels or slot in known or any(source in labels for source in DERIVED.get(slot, ())) \
                    or slot in ("kind",) and item.get("asked") == "confirmed":
                continue
            counts[lang][slot]["invented"] += 1
            misses.append({"id": item.get("id"), "text": item["text"], "asked": item.get("asked"), "slot": slot,
                           "label": None, "read": value})
    report = {"turns": {lang: sum(1 for i in items if i["lang"] == lang) for lang in sorted(counts)}, "slots": {}}
    for lang, slots in counts.items():
        report["slots"][lang] = {
            slot: {**figures, "right_ratio": ratio(figures["right"], figures["stated"])}
            for slot, figures in sorted(slots.items())}
    report["misses"] = misses
    return report


def summary_rows(report: Mapping[str, Any]) -> List[str]:
    """The table the README shows: per language, read right / stated, and invented, over all slots."""
    rows = []
    for lang, slots in sorted(report["slots"].items()):
        stated = sum(f.get("stated", 0) for f in slots.values())
        right = sum(f.get("right", 0) for f in slots.values())
        invented = sum(f.get("invented", 0) for f in slots.values())
        low = sorted(((f["right_ratio"], s) for s, f in slots.items() if f.get("right_ratio") is not None
                      and f["right_ratio"] < 0.95))
        rows.append(f"{lang}: {report['turns'][lang]} turns, facts read right {right}/{stated} "
                    f"({right / stated:.1%}), invented {invented}; below 95 %: "
                    + (", ".join(f"{s} {r:.0%}" for r, s in low) or "none"))
    return rows


if __name__ == "__main__":
    import json
    import sys

    result = measure(sys.argv[1] if len(sys.argv) > 1 else None)
    print("\n".join(summary_rows(result)))
    if "-v" in sys.argv:
        for miss in result["misses"]:
            print(json.dumps(miss, ensure_ascii=False, default=str))
