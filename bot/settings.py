"""Runtime settings, read from the environment once. Defaults need no other service.

| variable | default | meaning |
| CYBERCARE_HOST | 127.0.0.1 | interface the servers listen on |
| RASA_PORT / ACTIONS_PORT | 5005 / 5055 | Rasa server / action server ports |
| TRACKER_DB_URL | sqlite:///var/tracker.db | conversations; postgresql://user:pw@host:5432/db for several instances |
| REDIS_URL | (none: in-memory locks) | redis://host:6379/0 lock store, needed with several Rasa instances |
| CLAIMS_DB_URL | sqlite:///var/cybercare.db | policies, accepted claims, claim dossiers |
| RASA_API_TOKEN | (none: the launcher makes one per start, var/rasa_api_token) | token Rasa's HTTP API always needs, and with which a trusted caller acts for any web chat conversation; required (no start without) when CYBERCARE_HOST is not loopback |
| ACTIONS_HOST, ACTIONS_TOKEN | 127.0.0.1, random per start | the action server's interface, and the secret it requires of callers |
| TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET, TELEGRAM_API_BASE | (none) | Telegram channel, see README |
| RASA_WORKERS / ACTIONS_WORKERS | 1 / 1 | Sanic worker processes of the Rasa server / action server; more than one Rasa worker needs REDIS_URL and PostgreSQL |
| CYBERCARE_UPLOADS_DIR | var/uploads | evidence files (actions/claims/files.py) |
| CYBERCARE_OFFICE_HOURS | mon-fri 09:00-17:00 | when the desk has people (actions/handoff/office_hours.py) |
| CYBERCARE_RATE_LIMIT / CYBERCARE_RATE_LIMIT_ADDRESS | 20/60 / 300/60 | messages per seconds a conversation / a web chat client address may send (bot/channels/rate_limit.py) |
| CYBERCARE_STREAMS_PER_ADDRESS / CYBERCARE_UPLOAD_LIMIT_ADDRESS | 20 / 50/3600 | open event streams / megabytes of files per seconds per client address |
| CYBERCARE_STREAM_IDLE_SECONDS | 3600 | an event stream that carried nothing this long is closed (bot/channels/push.py) |
| CYBERCARE_TRUSTED_PROXY | (none) | reverse proxy address(es) whose X-Forwarded-For (the address limits) and X-Forwarded-Proto (the cookie's Secure) are believed |
| CYBERCARE_RETENTION_DAYS | 90 | days a conversation is kept after its last event, by `python -m actions.claims purge-conversations` |
"""
from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    tracker_db_url: str = f"sqlite:///{VAR / 'tracker.db'}"
    redis_url: Optional[str] = None
    claims_db_url: str = f"sqlite:///{VAR / 'cybercare.db'}"
    api_token: Optional[str] = None
    # The action server answers only calls carrying this (Rasa's action endpoint sends it); a new
    # random one per start unless ACTIONS_TOKEN is set (several Rasa instances, one action server).
    actions_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    actions_host: str = "127.0.0.1"
    model: Path = ROOT / "models" / "cybercare.tar.gz"
    rasa_workers: int = 1
    actions_workers: int = 1
    extra_env: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Optional[Dict[str, str]] = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        defaults = cls()
        return cls(
            host=env.get("CYBERCARE_HOST", defaults.host),
            rasa_port=int(env.get("RASA_PORT", defaults.rasa_port)),
            actions_port=int(env.get("ACTIONS_PORT", defaults.actions_port)),
            tracker_db_url=env.get("TRACKER_DB_URL", defaults.tracker_db_url),
            redis_url=env.get("REDIS_URL") or None,
            claims_db_url=env.get("CLAIMS_DB_URL", defaults.claims_db_url),
            api_token=env.get("RASA_API_TOKEN") or None,
            actions_token=env.get("ACTIONS_TOKEN") or secrets.token_urlsafe(24),
            actions_host=env.get("ACTIONS_HOST", defaults.actions_host),
            model=Path(env.get("CYBERCARE_MODEL", defaults.model)),
            rasa_workers=_positive(env, "RASA_WORKERS", defaults.rasa_workers),
            actions_workers=_positive(env, "ACTIONS_WORKERS", defaults.actions_workers),
        )

    @classmethod
    def production_from_env(cls, env: Optional[Dict[str, str]] = None) -> "Settings":
        """`make run-production`: the environment's settings, else PostgreSQL and Redis on this machine
        and two workers of each server."""
        env = dict(os.environ if env is None else env)
        return cls.from_env({**PRODUCTION_DEFAULTS, **{k: v for k, v in env.items() if v}})

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        host = "127.0.0.1" if self.actions_host in ("0.0.0.0", "::") else self.actions_host
        return f"http://{host}:{self.actions_port}"

    @property
    def listens_beyond_loopback(self) -> bool:
        try:
            return not ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return self.host != "localhost"

    def problems(self) -> list:
        """Why the assistant must not start with these settings (empty when it may)."""
        problems = []
        if self.listens_beyond_loopback and not self.api_token:
            problems.append(f"CYBERCARE_HOST={self.host} makes Rasa's HTTP API reachable from other machines: "
                            "set RASA_API_TOKEN (e.g. RASA_API_TOKEN=$(openssl rand -hex 24)).")
        if self.rasa_workers > 1 and not self.redis_url:
            # Rasa would quietly run one worker: its in-memory lock store cannot be shared.
            problems.append(f"RASA_WORKERS={self.rasa_workers} needs REDIS_URL (the lock store the workers share).")
        if self.rasa_workers > 1 and not self.tracker_db_url.startswith("postgres"):
            problems.append(f"RASA_WORKERS={self.rasa_workers} needs TRACKER_DB_URL on PostgreSQL "
                            "(SQLite takes one writer at a time).")
        return problems

    @property
    def webchat_url(self) -> str:
        return f"{self.rasa_url}/webhooks/webchat/"

    def endpoints(self) -> dict:
        """Rasa's endpoints.yml content for these settings."""
        return {
            # No action reads the domain: without selective domain Rasa would serialise the whole domain
            # (110 kB of responses in three languages) into every action call.
            "action_endpoint": {"url": f"{self.actions_url}/webhook", "token": self.actions_token,
                                "enable_selective_domain": True},
            "tracker_store": tracker_store_config(self.tracker_db_url),
            "lock_store": lock_store_config(self.redis_url),
        }


