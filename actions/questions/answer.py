"""The answer to a pointed question about the cover, from the rules, not from a text.

- Questions about the contract (cancellation, premiums, the 14-day withdrawal, who may subscribe, territory,
  start of the cover, who is insured, services and their counts) are decided by `actions.coverage.contract`.
- Questions about an incident ("is an e-bike covered?", "10 days after my complaint, can I claim now?") are
  read like a declaration's first message (actions/forms/reading.py), completed with the facts every claim
  has (a complaint sent, a police report, a policy running for long) and decided by the coverage check:
  the engine's `excluded_goods` answers the e-bike. Where the question leaves open a fact that decides it (a
  bike or an e-bike, a virus or an update), the answer is "it depends", with the rule on both sides.
The first message begins with the verdict (nl Ja / Nee / Gedeeltelijk / Dat hangt ervan af; fr Oui / Non / En
partie / Ça dépend; en Yes / No / Partly / It depends), then the rule with its limit or date. A yes, a partly or
a depends about an incident ends with an offer to declare it; a no says what the user can still do. Pure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from actions.constants import COVERS
from actions.coverage import check, contract, load_rules
from actions.coverage.explain import cover_figures, format_date, format_money
from actions.coverage.explain import texts as explanations
from actions.evidence.questions import Question, read_question
from actions.evidence.text import fold
from actions.forms import fields
from actions.forms.case import build_case
from actions.forms.reading import Message, read_answer
from actions.forms.story import INTENT_OF_COVER, cover_scores

ANSWERS = Path(__file__).with_name("answers.yml")
# The order in which a question's topics are answered: the most specific first. Who is insured and the start of
# the cover come after an incident's own facts (an excluded e-bike is excluded whoever bought it).
CONTRACT_FIRST = ("withdrawal", "premium_refund", "cancellation", "renewal", "eligibility", "territory",
                  "police_report", "psychological_support", "legal_information", "claims_per_year", "refund_delay",
                  "premium")
CONTRACT_AFTER = ("who_is_insured", "start_of_cover")
REPORT_OF_COVER = {"ecommerce": "/report_non_delivery", "identity_theft": "/report_identity_theft",
                   "e_reputation": "/report_e_reputation", "data_recovery": "/report_data_loss",
                   "payment_fraud": "/report_payment_fraud"}
PAYING = ("covered", "partially_covered", "incomplete")
# A cover the question's own words name ("harassment", "in my name") weighs more than a fact its story states.
NAMED_WEIGHT = 1.0
# The weight of the conversation's own cover for a question asked in or after its declaration.
CONTEXT_CONFIDENCE = 0.6
CONTEXT_KEY = "context"  # marks that entry: the declaration's cover, not the model's reading of the question
# What every claim has, assumed where the question does not say: a policy running for two years, a professional
# web shop that refused after a complaint, a police report for a criminal fact.
_ASSUMED_YEARS = 2
_ASSUMED_PV = "PV-ASSUMED"
# A purchase the question describes in words of its own ("pour les revendre", "un jeu à télécharger").
_PURCHASE_FACTS = ("for_resale", "second_hand", "digital_content", "non_conforming", "return_cost", "bike", "gold")
_NOT_COVERED_DEVICES = ("game_console", "cloud", "smart_tv", "camera")
_REMOVABLE = ("usb_stick", "memory_card")
_LIVE = ("live_chat", "video_conference")
_RESOLVED = ("refunded", "replaced")
# A reason that says the same as a more specific one beside it is not said twice.
_SAID_BY = {"known_before_cover": ("prior_to_cover",)}


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Sequence[Mapping[str, str]] = ()


@dataclass(frozen=True)
class Answer:
    verdict: str  # yes | no | partly | depends
    rule: str  # the contract topic or the engine's first reason
    cover: Optional[str]
    replies: List[Reply] = field(default_factory=list)


@lru_cache(maxsize=1)
def _texts() -> Dict[str, Any]:
    return yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))


def _figures(lang: str, cover: Optional[str] = None) -> Dict[str, Any]:
    """Every figure a wording may name: the contract's, and each cover's limits ("{ecommerce_annual_amount}")."""
    values: Dict[str, Any] = {}
    for name, value in contract.figures().items():
        values[name] = f"{value:.2f}".replace(".", "," if lang != "en" else ".") if isinstance(value, float) else value
    for each in COVERS:
        for name, value in cover_figures(each, lang).items():
            values[f"{each}_{name}"] = value
    if cover:
        values.update(cover_figures(cover, lang))
    return values


def _lead(verdict: str, lang: str, sentence: str) -> str:
    """"Nee, tijdens de eerste 6 maanden ..." for a wording written to follow the verdict."""
    return f"{_texts()['verdicts'][verdict][lang]}, {sentence}"


def answer(text: str, lang: str, today: date, intent_ranking: Sequence[Mapping[str, Any]] = ()) -> Optional[Answer]:
    """The answer to `text` if it is a pointed question about the cover or the contract; None for a broad one
    ("what does it cover?"), which the FAQ answers with its whole topic."""
    question = read_question(text, lang, today)
    if not (question.is_question and question.yes_no):
        return None
    if _asks_whether_to_pay_a_ransom(text, question, intent_ranking):
        # First aid before anything; then the offer to declare, whose form gives the rest of it.
        cover = _cover_of(question, intent_ranking)
        replies = [Reply(_texts()["dont_pay"][lang])] + ([_offer(cover, {}, lang)] if cover in COVERS else [])
        return Answer("no", "dont_pay", cover, replies)
    topics = list(question.topics)
    # "ik heb geen antivirus, kan ik toch verzekerd zijn?"; not "a gsm contract in my name at Orange" (an incident).
    if not topics and question.about_cover and not question.covers_named:
        topics = list(contract.implied_topics(question.facts))
    for topic in CONTRACT_FIRST:
        if topic in topics:
            return _contract_answer(topic, question, lang)
    asks = question.about_cover or topics or _asks_about_an_incident(question)
    cover = _cover_of(question, intent_ranking) if asks else None
    # "Am I covered already if a parcel doesn't come?" is the start of the cover; a cover with a waiting period of
    # its own (data recovery) is decided on the incident's dates, when the question gives the policy's age.
    starts = "start_of_cover" in topics and not (_waits(cover) and "months_since_start" in question.facts) \
        if cover is not None else False
    if cover is not None and not starts:
        return _incident_answer(question, cover, lang, today)
    for topic in CONTRACT_AFTER:
        if topic in topics:
            return _contract_answer(topic, question, lang)
    return None


# "moet ik betalen??", "je dois payer ?", "should he pay?": whether to pay, not what it costs.
_PAY = re.compile(r"\b(?:moet(?:en)? (?:ik|hij|zij|ze|we|wij) (?:\w+ ){0,4}betalen|betaal ik|ik betaal|dois-je payer|je dois payer"
                  r"|(?:il|elle) doit payer|faut-il payer|il faut payer|je paye|je paie|on paye|should (?:i|he|she|we) pay"
                  r"|do (?:i|we) (?:have|need) to pay|must (?:i|we) pay|(?:do|does) (?:he|she) (?:have|need) to pay)\b")
# Words of a blackmailer beside the ransom's own (signals.yml `ransom`: losgeld, bitcoin, versleuteld, ...).
_BLACKMAIL = re.compile(r"\b(?:chant\w*|gechanteerd|afpers\w*|afgeperst|sextor\w*|extorsion|blackmail\w*|extortion"
                        r"|dreig\w* .{0,40}(?:posten|publiceren|verspreiden)|menace\w* .{0,40}(?:publier|poster|diffuser)"
                        r"|threaten\w* .{0,40}(?:post|publish|share))")
# The covers whose story may hold a ransom: a question asked in their declaration needs no ransom word of its own.
_RANSOM_COVERS = ("data_recovery", "e_reputation")


def _asks_whether_to_pay_a_ransom(text: str, question: Question, ranking: Sequence[Mapping[str, Any]]) -> bool:
    folded = fold(text)
    if not _PAY.search(folded):
        return False
    if question.said.has("ransom") or _BLACKMAIL.search(folded):
        return True
    context = ranking[0] if ranking and ranking[0].get(CONTEXT_KEY) else {}
    return any(context.get("name") == INTENT_OF_COVER[cover] for cover in _RANSOM_COVERS)


def context_ranking(cover: Optional[str], ranking: Sequence[Mapping[str, Any]] = ()) -> List[Mapping[str, Any]]:
    """The ranking with the conversation's cover first, as a report the model ranked near: a question that names no
    cover is about the declaration it is asked in (the cover the question names still weighs more)."""
    if cover not in INTENT_OF_COVER:
        return list(ranking)
    return [{"name": INTENT_OF_COVER[cover], "confidence": CONTEXT_CONFIDENCE, CONTEXT_KEY: True}, *ranking]


def _contract_answer(topic: str, question: Question, lang: str) -> Answer:
    facts = dict(question.facts)
    if "data_recovery" in question.covers_named:
        facts["data"] = True  # "also for data recovery?"
    decided = contract.answer(topic, facts)
    sentence = _texts()["contract"][decided.key][lang].format(**_figures(lang))
    replies = [Reply(_lead(decided.verdict, lang, sentence))]
    if decided.verdict == "no":
        replies.append(Reply(_texts()["still"]["contract"][lang]))
    return Answer(decided.verdict, topic, None, replies)


def _cover_of(question: Question, ranking: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The cover the question is about: a report intent the model ranked near, the facts of one cover's story,
    and the cover the question's own words name ("harassment", "in my name", "my bank card")."""
    scores = cover_scores(question.said, ranking)
    named = set(question.covers_named) | ({"ecommerce"} if any(_has(question, f) for f in _PURCHASE_FACTS) else set())
    for cover in named:
        scores[cover] = scores.get(cover, 0.0) + NAMED_WEIGHT
    # "ça prend combien de temps pour être remboursé?": the refund asked about is no shop's refund told.
    if "ecommerce" in scores and "ecommerce" not in named and not _purchase_told(question):
        del scores["ecommerce"]
    # A device named without data lost is no data loss ("can I declare by phone?").
    if "data_recovery" in scores and "data_recovery" not in named and not _data_lost(question):
        del scores["data_recovery"]
    return max(scores, key=scores.get) if scores else None


