"""Pointed questions about the cover or the contract, answered first with a verdict, from the rules."""
from __future__ import annotations

from actions.conversation import answering

from .answer import answer, context_ranking


def _replies(question, lang, today, cover=None):
    found = answer(question, lang, today, context_ranking(cover))
    return [(reply.text, tuple(reply.buttons)) for reply in found.replies] if found else None


answering.register(_replies)
