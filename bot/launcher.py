"""`make run` (embedded: SQLite, one process of each server) and `make run-production` (PostgreSQL,
Redis, several workers): starts the whole assistant on this machine, keeps it running (a process
that dies is started again, see bot/supervisor.py) and stops it on Ctrl-C."""
from __future__ import annotations

import argparse
import signal
import sys
import time
from typing import List, Optional

from bot.servers import start_stack, with_api_token, write_private
from bot.settings import VAR, Settings
from bot.supervisor import Supervisor

API_TOKEN_FILE = VAR / "rasa_api_token"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.launcher")
    parser.add_argument("--production", action="store_true",
                        help="PostgreSQL + Redis + two workers of each server (settings: README)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.production_from_env() if args.production else Settings.from_env()
    except ValueError as error:
        print(f"Not starting: {error}", file=sys.stderr)
        return 2
    for problem in settings.problems():
        print(f"Not starting: {problem}", file=sys.stderr)
        return 2
    if not settings.model.exists():
        print(f"No trained model at {settings.model}: run `make train` first.", file=sys.stderr)
        return 1
    # Demo policies only for a demo on this machine: their dates of birth are in the README, so in an
    # insurer's store, or on a server others reach, anyone could identify as their holders.
    demo_policies = not args.production and not settings.listens_beyond_loopback
    try:
        _prepare_services(settings, demo_policies=demo_policies)
    except Exception as error:  # a database or Redis that cannot be reached: one line, no traceback
        print(f"Could not start: {type(error).__name__}: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    mode = (f"production: PostgreSQL, Redis, {settings.rasa_workers} Rasa workers, "
            f"{settings.actions_workers} action workers" if args.production else "embedded: SQLite, one process each")
    token_line = "the one in RASA_API_TOKEN"
    if not settings.api_token:  # Rasa's API always needs a token: one for this start, readable by this user only
        settings = with_api_token(settings)
        token_line = f"{write_private(API_TOKEN_FILE, settings.api_token + chr(10))} (made for this start; mode 0600)"
    print(f"Starting the action server and the Rasa server ({mode}; loading the model takes a little while)...")
    started = time.monotonic()
    try:
        stack = start_stack(settings, VAR / "logs")
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    print(f"\nCyber Care is ready after {time.monotonic() - started:.0f} s.")
    print(f"  Web chat:     {settings.webchat_url}")
    print(f"  Agent desk:   {settings.rasa_url}/webhooks/desk/  "
          "(agents: python -m bot.desk add-agent NAME --languages nl,fr)")
    print(f"  Rasa API:     {settings.rasa_url}  (POST /model/parse?token=...; the token: {token_line})")
    print(f"  Action server {settings.actions_url}")
    print(f"  Logs:         {VAR / 'logs'}")
    print("Press Ctrl-C to stop.", flush=True)

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            print("\nStopping...")
            stack.stop()
            print("Stopped.")
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    supervisor = Supervisor(stack.processes, say=lambda line: print(line, file=sys.stderr, flush=True))
    while True:
        supervisor.check()
        time.sleep(0.5)


def _prepare_services(settings: Settings, demo_policies: bool) -> None:
    """Databases (created when missing), Redis (answers), then the claims tables before the first
    message, with the demo policies (idempotent) when asked."""
    from actions.claims.db import get_database
    from actions.claims.seed import seed_demo_data
    from bot.services import check_redis, ensure_database

    for url in (settings.tracker_db_url, settings.claims_db_url):
        if ensure_database(url):
            print(f"Created the database {url.rsplit('/', 1)[-1]}")
    if settings.redis_url:
        check_redis(settings.redis_url)
    if demo_policies:
        seed_demo_data(settings.claims_db_url)
    else:
        get_database(settings.claims_db_url)  # opening it creates the tables


if __name__ == "__main__":
    sys.exit(main())
