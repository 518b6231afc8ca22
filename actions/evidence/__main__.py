"""`python -m actions.evidence`: see `cli.py`."""
import sys

from .cli import main

if __name__ == "__main__":  # not when a tool (e.g. Rasa's action server) imports every module
    sys.exit(main())
