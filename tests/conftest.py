"""Shared fixtures: one trained model and one running assistant for the whole test run.

`make test` trains the model (only when its inputs changed) before pytest starts; the servers are
started once per run on free loopback ports, with their own SQLite files, and stopped at the end.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator, List, Optional

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
        "CYBERCARE_RATE_LIMIT_ADDRESS": "100000/60"})
    from actions.claims.seed import seed_demo_data

    seed_demo_data(settings.claims_db_url)
    running = start_stack(settings, log_dir=tmp / "logs", timeout=300)
    yield running
    running.stop()


class Chat:
    """One conversation through the web chat endpoint, as the page sends it."""

    def __init__(self, settings: Settings, page_language: Optional[str] = None) -> None:
        self.url = f"{settings.webchat_url}webhook"
        self.sender = f"test-{uuid.uuid4().hex[:12]}"
        self.page_language = page_language

    def send(self, text: str) -> List[dict]:
        body = {"sender": self.sender, "message": text}
        if self.page_language:
            body["metadata"] = {"language": self.page_language}
        reply = requests.post(self.url, json=body, timeout=30)
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
