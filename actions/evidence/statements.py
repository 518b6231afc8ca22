"""One message, read once, into what it states.

`read(text, lang, today)` finds every fact of a message with its place in the text and its role:
the dates (each with the context word that governs it: the order, the delivery, the complaint, the police,
the bank, a birth, the incident), the amounts of money (each with what it paid for: the purchase, the
return, a quote, what was taken, an expense of identity theft), the references (PV, policy, order,
tracking), web addresses, what was bought, names (shop, bank, platform), the phrases of signals.yml, and
whether it says yes or no, corrects an earlier answer, or asks a question.

A number inside a reference, a date or a phone number is never an amount, because its place is taken
first; a number with no money word is an amount only as a bare answer to a question about an amount.
The forms (actions/forms) only map these statements onto their slots. Pure: no Rasa, no clock.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Tuple

from . import answers, names, phrases
from .amounts import money_in
from .dates import find_dates
from .goods import goods_in
from .references import (
    code_spans,
    order_reference_in,
    police_report_in,
    police_report_spans,
    policy_number_in,
    tracking_number_in,
    urls_in,
)
from .text import fold

Span = Tuple[int, int]
# Where one part of a sentence ends: a date or an amount is governed by a context word of its own part.
_CLAUSE_END = re.compile(
    r"[!?;\n]|[.](?=\s|$)|,\s|\s[-–]\s|\s(?:en|et|and|maar|mais|but|want|car|omdat|because|parce que|puis|then|dan"
    r"|daarna|ensuite|nadien|toen|after that|but then|et puis|en toen|sauf que)\s")
# A bare number given as the answer to an amount question ("249,99", "ongeveer 80"): Belgian or English writing.
_BARE_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:[.\s]\d{3})+(?:,\d{1,2})?|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"
                          r"|\d+(?:[.,]\d{1,2})?)(?:\s?,-)?(?![\w.,/-]*\d)")
# A bare number written as a price: with cents, or right after a word that says money was paid.
_PRICE_WORD = re.compile(r"(?:\bvoor|\bpour|\bfor|\bbetaald|\bpaid(?:\s+(?:him|her|them))?|\bpaye|\bkostte|\bkost|\bcoute|\bcost"
                         r"(?:\s+me)?|\bdebit\s+(?:of|van|de)|\bprelevement\s+de|\btransfer\s+of|\boverschrijving\s+van"
                         r"|\bvirement\s+de|\ba|\bso|\bdus|\bdonc|\bsoit|\btotaal|\btotal|\bin totaal|\ben tout"
                         r"|\bau total|\bin total|\bsamen|=)\s+$")
# A count, not a sum: "2 brieven", "3 betalingen", "10 jours", "3 weeks".
_COUNT_AFTER = re.compile(
    r"\s*(?:[a-z\u00e0-\u00ff]+\s+)?(?:x\b|keer|fois|times|brieven|brief|lettres?|letters?|betalingen|betaling|paiements?|payments?|transacties"
    r"|transactions?|dagen|dag|jours?|days?|weken|week|semaines?|weeks?|maanden|maand|mois|months?|jaar|jaren|ans?"
    r"|years?|uur|heures?|hours?|minuten|minutes?|stuks|pieces?|items?|artikels?|articles?|keren|pakjes|colis|parcels?"
    r"|mails?|e-mails?|berichten|messages?|foto'?s|photos?|personen|personnes|people|kinderen|enfants|children|kids"
    r"|cijfers?|chiffres?|digits?|numbers?|nummers?|jarige|jarig|recommandes?|recommandés?|aangetekende|zendingen|registered|sms|transfers?|virements?|overschrijvingen"
    r"|yo\b|ans\b|year[- ]old|jaar oud|%|procent|pour ?cent|percent|gb|mb|tb)\b", re.IGNORECASE)
_QUESTION_START = re.compile(
    r"^\s*(?:is|zijn|ben|wordt|worden|kan|kun|kunnen|mag|mogen|moet|krijg|krijgt|dekt|dekken|heb|hebben|geldt|valt|wat als"
    r"|est-ce|est ce|suis-je|puis-je|peut-on|peux-je|je peux|on peut|c'est|ca|ça|y a-t-il|dois-je|serai-je|ai-je|vais-je"
    r"|la police|l'assurance|cyber care|do|does|did|am|are|can|could|will|would|should|is|if"
    r"|(?:komen|betalen|helpen|vergoeden|dekken|nemen|doen) jullie|komt cyber care|pouvez-vous)\b", re.IGNORECASE)
# "... its new so cyber care covers it right", "is da gedekt of ni": a question without its question mark.
_QUESTION_TAG = re.compile(r"\b(?:right|toch|hein|or not|of ni|of niet|of nie|n'est-ce pas|ou pas|oui ou non|ja of nee"
                           r"|yes or no)\s*[.!]*\s*$", re.IGNORECASE)
_SENTENCES = re.compile(r"[.!]\s+(?=\S)")
# "zij is opgelicht door een webshop, kan zij da aangeven op mijn cyber care": a modal and its subject after a comma.
_ASKING_CLAUSE = re.compile(r",\s*(?:en |et |and |maar |mais |but )?(?:(?:kan|kun|kunnen|mag|mogen|can|could|may) (?:ik|zij|ze"
                            r"|hij|we|wij|jullie|je|i|she|he|we|you|they)|(?:peut|peux|puis)-(?:je|elle|il|on|tu))\b")


# The last sentence asks when it starts with a verb and its subject ("komen jullie tussen", "kan zij da aangeven",
# "can i claim it"): not with "ça", "c'est", "is" alone, which start many a story's last sentence.
_INVERTED = re.compile(
    r"^\s*(?:(?:kan|kun|kunnen|mag|mogen|moet|moeten|krijg|ben|is|zijn|dekt|dekken|valt|komen|betalen|helpen|vergoeden"
    r"|doen|nemen) (?:ik|je|jij|jullie|we|wij|ze|zij|hij|u|da|dat|het|dit|cyber care)|(?:can|could|will|would|should|do"
    r"|does|did|am|is|are|may) (?:i|you|we|they|he|she|it|that|this|cyber care)|est-ce|puis-je|peut-on|pouvez-vous"
    r"|(?:je peux|on peut) (?!(?:plus|pas|rien|jamais)\b)"
    r"|vous (?:payez|remboursez|couvrez|intervenez|prenez|pouvez))\b")


def _asks(text: str, folded: str) -> bool:
    """A question mark, a question's first words (of the message, or the inverted verb of its last sentence), or a
    question tag."""
    last = _SENTENCES.split(folded.strip())[-1]
    return "?" in text or bool(_QUESTION_START.match(folded) or _INVERTED.match(last)
                               or _QUESTION_TAG.search(folded) or _ASKING_CLAUSE.search(last))


@dataclass(frozen=True)
class Dated:
    day: date
    start: int
    end: int
    future: bool = False
    context: Optional[str] = None  # the context word's value (signals.yml date_context): order_date, police, ...
    negated: bool = False  # "niet de 11e": the date the user says it was NOT
    kind: str = ""  # "bare_day" ("the 12th") or "month_part" ("begin oktober"), see date_rules


@dataclass(frozen=True)
class Money:
    amount: Decimal
    start: int
    end: int
    context: Optional[str] = None  # signals.yml amount_context: purchase, return_shipping, quote, fraud, refund, ...
    negative: bool = False  # written with a minus: a price is never negative
    negated: bool = False  # "niet 58 maar 85 euro", "1.299 euro ipv 1.199"
    bare: bool = False  # no money word: an answer to an amount question, or a correction of one
    priced: bool = False  # a bare number written as a price ("129,99", "betaald 350"): money in a story too


@dataclass(frozen=True)
class Goods:
    category: str
    words: str  # as written ("robotstofzuiger")
    start: int
    end: int


@dataclass(frozen=True)
class Statements:
    """Everything one message states. Built by `read`; every field is read-only."""

    text: str
    lang: str
    today: date
    words: int
    dates: Tuple[Dated, ...] = ()
    future_dates: Tuple[Dated, ...] = ()
    money: Tuple[Money, ...] = ()
    bare_numbers: Tuple[Money, ...] = ()
    negative_amount: bool = False
    police_report: Optional[str] = None
    policy_number: Optional[str] = None
    order_reference: Optional[str] = None
    tracking_number: Optional[str] = None
    urls: Tuple[str, ...] = ()
    goods: Optional[Goods] = None
    names: Tuple[names.Name, ...] = ()
    phrases: Tuple[phrases.Phrase, ...] = ()
    answer: Optional[bool] = None  # yes (True), no (False), neither (None); a "no" word wins
    correction: bool = False
    named_field: Optional[str] = None  # the field a correction names ("the order date")
    question: bool = False
    clauses: Tuple[Span, ...] = field(default=(), repr=False)

    # --- what the phrases say --------------------------------------------------------------

    def value(self, fact: str) -> Any:
        """The value the message states for a phrase fact of signals.yml (a negated phrase says the opposite
        for a yes/no fact, and nothing for another)."""
        return phrases.value_of(fact, self.text, self.lang, self.phrases)

    def values(self, wanted: Iterable[str]) -> Dict[str, Any]:
        return phrases.values_of(self.text, self.lang, wanted, self.phrases)

    def has(self, fact: str) -> bool:
        return any(p.fact == fact and not p.negated for p in self.phrases)

    def relations(self, someone_did_it: bool = True) -> set:
        """The victim's relation values the words state. In a story, "door iemand anders", "someone else writes" is
        who did it, not the victim: with `someone_did_it`, "other" said by those words is left out."""
        someone = [p for p in self.phrases if p.fact == "question_fact" and p.value == "someone"] \
            if someone_did_it else []
        return {p.value for p in self.phrases if p.fact == "relation" and not p.negated
                and not (p.value == "other" and any(o.start < p.end and p.start < o.end for o in someone))}

    def name(self, kind: str) -> Optional[names.Name]:
        return names.first_of(kind, list(self.names))

    # --- dates and amounts by role ----------------------------------------------------------

    def dates_with(self, *contexts: Optional[str]) -> List[Dated]:
        return [d for d in self.dates if d.context in contexts and not d.negated]

    def plain_dates(self) -> List[Dated]:
        """The dates the user says it was (not those after a negation)."""
        return [d for d in self.dates if not d.negated]

    def money_with(self, *contexts: Optional[str]) -> List[Money]:
        return [m for m in self.money if m.context in contexts and not m.negative and not m.negated]

    def plain_money(self) -> List[Money]:
        return [m for m in self.money if not m.negative and not m.negated]


def _clauses(folded: str) -> Tuple[Span, ...]:
    spans, start = [], 0
    for match in _CLAUSE_END.finditer(folded):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(folded)))
    return tuple(spans)


def _clause_of(position: int, clauses: Tuple[Span, ...]) -> Span:
    return next((span for span in clauses if span[0] <= position <= span[1]), (0, 0))


def _context(start: int, end: int, contexts: List[phrases.Phrase], clauses: Tuple[Span, ...]) -> Optional[str]:
    """The value of the context word nearest to [start, end) in its own part of the sentence (one before
    it wins a tie: "besteld op 2 oktober", "op 10 oktober ... geklaagd"). A part that holds little more than
    the value ("..., gisterenavond") belongs to the part before it."""
    # The part that holds most of the value: "dag, gisteren" is in the part of "gisteren", "on 15/10 and" in its own.
    lo, hi = max(clauses, key=lambda span: min(span[1], end) - max(span[0], start)) if clauses else (0, 0)
    if hi - lo <= (end - start) + 4:
        previous = [span for span in clauses if span[1] <= lo]
        if previous:
            lo = previous[-1][0]
    near = [c for c in contexts if lo <= c.start and c.end <= hi and not (start <= c.start < end) and not c.negated]
    if not near:
        return None

    def distance(c: phrases.Phrase) -> Tuple[int, int]:
        gap = start - c.end if c.end <= start else c.start - end
        return max(gap, 0), 0 if c.end <= start else 1

    return min(near, key=distance).value


def _negated(folded: str, start: int) -> bool:
    return bool(phrases._NEGATOR.search(folded[max(0, start - 24):start]))


def _inside(start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(s <= start and end <= e for s, e in spans) or any(start < e and s < end for s, e in spans)


def _bare_numbers(text: str, folded: str, hidden: List[Span]) -> List[Money]:
    found = []
    for match in _BARE_NUMBER.finditer(text):
        start, end = match.span()
        if _inside(start, end, hidden) or _COUNT_AFTER.match(folded, end):
            continue
        priced = bool(re.search(r"[.,]\d{2}$", match.group(1))) or bool(_PRICE_WORD.search(folded[max(0, start - 24):start]))
        raw = match.group(1).replace(" ", "")
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", raw) or "," in raw and not re.fullmatch(
                r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", raw):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
        try:
            found.append(Money(Decimal(raw), start, end, negated=_negated(folded, start), bare=True, priced=priced))
        except InvalidOperation:
            continue
    return found


def _relative_days(said_dates: List[Dated], found: Iterable[phrases.Phrase], contexts: List[phrases.Phrase],
                   clauses: Tuple[Span, ...], today: date) -> List[Dated]:
    """"de dag erna", "le lendemain", "the same day": a day counted from the date said before it."""
    made = []
    for phrase in found:
        if phrase.fact != "relative_day":
            continue
        before = [d for d in said_dates if d.end <= phrase.start and not d.negated]
        if not before:
            continue
        day = before[-1].day + timedelta(days=int(phrase.value))
        if day <= today:
            made.append(Dated(day, phrase.start, phrase.end, False,
                              _context(phrase.start, phrase.end, contexts, clauses)))
    return made


def _corrected_in_message(items: List[Any], markers: List[phrases.Phrase]) -> List[Any]:
    """"op 12/10 ofzo, nee wacht de 13e", "een dikke 300 euro, 312,40 om precies te zijn": a value the same message
    takes back is negated; a bare day after a full date keeps that date's month."""
    items = sorted(items, key=lambda i: i.start)
    result = list(items)
    for i, earlier in enumerate(items):
        for later in items[i + 1:]:
            if any(earlier.end <= m.start and m.end <= later.start + 1 for m in markers):
                result[i] = replace(result[i], negated=True)
                break
    return result


