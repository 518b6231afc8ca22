"""`python -m actions.evidence`: see `cli.py`."""
import sys

if __name__ == "__main__":  # not when a tool (e.g. Rasa's action server) imports every module
    try:
        from .cli import main
    except Exception as error:  # a broken install still gets one line, not a traceback
        print(f"internal error: cannot load the evidence extraction: {type(error).__name__}: {error}",
              file=sys.stderr)
        sys.exit(1)
    sys.exit(main())
