"""The files a user sent, as the desk shows them: listed with the conversation, downloaded only by an
agent who may see it, as an attachment."""
from __future__ import annotations

from tests.uploads.samples import PDF
from tests.uploads.test_uploads_http import upload


def test_the_desk_lists_the_files_and_gives_them_only_to_its_agents(stack, chat, desk):
    conversation = chat(page_language="nl")
    kept = upload(stack, conversation, PDF, "bewijs.pdf", "screenshot", "nl").json()["file"]
    conversation.say("Ik wil met een medewerker spreken")
    conversation.say("/request_human")
    view = desk("Lotte").get(f"conversations/{conversation.sender}").json()
    assert [(f["name"], f["kind"]) for f in view["files"]] == [("bewijs.pdf", "screenshot")]
    assert view["transcript"][0] == {"from": "user", "text": "bewijs.pdf", "time": view["transcript"][0]["time"],
                                     "file": {"id": kept["id"], "name": "bewijs.pdf", "kind": "screenshot"}}
    path = f"conversations/{conversation.sender}/files/{kept['id']}"
    got = desk("Lotte").get(path)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert desk("Marc").get(path).status_code == 404  # no Dutch for Marc
    assert desk(None).get(path).status_code == 401
    assert desk("Lotte").get(f"conversations/{conversation.sender}/files/999999").status_code == 404
