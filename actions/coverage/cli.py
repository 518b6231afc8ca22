"""Command line of the coverage check: `python -m actions.coverage CASE.json` (or `-` for stdin).

Prints exactly one JSON decision on stdout and exits 0. Invalid input exits 2 with one line
on stderr naming the field, and prints nothing on stdout. Broken rules or a bug exit 1,
also with one line: never a traceback.
"""
from __future__ import annotations

import json
import sys
from typing import Any, BinaryIO, Sequence, TextIO

from .case import InvalidCase
from .engine import check
from .rules import RulesError

USAGE = "usage: python -m actions.coverage CASE.json (or - to read standard input)"
MAX_INPUT_BYTES = 1 << 20  # a case is a few hundred bytes; refuse to parse megabytes
EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


class _Refused(Exception):
    """Input refused before it reaches the case parser."""


def main(argv: Sequence[str] | None = None, stdin: BinaryIO | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr

    def fail(code: int, message: str) -> int:
        print(" ".join(message.split()), file=stderr)  # one line, whatever the message holds
        return code

    if len(argv) != 1:
        return fail(EXIT_INVALID, USAGE)
    try:
        decision = check(_read_json(argv[0], stdin or sys.stdin.buffer))
    except (_Refused, InvalidCase) as error:
        return fail(EXIT_INVALID, f"invalid input: {error}")
    except RulesError as error:
        return fail(EXIT_FAILURE, f"policy rules error: {error}")
    except Exception as error:  # a bug must still not print a traceback to the caller
        return fail(EXIT_FAILURE, f"internal error: {type(error).__name__}: {error}")
    print(json.dumps(decision, ensure_ascii=False), file=stdout)
    return EXIT_OK


def _read_json(source: str, stdin: BinaryIO) -> Any:
    try:
        if source == "-":
            raw = stdin.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as stream:
                raw = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise _Refused(f"cannot read {source!r}: {error.strerror}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise _Refused(f"case: larger than {MAX_INPUT_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Refused("case: not UTF-8 text") from None
    if not text.strip():
        raise _Refused("case: empty input")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise _Refused("case: not JSON: nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, or an integer too long to convert
        raise _Refused(f"case: not JSON: {error}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
