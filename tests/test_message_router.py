"""The message router (bot/nlu/routing.py) on messages as people write them: a question about the cover asked with
an incident's words goes to the question answering; a story behind a greeting, a help request or a low confidence
goes to the report its words state; what is out of scope stays out of scope. No model: the intents are given."""
from __future__ import annotations

from typing import Optional

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.routing import MessageRouter


def route(text: str, intent: str, lang: str, confidence: float = 0.6, ranking=()) -> Optional[str]:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": list(ranking) or [{"name": intent, "confidence": confidence}],
                            "language": lang})
    MessageRouter().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("text, intent, lang, expected", [
    ("mijn pakje is nooit aangekomen, is da gedekt?", "report_non_delivery", "nl", "faq"),
    ("Bonjour, j'ai reçu une télé endommagée, je l'avais payée 899 euros", "greet", "fr", "report_non_conforming"),
    ("Good evening, I ordered a bunk bed on wayfair.be, 459 euros, on 19/10. Nothing came. What can I do?", "faq", "en",
     "report_non_delivery"),
    ("hello?? I ordered a standing desk from bol.com on 20 october, 389 euro, and there is still nothing", "faq", "en",
     "report_non_delivery"),
    ("my car was damaged in a storm last week", "out_of_scope", "en", "out_of_scope"),
    ("I need dental insurance, can you help?", "out_of_scope", "en", "out_of_scope"),
    ("ik zoek een goedkope omniumverzekering voor mijn wagen", "out_of_scope", "nl", "out_of_scope"),
    ("how do I add more GB to my mobile plan?", "greet", "en", "greet"),
])
def test_the_words_decide_where_a_message_goes(text, intent, lang, expected):
    assert route(text, intent, lang) == expected


def test_a_report_the_words_state_is_kept_above_the_fallback_threshold():
    text = ("Some girls from her class made a fake instagram account with her photos and write horrible things "
            "about her. It started on 8 november.")
    ranking = [{"name": "report_e_reputation", "confidence": 0.35}, {"name": "report_payment_fraud", "confidence": 0.18}]
    message = Message(data={"text": text, "intent": {"name": "report_e_reputation", "confidence": 0.35},
                            "intent_ranking": ranking, "language": "en"})
    MessageRouter().process([message])
    assert message.get("intent") == {"name": "report_e_reputation", "confidence": 0.95}
    assert message.get("routed_from") is None


def test_an_answer_in_a_form_is_left_to_the_form():
    assert route("op 12 oktober, 299 euro, wat moet ik nu doen?", "inform", "nl") == "inform"


@pytest.mark.parametrize("text, intent, lang", [
    ("can they also take a loan in my name with that copy of my card?", "inform", "en"),
    ("est-ce que la banque va me rembourser??", "deny", "fr"),
    ("moet ik nu naar de politie?", "inform", "nl"),
])
def test_a_question_typed_in_a_form_goes_to_the_answering(text, intent, lang):
    assert route(text, intent, lang) == "faq"


def test_an_answer_with_a_question_mark_stays_an_answer():
    assert route("op 12 oktober?", "inform", "nl") == "inform"


def test_a_ransom_story_the_model_took_for_out_of_scope_is_a_data_loss():
    text = "Help, er staat een bericht op mijn scherm dat ik moet betalen in bitcoin, al mijn bestanden zijn versleuteld"
    assert route(text, "out_of_scope", "nl") == "report_data_loss"


@pytest.mark.parametrize("text, lang", [("nog steeds niks", "nl"), ("voor mezelf", "nl"), ("pas de réponse", "fr"),
                                        ("for me", "en")])
def test_an_answer_read_as_stop_without_a_word_of_stopping_is_an_answer(text, lang):
    """Seen in the eval's Dutch conversations: 'nog steeds niks' to 'what did the shop answer?' asked 'do you want to
    stop?' three times."""
    assert route(text, "stop", lang, confidence=0.7) == "inform"


@pytest.mark.parametrize("text, lang", [("stop", "nl"), ("laat maar, ik bel wel", "nl"), ("on arrête là", "fr"),
                                        ("kap ermee", "nl"), ("forget it", "en"), ("I don't want to go on", "en")])
def test_a_request_to_stop_stays_one(text, lang):
    assert route(text, "stop", lang, confidence=0.7) == "stop"