def _purchase_told(question: Question) -> bool:
    """A purchase the words tell: bought, ordered, delivered, a shop, a seller, a parcel that never came ("mijn
    usb-stick is kapot" alone is a broken device, not a delivery)."""
    said = question.said
    told = [p for p in said.phrases if not p.negated and (
        p.fact in fields.STORY_FACTS["ecommerce"] and not (p.fact == "kind" and p.value == "non_conforming")
        and not (p.fact == "merchant_response" and p.value in _RESOLVED and not _shop_resolved(question))
        or p.fact == "date_context" and p.value in ("order_date", "delivery_date")
        or p.fact == "field_named" and p.value in ("merchant", "order_date", "delivery_date"))]
    devices = [(p.start, p.end) for p in said.phrases if p.fact == "device" and not p.negated]
    goods = said.goods is not None and not any(a < said.goods.end and said.goods.start < b for a, b in devices)
    return bool(told) or goods


def _data_lost(question: Question) -> bool:
    said = question.said
    return _has(question, "data") or said.has("cause") or said.has("ransom") or said.has("storage")


def _asks_about_an_incident(question: Question) -> bool:
    """"ik ben uitgescholden tijdens een videocall, kunnen jullie mij daarbij helpen?", "can I declare 4 harassment
    cases a year?": help or a claim asked about an incident its facts tell or its words name (not about a word only:
    "can you help me write the complaint?", "can I declare a claim here?")."""
    if not (_has(question, "help_words") or _has(question, "asks_claim")):
        return False
    story = {fact for facts in fields.STORY_FACTS.values() for fact in facts} | {"account_fraud", "ransom"}
    return bool(question.covers_named) or any(p.fact in story and not p.negated for p in question.said.phrases)


