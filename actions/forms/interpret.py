"""One user message, read into the facts of a declaration.

`read_message` answers two questions at once: what does the message say to the question the form
asked (the requested slot), and what else did the user tell us that a later question would ask
("I bought an e-bike for 1,850 euros and it never arrived" fills goods and amount at once). A value
that cannot be right (a date in the future, a complaint before the order, a negative amount) is not
taken: the reading names the response that explains why, and the form asks again.

Pure: no Rasa import. Dates, amounts, PV numbers, URLs and goods come from `actions.evidence`,
the user's own words about other facts from `signals`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from actions import evidence
from actions.claims.store import normalise_policy_number

from . import fields
from .fields import (AMOUNT, BIRTH_DATE, CHOICE, CHOICES, DATE, EXPENSES, GOODS, POLICE_REPORT, POLICY_NUMBER,
                     URLS, YES_NO, Question)
from .signals import all_spans, fold, signal, signals

# Intents that are an answer in themselves (buttons send them; a short "no" is classified so).
AFFIRM, DENY = "affirm", "deny"
KIND_OF_INTENT = {"report_non_delivery": "non_delivery", "report_non_conforming": "non_conforming"}
SHORT_ANSWER_WORDS = 6
# A policy number said in passing ("my policy CC-DEMO-0001"): CC-, then not a dossier reference.
_POLICY_IN_TEXT = re.compile(r"\bCC[-\s]?(?!\d{4}-\d{6}\b)[A-Z0-9]{2,10}[-\s]?\d{2,8}\b", re.IGNORECASE)
# A bare number given as the answer to an amount question ("249,99").
_BARE_NUMBER = re.compile(r"(?<![\w.,])-?\d{1,3}(?:[.\s]\d{3})*(?:,\d{1,2})?(?![\w])|(?<![\w.,])-?\d+(?:[.,]\d{1,2})?(?![\w.,])")
OLDEST_BIRTH_YEAR = 1900


@dataclass
class Reading:
    """What one message says. `updates` are slot values to set; `problem` the response that says
    why the answer to the requested question was not taken (with `problem_values` to fill it)."""

    updates: Dict[str, Any] = field(default_factory=dict)
    answered: bool = False  # the requested question got a usable answer (a value or a "no")
    declined: bool = False  # ... and that answer was "no / not yet"
    problem: Optional[str] = None
    problem_values: Dict[str, Any] = field(default_factory=dict)
    corrected: List[str] = field(default_factory=list)  # filled slots this message replaced
    relation_hint: bool = False  # the story names someone other than the policyholder


@dataclass(frozen=True)
class Message:
    text: str
    lang: str
    today: date
    intent: Optional[str] = None
    entities: Sequence[Mapping[str, Any]] = ()

    @property
    def is_payload(self) -> bool:
        return self.text.startswith("/")

    @property
    def words(self) -> int:
        return len(re.findall(r"\w+", self.text))


def says_no(message: Message) -> bool:
    if message.intent == DENY:
        return True
    return message.words <= SHORT_ANSWER_WORDS and bool(signal("negative", message.text, message.lang))


def says_yes(message: Message) -> bool:
    if message.intent == AFFIRM:
        return True
    return message.words <= SHORT_ANSWER_WORDS and bool(signal("affirmative", message.text, message.lang))


def is_correction(message: Message) -> bool:
    return bool(signal("correction", message.text, message.lang))


def read_message(message: Message, cover: str, requested: Optional[str], values: Mapping[str, Any],
                 last_date_slot: Optional[str] = None, overwrite: bool = False) -> Reading:
    """Read `message` for the form of `cover`, which asked `requested` (None at the start).
    With `overwrite` (a correction), values given here replace those given before."""
    reading = Reading()
    marked = is_correction(message)
    overwrite = overwrite or marked
    known = dict(values)

    def put(slot: str, value: Any, *, force: bool = False) -> None:
        if value is None:
            return
        if known.get(slot) is None or force:
            if known.get(slot) is not None and known.get(slot) != value:
                reading.corrected.append(slot)
            reading.updates[slot] = value
            known[slot] = value

    # 1. Button payloads carry the value itself: /inform{"channel":"forum"}.
    for slot, value in _payload_values(message).items():
        put(slot, value, force=True)
        if slot == requested:
            reading.answered = True

    # 2. The answer to the question asked.
    question = fields.question(cover, requested) if requested else None
    # "sorry, it was the 12th" while the next date is asked corrects the date given before.
    correcting_a_date = (marked and question is not None and question.kind == DATE and last_date_slot
                         and last_date_slot != requested)
    if correcting_a_date:
        pass
    elif question is not None and not reading.answered and not message.is_payload:
        _read_answer(message, cover, question, known, reading, put)
    elif question is not None and not reading.answered and question.kind == YES_NO:
        _read_answer(message, cover, question, known, reading, put)

    # 3. Everything else the message says (volunteered facts, corrections).
    if not message.is_payload:
        _read_story(message, cover, requested, known, reading, put, last_date_slot, overwrite)
    return reading


# --- the answer to the requested question ----------------------------------------------------


def _read_answer(message: Message, cover: str, question: Question, known: Dict[str, Any], reading: Reading,
                 put) -> None:
    kind, slot = question.kind, question.slot
    if kind == POLICY_NUMBER:
        number = _policy_number_in(message.text, whole=True)
        if number:
            put(slot, number, force=True)
            reading.answered = True
        else:
            reading.problem = "utter_invalid_policy_number"
        # "CC-DEMO-0001, born 12/04/1985": the date of birth in the same message.
        born = _birth_date_in(message)
        if number and isinstance(born, date):
            put("birth_date", born.isoformat(), force=True)
        return
    if kind == BIRTH_DATE:
        born = _birth_date_in(message)
        if isinstance(born, date):
            put(slot, born.isoformat(), force=True)
            reading.answered = True
        else:
            reading.problem = born or "utter_invalid_date"
        return
    if kind == DATE:
        _read_date_answer(message, cover, slot, question.optional, known, reading, put)
        return
    if kind == AMOUNT:
        _read_amount_answer(message, slot, question.optional, reading, put)
        return
    if kind == CHOICE:
        value = _choice_in(message, slot)
        if value is not None:
            put(slot, value, force=True)
            reading.answered = True
        else:
            reading.problem = "utter_invalid_choice"
        return
    if kind == YES_NO:
        value = signal(slot, message.text, message.lang) if not message.is_payload else None
        if value is None:
            value = True if says_yes(message) else False if says_no(message) else None
        if value is not None:
            put(slot, bool(value), force=True)
            reading.answered = True
        else:
            reading.problem = "utter_explain_yes_no"
        return
    if kind == GOODS:
        category = evidence.goods_category_in(message.text, message.lang)
        if category is None and (says_no(message) or message.text.rstrip().endswith("?")):
            reading.problem = "utter_invalid_choice"
            return
        put("goods", _short(message.text), force=True)
        put(slot, category or "other", force=True)
        reading.answered = True
        return
    if kind in _VALUE_OR_NO:
        find, problem = _VALUE_OR_NO[kind]
        value = find(message)
        if value:
            put(slot, value, force=True)
            reading.answered = True
        elif says_no(message):
            reading.answered = reading.declined = True
        else:
            reading.problem = problem
        return


def _read_date_answer(message: Message, cover: str, slot: str, optional: bool, known: Dict[str, Any],
                      reading: Reading, put) -> None:
    found = evidence.dates_in(message.text, message.lang, message.today)
    future = evidence.future_dates_in(message.text, message.lang, message.today)
    # "they never answered" says a complaint was sent, not that none was.
    complained = slot == "complaint_date" and (signal("merchant_response", message.text, message.lang)
                                               or signal("complaint_sent", message.text, message.lang))
    if not found:
        if future:
            reading.problem = "utter_date_in_future"
        elif optional and says_no(message) and not complained:
            reading.answered = reading.declined = True
        else:
            reading.problem = "utter_invalid_date"
        return
    day = found[-1] if slot == "complaint_date" and len(found) > 1 else found[0]
    order = known.get("order_date")
    if slot in ("delivery_date", "complaint_date") and order and day < date.fromisoformat(order):
        reading.problem = "utter_date_before_order"
        reading.problem_values = {"order_date": day_month_year(order)}
        return
    put(slot, day.isoformat(), force=True)
    reading.answered = True


def _read_amount_answer(message: Message, slot: str, optional: bool, reading: Reading, put) -> None:
    if evidence.negative_amount_in(message.text):
        reading.problem = "utter_negative_amount"
        return
    amounts = evidence.amounts_in(message.text, message.lang) or _bare_numbers(message.text)
    if amounts:
        put(slot, float(amounts[0]), force=True)
        if slot == "return_shipping_cost":
            put("returned_to_merchant", True, force=True)
        reading.answered = True
    elif optional and says_no(message):
        reading.answered = reading.declined = True
        if slot == "return_shipping_cost":
            put("returned_to_merchant", False, force=True)
    else:
        reading.problem = "utter_invalid_amount"


# --- what else the message says ----------------------------------------------------------------


def _read_story(message: Message, cover: str, requested: Optional[str], known: Dict[str, Any], reading: Reading,
                put, last_date_slot: Optional[str], overwrite: bool) -> None:
    text, lang = message.text, message.lang
    if cover == "ecommerce" and message.intent in KIND_OF_INTENT:
        put("kind", KIND_OF_INTENT[message.intent])
    for fact, value in signals(text, lang, fields.STORY_FACTS[cover]).items():
        if fact != requested:
            put(fact, value, force=overwrite)
    if signal("relation_hint", text, lang) and requested != "relation" and known.get("relation") is None:
        reading.relation_hint = True
    if requested not in ("policy_number",) and known.get("policy_number") is None:
        put("policy_number", _policy_number_in(text, whole=False))

    reference = evidence.police_report_in(text)
    if reference and requested != "police_report" and cover != "ecommerce":
        put("police_report", reference, force=True)
    if cover == "e_reputation" and requested != "urls":
        urls = evidence.urls_in(text)
        if urls:
            put("urls", list(dict.fromkeys(list(known.get("urls") or []) + urls)), force=True)
    if cover == "ecommerce" and requested != "goods_category":
        category = evidence.goods_category_in(text, lang)
        if category:
            put("goods_category", category, force=overwrite)
    _read_story_amount(message, cover, requested, reading, put, overwrite)
    _read_story_dates(message, cover, requested, known, reading, put, last_date_slot, overwrite)


def _read_story_amount(message: Message, cover: str, requested: Optional[str], reading: Reading, put,
                       overwrite: bool) -> None:
    question = fields.question(cover, requested) if requested else None
    if question is not None and question.kind in (AMOUNT, EXPENSES):
        return  # already read as the answer
    if "amount" not in fields.amount_slots(cover) or evidence.negative_amount_in(message.text):
        return
    amounts = evidence.amounts_in(message.text, message.lang)
    if amounts:
        put("amount", float(amounts[0]), force=overwrite)


def _read_story_dates(message: Message, cover: str, requested: Optional[str], known: Dict[str, Any],
                      reading: Reading, put, last_date_slot: Optional[str], overwrite: bool) -> None:
    question = fields.question(cover, requested) if requested else None
    if question is not None and question.kind in (BIRTH_DATE, POLICY_NUMBER):
        return
    answering_a_date = question is not None and question.kind == DATE and requested in reading.updates
    if answering_a_date and cover != "ecommerce":
        return
    found = evidence.dates_in(message.text, message.lang, message.today)
    if not found:
        return
    slots = fields.date_slots(cover)
    if cover == "ecommerce":
        by_context = _dates_by_context(message, found)
        if answering_a_date and not all_spans("date_context", message.text, message.lang):
            return  # a lone date answered the question; it says nothing more
        for slot, day in by_context.items():
            if slot in slots and slot != requested:
                put(slot, day.isoformat(), force=overwrite)
        if overwrite and last_date_slot and not all_spans("date_context", message.text, message.lang):
            put(last_date_slot, found[0].isoformat(), force=True)
        return
    main = slots[0]  # occurred_on, or started_on for e-reputation
    if overwrite and last_date_slot:
        put(last_date_slot, found[0].isoformat(), force=True)
    elif requested != main:
        put(main, found[0].isoformat())


def _dates_by_context(message: Message, found: List[date]) -> Dict[str, date]:
    """Each date of an online purchase given to the nearest context word before it ("besteld op 2
    oktober", "livré le 5", "complained on the 8th"); a lone date without context goes to the order."""
    contexts = all_spans("date_context", message.text, message.lang)
    if not contexts:
        return {"order_date": found[0]} if len(found) == 1 else {}
    folded = fold(message.text)
    positions = _date_positions(folded, len(found))
    assigned: Dict[str, date] = {}
    for day, position in zip(found, positions):
        before = [slot for slot, at in contexts if at <= position] or [contexts[0][0]]
        assigned.setdefault(before[-1], day)
    return assigned


def _date_positions(folded: str, count: int) -> List[int]:
    """Rough positions of the dates in the text: where digits or relative-date words appear."""
    marks = [m.start() for m in re.finditer(
        r"\d|gisteren|eergisteren|vandaag|geleden|vorige|afgelopen|hier|avant-hier|aujourd|il y a|dernier|derniere"
        r"|yesterday|today|ago|last ", folded)]
    positions: List[int] = []
    for mark in marks:
        if not positions or mark - positions[-1] > 12:
            positions.append(mark)
    positions += [len(folded)] * max(0, count - len(positions))
    return positions[:count]


# --- small readers -----------------------------------------------------------------------------


def _payload_values(message: Message) -> Dict[str, Any]:
    """Choice values carried by entities (button payloads `/inform{"device":"phone"}`)."""
    found = {}
    for entity in message.entities:
        name, value = entity.get("entity"), entity.get("value")
        if name in CHOICES and value in CHOICES[name]:
            found[name] = value
    if not found and message.is_payload and "{" in message.text:
        try:
            data = json.loads(message.text[message.text.index("{"):])
        except ValueError:
            return {}
        if isinstance(data, dict):
            found = {k: v for k, v in data.items() if k in CHOICES and v in CHOICES[k]}
    if message.intent in KIND_OF_INTENT and message.is_payload:
        found["kind"] = KIND_OF_INTENT[message.intent]
    return found


def _choice_in(message: Message, slot: str) -> Optional[str]:
    if slot == "kind" and message.intent in KIND_OF_INTENT:
        return KIND_OF_INTENT[message.intent]
    value = signal(slot, message.text, message.lang)
    if value is None and slot == "relation" and signal("relation_hint", message.text, message.lang):
        value = "family_household" if signal("relation", message.text, message.lang) is None else None
    text = fold(message.text).replace(" ", "_")
    if value is None and text in CHOICES.get(slot, ()):
        value = text
    return value if value in CHOICES.get(slot, ()) else None


def _policy_number_in(text: str, whole: bool) -> Optional[str]:
    match = _POLICY_IN_TEXT.search(text)
    if match:
        return normalise_policy_number(match.group())
    if whole:
        candidate = text.strip().split()[0] if len(text.split()) <= 3 else ""
        return normalise_policy_number(candidate) if candidate and any(ch.isdigit() for ch in candidate) else None
    return None


def _birth_date_in(message: Message) -> Any:
    """A date of birth, or the name of the response that says why the answer is not one."""
    found = evidence.dates_in(message.text, message.lang, message.today)
    if not found:
        return "utter_date_before_birth" if evidence.future_dates_in(message.text, message.lang, message.today) \
            else None
    born = found[-1]
    if born.year < OLDEST_BIRTH_YEAR or born >= message.today:
        return "utter_date_before_birth"
    return born


def _bare_numbers(text: str) -> List[Decimal]:
    numbers = []
    for match in _BARE_NUMBER.finditer(text):
        raw = match.group().replace(" ", "")
        if raw.startswith("-"):
            continue
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", raw) or "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        try:
            numbers.append(Decimal(raw))
        except ArithmeticError:
            continue
    return numbers


def _expenses_in(message: Message) -> List[Dict[str, Any]]:
    """Identity-theft expenses: each amount with the kind of cost named in its part of the sentence."""
    parts = re.split(r"[;\n]|[,:]\s| en | et | and | plus ", message.text)  # not the comma of "12,50"
    expenses = []
    for part in parts:
        amounts = evidence.amounts_in(part, message.lang) or _bare_numbers(part)
        if not amounts:
            continue
        kind = signal("expense_type", part, message.lang) or "other"
        expenses += [{"type": kind, "amount": float(amount)} for amount in amounts]
    # "700 euros: 500 for the loan and 200 of letters": the total is not an expense of its own.
    total = sum(e["amount"] for e in expenses)
    for expense in expenses:
        if len(expenses) > 2 and abs(2 * expense["amount"] - total) < 0.005:
            expenses.remove(expense)
            break
    return expenses


# Questions answered by a value, or by "no / not yet": how to find the value, and what to say without one.
_VALUE_OR_NO = {
    POLICE_REPORT: (lambda m: evidence.police_report_in(m.text), "utter_invalid_police_report"),
    EXPENSES: (lambda m: _expenses_in(m), "utter_invalid_amount"),
    URLS: (lambda m: evidence.urls_in(m.text), "utter_invalid_urls"),
}


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def day_month_year(iso_date: str) -> str:
    return date.fromisoformat(iso_date).strftime("%d/%m/%Y")
