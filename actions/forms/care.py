"""What the assistant says first when someone tells an incident, before any question.

Care first: a sentence that fits what happened (per cover, several wordings in domain.yml), the support
the cover gives when the words say the person is shaken or a minor is the victim, and first aid for
what is urgent (block the card, don't pay a ransom, block the documents, keep the evidence, report a
phishing message), then what comes next. Pure: it only names responses; their words are in domain.yml.
"""
from __future__ import annotations

import re
from typing import List, Optional

from actions.coverage.explain import cover_figures
from actions.evidence.statements import Statements

# Covers whose first aid is always given: something can still be stopped or kept now.
URGENT = {"payment_fraud": "utter_first_aid_payment_fraud", "identity_theft": "utter_first_aid_identity_theft",
          "e_reputation": "utter_first_aid_e_reputation"}
# Support the cover gives (IPID: psychological support, a specialist): offered when the words show distress.
SUPPORTED = ("e_reputation", "identity_theft")
_MINOR_AGE = re.compile(r"\b(1[0-7]|[6-9])\s?(?:jaar|jarige|ans|an|yo|y/o|years? old|year-old|-year-old)\b", re.IGNORECASE)
# "my daughter is 14", "mijn zoon is 13": a child and an age without a unit.
_CHILD_IS = re.compile(r"\b(?:daughter|son|kid|child|dochter|zoon|kind|dochtertje|zoontje|fille|fils|enfant)\s+"
                       r"(?:is|is\s+pas|is\s+only|is\s+just|est|a)\s+(1[0-7]|[6-9])\b", re.IGNORECASE)


# "moet ik mijn kaart blokkeren?", "je dois faire quoi ?", "what do i do with revolut now?": what to do now, asked in
# a declaration. Without a verdict of its own, the cover's first aid answers it.
_WHAT_TO_DO = re.compile(
    r"\b(?:moet(?:en)? (?:ik|we|wij)|wat (?:moet|kan|doe) (?:ik|we)|wat nu|wat doen|wat te doen|best (?:om|dat)"
    r"|(?:je|on) dois|dois-je|doit-on|je fais quoi|on fait quoi|qu(?:'|e )est-ce que je (?:dois|fais|peux)"
    r"|que (?:dois-je|faire|faut-il)|il faut|faut-il|should (?:i|we)|do (?:i|we) (?:have|need) to|what (?:do|should|can) (?:i|we)"
    r"|what now|what to do|must (?:i|we))\b", re.IGNORECASE)


def asks_what_to_do(question: str) -> bool:
    return bool(_WHAT_TO_DO.search(question or ""))


def minor_named(said: Statements) -> bool:
    """"mijn dochter van 15", "ma fille (14 ans)", "my 15 yo son", "minderjarig", "a minor"."""
    return bool(_MINOR_AGE.search(said.text) or _CHILD_IS.search(said.text)) or said.has("minor")


def opening(cover: str, said: Statements, kind: Optional[str] = None) -> List[str]:
    """The responses to say, in order, when a declaration of `cover` starts with the message `said` (for a
    purchase, `kind` says whether it never came or came wrong)."""
    said_first: List[str] = []
    distress = said.has("distress")
    minor = minor_named(said)
    if distress or minor:
        said_first.append(f"utter_care_{cover}_distress")
    elif cover == "ecommerce" and kind in ("non_delivery", "non_conforming"):
        said_first.append(f"utter_care_ecommerce_{kind}")
    else:
        said_first.append(f"utter_care_{cover}")
    if said.has("crisis"):
        said_first.append("utter_crisis_lines")
    aid = first_aid(cover, said)
    if aid:
        said_first.append(aid)
    if cover == "e_reputation" and minor:
        said_first.append("utter_first_aid_minor")
    if cover in SUPPORTED and (distress or minor):
        said_first.append(f"utter_support_{cover}")
    said_first.append("utter_declaration_next")
    return said_first


def figures(response: str, cover: str, lang: str) -> dict:
    """The cover's figures for a response that states them (the support offer), from policy_rules/."""
    return cover_figures(cover, lang) if response.startswith("utter_support_") else {}


def first_aid(cover: str, said: Statements) -> Optional[str]:
    """The first aid the story calls for, or None: ransomware and malware (don't pay, disconnect, keep the
    message, police), blackmail (don't pay, keep everything), a phishing message (Safeonweb), and what is always
    urgent for the cover."""
    if cover == "data_recovery" and (said.value("cause") == "malware" or said.has("ransom")):
        return "utter_first_aid_malware"
    if cover == "e_reputation" and (said.has("blackmail") or said.has("ransom")):
        return "utter_first_aid_blackmail"  # sextortion: don't pay, keep everything, police
    if cover in URGENT:
        if cover == "payment_fraud" and said.has("phishing"):
            return "utter_first_aid_phishing_payment"
        return URGENT[cover]
    if said.has("phishing"):
        return "utter_first_aid_phishing"
    return None