def _precise(amounts: List[Money], markers: List[phrases.Phrase]) -> List[Money]:
    """The amount right before "om precies te zijn" / "to be exact" is the one meant; the others are taken back."""
    if not markers or len(amounts) < 2:
        return amounts
    marker = markers[0]
    before = [m for m in amounts if m.end <= marker.start]
    chosen = before[-1] if before else min(amounts, key=lambda m: abs(m.start - marker.end))
    return [m if m is chosen else replace(m, negated=True) for m in amounts]


def _day_after_full_date(dates: List[Dated], today: date) -> List[Dated]:
    kept = []
    for i, found in enumerate(dates):
        full = [d for d in dates[:i] if d.kind != "bare_day"]
        if found.kind == "bare_day" and full:
            try:
                day = full[-1].day.replace(day=found.day.day)
            except ValueError:
                day = found.day
            found = replace(found, day=day if day <= today else found.day)
        kept.append(found)
    return kept


def _value_negators(found: Iterable[phrases.Phrase], negated_starts: List[int]) -> List[Span]:
    """"540 pas 450", "niet 58 maar 85": the "no" words that take back a value, not those that answer no."""
    return [(p.start, p.end) for p in found if p.fact == answers.NEGATIVE
            and any(p.end <= start <= p.end + 16 for start in negated_starts)]


