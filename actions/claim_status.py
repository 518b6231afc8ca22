"""Where a policyholder's claims stand. Runs after the identification form: only the identified
policyholder's own dossiers are shown (references are sequential, so a reference alone proves
nothing), and a reference that is not theirs is answered like an unknown one."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claims.store import dossiers_of, get_dossier_of
from actions.conversation.slots import STATE_SLOT
from actions.forms.state import FormState

REFERENCE_ENTITY = "claim_reference"
SHOWN_AT_MOST = 5


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
        state = FormState.load(tracker.get_slot(STATE_SLOT))
        if state.identification_failed:
            dispatcher.utter_message(response="utter_identification_failed")
            return [SlotSet(STATE_SLOT, FormState().dump()), SlotSet("policy_number", None),
                    SlotSet("birth_date", None)]
        policy_number = state.identified
        if policy_number is None:
            dispatcher.utter_message(response="utter_claim_status")
            return []
        reference = reference_in(tracker)
        if reference is not None:
            dossier = await asyncio.to_thread(get_dossier_of, reference, policy_number)
            if dossier is None:
                dispatcher.utter_message(response="utter_claim_reference_unknown", reference=reference)
            else:
                dispatcher.utter_message(response=f"utter_claim_status_{dossier['status']}", reference=reference)
            return []
        dossiers = await asyncio.to_thread(dossiers_of, policy_number)
        if not dossiers:
            dispatcher.utter_message(response="utter_claim_status_none")
        for dossier in dossiers[:SHOWN_AT_MOST]:
            dispatcher.utter_message(response=f"utter_claim_status_{dossier['status']}", reference=dossier["reference"])
        return []
