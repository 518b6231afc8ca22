"""Evidence extraction beyond the spec's table: more ways of writing, and what is not evidence."""
from __future__ import annotations

from datetime import date

import pytest

from actions.evidence import amounts_in, dates_in, future_dates_in, goods_category_in, negative_amount_in, \
    police_report_in, urls_in

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize("lang, text, expected", [
    ("nl", "eergisteren", ["2026-11-22"]),
    ("nl", "twee weken geleden", ["2026-11-10"]),
    ("nl", "drie weken geleden besteld", ["2026-11-03"]),
    ("nl", "3.11.2026", ["2026-11-03"]),
    ("nl", "op 12 oktober", ["2026-10-12"]),
    ("nl", "afgelopen vrijdag", ["2026-11-20"]),
    ("nl", "woensdag vorige week", ["2026-11-18"]),
    ("nl", "op de 12de", ["2026-11-12"]),
    ("nl", "besteld op 1 november, geleverd op 4 november", ["2026-11-01", "2026-11-04"]),
    ("nl", "12/10", ["2026-10-12"]),
    ("nl", "op 24 december", ["2025-12-24"]),
    ("fr", "avant-hier", ["2026-11-22"]),
    ("fr", "vendredi dernier", ["2026-11-20"]),
    ("fr", "le premier octobre", ["2026-10-01"]),
    ("fr", "le 1er mars 2026", ["2026-03-01"]),
    ("fr", "le 12", ["2026-11-12"]),
    ("fr", "il y a trois semaines", ["2026-11-03"]),
    ("fr", "il y a deux mois", ["2026-09-24"]),
    ("en", "three weeks ago", ["2026-11-03"]),
    ("en", "last Friday", ["2026-11-20"]),
    ("en", "on 2 December", ["2025-12-02"]),
    ("en", "October 2nd", ["2026-10-02"]),
    ("en", "the 12th", ["2026-11-12"]),
    ("en", "yesterday at 3pm", ["2026-11-23"]),
    ("en", "about 40 days ago", ["2026-10-15"]),
    ("en", "2026-10-05", ["2026-10-05"]),
])
def test_dates(lang, text, expected):
    assert [d.isoformat() for d in dates_in(text, lang, TODAY)] == expected


@pytest.mark.parametrize("lang, text", [
    ("nl", "in 2024"), ("nl", "om 14u"), ("nl", "bestelnummer 123456"), ("nl", "bel 02 552 51 65"),
    ("nl", "3 weken levertijd"), ("nl", "ik woon hier"), ("fr", "3,5 kg"), ("en", "order 987654321"),
    ("en", "249.99 euros"), ("en", "CC-DEMO-0001"), ("nl", "BR.12.L3.054321/2026"),
])
def test_what_is_not_a_date(lang, text):
    assert dates_in(text, lang, TODAY) == []


@pytest.mark.parametrize("lang, text", [("nl", "morgen"), ("en", "tomorrow"), ("fr", "demain"),
                                        ("en", "on 24/12/2026"), ("nl", "volgende maandag")])
def test_future_dates_are_reported_apart(lang, text):
    assert dates_in(text, lang, TODAY) == [] and len(future_dates_in(text, lang, TODAY)) == 1


@pytest.mark.parametrize("lang, text, expected", [
    ("nl", "249,99 EUR", [249.99]), ("nl", "€ 1.250", [1250.0]), ("fr", "1.250,50 €", [1250.5]),
    ("en", "1,250.00 EUR", [1250.0]), ("en", "€89.95", [89.95]), ("fr", "1250 euros", [1250.0]),
    ("nl", "vijftig euro", [50.0]), ("nl", "vijfentwintig euro", [25.0]), ("nl", "tweehonderd euro", [200.0]),
    ("fr", "quatre-vingts euros", [80.0]), ("fr", "septante-cinq euros", [75.0]), ("en", "two hundred euros", [200.0]),
    ("en", "I bought an e-bike online for 1,850 euros", [1850.0]), ("nl", "699,- euro", [699.0]),
    ("nl", "35 euro voor een nieuwe eid en 12 euro postzegels", [35.0, 12.0]),
])
def test_amounts(lang, text, expected):
    assert [float(a) for a in amounts_in(text, lang)] == expected


@pytest.mark.parametrize("lang, text", [("en", "order 123456"), ("nl", "3 weken"), ("nl", "bel 02 552 51 65"),
                                        ("en", "12/10/2026"), ("fr", "2 articles")])
def test_numbers_that_are_not_money(lang, text):
    assert amounts_in(text, lang) == []


@pytest.mark.parametrize("lang, text", [("en", "-50 euros"), ("nl", "min 50 euro"), ("fr", "moins 20 €")])
def test_negative_amounts_are_noticed_and_not_taken(lang, text):
    assert negative_amount_in(text, lang) and amounts_in(text, lang) == []


@pytest.mark.parametrize("text, expected", [
    ("PV br 12 l3 054321 / 2026", "BR.12.L3.054321/2026"), ("mon pv est 123456/2026", "123456/2026"),
    ("het proces-verbaal BR.12.L3.054321/2026 werd opgesteld", "BR.12.L3.054321/2026"),
    ("no report yet", None), ("CC-2026-000123", None), ("3.11.2026", None),
])
def test_police_reports(text, expected):
    assert police_report_in(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("op facebook.com/profile en www.example.be/page.", ["facebook.com/profile", "www.example.be/page"]),
    ("mail me at jan@test.be", []), ("3.11.2026", []), ("http://forum.example.org/t/123?x=1", ["http://forum.example.org/t/123?x=1"]),
])
def test_urls(text, expected):
    assert urls_in(text) == expected


@pytest.mark.parametrize("lang, text, expected", [
    ("nl", "een robotstofzuiger", "appliances"), ("nl", "een elektrische fiets", "motor_vehicles"),
    ("nl", "een fiets", "sports"), ("fr", "une trottinette électrique", "motor_vehicles"),
    ("en", "a game key for Steam", "digital_content"), ("fr", "une bague en or", "jewellery"),
    ("fr", "des billets de train", "transport_tickets"), ("fr", "une armoire", "furniture"),
    ("en", "a puppy", "animals"), ("en", "a pair of sneakers", "clothing"), ("nl", "een schilderij", "art"),
    ("en", "a kitchen knife", "weapons"), ("fr", "des médicaments", "medicines"),
])
def test_goods(lang, text, expected):
    assert goods_category_in(text, lang) == expected


@pytest.mark.parametrize("lang, text", [
    ("fr", "le colis a été livré cassé"), ("en", "I booked a delivery slot"), ("nl", "een voorbeeld"),
    ("nl", "bescherming van mijn bankkaart"), ("en", "next step"), ("nl", "mijn bank"),
    ("en", "my parcel never arrived"), ("nl", "honderd euro"),
])
def test_words_that_name_no_goods(lang, text):
    assert goods_category_in(text, lang) is None
