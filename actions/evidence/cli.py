"""`python -m actions.evidence --lang nl|fr|en [--today YYYY-MM-DD] [TEXT]` (EVIDENCE_SPEC.md).

With TEXT: one JSON object. Without: standard input, one message per line, one JSON object per line.
An unknown language or a bad --today exits 2 with one line on stderr; a bug exits 1, also one line.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Optional, Sequence, TextIO
from zoneinfo import ZoneInfo

from . import LANGUAGES, extract

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise _Usage(message)


def main(argv: Optional[Sequence[str]] = None, stdin: Optional[TextIO] = None, stdout: Optional[TextIO] = None,
         stderr: Optional[TextIO] = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = _Parser(prog="python -m actions.evidence", add_help=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--today")
    parser.add_argument("text", nargs="*")
    try:
        args = parser.parse_args(argv)
        if args.lang not in LANGUAGES:
            raise _Usage(f"--lang: unknown language {args.lang!r} (expected one of: {', '.join(LANGUAGES)})")
        today = _today(args.today)
    except _Usage as error:
        print(" ".join(str(error).split()), file=stderr)
        return EXIT_INVALID
    try:
        if args.text:
            print(json.dumps(extract(" ".join(args.text), args.lang, today).to_json(), ensure_ascii=False), file=stdout)
        else:
            for line in stdin:
                print(json.dumps(extract(line.rstrip("\n"), args.lang, today).to_json(), ensure_ascii=False),
                      file=stdout)
    except Exception as error:  # never a traceback
        print(f"internal error: {type(error).__name__}: {' '.join(str(error).split())}", file=stderr)
        return EXIT_FAILURE
    return EXIT_OK


def _today(value: Optional[str]) -> date:
    if value is None:
        return datetime.now(ZoneInfo("Europe/Brussels")).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Usage(f"--today: not a date (YYYY-MM-DD): {value!r}") from None
