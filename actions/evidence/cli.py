"""`python -m actions.evidence --lang nl|fr|en [--today YYYY-MM-DD] [TEXT]` (EVIDENCE_SPEC.md).

With TEXT: one JSON object on stdout. Without: standard input, one message per line, one JSON object per
line in the same order (written as soon as each line is read, so a caller can talk to it line by line).
An unknown language, a bad --today or input that is not UTF-8 exits 2 with one line on stderr; a bug or
broken rules exit 1, also with one line: never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime
from typing import BinaryIO, Optional, Sequence, TextIO

from . import LANGUAGES, GoodsRulesError, extract

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
TIMEZONE = "Europe/Brussels"  # the spec's "current day in Belgium"
USAGE = "usage: python -m actions.evidence --lang nl|fr|en [--today YYYY-MM-DD] [TEXT]"


class _Invalid(Exception):
    """Bad arguments or input: exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 2, not argparse's usage dump
        raise _Invalid(f"{message} ({USAGE})")


def main(argv: Optional[Sequence[str]] = None, stdin: Optional[BinaryIO] = None,
         stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr

    def fail(code: int, message: str) -> int:
        print(" ".join(message.split()), file=stderr)  # one line, whatever the message holds
        return code

    parser = _Parser(prog="python -m actions.evidence", description="Evidence (dates, amounts, PV number, "
                     "web addresses, goods category) in a policyholder's message, as JSON.")
    parser.add_argument("--lang", required=True, help="language of the text: " + ", ".join(LANGUAGES))
    parser.add_argument("--today", help="the day of the message, YYYY-MM-DD (default: today in Belgium)")
    parser.add_argument("text", nargs="*", help="the message; without it, one message per line of stdin")
    try:
        args = parser.parse_args(argv)
        if args.lang not in LANGUAGES:
            raise _Invalid(f"--lang: unknown language {args.lang!r} (expected one of: {', '.join(LANGUAGES)})")
        today = _today(args.today)
        if args.text:
            _answer(" ".join(args.text), args.lang, today, stdout)
        else:
            for number, raw in enumerate(stdin or sys.stdin.buffer, start=1):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    raise _Invalid(f"standard input, line {number}: not UTF-8 text") from None
                _answer(line.rstrip("\r\n"), args.lang, today, stdout)
    except _Invalid as error:
        return fail(EXIT_INVALID, str(error))
    except BrokenPipeError:  # the reader went away (`| head -1`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return fail(130, "interrupted")
    except GoodsRulesError as error:
        return fail(EXIT_FAILURE, f"policy rules error: {error}")
    except Exception as error:  # a bug must still not print a traceback to the caller
        return fail(EXIT_FAILURE, f"internal error: {type(error).__name__}: {error}")
    return EXIT_OK


def _answer(text: str, lang: str, today: date, stdout: TextIO) -> None:
    print(json.dumps(extract(text, lang, today).to_json(), ensure_ascii=False), file=stdout, flush=True)


def _today(value: Optional[str]) -> date:
    if value is None:
        return _today_in_belgium()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"--today: not a date (YYYY-MM-DD): {value!r}") from None


def _today_in_belgium() -> date:
    try:
        from zoneinfo import ZoneInfo
        return datetime.now(ZoneInfo(TIMEZONE)).date()
    except Exception:  # no system time zone data: pytz (a dateparser dependency) carries its own
        import pytz
        return datetime.now(pytz.timezone(TIMEZONE)).date()
