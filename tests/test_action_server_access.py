"""The action server answers only the Rasa server: bound to loopback, and every call but /health must
carry the secret Rasa's action endpoint sends. It refuses to start without one."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from tests.nlu_data import ROOT

CALL = {"next_action": "action_hand_back", "sender_id": "x", "tracker": {"sender_id": "x", "slots": {},
        "latest_message": {}, "events": [], "paused": False, "latest_action_name": "action_listen"},
        "domain": {}, "version": "3.6.2"}


def listening_addresses(port: int) -> set:
    """The local addresses (hex, as in /proc/net/tcp) with a listening TCP socket on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_the_action_server_listens_on_loopback_only(stack):
    assert listening_addresses(stack.settings.actions_port) == {"0100007F"}  # 127.0.0.1, nothing else


def test_calls_without_the_secret_are_refused(stack):
    url = f"{stack.settings.actions_url}/webhook"
    assert requests.post(url, json=CALL, timeout=30).status_code == 401
    assert requests.post(url, params={"token": "guess"}, json=CALL, timeout=30).status_code == 401
    assert requests.get(f"{stack.settings.actions_url}/actions", timeout=30).status_code == 401
    allowed = requests.post(url, params={"token": stack.settings.actions_token}, json=CALL, timeout=30)
    assert allowed.status_code == 200 and allowed.json()["responses"][0]["response"] == "utter_handed_back"
    assert requests.get(f"{stack.settings.actions_url}/health", timeout=30).json() == {"status": "ok"}


@pytest.mark.stack  # starts a process of its own
def test_the_action_server_does_not_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k != "ACTIONS_TOKEN"}
    run = subprocess.run([sys.executable, "-m", "actions.server", "--port", "1"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "ACTIONS_TOKEN" in run.stderr