def _waits(cover: str) -> bool:
    return bool(cover_figures(cover, "en").get("waiting_months"))


def _has(question: Question, fact: str) -> bool:
    return bool(question.facts.get(fact))


# --- an incident ---------------------------------------------------------------------------------


def _incident_answer(question: Question, cover: str, lang: str, today: date) -> Answer:
    said = question.said
    if cover == "payment_fraud":
        return _payment_fraud_answer(question, lang)
    reading = read_answer(Message(said.text, lang, today, "inform"), cover, None, {})
    values = dict(reading.updates)
    assumed = _assume(cover, values, question, today)
    open_fact = _open_fact(cover, values, question)
    if open_fact is not None:
        name, alternatives = open_fact
        decisions = [_decide(cover, {**values, name: each}, question, today) for each in alternatives]
        if len({_verdict(d) for d in decisions}) > 1:
            return _depends_answer(cover, name, values, lang)
        values[name] = alternatives[0]
    if cover == "ecommerce" and _has(question, "in_time") and reading.updates.get("delivery_date"):
        return _complaint_window_answer(reading.updates, lang, today)
    decision = _decide(cover, values, question, today)
    return _worded(decision, cover, values, assumed, lang)


def _complaint_window_answer(told: Mapping[str, Any], lang: str, today: date) -> Answer:
    """"Delivered on the 16th, I complain only today: am I too late?": the 7 days of a non-conforming delivery,
    counted from the delivery to the complaint told (today when none is), day 7 in time."""
    figures = _figures(lang, "ecommerce")
    days = (date.fromisoformat(told.get("complaint_date") or today.isoformat())
            - date.fromisoformat(told["delivery_date"])).days
    if days > int(figures["complaint_days"]):
        sentence = explanations()["reasons"]["complaint_too_late"][lang].format(**figures)
        return Answer("no", "complaint_too_late", "ecommerce",
                      [Reply(f"{_texts()['verdicts']['no'][lang]}. {sentence}"), Reply(_texts()["still"]["ecommerce"][lang])])
    sentence = _texts()["reasons"]["complaint_in_time"][lang].format(**figures)
    return Answer("yes", "complaint_in_time", "ecommerce",
                  [Reply(f"{_texts()['verdicts']['yes'][lang]}. {sentence}"), _offer("ecommerce", told, lang)])


