"""Item 4 of issue 18: an nl-only agent's event stream carried a French conversation's id (and the
web chat history then showed its transcript). An agent's stream now carries only conversations in
their languages, and a conversation without an open hand-off in them is 404."""
from __future__ import annotations

import queue

from tests.desk.conftest import EventStream
from tests.desk.test_desk_http import ask_for_a_person_twice


def test_an_agents_event_stream_never_names_a_conversation_outside_their_languages(stack, chat, desk, desk_agents):
    lotte = EventStream(f"{stack.settings.rasa_url}/webhooks/desk/api/events",
                        headers={"Authorization": f"Bearer {desk_agents['Lotte']}"})  # nl only
    try:
        french, _ = ask_for_a_person_twice(chat, "fr", "Je voudrais parler à quelqu'un",
                                           "Je veux parler à un conseiller")
        french.say("Vous êtes là ? Je suis CC-DEMO-0002, née le 30/09/1979")  # typed while waiting
        dutch, _ = ask_for_a_person_twice(chat, "nl", "Ik wil met een medewerker spreken",
                                          "Ik wil echt een mens spreken")
        seen = []
        while dutch.sender not in seen:  # the Dutch one comes after every French event
            try:
                seen.append(lotte.next(60)["sender_id"])
            except queue.Empty:
                raise AssertionError(f"no event for the Dutch conversation; saw {seen}")
        assert french.sender not in seen
    finally:
        lotte.close()
    assert desk("Lotte").get(f"conversations/{french.sender}").status_code == 404
    assert desk("Sofie").get(f"conversations/{french.sender}").status_code == 200  # nl, fr


def test_a_conversation_handed_back_is_404_to_the_desk(stack, chat, desk):
    conversation, _ = ask_for_a_person_twice(chat, "nl", "Ik wil met een medewerker spreken",
                                             "Ik wil echt een mens spreken")
    sofie = desk("Sofie")
    assert sofie.post(f"conversations/{conversation.sender}/claim").status_code == 200
    assert sofie.get(f"conversations/{conversation.sender}").status_code == 200
    assert sofie.post(f"conversations/{conversation.sender}/release").status_code == 200
    assert sofie.get(f"conversations/{conversation.sender}").status_code == 404  # the bot's again
    never = chat(page_language="nl")
    never.say("hallo")
    assert sofie.get(f"conversations/{never.sender}").status_code == 404  # never with the desk
