"""What the production tests share: the launcher as a user starts it, the scripted declaration they
play (a parcel that never came, in Dutch, covered and filed), and reads of the tracker store.
Their PostgreSQL databases come from tests/postgres.py."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, List, Tuple

import requests
from sqlalchemy import create_engine, text

from tests.conftest import ROOT
from tests.declaration.helpers import TestPolicy, new_policy
from tests.responses import response_text

REDIS_URL = "redis://127.0.0.1:6379/0"
TODAY = date.today()
# All test traffic comes from 127.0.0.1: the per-address flood limit must not count it as one person.
LOAD_ENV = {"CYBERCARE_RATE_LIMIT_ADDRESS": "1000000/60", "CYBERCARE_UPLOAD_LIMIT_ADDRESS": "100000/3600",
            "CYBERCARE_STREAMS_PER_ADDRESS": "100000", "CYBERCARE_OFFICE_HOURS": "always"}


def tracker_events(tracker_url: str, sender: str) -> List[Tuple[int, str, float, str]]:
    """(id, type, timestamp, text) of a conversation's events as Rasa stored them, in id order."""
    engine = create_engine(tracker_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT id, type_name, timestamp, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}).all()
    engine.dispose()
    import json

    return [(row[0], row[1], row[2], json.loads(row[3]).get("text") or "") for row in rows]


def policy_in(claims_db_url: str) -> TestPolicy:
    return new_policy(SimpleNamespace(settings=SimpleNamespace(claims_db_url=claims_db_url)),
                      start=TODAY - timedelta(days=800))


@dataclass(frozen=True)
class Step:
    message: str
    expect: Callable[[str], bool]
    what: str


def parcel_declaration(policy: TestPolicy) -> List[Step]:
    """A covered parcel declaration, step by step, with what the bot must answer each time."""
    complained = (TODAY - timedelta(days=40)).strftime("%d/%m/%Y")
    return [
        Step("Ik heb zeven weken geleden een robotstofzuiger van 329 euro besteld bij Coolblue en hij is "
             "nooit aangekomen", lambda a: a.endswith(response_text("utter_ask_policy_number", "nl")),
             "asks the policy number"),
        Step(policy.number, lambda a: a == response_text("utter_ask_birth_date", "nl"), "asks the date of birth"),
        Step(policy.birth_text, lambda a: a.endswith(response_text("utter_ask_complaint_date", "nl")),
             "identified; asks the complaint date"),
        Step(f"ja, op {complained}", lambda a: a == response_text("utter_ask_merchant_response", "nl"),
             "asks the merchant's answer"),
        Step("ze hebben nooit geantwoord", lambda a: "€ 329,00" in a and complained in a, "summary with every answer"),
        Step("ja dat klopt", lambda a: "CC-" in a and "€ 329,00" in a, "filed, with its reference"),
    ]


# A typed title of a button the bot offered reaches Rasa as that button's payload (bot/channels/payloads.py).
STORED_AS = {"ja dat klopt": "/affirm"}


def as_stored(messages: List[str]) -> List[str]:
    """The user's messages as the tracker store holds them."""
    return [STORED_AS.get(message, message) for message in messages]


def check(step: Step, answer: str) -> None:
    assert step.expect(answer), f"after {step.message!r} the bot should have: {step.what}; it said:\n{answer}"


class Launcher:
    """`python -m bot.launcher [--production]` as a user starts it, its output read as it comes."""

    def __init__(self, env: dict, production: bool = False) -> None:
        command = [sys.executable, "-m", "bot.launcher"] + (["--production"] if production else [])
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.lines: List[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, pattern: str, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if re.search(pattern, line):
                    return line
            if self.process.poll() is not None and not any(re.search(pattern, line) for line in self.lines):
                break
            time.sleep(0.2)
        raise AssertionError(f"no line matching {pattern!r} from the launcher:\n" + "".join(self.lines))

    def child(self, marker: str) -> int:
        """The pid of the launcher's child whose command line contains `marker`."""
        for pid in subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                                  text=True).stdout.split():
            if marker in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode():
                return int(pid)
        raise AssertionError(f"no child process {marker!r} of the launcher")

    def stop(self, patience: float = 120) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            # A Ctrl-C while the Rasa server still loads its model is handled once it has loaded: on a loaded
            # machine (the whole suite), that took over 90 s once, and over 240 s on a clean clone's run. After
            # `patience` the servers' process groups are killed, then the launcher: the test reads what it needs
            # from the databases, and no server outlives it.
            try:
                self.process.wait(patience)
            except subprocess.TimeoutExpired:
                self._kill_servers()
                self.process.kill()
                self.process.wait(30)
        self._reader.join(10)
        return "".join(self.lines)

    def _kill_servers(self) -> None:
        for pid in subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                                  text=True).stdout.split():
            try:
                os.killpg(int(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def wait_until_answering(url: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} does not answer after {timeout} s")
