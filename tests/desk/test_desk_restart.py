"""The handoff queue and a paused conversation survive a restart of the Rasa server: the queue is in
the claims store, the pause in the tracker store; after the restart the agent takes the conversation,
answers and hands back as if nothing happened."""
from __future__ import annotations

from bot.servers import start_rasa
from tests.responses import response_text


def restart_rasa(stack) -> None:
    old = stack.processes[-1]
    old.stop()
    new = start_rasa(stack.settings, log_dir=old.log_path.parent)
    stack.processes[-1] = new  # the session's teardown stops this one
    new.wait_ready(300)


def test_the_queue_survives_a_restart_of_the_rasa_server(stack, chat, desk):
    conversation = chat(page_language="en")
    conversation.say("I want to speak to a human")
    assert response_text("utter_handoff_queued", "en").split("{", 1)[0] in conversation.say("a real person please")
    before = desk("Marc").queue()[conversation.sender]

    restart_rasa(stack)

    after = desk("Marc").queue()[conversation.sender]
    assert (after["status"], after["reason"], after["waiting_since"], after["summary"]) == (
        "waiting", "request_human", before["waiting_since"], before["summary"])
    assert desk("Marc").post(f"conversations/{conversation.sender}/claim").status_code == 200
    assert desk("Marc").post(f"conversations/{conversation.sender}/messages", {"text": "Marc here"}).status_code == 200
    assert conversation.send("hello Marc") == []  # still paused after the restart
    assert desk("Marc").post(f"conversations/{conversation.sender}/release").status_code == 200
    assert conversation.say("thanks") != ""  # the bot answers again
