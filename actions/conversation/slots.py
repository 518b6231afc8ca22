"""Slot names the actions share (the domain declares them; tests/test_domain_and_data.py checks it). The
facts of a declaration are named by the forms' question table (actions/forms/fields.py)."""
from __future__ import annotations

STATE_SLOT = "declaration_state"
REQUESTED_SLOT = "requested_slot"
LANGUAGE_SLOT = "language"
# The action that opens a form for a story read as `inform` (actions/declaration/completion.py): the
# form then reads that message as its first.
HANDED_OVER_BY = "action_complete_dossier"
# The action that answers every question about the cover (actions/questions/actions.py): a form hands a message
# to it by name, so that the forms need not import the answering (which reads with the forms' tables).
ANSWERING_ACTION = "action_answer_question"
