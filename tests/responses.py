"""The domain's response texts, to compare what the running bot says with what it should say."""
from __future__ import annotations

from functools import lru_cache

import yaml

from tests.nlu_data import ROOT


@lru_cache(maxsize=1)
def _responses() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def response_text(name: str, lang: str) -> str:
    for variation in _responses()[name]:
        if any(c.get("name") == "language" and c.get("value") == lang for c in variation["condition"]):
            return variation["text"]
    raise KeyError(f"{name} has no {lang} variation")


def response_texts(name: str, lang: str) -> list:
    """Every variation of a response in `lang` (the care lines have several wordings)."""
    texts = [variation["text"] for variation in _responses()[name]
             if any(c.get("name") == "language" and c.get("value") == lang for c in variation["condition"])]
    if not texts:
        raise KeyError(f"{name} has no {lang} variation")
    return texts
