"""Desk administration.

    python -m bot.desk add-agent NAME --languages nl,fr   # prints the agent's token (last line), once
    python -m bot.desk list-agents
    python -m bot.desk remove-agent NAME

The database is the claims store's: CLAIMS_DB_URL, or --db URL.
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from actions.claims.db import get_database

from .agents import add_agent, list_agents, parse_languages, remove_agent


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.desk", description="Agents of the Cyber Care desk.")
    parser.add_argument("--db", help="database URL (default: CLAIMS_DB_URL or var/cybercare.db)")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-agent", help="add an agent (or renew their token); prints the token once")
    add.add_argument("name")
    add.add_argument("--languages", required=True, help="languages the agent answers in, e.g. nl,fr")
    add.add_argument("--db", dest="db_after", help=argparse.SUPPRESS)
    commands.add_parser("list-agents", help="the agents and their languages")
    remove = commands.add_parser("remove-agent", help="remove an agent; their token stops working")
    remove.add_argument("name")
    args = parser.parse_args(argv)
    db = get_database(getattr(args, "db_after", None) or args.db)
    try:
        if args.command == "add-agent":
            token = add_agent(args.name, parse_languages(args.languages), db=db)
            print(f"Agent {args.name.strip()} can answer in {args.languages}. Their token, shown only now "
                  "(the desk keeps only its hash); they paste it in the console at /webhooks/desk/:")
            print(token)
        elif args.command == "list-agents":
            for agent in list_agents(db=db):
                print(f"{agent.name}\t{','.join(agent.languages)}")
        elif args.command == "remove-agent":
            if not remove_agent(args.name, db=db):
                print(f"No agent named {args.name}", file=sys.stderr)
                return 1
            print(f"Agent {args.name} removed")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
