"""Yes and no as people mean them, and corrections.

- `polarity`: a "no" word wins over a "yes" word ("nee, dat klopt niet", "non, ce n'est pas correct",
  "no, that's not right" are no), except where the two negatives make a yes ("geen probleem", "rien à
  changer", "nothing wrong").
- `is_correction`: the message corrects an earlier answer ("sorry, het was de 10e", "en fait", "actually").
- `named_field`: the field a correction names ("the ORDER date is wrong", "de klacht was op 12/10",
  "le montant c'est 85"), with the place where it is named.
The words are data, in `policy_rules/signals.yml` (facts `negative`, `affirmative`, `not_negative`,
`correction`, `field_named`). Pure.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional, Tuple

from .phrases import Phrase

NEGATIVE, AFFIRMATIVE, NOT_NEGATIVE, CORRECTION, FIELD_NAMED = (
    "negative", "affirmative", "not_negative", "correction", "field_named")


def _inside(phrase: Phrase, others: Iterable[Phrase]) -> bool:
    return any(o.start <= phrase.start and phrase.end <= o.end for o in others)


def polarity(found: Iterable[Phrase], ignore: Iterable[Tuple[int, int]] = ()) -> Optional[bool]:
    """True (yes), False (no) or None (neither) for a message's phrases; `ignore` holds the places of "no"
    words that take back a value ("540 pas 450") rather than answer."""
    found = tuple(found)
    ignore = tuple(ignore)
    fine = [p for p in found if p.fact == NOT_NEGATIVE]
    if any(p.fact == NEGATIVE and not _inside(p, fine) and (p.start, p.end) not in ignore for p in found):
        return False
    if fine or any(p.fact == AFFIRMATIVE and not p.negated for p in found):
        return True
    return None


def is_correction(found: Iterable[Phrase]) -> bool:
    return any(p.fact == CORRECTION for p in found)


def named_field(found: Iterable[Phrase]) -> Optional[Tuple[str, int]]:
    """(field, position) of the first field the message names, e.g. ("order_date", 4)."""
    named = [p for p in found if p.fact == FIELD_NAMED and not p.negated]
    if not named:
        return None
    first = min(named, key=lambda p: p.start)
    return first.value, first.start


# How a question of the user's own begins ("can they ...", "moet ik ...", "est-ce que ...").
_ASKS = re.compile(r"^\W*(?:can|could|will|would|do|does|did|is|are|should|shall|how|what|when|why|who|where|kan|kunnen|kun"
                   r"|mag|moet|moeten|zal|zullen|wordt|zijn|hoe|wat|wanneer|waarom|wie|waar|krijg|est-ce|est ce|puis-je"
                   r"|peut|peuvent|pouvez|dois|faut-il|comment|quand|pourquoi|qui|combien|vais-je|je vais)\b", re.IGNORECASE)


def asks(text: str) -> bool:
    """Whether `text` is a question of its own: it starts as one and ends with a question mark."""
    return text.rstrip().endswith("?") and bool(_ASKS.search(text))
