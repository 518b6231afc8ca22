"""Reads the training and held-out NLU files per language (shared by the data tests and the evaluation)."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("nl", "fr", "en")
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]+\)|\{[^}]+\})")


def plain(example: str) -> str:
    """Example text without entity annotations: `[Frans]{"entity": ...}` -> `Frans`."""
    return _ANNOTATION.sub(r"\1", example)


def normalized(text: str) -> str:
    return re.sub(r"[^\w ]+", "", plain(text).lower()).strip()


def read_examples(files: List[Path]) -> Dict[str, List[str]]:
    """intent (with faq/topic) -> examples, annotations kept."""
    examples: Dict[str, List[str]] = defaultdict(list)
    for path in files:
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                for line in block["examples"].splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        examples[block["intent"]].append(line[2:].strip())
    return examples


def training_examples(lang: str) -> Dict[str, List[str]]:
    return read_examples(sorted((ROOT / "nlu_data" / "nlu" / lang).glob("*.yml")))


def held_out_examples(lang: str) -> Dict[str, List[str]]:
    return read_examples([ROOT / "tests" / "nlu" / f"{lang}.yml"])


def labelled(examples: Dict[str, List[str]]) -> List[Tuple[str, str]]:
    return [(plain(text), intent) for intent, texts in examples.items() for text in texts]
