"""Starts and stops the assistant's processes: the action server and the Rasa server.

Used by `make run` (bot/launcher.py), the integration tests and the benchmark, so all three run
the assistant the same way. Readiness is polled over HTTP (Rasa takes tens of seconds to load a
model), never guessed with a sleep.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional

import requests
import yaml

from bot.settings import ROOT, VAR, Settings

BIN = Path(sys.executable).parent
# Sanic's limit on any request body of the Rasa server (its own API included): the largest route's
# (a 10 MB evidence file in its multipart envelope). Each web chat route has a lower one of its own.
REQUEST_MAX_BYTES = 11 * 1024 * 1024


def quiet_env(settings: Settings) -> dict:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        CLAIMS_DB_URL=settings.claims_db_url,
        ACTIONS_TOKEN=settings.actions_token,
        ACTIONS_HOST=settings.actions_host,
        TRACKER_DB_URL=settings.tracker_db_url,
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    if settings.redis_url:  # the workers' shared bus (push, rate limits) and Rasa's lock store
        env["REDIS_URL"] = settings.redis_url
    if settings.api_token:  # the web chat lets a caller holding it act for any conversation
        env["RASA_API_TOKEN"] = settings.api_token
    env.update(settings.extra_env)
    return env


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    health_url: str
    log_path: Path
    cmd: List[str] = field(default_factory=list)
    env: Dict[str, str] = field(default_factory=dict)
    started_at: float = field(default_factory=time.monotonic)
    ready_after: Optional[float] = None

    def wait_ready(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.popen.returncode}; log: {self.log_path}\n"
                    + tail(self.log_path)
                )
            try:
                if requests.get(self.health_url, timeout=2).ok:
                    self.ready_after = time.monotonic() - self.started_at
                    return self.ready_after
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s; log: {self.log_path}")

    def stop(self, timeout: float = 20) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self.kill_leftovers()

    def kill_leftovers(self) -> None:
        """Kills what the process left in its group: Sanic's workers outlive a killed main process
        and would keep its port."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def restart(self) -> None:
        """Starts the same command again, appending to the same log (the supervisor's restart)."""
        self.kill_leftovers()
        self.popen = _popen(self.cmd, self.env, self.log_path, append=True)
        self.started_at, self.ready_after = time.monotonic(), None

    def answers(self) -> bool:
        try:
            return requests.get(self.health_url, timeout=2).ok
        except requests.RequestException:
            return False


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _popen(cmd: List[str], env: Dict[str, str], log_path: Path, append: bool = False) -> subprocess.Popen:
    with open(log_path, "ab" if append else "wb") as log:
        return subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,  # own group: stopped (and cleaned up) as one
        )


def _spawn(name: str, cmd: List[str], settings: Settings, health_url: str, log_dir: Path,
           env: Optional[Dict[str, str]] = None) -> Process:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    env = env or quiet_env(settings)
    return Process(name, _popen(cmd, env, log_path), health_url, log_path, cmd=cmd, env=env)


def write_private(path: Path, text: str) -> Path:
    """Writes `text` readable by this user only (it holds a secret): mode 0600 from its creation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)  # an older file of wider mode is narrowed too
        file.write(text)
    return path


def write_endpoints(settings: Settings, path: Path) -> Path:
    """Rasa's endpoints.yml: it holds the action server's token."""
    return write_private(path, yaml.safe_dump(settings.endpoints(), sort_keys=False))


def with_api_token(settings: Settings) -> Settings:
    """`settings` with a token for Rasa's HTTP API: RASA_API_TOKEN's, else a new random one. Rasa's API
    is never open, not even on loopback (a reverse proxy on the same host would expose it)."""
    return settings if settings.api_token else replace(settings, api_token=secrets.token_urlsafe(32))


def start_actions(settings: Settings, log_dir: Path = VAR / "logs") -> Process:
    cmd = [str(BIN / "python"), "-m", "actions.server", "--port", str(settings.actions_port)]
    env = {**quiet_env(settings), "ACTION_SERVER_SANIC_WORKERS": str(settings.actions_workers)}
    return _spawn("actions", cmd, settings, f"{settings.actions_url}/health", log_dir, env)


def start_rasa(settings: Settings, log_dir: Path = VAR / "logs",
               endpoints: Optional[Path] = None) -> Process:
    if not settings.api_token:
        raise ValueError("start_rasa needs settings with an API token (with_api_token)")
    endpoints = endpoints or write_endpoints(settings, log_dir / "endpoints.yml")
    cmd = [str(BIN / "python"), "-m", "bot.rasa_server", "run", "--model", str(settings.model), "--enable-api",
           "--interface", settings.host, "--port", str(settings.rasa_port),
           "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml"),
           "--cors", settings.rasa_url,
           # One argument: a token of token_urlsafe may begin with "-", which argparse would take for an option.
           f"--auth-token={settings.api_token}"]
    env = {**quiet_env(settings), "SANIC_WORKERS": str(settings.rasa_workers),
           "SANIC_REQUEST_MAX_SIZE": str(REQUEST_MAX_BYTES)}
    return _spawn("rasa", cmd, settings, f"{settings.rasa_url}/status?token={settings.api_token}", log_dir, env)


@dataclass
class Stack:
    """The running assistant: action server + Rasa server."""

    settings: Settings
    processes: List[Process]

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def start_stack(settings: Settings, log_dir: Path = VAR / "logs", timeout: float = 240) -> Stack:
    """Starts both servers; the Stack's settings hold the API token Rasa was given."""
    settings = with_api_token(settings)
    actions = start_actions(settings, log_dir)
    rasa = start_rasa(settings, log_dir)
    stack = Stack(settings, [actions, rasa])
    try:
        actions.wait_ready(timeout)
        rasa.wait_ready(timeout)
    except BaseException:
        stack.stop()
        raise
    return stack