PRODUCTION_DEFAULTS = {
    "TRACKER_DB_URL": "postgresql://postgres@127.0.0.1:5432/cybercare_tracker",
    "CLAIMS_DB_URL": "postgresql://postgres@127.0.0.1:5432/cybercare",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "RASA_WORKERS": "2",
    "ACTIONS_WORKERS": "2",
}


def _positive(env: Dict[str, str], name: str, default: int) -> int:
    value = env.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name}={value!r}: expected a whole number of at least 1")
    return int(value)


def tracker_store_config(url: str) -> dict:
    """SQLAlchemy URL -> Rasa SQLTrackerStore settings (sqlite file or PostgreSQL server)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/to/repo.db or sqlite:////absolute/path.db
        path = Path(unquote(parsed.path[1:]))
        path = path if path.is_absolute() else ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return {"type": "SQL", "dialect": "sqlite", "db": str(path)}
    if parsed.scheme.startswith("postgres"):
        config = {
            "type": "SQL",
            "dialect": "postgresql",
            "url": parsed.hostname or "127.0.0.1",
            "port": parsed.port or 5432,
            "db": (parsed.path or "/rasa").lstrip("/") or "rasa",
        }
        if parsed.username:
            config["username"] = unquote(parsed.username)
        if parsed.password:
            config["password"] = unquote(parsed.password)
        return config
    raise ValueError(f"TRACKER_DB_URL: unsupported database {parsed.scheme!r} (sqlite or postgresql)")


def lock_store_config(url: Optional[str]) -> dict:
    """Redis URL -> Rasa RedisLockStore settings; without one, locks stay in this process."""
    if not url:
        return {"type": "in_memory"}
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"REDIS_URL: expected redis://host:port/db, got {url!r}")
    config = {
        "type": "redis",
        "url": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int((parsed.path or "/0").lstrip("/") or 0),
        "key_prefix": "cybercare",
    }
    if parsed.password:
        config["password"] = unquote(parsed.password)
    if parsed.scheme == "rediss":
        config["use_ssl"] = True
    return config
