"""Corrections of Rasa 3.6's own hot spots, applied in the Rasa server process (bot/channels imports
this module, and every Rasa process of ours loads its channels).

- `RemoteAction._validate_action_result` calls `jsonschema.validate` on every action server answer,
  which checks Rasa's large response schema against the JSON-Schema metaschema each time before
  validating the answer: two thirds of a declaration message's time (measured with cProfile, README
  "Benchmark"). The answer is still validated, against the same schema, by a validator built once.
- The loaded model leaves a few million Python objects that never die; the garbage collector's
  full passes over them cost a few hundred milliseconds now and then (the bench's p99).
  `freeze_startup_objects`, called once the model is loaded, moves them out of its way (gc.freeze).
"""
from __future__ import annotations

import gc
from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for

_applied = False


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


def apply() -> None:
    """Installs the corrections (once; idempotent)."""
    global _applied
    if _applied:
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result
    _applied = True


def freeze_startup_objects() -> None:
    """Moves every object alive now (the model, the domain, the tables) to the collector's
    permanent generation: later full collections only walk what messages create."""
    gc.collect()
    gc.freeze()
