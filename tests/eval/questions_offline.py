"""The pointed questions of the corpus answered in-process (no stack): verdicts right per language, a quick loop while
working on actions/questions. `python -m tests.eval.questions_offline [-v]` (-v lists the wrong verdicts). The dev and
fresh splits: the held-out one is measured by `make eval` alone, so that nobody tunes on it. Offline, no model ranks
the report intents, so a question whose cover only the model would name counts wrong here and may be right live."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date

from actions.questions.answer import answer
from tests.eval.corpus import load

TODAY = date(2026, 11, 24)  # the corpus's day when a file names none (tests/eval/README.md)


def main(verbose: bool) -> None:
    right: Counter = Counter()
    wrong = []
    for question in (q for q in load("questions") if q["split"] in ("dev", "fresh")):
        found = answer(question["text"], question["lang"], question["today"] or TODAY)
        verdict = found.verdict if found else None
        ok = verdict == str(question["verdict"])
        right[(question["lang"], ok)] += 1
        if not ok:
            wrong.append((question["id"], question["verdict"], verdict, found.rule if found else None,
                          question["text"][:140]))
    for lang in ("nl", "fr", "en"):
        print(lang, right[(lang, True)], "/", right[(lang, True)] + right[(lang, False)])
    if verbose:
        for line in wrong:
            print(line)


if __name__ == "__main__":
    main("-v" in sys.argv)
