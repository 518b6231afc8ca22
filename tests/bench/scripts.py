"""What the benchmark says to the assistant: its real job, a mix of whole declarations (forms, action
server, coverage check, dossier written, handed to the desk) and FAQ conversations, in nl, fr and en.
Each declaration gets its own policy in the claims store, made before it starts, so that every one
is identified and filed as a user's would be."""
from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import List, Tuple

from sqlalchemy import create_engine

TODAY = date.today()
BIRTH = date(1984, 5, 17)

FAQ = {
    "nl": ["Hallo", "Mijn pakje van Coolblue is nooit aangekomen", "Hoeveel kost de verzekering per maand?", "ok",
           "Bedankt, dag!"],
    "fr": ["Bonjour", "Quelqu'un utilise mon identité sur Facebook", "Qui est assuré ?",
           "Je voudrais parler à quelqu'un", "merci"],
    "en": ["Hi", "Someone paid with my bank card without my consent", "Am I covered abroad?",
           "give me some tips to stay safe online", "thanks, bye"],
}


def declaration(lang: str, policy: str) -> List[str]:
    birth = BIRTH.strftime("%d/%m/%Y")
    if lang == "nl":
        return ["Ik heb zeven weken geleden een robotstofzuiger van 329 euro besteld bij Coolblue en hij is nooit "
                "aangekomen", policy, birth, f"ja, op {(TODAY - timedelta(days=40)).strftime('%d/%m/%Y')}",
                "ze hebben nooit geantwoord", "ja dat klopt"]
    if lang == "fr":
        return ["Quelqu'un a ouvert un compte bancaire à mon nom, je l'ai découvert avant-hier", policy, birth,
                "pas encore", "35 euros pour une nouvelle carte d'identité et 12 € de recommandés", "oui"]
    return ["I bought an e-bike online for 1,850 euros and it never arrived", policy, birth, "two months ago",
            f"I complained on {(TODAY - timedelta(days=45)).strftime('%d/%m/%Y')}", "they refused", "yes"]


# Conversation i of the mix: a declaration, then an FAQ conversation, each language in turn.
MIX: Tuple[Tuple[str, str], ...] = (("declaration", "nl"), ("faq", "fr"), ("declaration", "en"), ("faq", "nl"),
                                    ("declaration", "fr"), ("faq", "en"))


def language_of(index: int) -> str:
    return MIX[index % len(MIX)][1]


class Mix:
    """`script(i)`: the messages of conversation i; a declaration's policy is created on the spot."""

    def __init__(self, claims_db_url: str, tag: str) -> None:
        self.engine = create_engine(claims_db_url, future=True)
        self.tag = tag
        self.numbers = itertools.count(1)

    def script(self, index: int) -> List[str]:
        kind, lang = MIX[index % len(MIX)]
        if kind == "faq":
            return list(FAQ[lang])
        return declaration(lang, self._new_policy(lang))

    def _new_policy(self, lang: str) -> str:
        from sqlalchemy.orm import Session

        from actions.claims.models import Policyholder

        number = f"CC-B{self.tag}-{next(self.numbers):05d}"
        with Session(self.engine) as session, session.begin():
            session.add(Policyholder(policy_number=number, name="Bench Holder", birth_date=BIRTH,
                                     start_date=TODAY - timedelta(days=800), country="BE", household_size=2,
                                     language=lang))
        return number
