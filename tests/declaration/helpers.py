"""Helpers of the declaration tests: a policy made for the test, a conversation that remembers the
bot's last answer, and reads of the tracker and of the claims store."""
from __future__ import annotations

import itertools
import os
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, List, Optional

import requests

from actions.claims import store as claims_store
from actions.claims.db import get_database
from actions.claims.models import Policyholder
from bot.desk import agents
from tests import rasa_api

_numbers = itertools.count(1)


@dataclass(frozen=True)
class TestPolicy:
    number: str
    birth: date

    @property
    def birth_text(self) -> str:
        return self.birth.strftime("%d/%m/%Y")


def new_policy(stack, start: date, end: Optional[date] = None, language: str = "nl",
               birth: date = date(1984, 5, 17)) -> TestPolicy:
    number = f"CC-T{secrets.token_hex(2).upper()}-{next(_numbers):04d}{os.getpid() % 100:02d}"
    with get_database(stack.settings.claims_db_url).session() as session:
        session.add(Policyholder(policy_number=number, name="Test Holder", birth_date=birth, start_date=start,
                                 end_date=end, country="BE", household_size=2, language=language))
    return TestPolicy(number, birth)


def text_of(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


class _Store:
    """The claims store of the running assistant."""

    def __init__(self, url: str) -> None:
        self.db = get_database(url)

    def __getattr__(self, name: str):
        function = getattr(claims_store, name)
        return lambda *args, **kwargs: function(*args, db=self.db, **kwargs)


class Declaration:
    def __init__(self, stack, chat) -> None:
        self.stack = stack
        self.chat = chat
        self.last = ""
        self.answers: List[str] = []  # every answer of the bot, in order

    def say(self, text: str) -> str:
        self.last = self.chat.say(text)
        self.answers.append(self.last)
        return self.last

    def identify(self, policy: TestPolicy) -> str:
        self.say(policy.number)
        return self.say(policy.birth_text)

    def answer_questions(self, answers: Dict[str, str], limit: int = 25) -> str:
        """Answers whatever the form asks (the tracker's requested_slot) from `answers` until the form ends;
        returns the bot's last answer. A question without an answer here fails the test."""
        for _ in range(limit):
            tracker = rasa_api.tracker(self.stack.settings, self.chat.sender)
            asked = tracker["slots"].get("requested_slot")
            if not (tracker.get("active_loop") or {}).get("name") or asked is None:
                return self.last
            assert asked in answers, f"the form asked {asked!r}, not scripted (last answer: {self.last!r})"
            self.say(answers[asked])
        raise AssertionError(f"the form did not end after {limit} answers")

    def slots(self) -> Dict[str, Any]:
        return rasa_api.tracker(self.stack.settings, self.chat.sender)["slots"]

    @staticmethod
    def store_of(stack) -> _Store:
        return _Store(stack.settings.claims_db_url)

    def store(self) -> _Store:
        return self.store_of(self.stack)

    def hand_back(self) -> None:
        """An agent takes the handed-off conversation and hands it straight back to the bot."""
        token = agents.add_agent("Test desk", ("nl", "fr", "en"), db=get_database(self.stack.settings.claims_db_url))
        base = f"{self.stack.settings.rasa_url}/webhooks/desk/api/conversations/{self.chat.sender}"
        for step in ("claim", "release"):
            reply = requests.post(f"{base}/{step}", headers={"Authorization": f"Bearer {token}"}, timeout=60)
            assert reply.status_code == 200, reply.text

    def dossier(self, reference: Optional[str] = None) -> Dict[str, Any]:
        return self.store().get_dossier(reference or self.slots()["claim_reference"])
