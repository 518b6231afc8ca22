"""The Rasa server as we run it: `python -m bot.rasa_server run ...` takes `rasa run`'s arguments, applies our
corrections of Rasa (bot/rasa_speedups.py, refused on another Rasa version) and then runs Rasa's own command line.
The launcher (bot/servers.py) starts the Rasa server this way; nothing is patched as a side effect of an import."""

from __future__ import annotations

import sys

from bot import rasa_speedups


def main() -> None:
    try:
        rasa_speedups.apply()
    except rasa_speedups.UnsupportedRasa as refused:
        print(f"Not starting: {refused}", file=sys.stderr)
        raise SystemExit(2)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
