"""A story read as `inform` outside a form opens the declaration of the report intent ranked next."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.declaration.completion import declaration_it_reads_like


def tracker(ranking):
    latest = {"intent": ranking[0], "intent_ranking": ranking, "text": "..."}
    return Tracker("s", {}, latest, [], False, None, {}, "action_listen")


def test_a_likely_report_runner_up_opens_its_form():
    ranking = [{"name": "inform", "confidence": 0.68}, {"name": "report_data_loss", "confidence": 0.32}]
    assert declaration_it_reads_like(tracker(ranking)) == "data_recovery_form"
    ranking = [{"name": "inform", "confidence": 0.7}, {"name": "report_non_conforming", "confidence": 0.25}]
    assert declaration_it_reads_like(tracker(ranking)) == "ecommerce_form"


def test_plain_information_opens_nothing():
    assert declaration_it_reads_like(tracker([{"name": "inform", "confidence": 0.95},
                                              {"name": "report_data_loss", "confidence": 0.04}])) is None
    assert declaration_it_reads_like(tracker([{"name": "inform", "confidence": 0.6},
                                              {"name": "faq", "confidence": 0.4}])) is None