def _decide(cover: str, values: Mapping[str, Any], question: Question, today: date) -> Dict[str, Any]:
    policy = {"start_date": _start(question, today).isoformat(), "end_date": None, "country": "BE"}
    decision = check(build_case(cover, values, policy, _history(cover, question, today), today))
    return _service_rules(cover, decision, values, question)


def _verdict(decision: Mapping[str, Any]) -> str:
    code = decision["decision"]
    return "no" if code in ("not_covered", "not_yet") else "partly" if code == "partially_covered" else "yes"


def _service_rules(cover: str, decision: Dict[str, Any], values: Mapping[str, Any],
                   question: Question) -> Dict[str, Any]:
    """What the engine leaves to the assistance desk, as a question asks it: the e-reputation specialist's yearly
    budget against a quote above it; data whose recovery is technically impossible; an identity theft's
    consequential damage (a lost job offer, stress), which is no listed expense."""
    if decision["decision"] != "covered":
        return decision
    amounts = [m.amount for m in question.said.plain_money()]
    capped = None
    if cover == "e_reputation" and amounts:
        capped = _above_the_cap(decision, cover, max(amounts), "provider_budget")  # a quote above the budget
    if cover == "identity_theft" and question.about_cover and amounts:
        # "passport 75, letters 40, a loan of 1.100 ... do I get it all back?": what is asked against the yearly cap.
        capped = _above_the_cap(decision, cover, max(sum(amounts), max(amounts)), "expenses_capped")
    if capped is not None:
        return capped
    if cover == "data_recovery" and _has(question, "recovery_impossible"):
        return {**decision, "decision": "not_covered", "reasons": ["recovery_impossible"], "payable_max": 0.0}
    if cover == "identity_theft" and _has(question, "consequential") and _has(question, "refund_words") \
            and not any(e["type"] != "other" for e in values.get("expenses") or []):
        return {**decision, "decision": "not_covered", "reasons": ["consequential_damage"], "payable_max": 0.0}
    return decision


