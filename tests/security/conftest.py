"""A second running assistant for the security tests, with the per-address bounds at their defaults
(the session stack raises them: all its tests come from 127.0.0.1). It trusts 127.0.0.1 as its
reverse proxy, so that each test can be its own client address (X-Forwarded-For), as on a real site."""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Iterator, Optional

import pytest

from bot.servers import Stack, start_stack
from tests.conftest import Chat, stack_settings

IDLE_SECONDS = 20  # the streams' idle close, short here (default an hour: push.IDLE_SECONDS)


@pytest.fixture(scope="session")
def guarded(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("guarded")
    settings = stack_settings(tmp, model, extra_env={
        "CYBERCARE_OFFICE_HOURS": "always", "CYBERCARE_UPLOADS_DIR": str(tmp / "uploads"),
        "CYBERCARE_TRUSTED_PROXY": "127.0.0.1", "CYBERCARE_STREAM_IDLE_SECONDS": str(IDLE_SECONDS)})
    from actions.claims.seed import seed_demo_data

    seed_demo_data(settings.claims_db_url)
    running = start_stack(settings, log_dir=tmp / "logs", timeout=300)
    yield running
    running.stop()


def new_address() -> str:
    """A client address of the documentation range (never contacted: only named in a header)."""
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def client(stack: Stack, address: Optional[str] = None, page_language: Optional[str] = None) -> Chat:
    """A web chat page seen from `address` (a new one by default) through the trusted proxy."""
    return Chat(stack.settings, page_language, headers={"X-Forwarded-For": address or new_address()})
