"""A pointed question about the cover, read: is it one, does it ask yes or no, what is it about, and the facts
it states that a contract rule turns on (how long the contract has run, an age, where the person lives, ...).

"ik heb op 2dehands een gsm gekocht van ne particulier maar die is nooit aangekomen. is da gedekt?" is a question
about the cover (a yes/no question, with an incident's facts); "kan ik na 3 maand opzeggen?" one about the
contract (cancellation, 3 months); "hoe zeg ik op?" a broad question (how), answered with the whole topic.
Pure: the words are data (policy_rules/signals.yml: cover_question, question_topic, question_fact).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Dict, List, Optional, Tuple

from actions.constants import COVERS

from .date_rules import COUNTS, MONTHS
from .statements import Statements, read
from .text import fold

# A question that asks how, what, when, which or how much is not answered yes or no; "what about second hand?",
# "wat als ...", "et si ..." are.
_OPEN_QUESTION = re.compile(
    r"^\s*(?:(?:en|maar|et|mais|and|but|ok|oke|dus|alors|so)[,\s]+)?(?:hoe|wat(?!\s+(?:als|met|indien|dan)\b)|wanneer"
    r"|waar|welke|welk|hoeveel|waarom|wie|comment|quand|combien|quel|quelle|quels|quelles|ou|pourquoi|que|qui"
    r"|qu'est-ce|how|what(?!\s+(?:about|if)\b)|when|where|which|why|who)\b"
    # ... and after a comma, the words that only ask ("tacit renewal, how do I avoid it?"), or "quoi" anywhere.
    r"|[,;:]\s*(?:hoe|wat\s+(?:moet|kan|doe)|wanneer|waarom|hoeveel|comment|quand|combien|pourquoi|how|what\s+(?:do|should|can)"
    r"|when|why|wat nu|what now|et maintenant)\b"
    # ... or anywhere, the words that ask how much, how long or when ("ça prend combien de temps?", "remboursé quand?").
    r"|\b(?:quoi|combien|hoeveel|how long|how much|how many)\b|\bquand(?:\s+alors)?\s*\?|\bpour quand\b")
# "what about second hand stuff?", "et si je ne reçois jamais les billets?", "en op vinted?": a case put to the cover.
_CASE_START = re.compile(r"^\s*(?:what about|what if|and if|and on|and with|et si|et sur|et pour|et avec|wat als|wat met|en als"
                         r"|en op|en bij|en met)\b")
_YES_NO_START = re.compile(
    r"(?:^|[.!?,]\s*)(?:en |et |and |maar |mais |but )?(?:is|zijn|ben|wordt|worden|kan|kun|kunnen|mag|mogen|moet|krijg|krijgt"
    r"|dekt|dekken|heb|hebben|geldt|valt|zal|zou|est-ce|est ce|suis-je|puis-je|peut-on|peux-je|je peux|on peut|c'est|ca|"
    r"serai-je|ai-je|vais-je|dois-je|y a-t-il|vous|do|does|did|am|are|can|could|will|would|should|is|if|si"
    r"|(?:komen|betalen|helpen|vergoeden|dekken|nemen|doen) jullie|komt cyber care)\b")
_COUNT_WORDS = "|".join(sorted(map(re.escape, COUNTS), key=len, reverse=True))
# How long the contract has run: "na 3 maand", "après un an", "after 2 months", "sinds een week", "net".
_DURATION = re.compile(rf"(?P<count>\d{{1,3}}|{_COUNT_WORDS})\s+"
                       r"(?P<unit>maanden|maand|mois|months?|jaren|jaar|ans?|annees?|years?|weken|week|semaines?|weeks?"
                       r"|dagen|dag|jours?|days?)\b")
_JUST = re.compile(r"\b(?:net|pas|juste|just|vorige week|la semaine derniere|last week|gisteren|hier|yesterday)\s+"
                   r"(?:\w+\s+){0,2}?(?:afgesloten|genomen|souscrit|subscribed|signed up|ingeschreven|klant|client|customer)|\b(?:net|pas) afgesloten\b"
                   r"|\b(?:afgesloten|souscrit|subscribed|signed up|ingeschreven)\s+(?:\w+\s+){0,2}?(?:gisteren|hier|yesterday"
                   r"|vorige week|la semaine derniere|last week)\b")
# "als ik nu cyber care neem", "if I take it out today": the contract starts now.
_STARTS_NOW = re.compile(r"\b(?:nu|now|maintenant|vandaag|today|aujourd'hui)\s+(?:\w+\s+){0,2}?(?:neem|afsluit|take|prends"
                         r"|souscris)\b|\b(?:neem|afsluit|take|prends|souscris)\s+(?:\w+\s+){0,3}?(?:nu|now|maintenant|vandaag"
                         r"|today|aujourd'hui)\b")
# "vorige maand", "last year", "l'an passé": a month or a year back.
_LAST_PERIOD = re.compile(r"\b(?:(?:de\s+)?(?:vorige?|afgelopen|verleden)\s+(?P<nl>maand|jaar)|last\s+(?P<en>month|year)"
                          r"|(?:le\s+)?mois\s+(?:dernier|passe)(?P<fr_m>)|l'(?:an|annee)\s+(?:passee?|derniere?)(?P<fr_y>))\b")
_MONTH_NAME = re.compile(r"\b(?:(?:in|en|op|au mois de|begin|eind|sinds|depuis|since)\s+(?:(?:de |le |the )?(?P<day>\d{1,2})"
                         r"(?:e|ste|de|er|th|st|nd|rd)?\s+)?|(?:on |op |le )(?P<on_day>\d{1,2})(?:e|ste|de|er|th|st|nd|rd)?\s+)(?P<month>"
                         + "|".join(m for m in MONTHS if len(m) > 4 or m in ("mei", "mai", "juni", "juin", "juli", "may", "june", "july", "mars", "aout")) + r")\b")
_AGE = re.compile(r"\b(?:ik ben|je suis|j'ai|i'm|i am|im|hij is|ze is|il a|elle a|he's|she's|he is|she is)\s+(?P<age>\d{1,2})"
                  r"(?:\s*(?:jaar|ans|years?(?: old)?|yo))?\b")
_ORDINAL = re.compile(r"\b(?:(?P<n>[2-9])(?:de|e|ste|eme|ème|th|nd|rd|st)|(?P<w>tweede|derde|vierde|vijfde|deuxieme|troisieme"
                      r"|quatrieme|cinquieme|second|third|fourth|fifth))\b"
                      # of a claim, not of a thing ("the 2nd disk", "mijn 2de laptop")
                      r"(?=\s+(?:\w+\s+){0,2}?(?:keer|maal|pakje|pakjes|pakket\w*|bestelling\w*|claim\w*|schadegeval\w*"
                      r"|aangifte|geval|gevallen|time|times|parcel|package|order|case|incident|delivery|fois|colis|commande"
                      r"|sinistre|cas|declaration|livraison|dossier)\b)")
_ORDINALS = {"tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "deuxieme": 2, "troisieme": 3, "quatrieme": 4,
             "cinquieme": 5, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
# "al 3 keer", "3 times you helped already", "déjà 3 colis": the claims of the year before this one.
_ALREADY_COUNT = re.compile(rf"\b(?:al|already|deja|reeds)\s+(?:\w+\s+){{0,3}}?(?P<count>\d|{_COUNT_WORDS})\s+"
                            r"(?:\w+\s+)?(?:keer|keren|fois|times|claims?|schadegevallen|sinistres?|colis|pakjes|pakketten"
                            r"|parcels?|cases|gevallen|interventions?|interventies)\b"
                            rf"|\b(?P<count2>\d|{_COUNT_WORDS})\s+(?:times|claims?|keer|fois)\s+(?:\w+\s+){{0,3}}?(?:already|al|deja)\b")
# "4 different harassment cases in one year", "5 fois par an": how many claims the question asks about.
_COUNT_ASKED = re.compile(rf"\b(?P<count>\d|{_COUNT_WORDS})\s+(?:\w+\s+){{0,2}}?(?:cases|claims|gevallen|schadegevallen"
                          r"|sinistres|declarations|dossiers)\b")
# "5 gesprekken", "10 keer naar de psycholoog", "like 5 times", "une dizaine": how many sessions or calls.
_TIMES = re.compile(rf"\b(?P<count>\d{{1,2}}|{_COUNT_WORDS})\s+(?:\w+\s+)?(?:keer|keren|fois|times|gesprekken|sessies"
                    r"|sessions|seances|consultations|raadplegingen|oproepen|appels|calls)\b|\b(?P<dozen>une dizaine|een tiental|a dozen)\b")
_MONTHS = {"maanden": 1, "maand": 1, "mois": 1, "month": 1, "months": 1, "jaren": 12, "jaar": 12, "an": 12, "ans": 12,
           "annee": 12, "annees": 12, "year": 12, "years": 12, "weken": 0.25, "week": 0.25, "semaine": 0.25,
           "semaines": 0.25, "weeks": 0.25, "dagen": 1 / 30, "dag": 1 / 30, "jour": 1 / 30, "jours": 1 / 30, "day": 1 / 30,
           "days": 1 / 30}
_PREMIUM_WORDS = re.compile(r"\b(?:premie|prime|premium|per maand|par mois|a month|per month|kost|coute|cost)")
# "na 2 weken geklaagd", "only complained after 10 days", "réclamé après une semaine": the complaint, that long
# after the delivery.
_COMPLAINED_AFTER = re.compile(
    rf"\b(?:geklaagd|klacht|complained|complaint|reclame|reclamation)\b[^.?!]{{0,20}}?\b(?:na|after|apres|au bout de)\s+"
    rf"(?P<count>\d{{1,2}}|{_COUNT_WORDS})\s+(?P<unit>dagen|dag|weken|week|days?|weeks?|jours?|semaines?)\b"
    rf"|\b(?:na|after|apres|au bout de)\s+(?P<count2>\d{{1,2}}|{_COUNT_WORDS})\s+(?P<unit2>dagen|dag|weken|week|days?|weeks?"
    r"|jours?|semaines?)\s+(?:\w+\s+){0,3}?(?:geklaagd|complained|reclame)\b")


@dataclass(frozen=True)
class Question:
    """What a question about the cover asks."""

    said: Statements
    is_question: bool  # a question at all ("?" or its first words)
    yes_no: bool  # asked so that yes / no / partly / it depends answers it
    about_cover: bool  # its words ask whether something is covered, paid back, allowed
    topics: Tuple[str, ...] = ()  # contract topics and services, most specific first
    facts: Dict[str, object] = field(default_factory=dict)  # what a contract rule turns on
    claim_number: Optional[int] = None  # "my 4th parcel this year": the how-manieth claim of the year
    covers_named: Tuple[str, ...] = ()  # covers its own words name ("harassment", "in my name", "my bank card")
    contract_time: Optional[Tuple[int, int]] = None  # where it says how long the contract has run ("al 2 jaar verzekerd")


def read_question(text: str, lang: str, today: date) -> Question:
    said = read(text, lang, today)
    folded = fold(text)
    found = said.phrases
    topics = tuple(dict.fromkeys(p.value for p in found if p.fact == "question_topic" and not p.negated))
    # "si un colis arrive pas vous couvrez?": a "no" word before them does not make them ask less.
    asks_cover = any(p.fact == "cover_question" and p.value is True for p in found) or bool(_CASE_START.match(folded))
    yes_no = not _open(folded) and (bool(_YES_NO_START.search(folded)) or "?" in text or asks_cover)
    is_question = said.question or asks_cover and bool(_YES_NO_START.search(folded))
    named = tuple(dict.fromkeys(p.value for p in found if p.fact == "cover_question" and p.value in COVERS
                                and not p.negated))
    facts: Dict[str, object] = {name: True for name in
                                {p.value for p in found if p.fact == "question_fact" and not p.negated}}
    months, contract_time = _months_since_start(folded, today)
    if months is not None:
        facts["months_since_start"] = months
        facts["within_withdrawal_days"] = months * 30 <= 14
    incident_months = _months_since_incident(folded, today)
    if incident_months is not None:
        facts["incident_months_ago"] = incident_months
    age = _AGE.search(folded)
    if age and int(age.group("age")) < 18 or said.has("minor"):
        facts["minor"] = True
    if _lives_abroad(said):
        facts["abroad_domicile"] = True
    household = _household(said)
    if household:
        facts["household"] = household
    caused_by = _caused_by(said, household)
    if caused_by:
        facts["caused_by"] = caused_by
    if said.money and _PREMIUM_WORDS.search(folded):
        stated = said.money[0].amount
        facts["premium_stated"] = "right" if stated in (Decimal("4.99"), Decimal("59.88")) else "wrong"
    days = _DURATION.search(folded)
    if days and days.group("unit").startswith(("dag", "jour", "day", "week", "semaine")):
        facts["within_days"] = _count(days.group("count")) * _days_in(days.group("unit"))
    times = _TIMES.search(folded)
    if times:
        facts["times"] = 10 if times.group("dozen") else _count(times.group("count"))
    complained = _COMPLAINED_AFTER.search(folded)
    if complained:
        count = complained.group("count") or complained.group("count2")
        facts["complained_after_days"] = _count(count) * _days_in(complained.group("unit") or complained.group("unit2"))
    return Question(said, is_question, yes_no, asks_cover, topics, facts, _claim_number(folded, facts), named,
                    contract_time)


def _open(folded: str) -> bool:
    """"how do I cancel?", "tacit renewal, how do I avoid it?", "je demande quoi au vendeur?": asked so that no
    yes or no answers it (the question of the last sentence decides: "..., hoe zeg ik op?")."""
    last = re.split(r"[.!?]\s+(?=\S)", folded.strip())[-1] if "?" in folded else folded
    return bool(_OPEN_QUESTION.search(last))


def _count(word: str) -> int:
    return int(word) if word.isdigit() else COUNTS.get(word, 1)


def _days_in(unit: str) -> int:
    """"weken", "semaines", "weeks" are 7 days; "dagen", "jours", "days" one."""
    return 7 if unit.startswith(("we", "semaine")) else 1


def _claim_number(folded: str, facts: Dict[str, object]) -> Optional[int]:
    """The how-manieth claim of the insurance year the question asks about: "mijn 4de pakje", "already 3 claims"
    (this is the 4th), "4 harassment cases in one year", "again" (at least the 2nd)."""
    ordinal = _ORDINAL.search(folded)
    if ordinal:
        return int(ordinal.group("n")) if ordinal.group("n") else _ORDINALS[ordinal.group("w")]
    already = _ALREADY_COUNT.search(folded)
    if already:
        return _count(already.group("count") or already.group("count2")) + 1
    asked = _COUNT_ASKED.search(folded)
    if asked:
        return _count(asked.group("count"))
    return 2 if facts.get("again") else None


# A time is the contract's when its words say so: "na 3 maand", "après un an", "subscribed 2 months ago",
# "verzekerd sinds een jaar", "ik heb het nu een jaar", "een maand klant" (not "complained 10 days ago").
_CONTRACT_AGE = re.compile(r"\b(?:na|binnen|after|within|apres|dans|au bout de|na een|after a)\s+$|(?:afgesloten|genomen"
                           r"|souscrit|subscribed|signed up|took (?:it )?out|took|verzekerd|assure|insured|cyber care"
                           r"|contrat|contract|l'assurance|the insurance|de verzekering|heb het|have it|had it|l'ai|klant"
                           r"|client|customer)\b[^.?!,]{0,30}$")
_CONTRACT_AGE_AFTER = re.compile(r"^\s*(?:geleden|ago|il y a)?\s*(?:\w+\s+){0,2}?(?:afgesloten|genomen|souscrit|subscribed"
                                 r"|signed up|took|verzekerd|assure|insured|de contrat|contract|cyber care|bij jullie"
                                 r"|chez vous|with you|klant|client|customer)")
# A time followed by what happened to the purchase is the incident's, whatever comes before it.
_INCIDENT_AFTER = re.compile(r"^\s*(?:geleden|ago|plus tard|later)?\s*(?:\w+\s+){0,2}?(?:geklaagd|complained|reclame|geleverd"
                             r"|delivered|livre|aangekomen|toegekomen|arrived|arrive|came)\b")
# A time is the incident's when its words say the harm began then: "started in june", "al een jaar gepest",
# "sinds vorig jaar online", "a commencé en août".
_INCIDENT_AGE = re.compile(r"\b(?:started|began|begon|begonnen|commence|a commence|since|sinds|depuis|al|already|deja)"
                           r"\s+(?:\w+\s+)?$")


_DAYS_A_MONTH = 30.44


def _day_of(today: date, month: int, day: int) -> Optional[date]:
    """The most recent `day` of `month` on or before today, or None for no such day."""
    try:
        on = date(today.year, month, day)
        return on if on <= today else date(today.year - 1, month, day)
    except ValueError:
        return None


def _times_back(folded: str, today: date) -> List[Tuple[int, int, float]]:
    """Every time back the question names, with its place: (start, end, months ago)."""
    found = []
    for m in _DURATION.finditer(folded):
        found.append((m.start(), m.end(), _count(m.group("count")) * _MONTHS[m.group("unit")]))
    for m in _LAST_PERIOD.finditer(folded):
        year = m.group("nl") == "jaar" or m.group("en") == "year" or m.group("fr_y") is not None
        found.append((m.start(), m.end(), 12 if year else 1))
    for m in _MONTH_NAME.finditer(folded):
        back = (today.month - MONTHS[m.group("month")]) % 12
        day = m.group("day") or m.group("on_day")
        on = _day_of(today, MONTHS[m.group("month")], int(day)) if day else None
        if on is not None:  # "started on 29 may": the months to the day, not the month's
            back = (today - on).days / _DAYS_A_MONTH
        found.append((m.start(), m.end(), back or 0.5))
    return sorted(found)


def _months_since_start(folded: str, today: date) -> Tuple[Optional[float], Optional[Tuple[int, int]]]:
    """How long the contract has run, and where the question says so."""
    just = _JUST.search(folded)
    if just:
        return 0.1, just.span()
    now = _STARTS_NOW.search(folded)
    if now:
        return 0.0, now.span()
    for start, end, months in _times_back(folded, today):
        if _INCIDENT_AFTER.match(folded[end:end + 30]):
            continue  # "pas na 2 weken geklaagd", "10 dagen geleden kapot toegekomen"
        if _CONTRACT_AGE.search(folded[max(0, start - 40):start]) or _CONTRACT_AGE_AFTER.match(folded[end:end + 30]):
            return months, (start, end)
    return None, None


def _months_since_incident(folded: str, today: date) -> Optional[float]:
    for start, end, months in _times_back(folded, today):
        before = folded[max(0, start - 40):start]
        if _INCIDENT_AGE.search(before) and not _CONTRACT_AGE.search(before) \
                and not _CONTRACT_AGE_AFTER.match(folded[end:end + 30]):
            return months
    return None


def _lives_abroad(said: Statements) -> bool:
    """"ik woon in Maastricht", "j'habite à Lille": a place abroad right after the words for living somewhere."""
    facts = [p for p in said.phrases if p.fact == "question_fact" and not p.negated]
    if any(p.value == "abroad_domicile" for p in facts):
        return True
    lives = [p for p in facts if p.value == "lives_in"]
    return any(0 <= place.start - live.end <= 3 for place in facts if place.value == "abroad_place" for live in lives)


def _household(said: Statements) -> Optional[str]:
    """Who the person asked about is to the policyholder: away from home (a student on kot), not living there,
    not family, or family under the same roof."""
    facts = {p.value for p in said.phrases if p.fact == "question_fact" and not p.negated}
    if "away_from_home" in facts and "not_living_with_you" not in facts:  # "en kot, domiciliée chez ses parents"
        return "away_from_home"
    values = said.relations()  # "someone else writes" is who did it, not the person asked about
    if "not_living_with_you" in facts or any(p.fact == "relation" and p.value == "family_household" and p.negated
                                             for p in said.phrases):
        values.add("other")
    if "lives_with_you" in facts:
        values.add("family_household")
    if "not_family" in facts:
        values.add("non_family_household")
    for value in ("other", "non_family_household", "family_household"):
        if value in values:
            return value
    return None


_BY = re.compile(r"\b(?:door|by|par)\s+$")


def _caused_by(said: Statements, household: Optional[str]) -> Optional[str]:
    """Whether someone close did it to the policyholder ("mijn ex heeft op mijn naam ...", "my brother used my
    data"): "household" when that person lives under the same roof, "outsider" when elsewhere, "unknown" when the
    question does not say."""
    found = [p for p in said.phrases if p.fact == "question_fact" and not p.negated]
    facts = {p.value for p in found}
    # "een identiteitsdiefstal door mijn huisgenoot": the words before the person say that person did it.
    by_them = any(p.value == "close_person" and _BY.search(fold(said.text)[max(0, p.start - 8):p.start]) for p in found)
    # "mijn ex heeft een vals profiel gemaakt": the person named is the one who did it (signals.yml `offender`).
    by_them = by_them or any(c.value == "close_person" and o.fact == "offender" and not o.negated
                             and o.start < c.end and c.start < o.end for c in found for o in said.phrases)
    if "close_person" not in facts or not ("mine" in facts or by_them):
        return None
    if household == "other":  # "mon copain (on habite pas ensemble) a demandé une carte à mon nom": the victim is me
        return "outsider"
    # "iemand heeft mijn identiteit gestolen": a stranger did it, unless the words name the one who did ("c'est mon ex qui").
    if "someone" in facts and not any(p.fact == "offender" and not p.negated for p in said.phrases):
        return None
    if household in ("family_household", "non_family_household"):
        return "household"
    return "unknown" if household is None else None


def is_cover_question(text: str, lang: str, today: date) -> bool:
    """A question about the cover or the contract that the answer begins with a verdict for (the NLU sends it to
    the question answering, never to a declaration form)."""
    question = read_question(text, lang, today)
    return question.is_question and question.yes_no and (question.about_cover or bool(question.topics))
