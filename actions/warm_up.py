"""Loads, before the action server takes its first call, what the actions otherwise load on first
use: the policy rules, the texts of explanations, summaries and hand-offs, the goods vocabulary and
the phrases of `policy_rules/signals.yml`, and the regular expressions of the evidence readers.
Without it the first declaration after a start waited about half a second (the bench's p99)."""
from __future__ import annotations

from actions.conversation.clock import today_in_belgium
from actions.conversation.texts import texts as declaration_texts
from actions.coverage import load_rules
from actions.coverage.explain import texts as explanation_texts
from actions.forms import fields
from actions.forms.reading import Message, read_answer
from actions.handoff.summary import texts as handoff_texts

STORIES = {
    "nl": "Ik heb gisteren voor 120 euro een jas besteld bij een webshop en hij is nooit geleverd",
    "fr": "J'ai commandé une veste de 120 euros hier sur un site et elle n'est jamais arrivée",
    "en": "I ordered a jacket for 120 euros yesterday from a web shop and it never arrived",
}


def warm_up() -> None:
    load_rules()
    explanation_texts()
    declaration_texts()
    handoff_texts()
    today = today_in_belgium()
    for lang, story in STORIES.items():
        for cover in fields.COVERS:
            read_answer(Message(story, lang, today, "inform"), cover, None, {}, None)
