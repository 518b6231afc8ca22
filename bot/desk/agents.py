"""Agents of the desk and their API tokens. A token is shown once, when the agent is added; only its
SHA-256 is stored (a token is 256 random bits, so a plain hash is enough: nothing to brute-force)."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import List, Optional, Tuple

from sqlalchemy import delete, select

from actions.claims.db import ClaimsDatabase, get_database
from actions.claims.models import LANGUAGES, DeskAgent

_NAME = re.compile(r"^[\w .'-]{1,64}$")


@dataclass(frozen=True)
class Agent:
    name: str
    languages: Tuple[str, ...]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_languages(text: str) -> Tuple[str, ...]:
    languages = tuple(dict.fromkeys(part.strip().lower() for part in (text or "").split(",") if part.strip()))
    unknown = [language for language in languages if language not in LANGUAGES]
    if not languages or unknown:
        raise ValueError(f"languages must be some of {', '.join(LANGUAGES)}, e.g. 'nl,fr'")
    return languages


def add_agent(name: str, languages: Tuple[str, ...], *, db: Optional[ClaimsDatabase] = None) -> str:
    """Adds an agent (or gives an existing one a new token and these languages); returns the token."""
    name = (name or "").strip()
    if not _NAME.match(name):
        raise ValueError("an agent's name is 1 to 64 letters, digits, spaces, dots, quotes or dashes")
    token = secrets.token_urlsafe(32)
    with (db or get_database()).session() as session:
        agent = session.scalar(select(DeskAgent).where(DeskAgent.name == name))
        if agent is None:
            agent = DeskAgent(name=name)
            session.add(agent)
        agent.languages = ",".join(languages)
        agent.token_hash = _hash(token)
    return token


def remove_agent(name: str, *, db: Optional[ClaimsDatabase] = None) -> bool:
    with (db or get_database()).session() as session:
        return session.execute(delete(DeskAgent).where(DeskAgent.name == name)).rowcount > 0


def list_agents(*, db: Optional[ClaimsDatabase] = None) -> List[Agent]:
    with (db or get_database()).session() as session:
        return [Agent(row.name, tuple(row.languages.split(",")))
                for row in session.scalars(select(DeskAgent).order_by(DeskAgent.name))]


def agent_for_token(token: Optional[str], *, db: Optional[ClaimsDatabase] = None) -> Optional[Agent]:
    """The agent whose token this is, or None (no token, unknown token)."""
    if not token or len(token) > 256:
        return None
    digest = _hash(token)
    with (db or get_database()).session() as session:
        row = session.scalar(select(DeskAgent).where(DeskAgent.token_hash == digest))
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        return Agent(row.name, tuple(row.languages.split(",")))
