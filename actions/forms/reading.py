"""One user message mapped onto the facts of a declaration.

`actions.evidence.statements.read` has already read the message once (every date with the word that
governs it, every amount with what it paid for, references, names, phrases, yes or no, a correction);
`read_answer` only decides what those statements mean for the form of one cover, which asked one
question (the requested slot):

- the answer to the question asked, or the reason it cannot be taken (a date in the future, a
  complaint before the order, a negative amount), named by the response that explains it;
- every other fact the message states, so that nothing said is asked again;
- a correction replaces the fact it names ("the order date", "de klacht", "l'appareil"), or the one whose
  value it takes back ("540, niet 450"; "pas un disque dur"), else the date given last; "not X but Y"
  reads Y; a bare day ("het was de 10e") keeps the month of the date it corrects.
Pure: no Rasa import.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from actions.evidence import phrases
from actions.evidence import statements as evidence
from actions.evidence.answers import asks
from actions.evidence.names import is_marketplace as names_is_marketplace
from actions.evidence.references import normalise_policy_number, policy_number_in
from actions.evidence.spelled import with_digits
from actions.evidence.statements import Dated, Money, Statements
from actions.evidence.text import fold

from . import fields
from .fields import (
    AMOUNT,
    BIRTH_DATE,
    CHOICE,
    CHOICES,
    DATE,
    EXPENSES,
    GOODS,
    POLICE_REPORT,
    POLICY_NUMBER,
    TEXT,
    URLS,
    YES_NO,
)

AFFIRM, DENY = "affirm", "deny"
KIND_OF_INTENT = {"report_non_delivery": "non_delivery", "report_non_conforming": "non_conforming"}
OLDEST_BIRTH_YEAR = 1900
YOUNGEST_HOLDER_AGE = 18  # IPID: who may subscribe
# Dates that are not the incident's: when the police were told, when the bank was called, a birthday, a return.
_NOT_THE_INCIDENT = ("police", "bank", "birth", "return")
_PURCHASE = ("purchase", None)
_TOTAL = re.compile(r"(?:in totaal|totaal|samen|dus|en tout|au total|donc|soit|in total|total|altogether|so|=)\s*:?\s*$")
_EACH_AFTER = re.compile(r"^\s*(?:euros?|eur|€)?\s*(?:each|per stuk|elk|chacun|chacune|piece|la piece|per keer|par paiement)\b")
_PAYMENTS_OF = re.compile(r"(\d+|twee|drie|vier|vijf|deux|trois|quatre|cinq|two|three|four|five)\s+(?:keer|fois|times|x"
                          r"|betalingen|transacties|paiements|transactions|payments|debits)\s+(?:van|de|of|a|à|at)\s*$")
_SMALL_COUNTS = {"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "two": 2,
                 "three": 3, "four": 4, "five": 5}
_LIVE = ("live_chat", "video_conference")
# A payee named after these words ("naar een zekere Kevin", "to some site called shopnova-eu.com", "vers un compte
# lituanien", "PAYPAL *GAMESHOP LTD" on a statement).
_PAYEE = re.compile(
    r"(?:een zekere|un certain|une certaine|a certain|(?:someone|somebody|a guy|a man|a woman|a site|a website|some site"
    r"|a company|a shop|an account|un site|une societe|un type|un gars|een site|een bedrijf|iemand) (?:called|named|appele|appelee"
    r"|genaamd|met de naam)|genaamd|au nom de|in the name of)\s+(?!(?:me|us|him|her|mij|ons|moi|nous)\b)['\"‘“]?"
    r"(?P<name>[\w .&'-]{2,40}?)['\"’”]?"
    r"(?=[,.;!?)]|\s+(?:en|et|and|maar|mais|but|op|sur|on|zo|qui|die|that|for|voor|pour)\b|$)"
    r"|(?P<account>(?:an? (?:bank )?account|een rekening|un compte) (?:in|en|au|aux|uit|from) [\w-]+|un compte [a-z]+(?:ien|ienne"
    r"|ais|aise|ois|oise|and|ande)\b|een [a-z]+se rekening)"
    r"|paypal \*\s*(?P<statement>[\w-]+)"
    r"|(?:un compte|an account|een rekening)\s+(?-i:(?P<holder>[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2}))", re.IGNORECASE)
# A payee as a bank statement shows it: capitals after "to", "aan", "naar", "vers" (NETFLX-BILLING, SHOPPAY*HKTRADING).
_STATEMENT_CODE = re.compile(r"(?i:\b(?:to|aan|naar|vers|à|chez|bij|at))\s+(?P<code>[A-Z][A-Z0-9]*(?:[*._-][A-Z0-9]+)+|[A-Z]{4,}[0-9]*)\b")
# "to a hotel in Dubai", "in a shop in Lisbon", "dans un magasin à Lisbonne": where the money went, as written.
_PAID_PLACE = re.compile(r"\b(?:to|in|at|aan|bij|in|dans|chez|à)\s+(?:a|an|een|un|une)\s+(?P<place>(?:hotel|shop|store|restaurant|bar"
                         r"|winkel|magasin|boutique|restaurant|casino)\s+(?:in|à|a|te|en)\s+[A-Z][\w-]+)")
# Money sent to an account number ("naar BE71 0961 2345 6769"; the channels mask it as "[IBAN]").
_TO_ACCOUNT = re.compile(r"\b(?:naar|to|into|vers|sur|à|a|op)\s+(?:de rekening\s+|het rekeningnummer\s+|le compte\s+|account\s+)?"
                         r"(?P<iban>[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?|\[IBAN\])", re.IGNORECASE)
# "sur un site de jeux en ligne", "on an online betting site", "op een gokwebsite": what kind of site, as written.
_SITE_OF = re.compile(r"\b(?:sur|on|op|bij|chez|at|via)\s+(?:un|une|a|an|een)\s+(?:(?:site|website|webshop|plateforme|platform)"
                      r"\s+(?:de|d'|van|voor|for|of)\s+(?P<what>[\w' -]{3,30}?)|(?P<kind>[\w -]{3,30}?)\s+(?:site|website))"
                      r"(?=[,.;!?)]|\s+(?:avec|met|with|et|en|and|mais|maar|but|je|ik|i|that|qui|que|dont|die|dat)\b|$)", re.IGNORECASE)
# Before a name, the words that say money went to it ("to Netflix", "chez netflix.com", "bij aliexpress", "by X").
_PAID_TO = re.compile(r"(?:\bto|\bnaar|\baan|\bchez|\bbij|\bat|\bby|\bdoor|\bpar|\bvers|\bvia|\bop|\bon|\bsur|\bachats"
                      r"|\baankopen|\bpurchases|\bbestellingen|\bcommandes)\s+"
                      r"(?:some\s+|the\s+|de\s+|het\s+)?$")
# Who did it: the words naming a person, with what they start with ("mijn ex", "a girl from her class", "un gars").
_OFFENDER_START = re.compile(r"(?:\b(?:een|de|het|mijn|haar|zijn|onze|un|une|des|mon|ma|mes|son|sa|ses|le|la|les|a|an|my|her|his"
                             r"|the|our|some|ancien|ancienne|former|old|oud)\s+){1,3}$")
_OFFENDER_TAIL = re.compile(r"^(?:\s+(?:from|uit|van|de|du|d')\s+(?:(?:her|his|my|the|haar|zijn|mijn|de|sa|son|ma|mon|la|le|ons|onze)\s+)?"
                            r"(?:class|klas|classe|school|ecole|work|job|old job|werk|boulot|club(?: de \w+)?|voetbalclub"
                            r"|sportclub|ploeg|team|equipe|équipe|vereniging|book club|scouts|koor|chorale)\b"
                            r"|\s+(?:called|named|genaamd|appele|appelé|nomme|nommé|met de naam)\s+@?[\w.-]{2,30})?")
_SHORT_TEXT = 120
# "nee", "nog niks", "toujours rien" answers the shop's answer only when that is all the message says.
_SHORT_ANSWER = 4


@dataclass(frozen=True)
class Message:
    text: str
    lang: str
    today: date
    intent: Optional[str] = None
    entities: Sequence[Mapping[str, Any]] = ()
    confidence: float = 1.0

    @property
    def is_payload(self) -> bool:
        return self.text.startswith("/")

    @property
    def said(self) -> Statements:
        """What the message states (read once; the reader caches it)."""
        return evidence.read("" if self.is_payload else self.text, self.lang, self.today)


@dataclass
class Reading:
    """What one message says to a form. `updates` are slot values to set; `problem` the response that says
    why the answer to the requested question was not taken (with `problem_values` to fill it)."""

    updates: Dict[str, Any] = field(default_factory=dict)
    answered: bool = False  # the requested question got a usable answer (a value or a "no")
    declined: bool = False  # ... and that answer was "no / not yet"
    problem: Optional[str] = None
    problem_values: Dict[str, Any] = field(default_factory=dict)
    corrected: List[str] = field(default_factory=list)  # filled slots this message replaced
    relation_hint: bool = False  # the story names someone other than the policyholder
    said_no: List[str] = field(default_factory=list)  # optional questions the story already answered "no" to


def says_yes(message: Message) -> bool:
    """Yes, by the words (a "no" word wins) or, with no yes/no word, by the intent."""
    words = message.said.answer
    return words is True if words is not None else message.intent == AFFIRM


def says_no(message: Message) -> bool:
    words = message.said.answer
    return words is False if words is not None else message.intent == DENY


def words_and_intent_disagree(message: Message) -> bool:
    """"ja" words with a deny intent: ask once more, shortly, before anything is filed. A "no" in the words is
    taken as it is, whatever the model read ("Nee, er klopt iets niet" read as affirm): a no files nothing."""
    return message.said.answer is True and message.intent == DENY


def is_correction(message: Message) -> bool:
    """A correction word, or "not X but Y": a value the message takes back beside one it gives."""
    said = message.said
    if said.correction:
        return True
    if any(d.negated for d in said.dates) or any(m.negated for m in said.money + said.bare_numbers):
        return True
    if any(n.negated for n in said.names):
        return True
    negated = {p.fact for p in said.phrases if p.negated and p.fact in CHOICES}
    return any(p.fact in negated and not p.negated for p in said.phrases)


class _Put:
    """Sets slot values on a reading: an empty slot always, a filled one only when overwriting."""

    def __init__(self, reading: Reading, known: Dict[str, Any], overwrite: bool) -> None:
        self.reading, self.known, self.overwrite = reading, known, overwrite

    def __call__(self, slot: str, value: Any, *, force: bool = False) -> None:
        if value is None:
            return
        before = self.known.get(slot)
        if before is not None and not (force or self.overwrite):
            return
        if slot == "expenses" and before:
            # "les recommandés c'est 12,60 euros": the costs of the kinds named change, the others stay.
            named = {expense["type"] for expense in value}
            value = [e for e in before if e["type"] not in named] + list(value)
        if before is not None and before != value and slot not in self.reading.corrected:
            self.reading.corrected.append(slot)
        self.reading.updates[slot] = value
        self.known[slot] = value


@dataclass(frozen=True)
class _Ask:
    """What the turn is about: the question asked, and the fact a correction is about (if any)."""

    cover: str
    requested: Optional[str]
    target: Optional[str]
    correcting: bool
    last_date_slot: Optional[str]


def read_answer(message: Message, cover: str, requested: Optional[str], values: Mapping[str, Any],
                last_date_slot: Optional[str] = None, overwrite: bool = False) -> Reading:
    """Read `message` for the form of `cover`, which asked `requested` (None at the start). With
    `overwrite` (the summary, or a correction), values given here replace those given before."""
    reading = Reading()
    said = message.said
    correcting = overwrite or is_correction(message)
    known = {slot: value for slot, value in values.items() if value is not None}
    put = _Put(reading, known, correcting)

    for slot, value in _payload_values(message).items():  # buttons carry the value itself
        put(slot, value, force=True)
        reading.answered = reading.answered or slot == requested
    if message.is_payload and requested is not None and not reading.answered and message.intent in (AFFIRM, DENY):
        question = fields.question(cover, requested)
        if question is not None and question.kind == YES_NO:
            put(requested, message.intent == AFFIRM, force=True)
            reading.answered = True
    if message.is_payload:
        return reading

    ask = _Ask(cover, requested, _correction_target(said, cover, requested, known, last_date_slot) if correcting
               else None, correcting, last_date_slot)
    question = fields.question(cover, requested) if requested else None
    if requested == "delivery_date" and said.value("kind") == "non_delivery":
        # "it was never delivered so there is no date": the answer corrects the kind, which asks no delivery date.
        put("kind", "non_delivery", force=True)
        reading.answered = True
    if question is not None and not reading.answered:
        _ANSWER[question.kind](message, ask, question, known, reading, put)
    _read_story(message, ask, known, reading, put)
    if reading.declined and _only_asks(message):
        reading.declined = reading.answered = False  # "est-ce que la banque va me rembourser?? j'ai plus rien"
    if reading.declined and _corrects_another_fact(said, reading, values, requested):
        # "non attendez, c'est 1.149 € pas 1.199": the no takes back a fact given before, it does not answer the
        # question asked, which stays open.
        reading.declined = reading.answered = False
    return reading


def _only_asks(message: Message) -> bool:
    """A question of the user's own, without a correction word: it answers nothing of the form."""
    said = message.said
    return said.question and asks(message.text) and not said.correction and \
        not any(p.fact in ("correction", "takeback") for p in said.phrases)