def _above_the_cap(decision: Dict[str, Any], cover: str, asked: Decimal, reason: str) -> Optional[Dict[str, Any]]:
    """Partly covered, at the cover's yearly amount, when more than it is asked; else None."""
    cap = load_rules().covers[cover].limits.annual_amount
    if cap is None or asked <= cap:
        return None
    return {**decision, "decision": "partially_covered", "reasons": [reason], "payable_max": float(cap)}


def _worded(decision: Mapping[str, Any], cover: str, values: Mapping[str, Any], assumed: List[str],
            lang: str) -> Answer:
    code = decision["decision"]
    say = _texts()
    explanations_ = explanations()
    figures = _figures(lang, cover)
    worded = {**explanations_["reasons"], **say["reasons"]}
    codes = [r for r in decision["reasons"] if not set(_SAID_BY.get(r, ())) & set(decision["reasons"])]
    reasons = " ".join(worded.get(f"{cover}.{r}", worded[r])[lang].format(**figures) for r in codes)
    verdict = _verdict(decision)
    if code == "not_covered":
        sentence = reasons
    elif code == "not_yet":
        when = format_date(decision["claimable_from"], lang)
        sentence = reasons + " " + explanations_["sentences"]["claimable_from"][lang].format(date=when)
    elif code == "partially_covered":
        payable = format_money(decision["payable_max"], lang) if decision["payable_max"] is not None else ""
        # "up to EUR 5,000 per year": the limit already said is not said again as "at most EUR 5,000.00".
        said_already = payable and format_money(decision["payable_max"], lang, whole=True) in reasons
        sentence = reasons + (" " + explanations_["sentences"]["payable"][lang].format(amount=payable)
                              if payable and not said_already else "")
    else:
        conditions = [say["conditions"][c][lang].format(**figures) for c in assumed]
        sentence = (conditions[0] + " " if conditions else "") + reasons
        if len(conditions) > 1:
            sentence += " " + " ".join(c[0].upper() + c[1:] for c in conditions[1:])
    first = _lead(verdict, lang, sentence[0].lower() + sentence[1:]) if verdict == "yes" and assumed else \
        f"{say['verdicts'][verdict][lang]}. {sentence}"
    replies = [Reply(first)]
    if verdict in ("yes", "partly"):
        replies.append(_offer(cover, values, lang))
    else:
        still = say["still"].get(f"{cover}.{codes[0]}") or say["still"][cover]
        replies.append(Reply(still[lang]))
    return Answer(verdict, codes[0], cover, replies)


def _offer(cover: str, values: Mapping[str, Any], lang: str) -> Reply:
    say = _texts()
    return Reply(say["offer"][lang], ({"title": say["offer_button"][lang], "payload": _report(cover, values)},))


def _depends_answer(cover: str, name: str, values: Mapping[str, Any], lang: str) -> Answer:
    """"It depends": the fact the question leaves open decides, and the rule says how on both sides."""
    say = _texts()
    sentence = say["depends"][name][lang].format(**_figures(lang, cover))
    return Answer("depends", f"open_{name}", cover,
                  [Reply(f"{say['verdicts']['depends'][lang]}. {sentence}"), _offer(cover, values, lang)])


def _open_fact(cover: str, values: Mapping[str, Any], question: Question) -> Optional[Tuple[str, List[Any]]]:
    """The fact the question leaves open that may decide it, with its values (the covered one first): the cause of a
    data loss not said (or "a virus or that update"), a bike not said to be electric, someone close who did it
    without saying whether they live with the policyholder, insults on a chat platform without saying live or
    posted."""
    said = question.said
    if cover == "data_recovery":
        causes = {p.value for p in said.phrases if p.fact == "cause" and not p.negated}
        # A quote for the recovery says the loss is being recovered: the question is about the amount.
        if (not causes and values.get("cost_estimate") is None) or ("malware" in causes and len(causes) > 1
                                                                   and _has(question, "unsure")):
            return "cause", [next((c for c in sorted(causes) if c != "malware"), "human_error"), "malware"]
    if cover == "ecommerce" and _has(question, "bike") and values.get("goods_category") != "motor_vehicles":
        return "goods_category", [values.get("goods_category") or "sports", "motor_vehicles"]
    if cover == "ecommerce" and values.get("kind", "non_delivery") == "non_delivery" and _has(question, "unsure") \
            and _TRACKING.search(fold(said.text)) and values.get("tracked_delivery") is None:
        # "ik weet ni of da met track en trace of aangetekend was": covered with a proof of delivery, not without.
        return "tracked_delivery", [True, False]
    if question.facts.get("caused_by") == "unknown":
        return "caused_by_household_member", [False, True]
    if cover == "e_reputation" and _has(question, "chat_platform") and not _channel_said(question) \
            and not _has(question, "published"):
        return "channel", ["social_network", "video_conference"]
    return None


