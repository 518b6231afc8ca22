"""A story read as `inform` outside a form opens the declaration of the report intent ranked next."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.declaration.completion import declaration_it_reads_like


def tracker(ranking, text="...", language="nl"):
    latest = {"intent": ranking[0], "intent_ranking": ranking, "text": text}
    return Tracker("s", {"language": language}, latest, [], False, None, {}, "action_listen")


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


INFORM_ONLY = [{"name": "inform", "confidence": 0.99}, {"name": "report_data_loss", "confidence": 0.01}]


def test_a_story_read_as_inform_opens_the_form_its_words_name():
    story = "Ik heb per ongeluk al mijn foto's van mijn externe harde schijf gewist, gisteren"
    assert declaration_it_reads_like(tracker(INFORM_ONLY, story)) == "data_recovery_form"
    story = "J'ai commandé une veste il y a trois semaines et elle n'est jamais arrivée"
    assert declaration_it_reads_like(tracker(INFORM_ONLY, story, "fr")) == "ecommerce_form"


def test_a_short_answer_or_a_story_of_no_single_cover_opens_nothing():
    assert declaration_it_reads_like(tracker(INFORM_ONLY, "mijn externe harde schijf")) is None
    assert declaration_it_reads_like(tracker(INFORM_ONLY, "het was op 14 februari bij de bakker om de hoek")) is None
