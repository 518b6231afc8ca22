"""The declaration's words in nl, fr and en (texts.yml): field labels, the words for slot values, yes/no,
expense types and file kinds. Read by the summary, the desk's summaries and the forms."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

TEXTS_FILE = Path(__file__).with_name("texts.yml")


@lru_cache(maxsize=1)
def texts() -> Dict[str, Any]:
    return yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


def file_kind_labels() -> Dict[str, Dict[str, str]]:
    """kind -> language -> label ("police_report" -> {"nl": "proces-verbaal", ...})."""
    return texts()["file_kinds"]


def unpaid_reason(cover, decision) -> "str | None":
    """Why Cyber Care pays nothing for the claim of this conversation ("payment_fraud", "not_covered"), or None."""
    if decision == "not_covered":
        return "not_covered"
    if cover == "payment_fraud" and decision is not None:
        return "payment_fraud"
    return None
