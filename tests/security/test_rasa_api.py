"""Item 3 of issue 18: Rasa's HTTP API was open on loopback, so a reverse proxy on the same host
exposed every tracker. It now always needs the token, on loopback too."""
from __future__ import annotations

import stat

import pytest
import requests

from tests import rasa_api


@pytest.mark.parametrize("method, path", [("get", "/conversations/web-someone/tracker"), ("post", "/model/parse"),
                                          ("post", "/conversations/web-someone/tracker/events"),
                                          ("get", "/status"), ("get", "/domain")])
def test_rasa_api_without_the_token_is_401_on_loopback(stack, method, path):
    open_door = getattr(requests, method)(f"{stack.settings.rasa_url}{path}", json={"text": "hallo"}, timeout=30)
    assert open_door.status_code == 401
    guessed = getattr(requests, method)(f"{stack.settings.rasa_url}{path}", params={"token": "guess"},
                                        json={"text": "hallo"}, timeout=30)
    assert guessed.status_code == 401


def test_with_the_token_the_api_answers(stack):
    assert rasa_api.parse(stack.settings, "Bonjour")["language"] == "fr"
    assert rasa_api.get(stack.settings, "/status").status_code == 200


def test_the_endpoints_file_with_the_action_token_is_private(stack):
    endpoints = stack.processes[1].log_path.parent / "endpoints.yml"
    assert stack.settings.actions_token in endpoints.read_text()
    assert stat.S_IMODE(endpoints.stat().st_mode) == 0o600
