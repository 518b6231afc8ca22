"""A file sent outside a declaration: added to the dossier filed in this conversation, or kept with
the conversation until the next declaration saves its draft (actions/claims/files.py links it then).
A file sent during a form is the form's business (actions/forms/base.py)."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.claims import files, store
from actions.conversation.slots import STATE_SLOT
from actions.conversation.texts import file_kind_labels
from actions.forms.state import FormState


class ActionFileReceived(Action):
    def name(self) -> Text:
        return "action_file_received"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        lang = tracker.get_slot("language") or "nl"
        kept = await asyncio.to_thread(files.sent_file, (tracker.latest_message or {}).get("entities", []),
                                       tracker.sender_id)
        if not kept:  # typed, not sent: no file of this conversation has this id
            dispatcher.utter_message(response="utter_inform_no_context")
            return []
        name, label = kept["name"], file_kind_labels()[kept["kind"]][lang]
        state = FormState.load(tracker.get_slot(STATE_SLOT))
        reference = tracker.get_slot("claim_reference")
        if reference and state.identified:
            dossier = await asyncio.to_thread(store.get_dossier_of, reference, state.identified)
            linked = dossier and await asyncio.to_thread(files.link_file, kept["id"], tracker.sender_id,
                                                         dossier["reference"])
            if linked:
                dispatcher.utter_message(response="utter_file_linked", name=name, kind=label,
                                         reference=dossier["reference"])
                return []
        dispatcher.utter_message(response="utter_file_kept", name=name, kind=label)
        return []
