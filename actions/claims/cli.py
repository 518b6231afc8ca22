"""`python -m actions.claims COMMAND`: the claims store's command line.

    import-policies FILE.csv     load the insurer's policy export (nothing imported if a row is bad)
    seed                         the demo policies
    export-person POLICY_NUMBER  everything held about a policyholder, as JSON
    erase-person POLICY_NUMBER   delete it
Every command takes --db URL (default: CLAIMS_DB_URL, else the SQLite file under var/).
Errors are one line on stderr (exit 2 for bad input, 1 otherwise); never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Optional, Sequence, TextIO

from .db import get_database

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        raise _Usage(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m actions.claims")
    parser.add_argument("--db", help="database URL (default: CLAIMS_DB_URL)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("import-policies").add_argument("file")
    commands.add_parser("seed")
    commands.add_parser("export-person").add_argument("policy_number")
    commands.add_parser("erase-person").add_argument("policy_number")
    return parser


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[TextIO] = None,
         stderr: Optional[TextIO] = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr

    def fail(code: int, message: str) -> int:
        print(" ".join(str(message).split()), file=stderr)
        return code

    try:
        args = _parser().parse_args(argv)
    except _Usage as error:
        return fail(EXIT_INVALID, error)
    try:
        return _run(args, stdout, stderr, fail)
    except Exception as error:  # a database that cannot be reached, a bug: one line, no traceback
        return fail(EXIT_FAILURE, f"{type(error).__name__}: {error}")


def _run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO, fail) -> int:
    from . import store
    from .policies_csv import ImportRefused, import_policies, read_policies
    from .seed import seed_demo_data

    if args.command == "import-policies":
        path = Path(args.file)
        if not path.is_file():
            return fail(EXIT_INVALID, f"{args.file}: no such file")
        try:
            rows = read_policies(path.read_bytes(), date.today())
        except ImportRefused as refused:
            for problem in refused.problems:
                print(problem, file=stderr)
            print("nothing imported", file=stderr)
            return EXIT_INVALID
        new, updated = import_policies(rows, get_database(args.db))
        print(f"imported {new + updated} policies ({new} new, {updated} updated)", file=stdout)
        return EXIT_OK
    if args.command == "seed":
        print(f"seeded {seed_demo_data(get_database(args.db))} demo policies", file=stdout)
        return EXIT_OK
    if args.command == "export-person":
        data = store.export_policyholder_data(args.policy_number, db=get_database(args.db))
        if data is None:
            return fail(EXIT_FAILURE, f"no policy {args.policy_number}")
        print(json.dumps(data, ensure_ascii=False, indent=2), file=stdout)
        return EXIT_OK
    erased = store.erase_policyholder_data(args.policy_number, db=get_database(args.db))
    print(json.dumps(erased), file=stdout)
    return EXIT_OK
