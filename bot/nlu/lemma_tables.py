"""spaCy's lookup lemmas (spacy-lookups-data) for nl, fr and en, held compactly.

As Python dicts the three tables take about 200 MB in every Rasa process (470,000 entries, French
values as lists). Here each table is a sorted array of spaCy's 64-bit key hashes, an array of indexes
into its distinct lemmas, and those lemmas as one UTF-8 blob with offsets: about 10 MB for the three,
and the same lemma for every word as the dict gives.

The arrays are built once from spacy-lookups-data, in a child process (`python -m
bot.nlu.lemma_tables DIR`) so that the serving process never holds the dicts, and kept in
`.cache/lemmas/` under the data package's version; later starts only read them.
"""
from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Optional

import numpy as np
from spacy.strings import get_string_id

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "lemmas"
LANGUAGES = ("nl", "fr", "en")


class LemmaTable:
    def __init__(self, keys: np.ndarray, value_index: np.ndarray, blob: bytes, offsets: np.ndarray) -> None:
        self._keys = keys
        self._value_index = value_index
        self._blob = blob
        self._offsets = offsets

    def get(self, word: str) -> Optional[str]:
        """The lemma of `word` (already lower-cased), or None when the table has none."""
        key = np.uint64(get_string_id(word))
        position = int(np.searchsorted(self._keys, key))
        if position >= len(self._keys) or self._keys[position] != key:
            return None
        value = int(self._value_index[position])
        return self._blob[self._offsets[value]:self._offsets[value + 1]].decode("utf-8")

    def __len__(self) -> int:
        return len(self._keys)


def _cache_dir() -> Path:
    return CACHE / version("spacy-lookups-data")


def _path(directory: Path, lang: str) -> Path:
    return directory / f"lemma_lookup_{lang}.npz"


@lru_cache(maxsize=None)
def table(lang: str) -> LemmaTable:
    """The compact table of `lang`, built (in a child process) the first time on this machine."""
    directory = _cache_dir()
    path = _path(directory, lang)
    if not path.exists():
        subprocess.run([sys.executable, "-m", "bot.nlu.lemma_tables", str(directory)], check=True, cwd=ROOT)
    with np.load(path) as data:
        return LemmaTable(data["keys"], data["value_index"], data["blob"].tobytes(), data["offsets"])


def build(directory: Path) -> None:
    """Writes the compact tables of the three languages into `directory` (atomically per file)."""
    from spacy.lookups import load_lookups

    directory.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        lookups = load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
        lemmas: dict = {}
        pairs = []
        for key, value in lookups.items():
            # The French table holds lists for a few ambiguous forms ("j'" -> ["je"]): the first one.
            if isinstance(value, list):
                if not value:
                    continue
                value = value[0]
            pairs.append((key, lemmas.setdefault(value, len(lemmas))))
        pairs.sort()
        encoded = [lemma.encode("utf-8") for lemma in lemmas]
        offsets = np.zeros(len(encoded) + 1, dtype=np.uint64)
        offsets[1:] = np.cumsum([len(item) for item in encoded])
        target = _path(directory, lang)
        partial = target.with_name(f"{target.stem}.{os.getpid()}.partial.npz")  # two workers may build at once
        np.savez(partial, keys=np.array([key for key, _ in pairs], dtype=np.uint64),
                 value_index=np.array([index for _, index in pairs], dtype=np.uint32),
                 blob=np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets=offsets)
        partial.replace(target)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