# Between the numbers of one list: "49,99 et 120 et 310 euros", "420 and 95 euro", "180, 180 en 280 euro".
_LIST_JOINER = re.compile(r"^\s*(?:,|\+|&|et|and|en|of|ou|or)\s*$")


def _sharing_the_unit(bare: List[Money], money: List[Money], folded: str) -> List[Money]:
    """Bare numbers listed before an amount of money share its unit: each of "420 and 95 euro" is money (the last
    one's context too). Only a list joined by commas, "and", "+"; never a number after the money."""
    items = sorted([*bare, *money], key=lambda m: m.start)
    shared = {}
    for i in range(len(items) - 2, -1, -1):
        here, after = items[i], items[i + 1]
        if not here.bare or not _LIST_JOINER.match(folded[here.end:after.start]):
            continue
        unit = shared.get(after.start, after if not after.bare else None)
        if unit is not None:
            shared[here.start] = unit
    return [replace(b, bare=False, context=b.context or shared[b.start].context) if b.start in shared else b
            for b in bare]


@lru_cache(maxsize=4096)
def read(text: str, lang: str, today: date) -> Statements:
    """What `text`, written in `lang` on `today`, states."""
    text = text or ""
    folded = fold(text)
    found = phrases.find_phrases(text, lang)
    clauses = _clauses(folded)
    codes = code_spans(text)
    date_contexts = [p for p in found if p.fact == "date_context"]
    money_contexts = [p for p in found if p.fact == "amount_context"]

    all_dates = find_dates(text, lang, today)
    dated = [Dated(d.day, d.start, d.end, d.future, _context(d.start, d.end, date_contexts, clauses),
                   _negated(folded, d.start), d.kind)
             for d in all_dates if not _inside(d.start, d.end, codes)]
    dated += _relative_days(dated, found, date_contexts, clauses, today)
    takebacks = [p for p in found if p.fact in (answers.CORRECTION, "takeback")]
    dated = _day_after_full_date(_corrected_in_message(dated, takebacks), today)
    money = [Money(amount, start, end, _context(start, end, money_contexts, clauses), negative,
                   _negated(folded, start))
             for amount, negative, start, end in money_in(text, lang)]
    taken = codes + [(d.start, d.end) for d in dated] + [(m.start, m.end) for m in money]
    bare = _bare_numbers(text, folded, taken)
    bare = [replace(b, context=_context(b.start, b.end, money_contexts, clauses)) for b in bare]
    bare = _sharing_the_unit(bare, money, folded)
    amounts = _precise(_corrected_in_message(money + bare, takebacks), [p for p in found if p.fact == "precise"])
    money = [m for m in amounts if not m.bare]
    bare = [m for m in amounts if m.bare]
    policy = policy_number_in(text)
    order = order_reference_in(text)
    tracking = tracking_number_in(text)
    goods = goods_in(text, lang)
    named = names.names_in(text, hidden=police_report_spans(text))
    field_named = answers.named_field(found)
    negated_starts = [d.start for d in dated if d.negated] + [m.start for m in amounts if m.negated] + \
        [p.start for p in found if p.negated and p.fact not in phrases.WORDS_ABOUT_WORDS] + \
        [n.start for n in named if n.negated]
    return Statements(
        text=text, lang=lang, today=today, words=len(re.findall(r"\w+", text)),
        dates=tuple(d for d in dated if not d.future), future_dates=tuple(d for d in dated if d.future),
        money=tuple(money), bare_numbers=tuple(bare),
        negative_amount=any(m.negative for m in money),
        police_report=police_report_in(text), policy_number=policy[0] if policy else None,
        order_reference=order[0] if order else None, tracking_number=tracking[0] if tracking else None,
        urls=tuple(urls_in(text)), goods=Goods(*goods) if goods else None, names=tuple(named), phrases=found,
        answer=answers.polarity(found, ignore=_value_negators(found, negated_starts)),
        correction=answers.is_correction(found),
        named_field=field_named[0] if field_named else None,
        question=_asks(text, folded), clauses=clauses)
