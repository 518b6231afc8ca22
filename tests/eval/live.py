"""The corpus played against the running assistant (tests/eval/README.md): whole declarations by scripted
policyholders, and pointed questions.

A conversation goes through the web chat as the page sends it (a session, its cookie, the page's language).
After each message the runner reads what the bot now asks (the tracker's `requested_slot`) and answers with
the policyholder's words for that question; it asks its own question in the middle, answers the summary as
scripted, then asks its questions after the claim. Counted: every message that got no answer (silent), every
answer that was "I did not understand" (the fallback), every question asked again after it was answered,
every question the script has no answer for, the facts at the end and the decision.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Dict, List, Mapping, Optional

from tests import rasa_api
from tests.conftest import Chat
from tests.declaration.helpers import new_policy
from tests.eval.corpus import DECLINED, fold, load, ratio, same
from tests.eval.corpus import label as as_label

FORM_SUFFIX = "_form"
# What a policyholder says to a question their script has no answer for.
DONT_KNOW = {"nl": "geen idee eigenlijk", "fr": "aucune idée", "en": "no idea"}
YES = {"nl": "ja", "fr": "oui", "en": "yes"}
# "Do you want to stop?" came where the policyholder did not mean to stop: they go on.
GO_ON = {"nl": "nee, ik wil verder doen", "fr": "non, je veux continuer", "en": "no, I want to go on"}
# The bot's answers that mean it did not understand.
NOT_UNDERSTOOD = {"utter_default", "utter_ask_rephrase", "utter_out_of_scope"}
# The questions of identification: a pointed question must never start it.
IDENTIFICATION = {"policy_number", "birth_date"}
MAX_TURNS = 45
# The payload of the answer's offer to declare ("Ja, aangeven"): a report intent.
REPORT_PAYLOAD = "/report_"
SAME_QUESTION_LIMIT = 3


class Played:
    """One conversation as it went: the transcript and what was counted."""

    def __init__(self, item: Mapping[str, Any]) -> None:
        self.item = item
        self.transcript: List[Dict[str, Any]] = []
        self.silent: List[str] = []
        self.not_understood: List[str] = []
        self.asked_again: List[str] = []
        self.unscripted: List[str] = []
        self.questions: List[str] = []
        self.stuck: Optional[str] = None

    def said(self, text: str, replies: List[dict], asked: Optional[str], events: List[dict]) -> None:
        answer = [reply.get("text", "") for reply in replies if reply.get("text")]
        said = [e for e in events if e.get("event") == "bot"]
        uttered = [e.get("metadata", {}).get("utter_action") for e in said]
        self.transcript.append({"user": text, "asked": asked, "bot": answer})
        if not answer:
            self.silent.append(text)
        # Only when every answer is one of the "I did not understand" responses (a verdict's text has no response name).
        if said and all(name in NOT_UNDERSTOOD for name in uttered):
            self.not_understood.append(text)


def _events_since(settings: Any, sender: str, seen: int) -> tuple:
    events = rasa_api.events(settings, sender)
    return events[seen:], len(events)


def _asked(tracker: Mapping[str, Any]) -> Optional[str]:
    loop = (tracker.get("active_loop") or {}).get("name")
    if not loop or not loop.endswith(FORM_SUFFIX):
        return None
    return (tracker.get("slots") or {}).get("requested_slot")


def play(stack: Any, item: Mapping[str, Any]) -> Played:
    """Play one scripted conversation to its end against the running `stack`."""
    settings = stack.settings
    lang = item["lang"]
    terms = item.get("policy") or {}
    policy = new_policy(stack, start=_day(terms.get("start"), date(2024, 1, 1)), language=lang,
                        birth=_day(terms.get("birth"), date(1980, 1, 1)))
    chat = Chat(settings, page_language=lang)
    played = Played(item)
    seen = 0

    offered: List[str] = []

    def say(text: str, asked: Optional[str]) -> None:
        nonlocal seen
        replies = chat.send(text.format(policy_number=policy.number))
        new, seen = _events_since(settings, chat.sender, seen)
        played.said(text, replies, asked, new)
        offered[:] = [b["payload"] for r in replies for b in r.get("buttons") or []
                      if str(b.get("payload", "")).startswith(REPORT_PAYLOAD)]

    answers = {slot: str(text) for slot, text in (item.get("answers") or {}).items()}
    interjection = item.get("interjection") or {}
    at_summary = list(item.get("at_summary") or [])
    answered: Dict[str, int] = defaultdict(int)
    said_to_summary = 0
    given = 0
    say(item["opening"], None)
    if offered and _asked(rasa_api.tracker(settings, chat.sender)) is None:
        # An opening that asks whether it is covered gets the answer and an offer to declare: the policyholder takes it.
        say(offered[0], "offer")
    for _ in range(MAX_TURNS):
        tracker = rasa_api.tracker(settings, chat.sender)
        asked = _asked(tracker)
        if asked is None:
            break
        played.questions.append(asked)
        if asked == "confirmed":
            text = at_summary[said_to_summary] if said_to_summary < len(at_summary) else YES[lang]
            said_to_summary += 1
        elif asked == "stop_confirmation":
            text = GO_ON[lang]
        else:
            if answered[asked] and asked not in IDENTIFICATION | {"confirmed"}:
                played.asked_again.append(asked)
            if answered[asked] >= SAME_QUESTION_LIMIT:
                played.stuck = asked
                break
            text = answers.get(asked)
            if text is None:
                played.unscripted.append(asked)
                text = DONT_KNOW[lang]
            answered[asked] += 1
        say(text, asked)
        given += 1
        if interjection and given == int(interjection.get("after", 0)):
            say(str(interjection["text"]), "interjection")
    else:
        played.stuck = played.stuck or "too many turns"
    for question in item.get("after_claim") or []:
        say(str(question), "after_claim")
    played.final = rasa_api.tracker(settings, chat.sender)["slots"]
    played.sender = chat.sender
    return played


def _day(value: Any, default: date) -> date:
    if value is None:
        return default
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def facts_right(played: Played) -> Dict[str, bool]:
    """Per expected fact: whether the conversation ended holding it."""
    slots = played.final
    declined = set(((slots.get("declaration_state") or {}).get("declined")) or [])
    result = {}
    for slot, value in (played.item.get("expect") or {}).items():
        label = as_label(slot, value)
        if slot == "relation" and label == "policyholder" and slots.get(slot) is None:
            result[slot] = True  # not asked: the form takes the policyholder unless the story says otherwise
            continue
        if label == DECLINED:
            result[slot] = slot in declined and slots.get(slot) in (None, [], "")
        else:
            result[slot] = same(slot, label, slots.get(slot))
    return result


def measure_conversations(stack: Any, split: Optional[str] = None) -> Dict[str, Any]:
    items = [item for item in load("conversations") if split is None or item["split"] == split]
    per_lang: Dict[str, Dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    played_all = []
    for item in items:
        played = play(stack, item)
        facts = facts_right(played)
        figures = per_lang[item["lang"]]
        figures["conversations"] += 1
        figures["messages"] += len(played.transcript)
        figures["silent"] += len(played.silent)
        figures["not_understood"] += len(played.not_understood)
        figures["asked_again"] += len(played.asked_again)
        figures["unscripted"] += len(played.unscripted)
        figures["questions_asked"] += len(played.questions)
        figures["facts"] += len(facts)
        figures["facts_right"] += sum(facts.values())
        figures["decision_right"] += int(facts.get("coverage_decision", False))
        figures["stuck"] += int(played.stuck is not None)
        played_all.append({"id": item["id"], "lang": item["lang"], "split": item["split"],
                           "wrong_facts": {slot: {"expected": _plain(item["expect"][slot]),
                                                  "held": _plain(played.final.get(slot))}
                                           for slot, right in facts.items() if not right},
                           "asked_again": played.asked_again, "unscripted": played.unscripted,
                           "silent": played.silent, "not_understood": played.not_understood,
                           "stuck": played.stuck, "claim_reference": played.final.get("claim_reference"),
                           "transcript": played.transcript})
    for figures in per_lang.values():
        figures["facts_right_ratio"] = ratio(figures["facts_right"], figures["facts"])
    return {"languages": {lang: dict(f) for lang, f in sorted(per_lang.items())}, "played": played_all}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def verdict_of(text: str, lang: str) -> Optional[str]:
    """The verdict a reply begins with (answers.yml's words), or None."""
    from actions.questions.answer import verdict_words

    start = fold(text)
    for verdict, words in sorted(verdict_words(lang).items(), key=lambda kv: -len(kv[1])):
        word = fold(words)
        if start.startswith(word) and (len(start) == len(word) or not start[len(word)].isalnum()):
            return verdict
    return None


def ask(stack: Any, item: Mapping[str, Any]) -> Dict[str, Any]:
    """One pointed question in a new conversation (no page language: the question's words decide)."""
    settings = stack.settings
    chat = Chat(settings)
    replies = [reply.get("text", "") for reply in chat.send(item["text"]) if reply.get("text")]
    tracker = rasa_api.tracker(settings, chat.sender)
    slots = tracker.get("slots") or {}
    return {"id": item["id"], "lang": item["lang"], "split": item["split"], "expected": item["verdict"],
            "verdict": verdict_of(replies[0], item["lang"]) if replies else None,
            "language": slots.get("language"), "identification": _asked(tracker) in IDENTIFICATION,
            "text": item["text"], "answer": replies}


def measure_questions(stack: Any, split: Optional[str] = None) -> Dict[str, Any]:
    items = [item for item in load("questions") if split is None or item["split"] == split]
    per_lang: Dict[str, Dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    asked = []
    for item in items:
        result = ask(stack, item)
        figures = per_lang[item["lang"]]
        figures["questions"] += 1
        figures["verdict_right"] += int(result["verdict"] == str(result["expected"]))
        figures["in_its_language"] += int(result["language"] == item["lang"])
        figures["identification"] += int(result["identification"])
        asked.append(result)
    for figures in per_lang.values():
        figures["verdict_right_ratio"] = ratio(figures["verdict_right"], figures["questions"])
    return {"languages": {lang: dict(f) for lang, f in sorted(per_lang.items())}, "asked": asked}
