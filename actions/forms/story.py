"""Which cover a story speaks of, from its words (and a report intent the model ranked near): the declaration
of a story read as small talk (`greet`, `inform`), a question about an incident ("is da gedekt?"), and the
NLU's router (bot/nlu/routing.py) all ask it. Pure."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence

from actions.constants import COVERS
from actions.evidence.statements import Statements

from . import fields

COVER_OF_INTENT = {"report_non_delivery": "ecommerce", "report_non_conforming": "ecommerce",
                   "report_identity_theft": "identity_theft", "report_e_reputation": "e_reputation",
                   "report_data_loss": "data_recovery", "report_payment_fraud": "payment_fraud"}
INTENT_OF_COVER = {"ecommerce": "report_non_delivery", "identity_theft": "report_identity_theft",
                   "e_reputation": "report_e_reputation", "data_recovery": "report_data_loss",
                   "payment_fraud": "report_payment_fraud"}
RANKED_NEAR = 0.1


def cover_scores(said: Statements, ranking: Sequence[Mapping[str, Any]] = ()) -> Dict[str, float]:
    """How strongly the message speaks of each cover: the model's report intents, and the words of each."""
    scores: Dict[str, float] = {}
    for entry in ranking[:4]:
        cover = COVER_OF_INTENT.get(entry.get("name") or "")
        if cover and float(entry.get("confidence") or 0) >= RANKED_NEAR:
            scores[cover] = max(scores.get(cover, 0.0), float(entry["confidence"]))
    # "emptied my bank account" is card or account fraud, not an account opened in the user's name.
    fraud_spans = [(p.start, p.end) for p in said.phrases if p.fact == "account_fraud" and not p.negated]
    misuse = [p for p in said.phrases if p.fact == "misuse" and not p.negated
              and not any(start <= p.start and p.end <= end for start, end in fraud_spans)]
    for cover in COVERS:
        facts = [f for f in fields.STORY_FACTS[cover] if f != "misuse" or misuse]
        if said.values(facts):
            scores[cover] = scores.get(cover, 0.0) + 0.5
    if said.goods is not None:
        scores["ecommerce"] = scores.get("ecommerce", 0.0) + 0.6
    if misuse and not said.has("ransom"):  # "gehackt ... betalen in bitcoin": the hack is the ransomware's
        scores["identity_theft"] = scores.get("identity_theft", 0.0) + 0.4
    if said.has("harassment"):  # "a fake account with her photos and horrible comments": harassment, not theft
        scores["e_reputation"] = scores.get("e_reputation", 0.0) + 0.4
    if fraud_spans:
        scores["payment_fraud"] = scores.get("payment_fraud", 0.0) + 0.6
    if said.has("ransom") or said.has("storage"):
        scores["data_recovery"] = scores.get("data_recovery", 0.0) + 0.4
    return scores


def cover_of(said: Statements, ranking: Sequence[Mapping[str, Any]] = ()) -> Optional[str]:
    scores = cover_scores(said, ranking)
    return max(scores, key=scores.get) if scores else None


def report_intent(said: Statements, ranking: Sequence[Mapping[str, Any]] = ()) -> Optional[str]:
    """The report intent of the one cover a story's words state (None when none, or several equally)."""
    scores = {cover: score for cover, score in cover_scores(said, ranking).items() if score >= 0.5}
    if not scores:
        return None
    best = sorted(scores.values(), reverse=True)
    if len(best) > 1 and best[0] - best[1] < 0.2:
        return None
    cover = max(scores, key=scores.get)
    if cover == "ecommerce" and said.value("kind") == "non_conforming":
        return "report_non_conforming"
    return INTENT_OF_COVER[cover]