_TRACKING = re.compile(r"\b(?:track\w*|aangetekend|registered|recommande\w*|suivi|ontvangstbewijs|accuse de reception"
                       r"|proof of delivery)\b")


def _channel_said(question: Question) -> bool:
    return any(p.fact == "channel" and not p.negated for p in question.said.phrases)


def _payment_fraud_answer(question: Question, lang: str) -> Answer:
    """Card or account fraud: Cyber Care informs and advises; the bank refunds. "Does Cyber Care refund me?" is
    a no; "do you help me get my money back?" a yes."""
    say = _texts()
    if _has(question, "refund_words") and not (_has(question, "help_words") or _has(question, "bank_refunds")):
        return Answer("no", "covered_payment_fraud_advice", "payment_fraud",
                      [Reply(f"{say['verdicts']['no'][lang]}. {say['payment_fraud']['refund'][lang]}"),
                       Reply(say["still"]["payment_fraud"][lang])])
    return Answer("yes", "covered_payment_fraud_advice", "payment_fraud",
                  [Reply(_lead("yes", lang, say["payment_fraud"]["help"][lang])), _offer("payment_fraud", {}, lang)])


# --- what every claim has, where the question does not say ---------------------------------------------


def _assume(cover: str, values: Dict[str, Any], question: Question, today: date) -> List[str]:
    """Completes the facts with what every claim has and with what the question says in words of its own;
    returns the conditions the answer must name."""
    assumed: List[str] = []
    _drop_contract_dates(cover, values, question)
    household = question.facts.get("household")
    if question.facts.get("caused_by") == "household":
        # Someone under the same roof did it to the policyholder: the general exclusion, not who is insured.
        values["caused_by_household_member"] = True
        values.pop("relation", None)
    elif question.facts.get("caused_by") == "outsider":
        pass  # someone close who lives elsewhere did it to the policyholder, who is the one insured
    elif household in ("family_household", "non_family_household", "other"):
        values["relation"] = household
    elif question.facts.get("caused_by") is None and (question.said.has("relation_hint")
                                                        or "who_is_insured" in question.topics):
        assumed.append("living_with_you")
    _ASSUME_COVER[cover](values, question, today, assumed)
    main = fields.date_slots(cover)[0]
    if main in ("occurred_on", "started_on"):
        values.setdefault(main, _incident_day(question, today).isoformat())
    return assumed


def _drop_contract_dates(cover: str, values: Dict[str, Any], question: Question) -> None:
    """"ik ben al 2 jaar verzekerd": the reader took the policy's age for a date of the incident."""
    span = question.contract_time
    if span is None:
        return
    days = {d.day.isoformat() for d in question.said.dates if d.start < span[1] and span[0] < d.end}
    for slot in fields.date_slots(cover):
        if values.get(slot) in days:
            values.pop(slot)


def _incident_day(question: Question, today: date) -> date:
    """"Started in June", "al een jaar gepest": the day the facts began; today otherwise."""
    months = question.facts.get("incident_months_ago")
    return today if months is None else today - timedelta(days=int(float(months) * 30.4))


