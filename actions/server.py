"""The action server, answering only the Rasa server.

`python -m actions.server --port 5055` runs rasa_sdk's app for the `actions` package, bound to
ACTIONS_HOST (default 127.0.0.1: not reachable from other machines), and refuses every call to
/webhook and /actions that does not carry ACTIONS_TOKEN (Rasa's action endpoint sends it as the
`token` query parameter, see bot/settings.py). /health stays open for the launcher's readiness check.
Without ACTIONS_TOKEN the server does not start: a forgotten setting must not open the door.
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from typing import List, Optional

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request

from actions.warm_up import warm_up

TOKEN_VARIABLE = "ACTIONS_TOKEN"
HOST_VARIABLE = "ACTIONS_HOST"
OPEN_PATHS = ("/health",)


def build_app(token: str):
    app = create_app("actions", cors_origins=None)

    @app.middleware("request")
    async def only_rasa(request: Request):
        if request.path in OPEN_PATHS:
            return None
        given = request.args.get("token") or ""
        if not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    return app


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.server")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_VARIABLE)
    if not token:
        print(f"{TOKEN_VARIABLE} is not set: the action server would answer anyone. The launcher sets it.",
              file=sys.stderr)
        return 2
    utils.configure_colored_logging("INFO")
    logging.getLogger("actions").setLevel(logging.INFO)
    app = build_app(token)
    warm_up()  # before Sanic forks its workers: they start warm (and share the pages)
    app.run(os.environ.get(HOST_VARIABLE) or "127.0.0.1", args.port, workers=utils.number_of_sanic_workers(),
            access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
