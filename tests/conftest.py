"""Shared fixtures: one trained model and one running assistant for the whole test run, a local stand-in for
Telegram's Bot API, headless browsers; and the markers `unit`, `stack`, `browser` (`make test-unit` runs the first).

`make test` trains the model (only when its inputs changed) before pytest starts; the servers are
started once per run on free loopback ports, with their own SQLite files, and stopped at the end.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List, Optional

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.servers import Stack, start_stack  # noqa: E402
from bot.settings import Settings  # noqa: E402

MODEL = ROOT / "models" / "cybercare.tar.gz"
TELEGRAM_TOKEN = "123456:TEST-TOKEN"
TELEGRAM_SECRET = "s3cret-webhook-token"
RASA = Path(sys.executable).parent / "rasa"
RASA_ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def model() -> Path:
    """The trained model; trained here only when pytest is run without `make test`."""
    if not MODEL.exists():
        subprocess.run(
            [str(RASA), "train", "--config", "config.yml", "--domain", "domain.yml",
             "--data", "nlu_data", "--out", "models", "--fixed-model-name", "cybercare"],
            cwd=ROOT, env=RASA_ENV, check=True,
        )
    return MODEL


def stack_settings(tmp: Path, model: Path, extra_env: Optional[dict] = None) -> Settings:
    return Settings(
        host="127.0.0.1",
        rasa_port=free_port(),
        actions_port=free_port(),
        tracker_db_url=f"sqlite:///{tmp / 'tracker.db'}",
        claims_db_url=f"sqlite:///{tmp / 'claims.db'}",
        model=model,
        extra_env=extra_env or {},
    )


@pytest.fixture(scope="session")
def telegram_api():
    """A real HTTP server standing in for Telegram's Bot API (the channel's outbound side)."""
    from tests.telegram_fake import FakeTelegramServer

    server = FakeTelegramServer(TELEGRAM_TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stack(model: Path, tmp_path_factory: pytest.TempPathFactory, telegram_api) -> Iterator[Stack]:
    """The assistant, running: action server + Rasa server with the web chat and Telegram channels."""
    tmp = tmp_path_factory.mktemp("stack")
    settings = stack_settings(tmp, model, extra_env={
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE": telegram_api.api_base,
        # The desk is open whenever the tests run; closed hours are tested on their own.
        "CYBERCARE_OFFICE_HOURS": "always",
        "CYBERCARE_UPLOADS_DIR": str(tmp / "uploads"),
        # Every test comes from 127.0.0.1: the per-address limit would soon refuse them all. The
        # per-sender limit stays the default (CYBERCARE_RATE_LIMIT), which no test's conversation exceeds.
        # The same for the other per-address bounds (their defaults are tested in tests/security).
        "CYBERCARE_RATE_LIMIT_ADDRESS": "100000/60", "CYBERCARE_UPLOAD_LIMIT_ADDRESS": "100000/3600",
        "CYBERCARE_STREAMS_PER_ADDRESS": "100000"})
    from actions.claims.seed import seed_demo_data

    seed_demo_data(settings.claims_db_url)
    running = start_stack(settings, log_dir=tmp / "logs", timeout=300)
    yield running
    running.stop()


class Chat:
    """One conversation through the web chat endpoint, as the page sends it: a session opened first
    (POST session), whose cookie then goes with every request (`http`, a requests.Session, as the
    browser sends it). `post` and `get` are the session's."""

    def __init__(self, settings: Settings, page_language: Optional[str] = None,
                 headers: Optional[dict] = None) -> None:
        self.http = requests.Session()
        self.http.headers.update(headers or {})
        self.post, self.get = self.http.post, self.http.get
        self.base = settings.webchat_url
        self.url = f"{self.base}webhook"
        self.page_language = page_language
        opened = self.post(f"{self.base}session", timeout=30)
        assert opened.status_code == 200, opened.text
        self.sender = opened.json()["sender"]

    def webhook(self, body: Any, **kwargs: Any) -> requests.Response:
        """POST webhook with `body` (bytes as they are, anything else as JSON)."""
        kwargs.setdefault("timeout", 60)
        if isinstance(body, bytes):
            return self.post(self.url, data=body, **kwargs)
        return self.post(self.url, json=body, **kwargs)

    def send(self, text: str) -> List[dict]:
        body: dict = {"message": text}
        if self.page_language:
            body["metadata"] = {"language": self.page_language}
        reply = self.webhook(body, timeout=30)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def say(self, text: str) -> str:
        """The bot's answer to `text`, all its messages joined."""
        return "\n".join(m.get("text", "") for m in self.send(text))


@pytest.fixture
def chat(stack: Stack):
    def start(page_language: Optional[str] = None) -> Chat:
        return Chat(stack.settings, page_language)

    return start


# ============================================================ markers: what a test needs to run
MARKERS = {
    "unit": "in-process, no server, no model, no process of its own (make test-unit)",
    "stack": "needs the trained model or starts processes of its own (the servers, the project's commands)",
    "browser": "drives headless Chromium against a running stack",
}
_BROWSER_MODULES = ("test_webchat_page", "test_webchat_browser", "test_uploads_browser", "test_desk_browser")


def pytest_configure(config: pytest.Config) -> None:
    for name, what in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {what}")


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Each test gets the marker of what it needs, read from its fixtures (the model, a stack) and its module: a
    test that needs no model, no server and no browser is a unit test."""
    for item in items:
        if any(item.get_closest_marker(name) for name in MARKERS):
            continue
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.module.__name__.rpartition(".")[2] in _BROWSER_MODULES or "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        elif fixtures & {"model", "stack", "chat", "cli"}:  # cli: the coverage command, run as a process
            item.add_marker(pytest.mark.stack)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture
def fake_api():
    """A local server standing in for Telegram's Bot API, for one test."""
    from tests.telegram_fake import FakeTelegramServer

    server = FakeTelegramServer(TELEGRAM_TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser():
    """Starts headless Chromium windows of a chosen size (and browser language); all closed at the end."""
    from tests.browsers import DESKTOP, start_chromium

    drivers = []

    def start(size=DESKTOP, accept_language: Optional[str] = None):
        driver = start_chromium(size, accept_language)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.quit()