def _assume_ecommerce(values: Dict[str, Any], question: Question, today: date, assumed: List[str]) -> None:
    if values.get("merchant_response") in _RESOLVED and not _shop_resolved(question):
        values.pop("merchant_response")
    if _has(question, "non_conforming") and values.get("kind") is None:
        values["kind"] = "non_conforming"
    kind = values.setdefault("kind", "non_delivery")
    values.setdefault("amount", 100.0)
    for flag in ("for_resale", "second_hand"):
        if _has(question, flag):
            values[flag] = True
    if _has(question, "digital_content"):
        values["goods_category"] = "digital_content"
    if _has(question, "gold"):
        values["goods_category"] = "gold"
    values.setdefault("goods_category", "other")
    order_day = _incident_day(question, today) if question.facts.get("incident_months_ago") else \
        today - timedelta(days=60)
    values.setdefault("order_date", order_day.isoformat())
    after = question.facts.get("complained_after_days")
    if after is not None and values.get("complaint_date") is None:
        # "pas na 2 weken geklaagd": the complaint, that long after the delivery.
        delivered = date.fromisoformat(values.get("delivery_date") or (today - timedelta(days=int(after) + 1)).isoformat())
        values["delivery_date"] = delivered.isoformat()
        values["complaint_date"] = (delivered + timedelta(days=int(after))).isoformat()
    days = question.facts.get("within_days")
    if values.get("merchant_response") == "none" and values.get("complaint_date") is None and days is not None:
        # "plaint au vendeur il y a 8 jours, toujours pas de réponse": the silence counts from the complaint.
        values["complaint_date"] = (today - timedelta(days=int(days))).isoformat()
    # "The shop refuses", "they don't answer": a complaint was sent.
    answered = values.get("merchant_response") in ("refused", "none")
    if kind == "non_conforming" and values.get("delivery_date") is None:
        values.update(_delivery_day(question))
    if kind == "non_conforming":
        if values.get("delivery_date") is None:
            values["delivery_date"] = (today - timedelta(days=2)).isoformat()
            if values.get("complaint_date") is None and not _has(question, "return_cost"):
                if answered:
                    values["complaint_date"] = values["delivery_date"]
                assumed.append("ecommerce_conforming_complaint")
    if _has(question, "return_cost"):
        _assume_return(values, question, assumed)
    if values.get("complaint_date") is None:
        if kind == "non_delivery":
            assumed.append("ecommerce_complaint")
            values["complaint_date"] = (today - timedelta(days=40)).isoformat()
            values.setdefault("merchant_response", "refused")
    else:
        values.setdefault("merchant_response", "none")


def _shop_resolved(question: Question) -> bool:
    """Whether the shop's refund is a fact the question states: not the question itself ("..., c'est remboursé?"),
    nor the claims Cyber Care already refunded this year ("you already refunded 3 parcels")."""
    text = question.said.text
    end = text.rfind("?")
    asked = max((text.rfind(mark, 0, end) for mark in ",.;!?"), default=-1) + 1 if end >= 0 else len(text)
    told = [p for p in question.said.phrases if p.fact == "merchant_response" and p.value in _RESOLVED
            and not p.negated and not (end >= 0 and asked <= p.start <= end)]
    return bool(told) and not (question.claim_number and question.claim_number > 1 and not _has(question, "return_cost"))


def _delivery_day(question: Question) -> Dict[str, str]:
    """The delivery day the question names, when its kind came from the question's own words ("reçu un aspirateur
    qui marche pas il y a 10 jours": the "pas" is the good's, not the date's)."""
    delivered = [d for d in question.said.dates if d.context == "delivery_date"]
    plain = [d for d in delivered if not d.negated]
    chosen = plain[-1] if plain else delivered[0] if len(delivered) == 1 else None
    return {"delivery_date": chosen.day.isoformat()} if chosen else {}


def _assume_return(values: Dict[str, Any], question: Question, assumed: List[str]) -> None:
    """"Do you pay the cost of sending it back?": the good went back, at the cost the question names; the shop
    refunded or replaced it, or the answer says that it must have."""
    values["returned_to_merchant"] = True
    money = question.said.plain_money()
    cost = next((m for m in money if m.context == "return_shipping"), None) or (money[-1] if money else None)
    if cost is not None:
        values["return_shipping_cost"] = float(cost.amount)
        if values.get("amount") == float(cost.amount):
            values.pop("amount")
    if values.get("merchant_response") is None:
        values["merchant_response"] = "refunded"
        assumed.append("return_after_refund")
    values.setdefault("complaint_date", values.get("delivery_date") or values["order_date"])


