"""`make run`'s launcher: starts everything, says where to chat, stops cleanly on Ctrl-C, and a
conversation goes on after a restart (the tracker is in SQLite, not in memory)."""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time

import requests

from tests.conftest import ROOT, free_port
from tests.responses import response_text


def launch(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.launcher"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_ready(process: subprocess.Popen, timeout: float = 300) -> str:
    deadline, seen = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if "Press Ctrl-C to stop." in line:
            return "".join(seen)
    raise AssertionError("launcher never became ready:\n" + "".join(seen))


def ctrl_c(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    return rest


def test_launcher_runs_stops_on_ctrl_c_and_the_conversation_survives_a_restart(model, tmp_path):
    rasa_port, actions_port = free_port(), free_port()
    env = {**{k: v for k, v in os.environ.items() if k != "RASA_API_TOKEN"},
           "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port),
           "TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
           "CLAIMS_DB_URL": f"sqlite:///{tmp_path / 'claims.db'}"}
    webchat = f"http://127.0.0.1:{rasa_port}/webhooks/webchat/"
    page = requests.Session()  # the browser: its session cookie survives the restart, as the session does

    def say(text: str) -> str:
        reply = page.post(webchat + "webhook", json={"message": text}, timeout=30)
        return "\n".join(m["text"] for m in reply.json())

    first = launch(env)
    try:
        banner = wait_for_ready(first)
        assert webchat in banner
        assert page.post(webchat + "session", timeout=30).status_code == 200
        # Rasa's API has a token though none was set: made for this start, private, and named.
        token_file = ROOT / "var" / "rasa_api_token"
        assert str(token_file) in banner and stat.S_IMODE(token_file.stat().st_mode) == 0o600
        status = f"http://127.0.0.1:{rasa_port}/status"
        assert requests.get(status, timeout=10).status_code == 401
        assert requests.get(status, params={"token": token_file.read_text().strip()}, timeout=10).ok
        assert "<title>Cyber Care</title>" in requests.get(webchat, timeout=10).text
        assert say("Bonjour !") == response_text("utter_greet", "fr")
    finally:
        output = ctrl_c(first)
    assert first.returncode == 0, output
    assert "Stopped." in output
    for port in (rasa_port, actions_port):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
            raise AssertionError(f"port {port} still answers after Ctrl-C")
        except requests.ConnectionError:
            pass

    second = launch(env)
    try:
        wait_for_ready(second)
        # "oui" alone says nothing about the language: the French comes from the stored conversation.
        assert say("oui") == response_text("utter_ask_how_help", "fr")
    finally:
        ctrl_c(second)


def test_make_run_starts_a_killed_server_again_and_the_form_goes_on(model, tmp_path):
    """The embedded mode keeps its processes running too: the Rasa server, killed with SIGKILL in the
    middle of a declaration, is started again by the launcher, and the next answer continues the form."""
    from tests.production.helpers import LOAD_ENV, Launcher, check, parcel_declaration, policy_in, wait_until_answering

    rasa_port, actions_port = free_port(), free_port()
    claims = f"sqlite:///{tmp_path / 'claims.db'}"
    env = {**os.environ, **LOAD_ENV, "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port),
           "TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}", "CLAIMS_DB_URL": claims,
           "CYBERCARE_UPLOADS_DIR": str(tmp_path / "uploads")}
    env.pop("REDIS_URL", None)
    webchat = f"http://127.0.0.1:{rasa_port}/webhooks/webchat/"
    page = requests.Session()

    def say(text: str) -> str:
        if not page.cookies:
            assert page.post(webchat + "session", timeout=30).status_code == 200
        reply = page.post(webchat + "webhook", json={"message": text, "metadata": {"language": "nl"}}, timeout=60)
        assert reply.status_code == 200, reply.text
        return "\n".join(m.get("text", "") for m in reply.json())

    launcher = Launcher(env)
    try:
        launcher.wait_for("Press Ctrl-C to stop.")
        assert "embedded: SQLite, one process each" in "".join(launcher.lines)
        steps = parcel_declaration(policy_in(claims))
        for step in steps[:3]:
            check(step, say(step.message))
        os.kill(launcher.child("bot.rasa_server run"), signal.SIGKILL)
        launcher.wait_for(r"rasa stopped \(exit code -9\).*starting it again in 1 s \(restart 1\)")
        launcher.wait_for(r"rasa started again")
        wait_until_answering(f"http://127.0.0.1:{rasa_port}/webhooks/webchat/health")  # up once the model is
        check(steps[3], say(steps[3].message))
    finally:
        output = launcher.stop()
    assert "Stopped." in output
