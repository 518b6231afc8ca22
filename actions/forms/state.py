"""The form's own memory between turns (slot `declaration_state`): who is identified, how often a
question failed, which questions were answered "no", where a "stop" came from. Plain JSON so it
lives in the tracker store like any slot and survives a restart of either server."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional

MAX_IDENTIFICATION_ATTEMPTS = 3
EXPLAIN_AFTER_FAILURES = 2


@dataclass
class FormState:
    identified: Optional[str] = None  # the policy number whose date of birth matched
    # Failed pairs in this conversation, over every declaration in it: a new story does not reset them.
    identification_failures: int = 0
    identification_failed: bool = False
    identification_locked: bool = False  # the claims store refused the number (too many failures, any chat)
    retries: Dict[str, int] = field(default_factory=dict)
    declined: List[str] = field(default_factory=list)
    last_date_slot: Optional[str] = None
    relation_hint: bool = False
    stop_from: Optional[str] = None
    resumed: bool = False
    draft: Optional[str] = None
    care_given: bool = False  # the first answer to the story (care, support, first aid) was said
    changed: List[str] = field(default_factory=list)  # slots corrected since the summary was last shown
    confirm_short: bool = False  # the summary's answer was unclear: ask again in a short form

    @classmethod
    def load(cls, data: Any) -> "FormState":
        if not isinstance(data, dict):
            return cls()
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def dump(self) -> Dict[str, Any]:
        return asdict(self)

    def failed(self, slot: str) -> int:
        """Count one more failed answer to `slot`; returns how many in a row."""
        self.retries[slot] = self.retries.get(slot, 0) + 1
        return self.retries[slot]

    def succeeded(self, slot: str) -> None:
        self.retries.pop(slot, None)

    def for_new_declaration(self) -> "FormState":
        """A fresh memory that keeps who is identified, and the failed identifications of this conversation."""
        return FormState(identified=self.identified, identification_failures=self.identification_failures,
                         identification_failed=self.identification_failed,
                         identification_locked=self.identification_locked)
