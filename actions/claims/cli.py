"""`python -m actions.claims COMMAND`: the claims store's command line.

    import-policies FILE.csv     load the insurer's policy export (nothing imported if a row is bad)
    seed                         the demo policies (as `python -m actions.claims.seed`)
    export-person POLICY_NUMBER  everything held about a policyholder, their conversations included, as
                                 JSON (exit 1 when unknown)
    erase-person POLICY_NUMBER   delete it, conversations included (every one in which the number was
                                 identified, read from the tracker store), their web chat sessions and
                                 identification attempts; prints what was erased, as JSON
    unlock-policy POLICY_NUMBER  lift the chat lockout of a policy number (5 wrong dates of birth in a
                                 day lock it for a day), once the 24/7 line identified the caller
    purge-conversations [--older-than-days N]
                                 delete the conversations whose last message is older than N days
                                 (default: CYBERCARE_RETENTION_DAYS, else 90), except those with an open
                                 handoff, and the files sent in them that no dossier holds; prints the
                                 counts and the cutoff, as JSON
Every command takes --db URL (default: CLAIMS_DB_URL, else the SQLite file under var/), before or
after the command. Opening the database creates its tables when missing. The commands on conversations
take --tracker-db URL after the command (default: TRACKER_DB_URL, else var/tracker.db, as the bot);
a tracker database that does not exist yet holds no conversation.
Errors are one line on stderr (exit 2 for bad input, 1 otherwise); never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Optional, Sequence, TextIO

from .db import get_database

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
CONVERSATION_COMMANDS = ("export-person", "erase-person", "purge-conversations")
MAX_RETENTION_DAYS = 36500  # a hundred years: more is a typing mistake (and past what dates can say)


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        raise _Usage(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m actions.claims", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", metavar="URL", help="database URL (default: CLAIMS_DB_URL, else var/cybercare.db)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    for name, argument, text in (("import-policies", "file", "load the insurer's policy export (CSV)"),
                                 ("seed", None, "create or reset the demo policies"),
                                 ("export-person", "policy_number", "everything held about a policyholder, as JSON"),
                                 ("erase-person", "policy_number", "delete it; prints what was erased"),
                                 ("unlock-policy", "policy_number",
                                  "lift a policy number's chat lockout (the caller was identified another way)"),
                                 ("purge-conversations", None, "delete conversations older than the retention")):
        command = commands.add_parser(name, help=text)
        if argument:
            command.add_argument(argument)
        if name in CONVERSATION_COMMANDS:
            command.add_argument("--tracker-db", metavar="URL",
                                 help="tracker store URL (default: TRACKER_DB_URL, else var/tracker.db)")
        if name == "purge-conversations":
            command.add_argument("--older-than-days", metavar="N",
                                 help="retention in days (default: CYBERCARE_RETENTION_DAYS, else 90)")
        # --db is accepted after the command too; it then wins over one given before
        command.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
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
    from . import conversations, identification, sessions, store
    from .policies_csv import ImportRefused, import_policies, read_policies
    from .seed import seed_demo_data

    if args.command == "import-policies":
        path = Path(args.file)
        if not path.exists():
            return fail(EXIT_INVALID, f"{args.file}: no such file")
        if not path.is_file():
            return fail(EXIT_INVALID, f"{args.file}: not a file")
        try:
            data = path.read_bytes()
        except OSError as error:
            return fail(EXIT_INVALID, f"{args.file}: cannot be read ({error.strerror or error})")
        try:
            rows = read_policies(data, date.today())
        except ImportRefused as refused:
            for problem in refused.problems:
                print(problem, file=stderr)
            print("nothing imported", file=stderr)
            return EXIT_INVALID
        new, updated = import_policies(rows, get_database(args.db))
        print(f"imported {new + updated} policies ({new} new, {updated} updated)", file=stdout)
        return EXIT_OK
    if args.command == "seed":
        database = get_database(args.db)
        print(f"seeded {seed_demo_data(database)} demo policies into {database.safe_url()}", file=stdout)
        return EXIT_OK
    if args.command == "purge-conversations":
        return _purge(args, stdout, fail)
    if args.command == "unlock-policy":
        number = store.normalise_policy_number(args.policy_number) or args.policy_number
        lifted = identification.unlock(number, db=get_database(args.db))
        print(f"{number}: {'unlocked' if lifted else 'was not locked'}", file=stdout)
        return EXIT_OK
    # as typed ("cc demo 0001") or as stored
    number = store.normalise_policy_number(args.policy_number) or args.policy_number
    database = get_database(args.db)
    tracker_url = args.tracker_db or conversations.tracker_url()
    sender_ids = conversations.conversation_ids_of(number, database, tracker_url)
    if args.command == "export-person":
        data = store.export_policyholder_data(number, db=database)
        if data is None:
            return fail(EXIT_FAILURE, f"no policy {number}")
        data["files"] += conversations.export_unlinked_files(database, sender_ids)
        data["conversations"] = conversations.export_conversations(tracker_url, sender_ids)
        print(json.dumps(data, ensure_ascii=False, indent=2), file=stdout)
        return EXIT_OK
    # The conversations first: erasing the claims data erases what links them to the person.
    events = conversations.erase_conversations(tracker_url, sender_ids)
    unlinked_files = conversations.delete_unlinked_files(database, sender_ids)
    ended = sessions.end_sessions_of(sender_ids, db=database)
    attempts = identification.erase_attempts_of(number, db=database)
    erased = store.erase_policyholder_data(number, db=database)
    erased["files"] += unlinked_files
    erased["conversations"] = len(sender_ids)
    erased["conversation_events"] = events
    erased["web_chat_sessions"] = ended
    erased["identification_failures"] = attempts
    print(json.dumps(erased), file=stdout)
    return EXIT_OK


def _purge(args: argparse.Namespace, stdout: TextIO, fail) -> int:
    from . import conversations, files, sessions

    given = args.older_than_days
    setting = os.environ.get(conversations.RETENTION_VARIABLE) or str(conversations.DEFAULT_RETENTION_DAYS)
    days = _days(setting if given is None else given)
    if days is None:
        source = f"{conversations.RETENTION_VARIABLE}={setting!r}" if given is None else f"--older-than-days {given!r}"
        return fail(EXIT_INVALID, f"{source}: not a whole number of days from 1 to {MAX_RETENTION_DAYS}")
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    database = get_database(args.db)
    purged = conversations.purge_older_than(args.tracker_db or conversations.tracker_url(), cutoff,
                                            keep=conversations.open_handoff_conversations(database))
    deleted_files = conversations.delete_unlinked_files(database, purged.sender_ids)
    deleted_files += files.delete_stale_unlinked(db=database)  # sent a day ago or more, in no dossier
    ended = sessions.end_sessions_of(purged.sender_ids, db=database) + sessions.purge_sessions(cutoff, db=database)
    print(json.dumps({"conversations": len(purged.sender_ids), "events": purged.events, "files": deleted_files,
                      "web_chat_sessions": ended, "cutoff": cutoff.isoformat()}), file=stdout)
    return EXIT_OK


def _days(text: str) -> int | None:
    """A retention of `text` days, or None when it is not a whole number from 1 to MAX_RETENTION_DAYS."""
    days = int(text) if text.strip().isdecimal() else 0
    return days if 1 <= days <= MAX_RETENTION_DAYS else None
