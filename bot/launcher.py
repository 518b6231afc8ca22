"""`make run`: starts the whole assistant on this machine and stops it on Ctrl-C."""
from __future__ import annotations

import signal
import sys
import time

from bot.servers import start_stack
from bot.settings import VAR, Settings


def main() -> int:
    settings = Settings.from_env()
    for problem in settings.problems():
        print(f"Not starting: {problem}", file=sys.stderr)
        return 2
    if not settings.model.exists():
        print(f"No trained model at {settings.model}: run `make train` first.", file=sys.stderr)
        return 1
    _prepare_claims_store(settings)
    print("Starting the action server and the Rasa server (loading the model takes a little while)...")
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
    print(f"  Rasa API:     {settings.rasa_url}  (POST /model/parse, /webhooks/rest/webhook)")
    print(f"  Action server {settings.actions_url}")
    print(f"  Logs:         {VAR / 'logs'}")
    print("Press Ctrl-C to stop.")

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
    while True:
        for process in stack.processes:
            if process.popen.poll() is not None:
                print(f"{process.name} stopped unexpectedly; see {process.log_path}", file=sys.stderr)
                stack.stop()
                return 1
        time.sleep(1)


def _prepare_claims_store(settings: Settings) -> None:
    """Creates the claims tables and the demo policies (idempotent) before the first message."""
    from actions.claims.seed import seed_demo_data

    seed_demo_data(settings.claims_db_url)


if __name__ == "__main__":
    sys.exit(main())