def test_a_story_the_words_state_as_another_report_goes_to_that_report():
    text = ("goeiedag, ik heb op 2 oktober nen tv besteld bij vandenborre, een samsung van 899 euro, en die is tot op "
            "vandaag niet geleverd")
    assert route(text, "report_non_conforming", "nl") == "report_non_delivery"


@pytest.mark.parametrize("text, intent, lang", [
    ("ik heb het vorige week online afgesloten maar ik wil het toch niet meer, kan ik nog kosteloos annuleren?",
     "cancel_human_request", "nl"),
    ("mijn pc is gegijzeld door ransomware, al mijn fotos zijn versleuteld. kunnen jullie die terughalen?",
     "check_claim_status", "nl"),
    ("mijn tickets voor tomorrowland zijn nooit aangekomen, kan ik da bij jullie aangeven?", "report_non_delivery",
     "nl"),
])
def test_a_pointed_question_the_answering_has_a_verdict_for_goes_there(text, intent, lang):
    assert route(text, intent, lang) == "faq"


def test_a_routed_question_heads_the_ranking_so_the_fallback_sees_no_ambiguity():
    """FallbackClassifier (after the router) reads the ranking's top two: faq 0.50 and e-reputation 0.48 made a clear
    question about the cover 'not understood'."""
    text = "et si la personne a posté des insultes sur moi sur facebook, là c'est couvert?"
    ranking = [{"name": "faq", "confidence": 0.50}, {"name": "report_e_reputation", "confidence": 0.48}]
    message = Message(data={"text": text, "intent": {"name": "faq", "confidence": 0.50}, "intent_ranking": ranking,
                            "language": "fr"})
    MessageRouter().process([message])
    top, second = message.get("intent_ranking")[:2]
    assert top == {"name": "faq", "confidence": 0.95} and second["name"] == "report_e_reputation"
    assert top["confidence"] - second["confidence"] > 0.05


def test_the_report_a_question_was_routed_from_is_no_close_second():
    """The model sure of the report (0.98) a question was routed from: faq 0.98 and the report 0.98 would be ambiguous."""
    text = "mon laptop à 6000 euros n'est jamais arrivé, vous me remboursez tout?"
    ranking = [{"name": "report_non_delivery", "confidence": 0.98}, {"name": "faq", "confidence": 0.015}]
    message = Message(data={"text": text, "intent": {"name": "report_non_delivery", "confidence": 0.98},
                            "intent_ranking": ranking, "language": "fr"})
    MessageRouter().process([message])
    top, second = message.get("intent_ranking")[:2]
    assert (top["name"], top["confidence"]) == ("faq", 0.98)
    assert second["name"] == "report_non_delivery" and second["confidence"] <= 0.02 + 1e-9


@pytest.mark.parametrize("text, lang", [("so you pay nothing?", "en"), ("dus jullie betalen niks?", "nl"),
                                        ("donc vous payez rien ?", "fr")])
def test_a_question_read_as_a_report_that_tells_no_incident_opens_no_declaration(text, lang):
    """Seen after a refused data-loss claim: 'so you pay nothing?' opened a parcel declaration."""
    assert route(text, "report_non_delivery", lang, confidence=0.8) == "faq"


@pytest.mark.parametrize("text, intent, lang", [
    ("my colleagues made fun of me and insulted me in a teams video call, can cyber care do something?",
     "request_human", "en"),
    ("this is already the 4th time this year somebody harass me online, 3 times you helped already. can you help "
     "again?", "out_of_scope", "en"),
])
def test_a_pointed_question_read_as_a_person_or_out_of_scope_is_answered(text, intent, lang):
    assert route(text, intent, lang) == "faq"


@pytest.mark.parametrize("text, lang", [("ik wil met iemand praten", "nl"), ("je veux parler à un conseiller", "fr"),
                                        ("can i talk to a person?", "en")])
def test_a_request_for_a_person_stays_one(text, lang):
    assert route(text, "request_human", lang) == "request_human"


@pytest.mark.parametrize("text, lang", [
    ("help!! mijn computer is gehackt er staat dat ik moet betalen in bitcoin", "nl"),
    ("au secours mon ordinateur est piraté, un message demande de payer en bitcoin", "fr"),
    ("help my computer got hacked and it says i have to pay in bitcoin", "en"),
])
def test_a_hack_with_a_ransom_is_a_data_loss_not_out_of_scope(text, lang):
    """Seen: 'gehackt ... bitcoin' got 'Sorry, I can't help with that' and no 'don't pay'."""
    assert route(text, "out_of_scope", lang) == "report_data_loss"