def _corrects_another_fact(said: Statements, reading: Reading, known: Mapping[str, Any], requested: str) -> bool:
    """Whether the no of the message belongs to a correction of another fact, and not to the question asked: the
    message changes a fact given before, and no sentence of it is a no on its own ("not yet. and sorry, it was the
    10th" declines; "non attendez c'est 1.149 € pas 1.199" does not)."""
    if any(p.fact == "none_yet" and p.value == requested and not p.negated for p in said.phrases):
        return False
    if not any(slot != requested and known.get(slot) is not None and known[slot] != value
               for slot, value in reading.updates.items()):
        return False
    return not any(_says_only_no(said, start, end) for start, end in _sentences(said.text))


def _sentences(text: str) -> List[Tuple[int, int]]:
    bounds, start = [], 0
    for match in re.finditer(r"[.!?;]+(?:\s+|$)|\n", text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _says_only_no(said: Statements, start: int, end: int) -> bool:
    inside = lambda a, b: start <= a and b <= end  # noqa: E731
    no = any(p.fact in ("negative", "none_yet") and not p.negated and inside(p.start, p.end) for p in said.phrases)
    facts = any(p.fact not in phrases.WORDS_ABOUT_WORDS and inside(p.start, p.end) for p in said.phrases) or \
        any(inside(d.start, d.end) for d in said.dates) or any(inside(m.start, m.end) for m in said.money) or \
        any(inside(n.start, n.end) for n in said.names) or \
        bool(said.police_report and said.police_report.lower() in said.text[start:end].lower())
    return no and not facts


# --- the answer to the question asked ------------------------------------------------------------


def _answer_policy_number(message, ask, question, known, reading, put) -> None:
    said = message.said
    number = said.policy_number or _whole_answer_number(message.text)
    if number:
        put(question.slot, number, force=True)
        reading.answered = True
        born = _birth_date_in(message)
        if isinstance(born, date):  # "CC-DEMO-0001, born 12/04/1985"
            put("birth_date", born.isoformat(), force=True)
    else:
        reading.problem = "utter_invalid_policy_number"


def _answer_birth_date(message, ask, question, known, reading, put) -> None:
    born = _birth_date_in(message)
    if isinstance(born, date):
        put(question.slot, born.isoformat(), force=True)
        reading.answered = True
    else:
        reading.problem = born or "utter_invalid_date"


def _answer_date(message, ask, question, known, reading, put) -> None:
    said, slot = message.said, question.slot
    if ask.target not in (None, slot) and ask.target in fields.date_slots(ask.cover) and _corrects_a_date(said):
        return  # "sorry, het was de 12de": the date corrects the one given before; the question stays
    day = _date_for(said, ask.cover, slot, slot, known)
    if day is None and slot == "complaint_date" and known.get("delivery_date") and said.has("complained_on_delivery"):
        day = date.fromisoformat(known["delivery_date"])  # "dezelfde dag als de levering, 's avonds nog"
    if day is None:
        complained = slot == "complaint_date" and (said.value("merchant_response") is not None
                                                   or said.has("complaint_sent"))
        if said.future_dates and not said.plain_dates():
            reading.problem = "utter_date_in_future"
        elif question.optional and said.answer is False and not complained:
            reading.answered = reading.declined = True
        else:
            reading.problem = "utter_invalid_date"
        return
    problem = _date_problem(slot, day, known)
    if problem:
        reading.problem, reading.problem_values = problem
        return
    put(slot, day.isoformat(), force=True)
    reading.answered = True


def _answer_amount(message, ask, question, known, reading, put) -> None:
    said, slot = message.said, question.slot
    if said.negative_amount:
        reading.problem = "utter_negative_amount"
        return
    amount = _amount_for(said, ask.cover, slot, answering=True)
    if amount is not None:
        put(slot, float(amount), force=True)
        if slot == "return_shipping_cost":
            put("returned_to_merchant", True, force=True)
        reading.answered = True
    elif question.optional and said.answer is False:
        reading.answered = reading.declined = True
        if slot == "return_shipping_cost":
            put("returned_to_merchant", False, force=True)
    else:
        reading.problem = "utter_invalid_amount"


def _answer_choice(message, ask, question, known, reading, put) -> None:
    slot, said = question.slot, message.said
    value = _choice_in(message, slot)
    if value is None and slot == "merchant_response" and said.answer is False and said.words <= _SHORT_ANSWER:
        value = "none"  # "nee", "nog niks", "toujours rien": no answer from the shop
    if value is None and slot == "misuse" and said.dates_with("order_date") + [
            p for p in said.phrases if p.fact == "date_context" and p.value == "order_date" and not p.negated]:
        value = "purchases"  # "ze hebben kleren besteld op shein": things bought in the user's name
    if value is None and slot == "misuse" and said.answer is None and not said.question and said.words:
        value = "other"  # told in words no list holds: an agent reads the story
    if value is not None:
        put(slot, value, force=True)
        reading.answered = True
    else:
        reading.problem = "utter_invalid_choice"


def _answer_yes_no(message, ask, question, known, reading, put) -> None:
    said = message.said
    value = said.value(question.slot)
    if value is None and question.slot == "bank_notified":
        value = _bank_contacted(said)
    if value is None and not words_and_intent_disagree(message):
        value = True if says_yes(message) else False if says_no(message) else None
    if value is not None:
        put(question.slot, bool(value), force=True)
        reading.answered = True
    else:
        reading.problem = "utter_explain_yes_no"


def _answer_goods(message, ask, question, known, reading, put) -> None:
    said = message.said
    if said.goods is None and (said.answer is False or said.question):
        reading.problem = "utter_invalid_choice"
        return
    # A short answer is the thing itself in the user's words ("a lamp shade thing"); in a longer one, the words
    # that name it.
    words = _short(message.text) if said.goods is None or said.words <= 8 else said.goods.words
    put("goods", words, force=True)
    put(question.slot, said.goods.category if said.goods else "other", force=True)
    reading.answered = True


# An answer that starts by not knowing: "aucune idée, c'est un faux compte", "nobody special.. i posted it myself".
_DONT_KNOW = re.compile(r"^\W*(?:geen idee|geen flauw idee|weet ik niet|ik weet het niet|ik weet niet|geen idee wie|niemand|"
                        r"aucune idee|aucune idée|je ne sais pas|je sais pas|j'en sais rien|personne|no idea|idk|i don'?t know|"
                        r"dunno|nobody|no one|not sure)\b", re.IGNORECASE)


def _answer_text(message, ask, question, known, reading, put) -> None:
    """A name asked for (the web shop, the bank): the known name in the message, else its words."""
    said, slot = message.said, question.slot
    value = _name_for(said, slot)
    if value is None:
        if said.answer is False and said.words <= 6 or _DONT_KNOW.match(message.text):
            reading.answered = reading.declined = True
            return
        if said.question or not said.words:
            reading.problem = "utter_invalid_choice"
            return
        value = _short(_ASIDE.sub("", message.text).strip(" ,.;:!-") or message.text)
    put(slot, value, force=True)
    reading.answered = True


# "een klasgenoot, dat heb ik toch al gezegd": what the user says of the conversation is no part of the name.
_ASIDE = re.compile(r"[,.;!\s-]*\b(?:dat heb ik (?:toch |al )*(?:al )?gezegd|da heb ik (?:toch |al )*gezegd|zoals ik (?:al )?zei"
                    r"|ik zei het (?:toch )?al|je l'ai deja dit|je vous l'ai deja dit|comme je l'ai dit|j'ai deja dit"
                    r"|i (?:already )?told you|as i said|like i said|i said that already|i already said)\b.*$",
                    re.IGNORECASE)


def _value_or_no(find: Callable[[Message], Any], problem: str):
    def answer(message, ask, question, known, reading, put) -> None:
        value = find(message)
        if value:
            put(question.slot, value, force=True)
            reading.answered = True
        elif message.said.answer is False:
            reading.answered = reading.declined = True
        else:
            reading.problem = problem
    return answer


_ANSWER = {
    POLICY_NUMBER: _answer_policy_number,
    BIRTH_DATE: _answer_birth_date,
    DATE: _answer_date,
    AMOUNT: _answer_amount,
    CHOICE: _answer_choice,
    YES_NO: _answer_yes_no,
    GOODS: _answer_goods,
    TEXT: _answer_text,
    POLICE_REPORT: _value_or_no(lambda m: m.said.police_report, "utter_invalid_police_report"),
    EXPENSES: _value_or_no(lambda m: _expenses_in(m.said, answering=True), "utter_invalid_amount"),
    URLS: _value_or_no(lambda m: list(m.said.urls), "utter_invalid_urls"),
}


# --- everything else the message states -----------------------------------------------------------


_NOT_ABOUT_GOODS = ("goods_category", "tracking_number", "order_reference", "complaint_date", "merchant_response")


def _read_story(message: Message, ask: _Ask, known: Dict[str, Any], reading: Reading, put: _Put) -> None:
    if ask.requested in ("policy_number", "birth_date"):
        # "CC-DEMO-0001, en het was op 3 november, 240 euro": the facts beside who the user is are the incident's,
        # read without the policy number and the date of birth (whose digits are no amount, no day of the facts).
        rest = _beside_the_identity(message, reading)
        if rest is not None:
            _read_story(rest, _Ask(ask.cover, None, None, False, ask.last_date_slot), known, reading, put)
        return
    said, cover, requested = message.said, ask.cover, ask.requested
    if cover == "ecommerce" and message.intent in KIND_OF_INTENT:
        put("kind", KIND_OF_INTENT[message.intent])
    phrase_facts = [f for f in fields.STORY_FACTS[cover] if f not in ("channel", "device", "misuse")
                    and not (f == requested and fields.question(cover, f) is not None)]
    if cover == "ecommerce":
        phrase_facts.append("returned_to_merchant")
    for fact, value in said.values(phrase_facts).items():
        # A yes/no told later is the newer news ("ik heb die kaart ondertussen toch laten blokkeren").
        put(fact, value, force=fact == ask.target or isinstance(value, bool))
    if cover == "payment_fraud" and requested != "bank_notified" and known.get("bank_notified") is None:
        put("bank_notified", _bank_contacted(said))
    if cover == "e_reputation":
        _read_places(said, ask, put)
    if cover == "data_recovery" and requested != "device":
        put("device", _device_in(said), force=ask.target == "device")
    if cover == "identity_theft" and requested not in ("misuse", "expenses"):
        put("misuse", _misuse_in(said))
    if said.has("relation_hint") and requested != "relation" and known.get("relation") is None:
        reading.relation_hint = True
    if requested != "relation" and cover in ("e_reputation", "ecommerce", "payment_fraud"):
        relation = _relation_in(said, story=True)
        if relation not in (None, "policyholder"):
            put("relation", relation)
    if requested not in ("policy_number",) and known.get("policy_number") is None:
        put("policy_number", said.policy_number)
    if cover != "ecommerce" and requested != "police_report" and said.police_report:
        put("police_report", said.police_report, force=True)
    _read_names(said, ask, put)
    if cover == "ecommerce":
        put("order_reference", said.order_reference)
        put("tracking_number", said.tracking_number)
        # An answer about the parcel or the complaint names no good ("just stamps on it").
        if requested not in _NOT_ABOUT_GOODS and said.goods is not None:
            put("goods_category", said.goods.category, force=ask.target == "goods_category")
            put("goods", said.goods.words, force=ask.target == "goods_category")
    if cover == "e_reputation" and requested != "urls" and said.urls:
        put("urls", list(dict.fromkeys(list(known.get("urls") or []) + list(said.urls))), force=True)
    _read_story_amounts(said, ask, put)
    _read_story_dates(said, ask, known, put)
    for phrase in said.phrases:  # "nog geen pv", "pas de devis", "haven't complained yet": not asked again
        optional = fields.question(cover, str(phrase.value))
        if phrase.fact == "none_yet" and not phrase.negated and optional is not None and optional.optional \
                and phrase.value != requested and known.get(phrase.value) is None and phrase.value not in reading.said_no:
            reading.said_no.append(phrase.value)


def _read_places(said: Statements, ask: _Ask, put: _Put) -> None:
    """Where harmful content is: a story may name two places, where it started (a live call) and where it is
    published now (a forum); the cover is decided on the published one (origin_channel keeps the other)."""
    published, live = _places(said)
    if ask.requested != "channel" and (published or live):
        put("channel", published[-1] if published else live[0], force=ask.target == "channel")
    if published and live:
        put("origin_channel", live[0])


def _places(said: Statements) -> Tuple[List[str], List[str]]:
    """(published places, live places) the message names: its words first ("een live op instagram" is live),
    the platforms' own places only when the words name none; the press wins (it is its own exclusion)."""
    words = [p for p in said.phrases if p.fact == "channel" and not p.negated]
    # Insults "in the chat" of a live stream are in the live chat: the chat is where they were written.
    places = sorted((p.value for p in words), key=lambda place: _LIVE.index(place) if place in _LIVE else -1)
    # A platform named outside the words of a place adds its own ("filmé sur Teams, mis sur YouTube"); inside
    # them it is part of it ("een live op instagram" is live).
    places += [n.channel for n in said.names if n.kind == "platform" and n.channel and not n.negated
               and not any(w.start <= n.start and n.end <= w.end for w in words)]
    places = list(dict.fromkeys(places))
    if "press" in places:
        return ["press"], [p for p in places if p in _LIVE]
    return [p for p in places if p not in _LIVE], [p for p in places if p in _LIVE]


def _read_names(said: Statements, ask: _Ask, put: _Put) -> None:
    cover, requested = ask.cover, ask.requested
    asked_names = tuple(q.slot for q in fields.questions(cover) if q.kind == TEXT)
    for slot in fields.NOTED_FACTS[cover] + asked_names:
        if (slot == requested and slot in asked_names) or slot in ("order_reference", "tracking_number", "origin_channel"):
            continue  # a name the form asked is read as the answer
        put(slot, _name_for(said, slot), force=ask.target == slot or slot == requested)


def _name_for(said: Statements, slot: str) -> Optional[str]:
    """The name a slot holds, as written: the shop, the bank, where the identity was misused, the platform,
    who was paid, who did it."""
    if slot == "merchant":
        name = said.name("merchant")
        return name.written if name else (said.urls[0] if said.urls else None)
    if slot == "bank":
        name = said.name("bank")
        return name.written if name else None
    if slot == "misused_at":
        breach = said.value("provider_breach")
        for kind in ("lender", "bank", "telecom", "merchant", "platform"):
            name = said.name(kind)
            if name and not (breach and name.written.lower() == "proximus"):
                return name.written
        return _site_of(said.text)
    if slot == "platform":
        published = [n for n in said.names if n.kind == "platform" and not n.negated and n.channel not in _LIVE]
        name = published[0] if published else said.name("platform")
        return name.written if name else None
    if slot == "payee":
        account = _TO_ACCOUNT.search(said.text)
        if account:
            return account.group("iban")
        match = _PAYEE.search(said.text)
        if match:
            return (match.group("name") or match.group("account") or match.group("statement")
                    or match.group("holder")).strip()
        code = _STATEMENT_CODE.search(said.text)
        if code:
            return code.group("code")
        place = _PAID_PLACE.search(said.text)
        if place:
            return place.group("place")
        text = said.text.lower()
        for name in said.names:
            if name.kind == "merchant" and not name.negated and not names_is_marketplace(name.written) \
                    and _PAID_TO.search(text[max(0, name.start - 12):name.start]):
                return name.written
        for url in said.urls:
            at = text.find(url.lower())
            if at >= 0 and _PAID_TO.search(text[max(0, at - 12):at]):
                return url
        return _site_of(said.text)
    if slot == "offender":
        return _offender_in(said)
    return None


def _site_of(text: str) -> Optional[str]:
    match = _SITE_OF.search(text)
    return (match.group("what") or match.group("kind")).strip() if match else None


def _offender_in(said: Statements) -> Optional[str]:
    """Who did it, as written: a word for a person ("klasgenote", "ex", "journaliste", "un gars") with the words
    before it that say whose ("mijn", "a girl from her class"); no one for "I don't know who"."""
    found = [p for p in said.phrases if p.fact == "offender" and p.value == "known" and not p.negated]
    if not found:
        return None
    phrase = found[0]
    text = said.text
    start = phrase.start
    lead = _OFFENDER_START.search(text[max(0, start - 30):start])
    if lead:
        start -= len(text[max(0, start - 30):start]) - lead.start()
    tail = _OFFENDER_TAIL.match(text[phrase.end:phrase.end + 40])
    end = phrase.end + (tail.end() if tail else 0)
    return " ".join(text[start:end].split())


def _read_story_amounts(said: Statements, ask: _Ask, put: _Put) -> None:
    cover, requested, target = ask.cover, ask.requested, ask.target
    question = fields.question(cover, requested) if requested else None
    if said.negative_amount:
        return
    if question is not None and question.kind == AMOUNT and target in (None, requested):
        return  # the amount asked is what the message gives; its other numbers are not amounts of their own
    returned = cover == "ecommerce" and said.value("returned_to_merchant") is True and requested != "amount"
    for slot in fields.amount_slots(cover):
        if question is not None and slot == requested and target != slot:
            continue  # read as the answer
        if returned and target != "amount":
            # "sent it back, cost me 8,50": in a message about the return, its one amount is the return's
            if slot == "amount":
                continue
            amounts = said.plain_money() + [n for n in said.bare_numbers if n.priced and not n.negated]
            if len(amounts) == 1:
                put("return_shipping_cost", float(amounts[0].amount), force=target == slot)
                put("returned_to_merchant", True)
                continue
        amount = _amount_for(said, cover, slot, answering=target == slot)
        if amount is not None:
            put(slot, float(amount), force=target == slot)
            if slot == "return_shipping_cost":
                put("returned_to_merchant", True)
    if cover == "identity_theft" and requested != "expenses":
        expenses = _expenses_in(said, answering=False)
        if expenses:
            put("expenses", expenses)


def _read_story_dates(said: Statements, ask: _Ask, known: Dict[str, Any], put: _Put) -> None:
    cover, requested, target = ask.cover, ask.requested, ask.target
    question = fields.question(cover, requested) if requested else None
    if question is not None and question.kind in (BIRTH_DATE, POLICY_NUMBER):
        return
    for slot in fields.date_slots(cover):
        aim = target if target in fields.date_slots(cover) else None
        if slot == requested and aim != slot:
            continue  # read as the answer
        if slot == "delivery_date" and (known.get("kind") or said.value("kind")) == "non_delivery":
            continue  # "zou gisteren geleverd worden": a parcel that never came has no delivery date
        day = _date_for(said, cover, slot, aim, known, opening=requested is None)
        if day is None or _date_problem(slot, day, known):
            continue  # a date that cannot be right is not taken unasked: it would only be refused when asked
        put(slot, day.isoformat(), force=slot == aim)
    delivered = known.get("delivery_date")
    if cover == "ecommerce" and delivered and known.get("complaint_date") is None and requested != "complaint_date" \
            and said.has("complained_on_delivery"):
        put("complaint_date", delivered)  # "complained on amazon the day it came (last thursday)"


# --- which date, which amount --------------------------------------------------------------------


def _date_for(said: Statements, cover: str, slot: str, aim: Optional[str], known: Mapping[str, Any],
              opening: bool = False) -> Optional[date]:
    """The date of `slot` in the message: one its context word names; else, when the message answers or
    corrects that slot (`aim`), a date without a context word (or the only date); else, in the first story of
    a cover, a lone date without a context word is its main date (the order's, for a purchase)."""
    plain = [d for d in said.plain_dates() if d.context not in _NOT_THE_INCIDENT]
    if not plain:
        return None
    main = fields.date_slots(cover)[0]
    named = [d for d in plain if _slot_of_context(d.context, cover) == slot]
    if named:
        return _keep_month(named[-1] if slot == "complaint_date" else named[0], slot, aim, known)
    free = [d for d in plain if _slot_of_context(d.context, cover) is None]
    if aim == slot and free:
        return _keep_month(free[-1], slot, aim, known)
    if opening and slot == main and len(free) == 1 and len(plain) == 1:
        return free[0].day
    return None


def _slot_of_context(context: Optional[str], cover: str) -> Optional[str]:
    if context is None:
        return None
    if cover == "ecommerce":
        return context if context in ("order_date", "delivery_date", "complaint_date") else None
    main = fields.date_slots(cover)[0]
    return main if context in ("incident", "order_date", "delivery_date") else None


def _keep_month(found: Dated, slot: str, aim: Optional[str], known: Mapping[str, Any]) -> date:
    """"het was de 10e" corrects the day of the date given before: its month and year stay."""
    before = known.get(slot)
    if found.kind != "bare_day" or aim != slot or not before:
        return found.day
    try:
        kept = date.fromisoformat(before).replace(day=found.day.day)
    except ValueError:
        return found.day
    return kept if kept <= found.day or kept.month != found.day.month else found.day


def _date_problem(slot: str, day: date, known: Mapping[str, Any]) -> Optional[tuple]:
    order = known.get("order_date")
    if slot in ("delivery_date", "complaint_date") and order and day < date.fromisoformat(order):
        return "utter_date_before_order", {"order_date": day_month_year(order), "given": day_month_year(day.isoformat())}
    if slot == "order_date":
        for later in ("delivery_date", "complaint_date"):
            if known.get(later) and day > date.fromisoformat(known[later]):
                return "utter_date_after_later", {"given": day_month_year(day.isoformat()),
                                                  "later": day_month_year(known[later])}
    return None


def _amount_for(said: Statements, cover: str, slot: str, answering: bool) -> Optional[Decimal]:
    """The amount of `slot`: money whose words say what it paid for (the purchase, the return, a quote, what
    was taken), or a bare number written as a price ("voor 129,99"); any bare number only as the answer to a
    question about an amount, or a correction of one."""
    # "het bedrag is fout, het was 2.650 euro, er was nog een tweede overschrijving van 150": the money right after
    # the slot's name is the one meant.
    named = [p for p in said.phrases if p.fact == "field_named" and p.value == slot and not p.negated]
    if named:
        after = [m for m in said.money if not m.negated and not m.negative and m.start >= named[0].end]
        if after:
            return after[0].amount
    own = {
        ("ecommerce", "amount"): _PURCHASE + ("fraud",),
        ("ecommerce", "return_shipping_cost"): ("return_shipping",),
        ("data_recovery", "cost_estimate"): ("quote",),
        ("payment_fraud", "amount"): ("fraud", None, "purchase"),
    }.get((cover, slot), (None,))
    # The money whose words say what the slot holds comes first ("entre 400 et 500, sur le devis c'est 480": the
    # quote; "to pay €1,99 customs ... 847 euros gone": what was taken); other money only without it.
    tiers = [own[:1], own]
    if answering:
        tiers.append(tuple(dict.fromkeys(own + (None, "purchase", "return_shipping", "quote", "fraud"))))
    candidates = []
    for contexts in tiers:
        priced = [m for m in said.bare_numbers if m.priced and m.context in contexts and not m.negated]
        candidates.append(sorted(said.money_with(*contexts) + priced, key=lambda m: m.start))
    text = said.text.lower()
    for money in candidates[-1]:  # a total the user gives wins: "89,99 et 150, donc 239,99 en tout"
        if _TOTAL.search(text[max(0, money.start - 16):money.start]):
            return money.amount
    for found in candidates:
        if found:
            return _total(said, found, add_up=cover == "payment_fraud")
    if answering:
        # A bare number answers an amount question; in a correction ("its 85 not 58") it is the value meant.
        numbers = [n for n in said.bare_numbers if not n.negated]
        if numbers and (said.words <= 10 or any(n.negated for n in said.bare_numbers + said.money)):
            return numbers[-1].amount if said.correction else numbers[0].amount
    return None


def _total(said: Statements, found: List[Money], add_up: bool) -> Decimal:
    """The amount meant: a total the user gives ("in totaal 340 euro", "2 x 34,95 donc 69,90€"); for what was
    taken (`add_up`), "3 betalingen van 50 euro" is 150 and several payments are added; else the first."""
    text = said.text.lower()
    for money in found:
        if _TOTAL.search(text[max(0, money.start - 16):money.start]):
            return money.amount
    if not add_up:
        return found[0].amount
    if len(found) == 1:
        count = _PAYMENTS_OF.search(text[max(0, found[0].start - 40):found[0].start])
        if count:
            times = count.group(1)
            return found[0].amount * (int(times) if times.isdigit() else _SMALL_COUNTS[times])
    if len(found) > 1 and found[-1].amount == sum((m.amount for m in found[:-1]), Decimal(0)):
        return found[-1].amount  # "50 and 70 euros, 120 in all"
    return sum((m.amount for m in found), Decimal(0))


def _expenses_in(said: Statements, answering: bool) -> List[Dict[str, Any]]:
    """Identity-theft expenses: each amount with the kind of cost named nearest to it (in its part of the
    sentence, or, for an answer, anywhere). Unasked, only amounts whose kind is named (and no loan: that is
    what the thief did). "9 euro each, so 27" is one expense of 27; a stated total is not counted twice."""
    kinds = [p for p in said.phrases if p.fact == "expense_type" and not p.negated]
    amounts = said.plain_money() + [n for n in said.bare_numbers if not n.negated and (answering or n.priced)]
    amounts = sorted(amounts, key=lambda m: m.start)
    text = said.text.lower()
    expenses: List[Dict[str, Any]] = []
    for i, money in enumerate(amounts):
        if money.context == "refund" or (_EACH_AFTER.match(text[money.end:]) and i + 1 < len(amounts)):
            continue
        kind = evidence._context(money.start, money.end, kinds, said.clauses)
        if kind is None and answering and kinds:  # the kind named last before it, else the next one
            before = [k for k in kinds if k.end <= money.start]
            kind = (before[-1] if before else min(kinds, key=lambda k: abs(k.start - money.start))).value
        kind = kind or ("other" if answering else None)
        if kind is None or (not answering and kind == "loans"):
            continue
        expenses.append({"type": kind, "amount": float(money.amount)})
    total = sum(e["amount"] for e in expenses)
    for expense in expenses:
        if len(expenses) > 2 and abs(2 * expense["amount"] - total) < 0.005:
            expenses.remove(expense)
            break
    return expenses


def _bank_contacted(said: Statements) -> Optional[bool]:
    """"I called Belfius", "argenta zegt dat...", "la banque refuse": the bank was told; else what the words say."""
    stated = said.value("bank_notified")
    if stated is not None:
        return stated
    text = fold(said.text)
    for name in said.names:
        if name.kind != "bank" or name.negated:
            continue
        before, after = text[max(0, name.start - 24):name.start], text[name.end:name.end + 24]
        if re.search(r"(?:called|rang|contacted|told|reported it to|informed|gebeld|gebeld naar|naar|verwittigd|gemeld aan"
                     r"|appele|contacte|prevenu|signale a)\s+(?:my\s+|mijn\s+|ma\s+|la\s+|de\s+)?$", before) or \
                re.search(r"^\s+(?:zegt|heeft gezegd|says|said|told me|dit|m'a dit|a dit|refuse|weigert|refuses|knows|weet"
                          r"|sait|est au courant|ouvre|opened|gebeld|al gebeld|verwittigd|gecontacteerd|ingelicht"
                          r"|op de hoogte gebracht|gemaild)", after):  # Dutch puts the verb last: "ik heb KBC gebeld"
            return True
    return None


def _relation_in(said: Statements, story: bool = False) -> Optional[str]:
    """Who the victim is to the user. The words that say they do NOT live with the user, or are not family,
    win over those that say they live there ("ze woont bij mij maar is geen familie")."""
    # Only an answer to "who is the victim?" says "someone else" of the victim; in a story it is who did it.
    values = said.relations(someone_did_it=story)
    for value in ("other", "non_family_household", "family_household", "policyholder"):
        if value in values:
            return value
    return None


_MEDIA = ("usb_stick", "memory_card", "nas", "raid", "san", "external_hdd", "external_ssd")


def _device_in(said: Statements) -> Optional[str]:
    """The device: a host (laptop, pc) and its storage ("het is een ssd erin", "hdd not ssd") together; a hard
    disk without a host is an external one."""
    phrases = [p for p in said.phrases if p.fact == "device" and not p.negated]
    if not phrases:
        return None
    # A medium of its own (a stick, a memory card, a NAS, an external disk) is the device; the computer or camera
    # named with it is where it was read ("de pc leest hem ni meer", "la carte SD de mon appareil photo").
    media = [p for p in phrases if p.value in _MEDIA]
    value = max(media or phrases, key=lambda p: (p.length, p.lang == said.lang, -p.start)).value
    if value in _MEDIA and (value not in ("external_hdd", "external_ssd") or said.has("external")):
        return value
    storage = [p.value for p in said.phrases if p.fact == "storage" and not p.negated]
    host = next((p.value.split("_")[0] for p in phrases if p.value.split("_")[0] in ("laptop", "pc")), None)
    if host and storage:
        return f"{host}_{storage[0]}"
    if host and value in ("external_hdd", "external_ssd") and not said.has("external"):
        return f"{host}_{value.split('_')[1]}"
    return value


def _misuse_in(said: Statements) -> Optional[str]:
    """What was done in the user's name; a stolen identity card is how, not what, when something else is named."""
    found = [p for p in said.phrases if p.fact == "misuse" and not p.negated]
    if not found:
        return None
    other = [p for p in found if p.value != "documents"]
    return max(other or found, key=lambda p: (p.length, -p.start)).value


def _correction_target(said: Statements, cover: str, requested: Optional[str], known: Mapping[str, Any],
                       last_date_slot: Optional[str]) -> Optional[str]:
    """The slot a correction is about: the one it names; else the one whose value it takes back ("540, niet
    450", "pas un disque dur", "not on facebook"); else, for a date right after a correction word, the date
    given last."""
    slots = fields.fact_slots(cover)
    if said.named_field and said.named_field in slots:
        return said.named_field
    for found in said.dates:
        if found.negated:
            same = [slot for slot in fields.date_slots(cover) if known.get(slot) == found.day.isoformat()]
            if same:
                return same[0]
            if last_date_slot and last_date_slot != requested:
                return last_date_slot
    money_slots = fields.amount_slots(cover)
    for found in said.money + said.bare_numbers:
        if found.negated and money_slots:
            same = [slot for slot in money_slots if known.get(slot) is not None
                    and abs(float(known[slot]) - float(found.amount)) < 0.005]
            return same[0] if same else money_slots[0]
    for phrase in said.phrases:
        if phrase.negated and phrase.fact in CHOICES and phrase.fact in slots:
            return phrase.fact
    for name in said.names:
        if name.negated:
            slot = {"merchant": "merchant", "bank": "bank", "platform": "platform"}.get(name.kind)
            if cover == "identity_theft" and name.kind in ("lender", "bank", "telecom", "merchant"):
                slot = "misused_at"
            if slot in slots:
                return slot
    if _corrects_a_date(said) and last_date_slot and last_date_slot != requested:
        return last_date_slot
    return None


def _corrects_a_date(said: Statements) -> bool:
    """A correction word before a date ("sorry, het was de 12de"), not after it ("le 20 octobre. et pardon,
    c'était 459 euros": the date answers, the correction is about the amount)."""
    markers = [p.start for p in said.phrases if p.fact == "correction"]
    return any(marker < d.start for d in said.plain_dates() for marker in markers) or any(d.negated for d in said.dates)


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
    said = message.said
    if slot == "kind" and message.intent in KIND_OF_INTENT:
        return KIND_OF_INTENT[message.intent]
    if slot == "channel":
        published, live = _places(said)
        value = published[-1] if published else (live[0] if live else None)
    elif slot == "device":
        value = _device_in(said)
    elif slot == "misuse":
        value = _misuse_in(said)
    elif slot == "relation":
        value = _relation_in(said)
    else:
        value = said.value(slot)
    if value is None and slot == "relation" and said.has("relation_hint"):
        value = "family_household"  # "mijn dochter", answering "who was it?": family, until told otherwise
    text = message.text.strip().lower().replace(" ", "_")
    if value is None and text in CHOICES.get(slot, ()):
        value = text
    return value if value in CHOICES.get(slot, ()) else None


def _whole_answer_number(text: str) -> Optional[str]:
    """The whole (short) answer as a policy number: "cc demo 0001", or one shaped like a dossier reference
    (the store then says it is no policy)."""
    match = re.search(r"\bCC[-\s._][\w-]+\d\b", text, re.IGNORECASE)
    if match:
        return normalise_policy_number(match.group())
    words = text.strip().split()
    candidate = words[0] if words and len(words) <= 3 else ""
    return normalise_policy_number(candidate) if candidate and any(ch.isdigit() for ch in candidate) else None


# Where a policy number is found ("staat op de mail van proximus"): the insurer and its seller, not the incident's.
_THE_INSURERS = re.compile(r"\b(?:proximus|axa|cyber ?care)\b", re.IGNORECASE)


def _beside_the_identity(message: Message, reading: Reading) -> Optional[Message]:
    """The message without its policy number and the date of birth taken from it, or None when nothing is left."""
    text = message.text
    policy = policy_number_in(text)
    spans = [policy[1]] if policy else []
    if "birth_date" in reading.updates:
        born = date.fromisoformat(reading.updates["birth_date"])
        spans += [(d.start, d.end) for d in message.said.plain_dates() if d.day == born]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    rest = _THE_INSURERS.sub(" ", text).strip(" ,.;:-")
    return replace(message, text=rest) if len(rest.split()) >= 2 else None


def _birth_date_in(message: Message) -> Any:
    """A date of birth, or the name of the response that says why the answer is not one."""
    said = message.said
    found = said.plain_dates()
    if not found and "°" in message.text:  # "°03/07/1988": the Belgian sign for "born on"
        found = evidence.read(message.text.replace("°", " "), message.lang, message.today).plain_dates()
    if not found:  # "le onze octobre cinquante-huit"
        spelled = with_digits(message.text, message.lang)
        if spelled != message.text:
            found = evidence.read(spelled, message.lang, message.today).plain_dates()
    if not found:
        return "utter_date_before_birth" if said.future_dates else None
    # "3 november" (this year's) is no policyholder's date of birth: they subscribed at 18 or older. Of several
    # dates ("le 14 février 87, oui le jour de la saint valentin"), the last one that can be a date of birth.
    possible = [d.day for d in found
                if OLDEST_BIRTH_YEAR <= d.day.year <= message.today.year - YOUNGEST_HOLDER_AGE]
    return possible[-1] if possible else "utter_date_before_birth"


def _short(text: str, limit: int = _SHORT_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def day_month_year(iso_date: str) -> str:
    return date.fromisoformat(iso_date).strftime("%d/%m/%Y")


# --- the summary and "stop" ------------------------------------------------------------------------


def read_confirmation(message: Message, cover: str, values: Mapping[str, Any],
                      last_date_slot: Optional[str] = None) -> "tuple[Optional[bool], Reading]":
    """The answer to "is this summary right?": (True, reading) yes; (False, reading) no, with the facts the
    message changes in `reading.updates` (none: ask what to change); (None, reading) unclear (the words and
    the intent disagree, or neither says yes or no): ask once more, shortly."""
    if _only_asks(message):
        # "can they also take a loan in my name with that copy?": a question, not a change to the summary.
        return None, Reading()
    reading = read_answer(message, cover, None, values, last_date_slot, overwrite=True)
    changes = {k: v for k, v in reading.updates.items() if v != values.get(k) and k != "kind"}
    reading.updates = changes
    reading.corrected = [slot for slot in reading.corrected if slot in changes] or list(changes)
    if changes:
        return False, reading
    if words_and_intent_disagree(message):
        return None, reading
    if says_yes(message):
        return True, reading
    if says_no(message):
        return False, reading
    return None, reading
