"""Where a declared claim stands: the dossier reference the user gives, looked up in the claims store."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.claims.store import get_dossier

REFERENCE_ENTITY = "claim_reference"


def reference_in(tracker: Tracker) -> Optional[str]:
    """The reference named in this message, else the one remembered in the conversation."""
    value = next(tracker.get_latest_entity_values(REFERENCE_ENTITY), None) or tracker.get_slot(REFERENCE_ENTITY)
    return value.strip().upper() if isinstance(value, str) and value.strip() else None


class ActionCheckClaimStatus(Action):
    def name(self) -> Text:
        return "action_check_claim_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        reference = reference_in(tracker)
        if reference is None:
            dispatcher.utter_message(response="utter_claim_status")
            return []
        # The store is synchronous (SQLAlchemy): keep it off the event loop.
        dossier = await asyncio.to_thread(get_dossier, reference)
        if dossier is None:
            dispatcher.utter_message(response="utter_claim_reference_unknown", reference=reference)
        else:
            dispatcher.utter_message(response=f"utter_claim_status_{dossier['status']}", reference=reference)
        return []
