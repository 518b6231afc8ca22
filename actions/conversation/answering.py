"""The answering of pointed questions, reached from below. A form answers the question typed beside an answer
("nee nog niet. moet ik naar de politie?") without importing actions/questions, which reads with the forms' own
tables: actions/questions registers its answer here when it is imported (the action server imports every module
of the package at start), and a form asks `replies`."""
from __future__ import annotations

import re
from datetime import date
from typing import Callable, List, Optional, Sequence, Tuple

# A reply: its text and its buttons ({"title", "payload"}).
Reply = Tuple[str, Sequence[dict]]
# (question, language, today, the cover the conversation is about or None) -> replies
Answerer = Callable[[str, str, date, Optional[str]], Optional[List[Reply]]]

_answerers: List[Answerer] = []
# A sentence that ends with a question mark ("... 35 euro. moet ik naar de politie?").
_QUESTION = re.compile(r"[^.!?\n]*\?+")


def register(answerer: Answerer) -> None:
    """Called once by actions/questions; a second registration replaces the first."""
    _answerers[:] = [answerer]


def question_in(text: str) -> Optional[str]:
    """The question a message asks besides what it answers ("kan ze met een psycholoog praten? betalen jullie
    dat?": both sentences, which ask one thing), or None."""
    found = [m.group().strip() for m in _QUESTION.finditer(text or "")]
    asked = " ".join(found)
    return asked if len(asked.split()) >= 2 else None


def replies(question: str, lang: str, today: date, cover: Optional[str] = None) -> Optional[List[Reply]]:
    """The registered answer to `question`: its replies when it begins with a verdict, else None. `cover`, the
    declaration's, decides what a question that names none is about ("la banque va me rembourser ?" in a card
    fraud is no web shop's refund)."""
    return _answerers[0](question, lang, today, cover) if _answerers else None
