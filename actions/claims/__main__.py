"""`python -m actions.claims ...`: see `cli.py`."""
import sys

from .cli import main

if __name__ == "__main__":  # not when Rasa's action server imports every module
    sys.exit(main())
