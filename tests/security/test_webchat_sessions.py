"""Item 2 of issue 18: the web chat's conversation id was its only credential and travelled in URLs.
Now the server issues the session (cookie `cybercare_session`) and every route acts for its
conversation only. Each test makes the attack first, then shows it refused."""
from __future__ import annotations

import requests

from bot.channels.inbound import error_text
from tests import rasa_api
from tests.conftest import Chat
from tests.security.conftest import client
from tests.uploads.samples import PDF

ROUTES = ("webhook", "upload", "history", "events")


def attempt(stack, route: str, sender: str, session: requests.Session, lang: str = "fr") -> requests.Response:
    """What an attacker who knows a conversation id tries on `route`."""
    url, headers = f"{stack.settings.webchat_url}{route}", {"X-Chat-Language": lang}
    if route == "webhook":
        return session.post(url, json={"sender": sender, "message": "Bonjour"}, headers=headers, timeout=30)
    if route == "upload":
        return session.post(url, data={"sender": sender}, files={"file": ("a.pdf", PDF, "application/pdf")},
                            headers=headers, timeout=30)
    return session.get(url, params={"sender": sender}, headers=headers, timeout=30, stream=True)


def test_a_known_conversation_id_opens_nothing_without_its_session(guarded):
    victim = client(guarded, page_language="fr")
    victim.send("Bonjour, mon colis n'est jamais arrivé")
    before = rasa_api.events(guarded.settings, victim.sender)
    for route in ROUTES:
        anonymous = requests.Session()  # no cookie at all
        refused = attempt(guarded, route, victim.sender, anonymous)
        assert refused.status_code == 401, (route, refused.text)
        assert refused.json() == {"error": "no_session", "message": error_text("no_session", "fr")}
        forged = requests.Session()
        forged.cookies.set("cybercare_session", "x" * 43, path="/webhooks/webchat")
        assert attempt(guarded, route, victim.sender, forged).status_code == 401, route
        other = client(guarded).http  # a valid session of another conversation
        refused = attempt(guarded, route, victim.sender, other, "en")
        assert refused.status_code == 403, (route, refused.text)
        assert refused.json() == {"error": "wrong_sender", "message": error_text("wrong_sender", "en")}
    assert rasa_api.events(guarded.settings, victim.sender) == before  # nothing written, nothing read
    # The victim's own page still works, with no id in any URL.
    history = victim.get(f"{guarded.settings.webchat_url}history", timeout=30).json()
    assert history["messages"][0]["text"] == "Bonjour, mon colis n'est jamais arrivé"


def test_the_session_cookie_is_httponly_strict_and_secure_behind_tls(guarded):
    opened = requests.post(f"{guarded.settings.webchat_url}session", timeout=30)
    assert opened.status_code == 200
    sender = opened.json()["sender"]
    assert sender.startswith("web-") and len(sender) >= 36
    cookie = opened.headers["Set-Cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith("cybercare_session=") and {"httponly", "samesite", "path"} <= attributes
    assert "SameSite=Strict" in cookie and "Path=/webhooks/webchat" in cookie
    assert "secure" not in attributes  # plain HTTP here
    behind_tls = requests.post(f"{guarded.settings.webchat_url}session", timeout=30,
                               headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "2001:db8::1"})
    assert "Secure" in behind_tls.headers["Set-Cookie"]  # the trusted proxy (127.0.0.1) says TLS
    # The same browser asking again keeps its conversation; another gets another.
    page = requests.Session()
    first = page.post(f"{guarded.settings.webchat_url}session", timeout=30).json()["sender"]
    assert page.post(f"{guarded.settings.webchat_url}session", timeout=30).json()["sender"] == first
    assert first != sender


def test_only_a_trusted_proxy_can_say_tls(stack):
    """The session stack trusts no proxy: a client's own X-Forwarded-Proto is not believed."""
    opened = requests.post(f"{stack.settings.webchat_url}session", headers={"X-Forwarded-Proto": "https"},
                           timeout=30)
    assert "Secure" not in opened.headers["Set-Cookie"]


def test_a_trusted_server_side_caller_may_name_any_conversation(guarded):
    victim = client(guarded, page_language="nl")
    victim.send("hallo")
    url = f"{guarded.settings.webchat_url}webhook"
    trusted = requests.post(url, json={"sender": victim.sender, "message": "hallo"}, timeout=30,
                            headers=rasa_api.trusted(guarded.settings))
    assert trusted.status_code == 200, trusted.text
    wrong = requests.post(url, json={"sender": victim.sender, "message": "hallo"}, timeout=30,
                          headers={"Authorization": "Bearer guessed"})
    assert wrong.status_code == 401
    history = requests.get(f"{guarded.settings.webchat_url}history", params={"sender": victim.sender},
                           headers=rasa_api.trusted(guarded.settings), timeout=30).json()
    assert [m["from"] for m in history["messages"]].count("user") == 2


def test_the_chat_fixture_is_a_real_page_session(stack):
    """tests/conftest.py's Chat: a session first, then no id needed in the body."""
    conversation = Chat(stack.settings, "en")
    assert conversation.http.cookies.get("cybercare_session")
    assert conversation.send("Hello")