def _assume_identity_theft(values: Dict[str, Any], question: Question, today: date, assumed: List[str]) -> None:
    _police_report(values, assumed)
    if not values.get("expenses") and question.said.plain_money():
        # "a loan of 3000 euros in my name": the sum asked back is an expense of its kind.
        loan = values.get("misuse") == "loan" or any(p.fact == "expense_type" and p.value == "loans"
                                                     for p in question.said.phrases)
        kind = "loans" if loan else next((p.value for p in question.said.phrases if p.fact == "expense_type"), "other")
        values["expenses"] = [{"type": kind, "amount": float(m.amount)} for m in question.said.plain_money()[:1]]


def _assume_e_reputation(values: Dict[str, Any], question: Question, today: date, assumed: List[str]) -> None:
    _police_report(values, assumed)
    if _has(question, "consented"):
        values["voluntary_disclosure"] = True
    # "tijdens een livestream op tiktok": said live on the platform, not posted there afterwards.
    if values.get("origin_channel") in _LIVE and not _has(question, "published"):
        values["channel"] = values["origin_channel"]
    values.setdefault("channel", "social_network")


def _assume_data_recovery(values: Dict[str, Any], question: Question, today: date, assumed: List[str]) -> None:
    # "de harde schijf van mijn ps5": a disk inside a device that is not covered is that device (not a card or a
    # stick, which are covered media of their own).
    excluded = next((p.value for p in question.said.phrases if p.fact == "device" and p.value in _NOT_COVERED_DEVICES
                     and not p.negated), None)
    if excluded is not None and values.get("device") not in _REMOVABLE:
        values["device"] = excluded
    causes = {p.value for p in question.said.phrases if p.fact == "cause" and not p.negated}
    if "malware" in causes and not _has(question, "unsure"):
        values["cause"] = "malware"  # "un virus a effacé mes fichiers": erased by the virus
    # The money a recovery question names is its cost ("the shop asks 1500 to recover it").
    money = question.said.plain_money() or [m for m in question.said.bare_numbers if m.context == "quote" and not m.negated]
    if values.get("cost_estimate") is None and money:
        values["cost_estimate"] = float(money[-1].amount)
    values.setdefault("device", "laptop_hdd")
    values.setdefault("cause", "human_error")


def _assume_nothing(values: Dict[str, Any], question: Question, today: date, assumed: List[str]) -> None:
    return None


def _police_report(values: Dict[str, Any], assumed: List[str]) -> None:
    if values.get("police_report") is None:
        values["police_report"] = _ASSUMED_PV
        assumed.append("police_report")


_ASSUME_COVER = {"ecommerce": _assume_ecommerce, "identity_theft": _assume_identity_theft,
                 "e_reputation": _assume_e_reputation, "data_recovery": _assume_data_recovery,
                 "payment_fraud": _assume_nothing}


def _start(question: Question, today: date) -> date:
    months = question.facts.get("months_since_start")
    if months is None:  # long running, and far from an anniversary (the year's counters are those asked about)
        return today - timedelta(days=365 * _ASSUMED_YEARS + 100)
    return today - timedelta(days=max(1, int(float(months) * 30.4)))


def _history(cover: str, question: Question, today: date) -> List[Dict[str, Any]]:
    """"My 4th parcel this year": the claims already accepted this insurance year, with what they were paid ("al
    1 keer 3.500 euro teruggekregen")."""
    earlier = (question.claim_number or 1) - 1
    refunded = sum((m.amount for m in question.said.money_with("refund")), Decimal(0))
    if cover in ("e_reputation", "data_recovery"):
        paid = 0.0
    else:
        paid = float(refunded) / earlier if refunded and earlier else 100.0
    return [{"cover": cover, "date": (today - timedelta(days=10 * (i + 1))).isoformat(), "paid": paid}
            for i in range(earlier)]


def _report(cover: str, values: Mapping[str, Any]) -> str:
    if cover == "ecommerce" and values.get("kind") == "non_conforming":
        return "/report_non_conforming"
    return REPORT_OF_COVER[cover]


def verdict_words(lang: str) -> Dict[str, str]:
    return {verdict: words[lang] for verdict, words in _texts()["verdicts"].items()}


def warm_up() -> None:
    _texts()
    load_rules()
