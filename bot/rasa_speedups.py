"""Corrections of Rasa 3.6's own hot spots and noise, applied by the Rasa server's entry point
(`python -m bot.rasa_server`, which the launcher runs) and only on the Rasa version they were written for
(`WRITTEN_FOR`): another version is refused rather than patched blindly.

- `RemoteAction._validate_action_result` calls `jsonschema.validate` on every action server answer,
  which checks Rasa's large response schema against the JSON-Schema metaschema each time before
  validating the answer: two thirds of a declaration message's time (measured with cProfile, README
  "Benchmark"). The answer is still validated, against the same schema, by a validator built once.
- The loaded model leaves a few million Python objects that never die; the garbage collector's
  full passes over them cost a few hundred milliseconds now and then (the bench's p99).
  `freeze_startup_objects`, called once the model is loaded, moves them out of its way (gc.freeze).
- `interpolator.interpolate_text` reads any `{...}` of a response as a slot placeholder, so every button
  whose payload carries JSON (`/inform{"merchant_response": "none"}`) logged a KeyError with a traceback at
  each question. Only `{name}` placeholders are filled now; other braces are text.
"""
from __future__ import annotations

import gc
import logging
import re
from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for

WRITTEN_FOR = "3.6.21"  # the Rasa version whose internals these corrections replace
_applied = False
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
logger = logging.getLogger(__name__)


class UnsupportedRasa(RuntimeError):
    pass


def check_version(version: str) -> None:
    """Refuses to patch a Rasa other than the one the corrections were written for."""
    if version != WRITTEN_FOR:
        raise UnsupportedRasa(f"bot/rasa_speedups.py was written for Rasa {WRITTEN_FOR}, this is Rasa {version}: "
                              "check each correction against its code before changing WRITTEN_FOR")


def interpolate_text(response: Text, values: Dict[Text, Any]) -> Text:
    """Rasa's placeholder filling, for `{slot_name}` only: JSON in a payload is left as it is, unlogged; a
    placeholder with no value stays as written (as Rasa leaves the response), with a one-line warning."""
    def fill(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name in values:
            return str(values[name])
        logger.warning("response placeholder {%s} has no value", name)
        return match.group(0)

    return _PLACEHOLDER.sub(fill, response)


@lru_cache(maxsize=1)
def _response_validator():
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate would on every call
    return cls(schema)


def _validate_action_result(self, result: Dict[Text, Any]) -> bool:
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    if isinstance(error, ValidationError):
        error.message += (". Failed to validate Action server response from API, make sure your response from "
                          f"the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
    raise error


def apply(version: str = "") -> None:
    """Installs the corrections (once; idempotent) after checking the running Rasa's version."""
    global _applied
    if _applied:
        return
    import rasa
    from rasa.core.actions.action import RemoteAction
    from rasa.core.nlg import interpolator

    check_version(version or rasa.__version__)
    RemoteAction._validate_action_result = _validate_action_result
    interpolator.interpolate_text = interpolate_text
    _applied = True


def freeze_startup_objects() -> None:
    """Moves every object alive now (the model, the domain, the tables) to the collector's
    permanent generation: later full collections only walk what messages create."""
    gc.collect()
    gc.freeze()
