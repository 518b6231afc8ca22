"""Evidence extraction beyond the spec's examples, per language: more ways of writing dates, amounts,
goods, PV numbers and web addresses, and what is NOT evidence (a year alone, a time, an order or phone
number, a duration, a minus amount, a date in the future). Today is 2026-11-24, a Tuesday."""
from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from actions import evidence
from actions.evidence import (
    amounts_in,
    dates_in,
    extract,
    future_dates_in,
    goods_category_in,
    is_excluded_goods,
    negative_amount_in,
    police_report_in,
    urls_in,
)
from actions.evidence.cli import main

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)


def iso(days):
    return [d.isoformat() for d in days]


# --- dates ------------------------------------------------------------------------------------------

DATES = {
    "nl": [
        ("gisteren", ["2026-11-23"]), ("eergisteren", ["2026-11-22"]), ("vandaag", ["2026-11-24"]),
        ("twee weken geleden", ["2026-11-10"]), ("drie dagen geleden besteld", ["2026-11-21"]),
        ("een maand geleden", ["2026-10-24"]), ("3.11.2026", ["2026-11-03"]), ("op 3.11", ["2026-11-03"]),
        ("12/10/2026", ["2026-10-12"]), ("12-10-2026", ["2026-10-12"]), ("op 12 oktober", ["2026-10-12"]),
        ("op 24 december", ["2025-12-24"]), ("op 29 februari", ["2024-02-29"]), ("afgelopen vrijdag", ["2026-11-20"]),
        ("vorige week woensdag", ["2026-11-18"]), ("woensdag vorige week", ["2026-11-18"]),
        ("op zaterdag 14 november", ["2026-11-14"]), ("op de 12de", ["2026-11-12"]),
        ("sorry, het was de 12e", ["2026-11-12"]), ("de 30ste", ["2026-10-30"]), ("vanmorgen", ["2026-11-24"]),
        ("gisteravond", ["2026-11-23"]), ("besteld op 1 november, geleverd op 4 november", ["2026-11-01", "2026-11-04"]),
        ("gisteren om 14u", ["2026-11-23"]), ("op 16/11 om 14.30u", ["2026-11-16"]), ("op 1 januari 2025", ["2025-01-01"]),
    ],
    "fr": [
        ("hier", ["2026-11-23"]), ("avant-hier", ["2026-11-22"]), ("aujourd'hui", ["2026-11-24"]),
        ("il y a 10 jours", ["2026-11-14"]), ("il y a trois semaines", ["2026-11-03"]), ("il y a 2 mois", ["2026-09-24"]),
        ("le 2 octobre", ["2026-10-02"]), ("le premier octobre", ["2026-10-01"]), ("le 1er novembre", ["2026-11-01"]),
        ("le 24 décembre", ["2025-12-24"]), ("le 15/11/2026", ["2026-11-15"]), ("le 3.11.2026", ["2026-11-03"]),
        ("vendredi dernier", ["2026-11-20"]), ("vendredi passé", ["2026-11-20"]),
        ("mercredi de la semaine dernière", ["2026-11-18"]), ("le samedi 14 novembre", ["2026-11-14"]),
        ("pardon, c'était le 12", ["2026-11-12"]), ("ce matin", ["2026-11-24"]), ("la semaine dernière", ["2026-11-17"]),
        ("le 5 novembre à 14h, puis le 6", ["2026-11-05", "2026-11-06"]), ("commande du 10 novembre", ["2026-11-10"]),
        ("le paiement date d'hier", ["2026-11-23"]), ("sam. 21/11", ["2026-11-21"]),
    ],
    "en": [
        ("yesterday", ["2026-11-23"]), ("the day before yesterday", ["2026-11-22"]), ("today", ["2026-11-24"]),
        ("two days ago", ["2026-11-22"]), ("three weeks ago", ["2026-11-03"]), ("about 40 days ago", ["2026-10-15"]),
        ("a fortnight ago", ["2026-11-10"]), ("a couple of days ago", ["2026-11-22"]), ("last Friday", ["2026-11-20"]),
        ("Wednesday last week", ["2026-11-18"]), ("on 2 December", ["2025-12-02"]), ("October 2nd", ["2026-10-02"]),
        ("2nd of October", ["2026-10-02"]), ("the first of October", ["2026-10-01"]), ("the 12th", ["2026-11-12"]),
        ("sorry, it was the 12th", ["2026-11-12"]), ("the parcel was due on the 30th", ["2026-10-30"]),
        ("on Saturday, November 14th", ["2026-11-14"]), ("2026-10-05", ["2026-10-05"]), ("born 05/03/85", ["1985-03-05"]),
        ("this morning", ["2026-11-24"]), ("last night", ["2026-11-23"]), ("yesterday at 3pm", ["2026-11-23"]),
        ("ordered on 1 November, delivered on the 4th, complained on 10/11/2026", ["2026-11-01", "2026-11-04", "2026-11-10"]),
    ],
}

NOT_DATES = {
    "nl": ["in 2024", "om 14u", "om 14.30 uur", "bestelnummer 123456", "bel 02 552 51 65", "mijn gsm is 0470/12.34.56",
           "3 weken levertijd", "ik wacht al 3 dagen", "ik ben 45 jaar", "ik woon hier", "BR.12.L3.054321/2026",
           "249,99 euro", "2 stuks", "nu wil ik mijn geld terug", "op 31.11.2026", "999999999 dagen geleden"],
    "fr": ["en 2025", "à 14h30", "commande n° 123456", "appelez le 02 552 51 65", "3 semaines de délai", "j'ai 45 ans",
           "j'habite ici", "3,5 kg", "1.250,50 €", "le colis n° 3SABC1234567", "le 31 novembre", "une clé de jeu"],
    "en": ["in 2025", "at 2pm", "at 14:30", "order 987654321", "call me on 02 552 51 65", "+32 470 12 34 56",
           "I am 45 years old", "now I want my money back", "it arrived 2 days later", "249.99 euros", "CC-DEMO-0001",
           "the 12 items arrived", "I may have paid too much", "the second parcel"],
}

FUTURE = {
    "nl": [("morgen", "2026-11-25"), ("overmorgen", "2026-11-26"), ("volgende maandag", "2026-11-30"),
           ("maandag volgende week", "2026-11-30"), ("volgende week", "2026-12-01"), ("op 30/12/2026", "2026-12-30"),
           ("over twee weken", "2026-12-08")],
    "fr": [("demain", "2026-11-25"), ("après-demain", "2026-11-26"), ("lundi prochain", "2026-11-30"),
           ("la semaine prochaine", "2026-12-01"), ("le 30 décembre 2026", "2026-12-30"), ("dans 3 jours", "2026-11-27")],
    "en": [("tomorrow", "2026-11-25"), ("the day after tomorrow", "2026-11-26"), ("next Monday", "2026-11-30"),
           ("next week", "2026-12-01"), ("on 30/12/2026", "2026-12-30"), ("on 30 December 2026", "2026-12-30")],
}


def _cases(table):
    return [(lang, *case) for lang, cases in table.items() for case in cases]


@pytest.mark.parametrize("lang, text, expected", _cases(DATES))
def test_dates(lang, text, expected):
    assert iso(dates_in(text, lang, TODAY)) == expected
    assert future_dates_in(text, lang, TODAY) == []


@pytest.mark.parametrize("lang, text", [(lang, text) for lang, texts in NOT_DATES.items() for text in texts])
def test_what_is_not_a_date(lang, text):
    assert dates_in(text, lang, TODAY) == [] and future_dates_in(text, lang, TODAY) == []


@pytest.mark.parametrize("lang, text, expected", _cases(FUTURE))
def test_a_date_in_the_future_is_reported_apart_never_moved(lang, text, expected):
    assert dates_in(text, lang, TODAY) == []
    assert iso(future_dates_in(text, lang, TODAY)) == [expected]


def test_a_day_without_a_year_is_its_most_recent_past_occurrence_from_any_today():
    assert iso(dates_in("op 24 december", "nl", date(2026, 12, 24))) == ["2026-12-24"]
    assert iso(dates_in("op 25 december", "nl", date(2026, 12, 24))) == ["2025-12-25"]
    assert iso(dates_in("le 31", "fr", date(2026, 11, 24))) == ["2026-10-31"]  # November has no 31st
    assert iso(dates_in("the 29th", "en", date(2027, 3, 1))) == ["2027-01-29"]


# --- amounts ----------------------------------------------------------------------------------------

AMOUNTS = {
    "nl": [
        ("249,99 EUR", [249.99]), ("€ 1.250", [1250.0]), ("1.299,00 euro", [1299.0]), ("€549", [549.0]),
        ("699,- euro", [699.0]), ("12 euro", [12.0]), ("vijftig euro", [50.0]), ("vijfentwintig euro", [25.0]),
        ("tweehonderd euro", [200.0]), ("zeshonderd vijftig euro", [650.0]), ("honderd en vijftig euro", [150.0]),
        ("twaalfhonderd euro", [1200.0]), ("tweeëntwintig euro", [22.0]), ("twee duizend euro", [2000.0]),
        ("35 euro voor een nieuwe eid en 12 euro postzegels", [35.0, 12.0]), ("het kostte 89,95 EUR", [89.95]),
    ],
    "fr": [
        ("59 €", [59.0]), ("1.250,50 €", [1250.5]), ("1 250 €", [1250.0]), ("EUR 49,90", [49.9]), ("49.90€", [49.9]),
        ("1250 euros", [1250.0]), ("nonante euros", [90.0]), ("septante-cinq euros", [75.0]),
        ("quatre-vingts euros", [80.0]), ("quatre-vingt-dix euros", [90.0]), ("soixante-quinze euros", [75.0]),
        ("deux cent cinquante euros", [250.0]), ("mille deux cents euros", [1200.0]), ("j'ai payé 20 balles", [20.0]),
    ],
    "en": [
        ("EUR 1,049", [1049.0]), ("1,250.00 EUR", [1250.0]), ("€89.95", [89.95]), ("€ 1.250", [1250.0]),
        ("1,250 euros", [1250.0]), ("two hundred euros", [200.0]), ("two hundred and fifty euros", [250.0]),
        ("a hundred euros", [100.0]), ("ninety-nine euros", [99.0]), ("twelve hundred euros", [1200.0]),
        ("one thousand two hundred euros", [1200.0]), ("fifty bucks", [50.0]),
        ("they refunded 25 euros but the item cost 180 euros", [25.0, 180.0]),
    ],
}

NOT_AMOUNTS = {
    "nl": ["bestelnummer 123456", "3 weken", "bel 02 552 51 65", "12/10/2026", "2 stuks", "in 2024", "om 14u"],
    "fr": ["commande n° 987654", "3 semaines", "2 articles", "le 12 octobre", "3,5 kg", "20 %"],
    "en": ["order 123456", "3 weeks", "call 02 552 51 65", "12/10/2026", "I paid with 2 cards", "size 42"],
}

NEGATIVE = {"nl": ["-50 euro", "min 50", "min vijftig euro", "het was -20"],
            "fr": ["moins 20 €", "-20 €", "moins vingt euros", "€ -20"],
            "en": ["-50 euros", "minus 30 euros", "-30€", "I have to pay -50"]}


@pytest.mark.parametrize("lang, text, expected", _cases(AMOUNTS))
def test_amounts(lang, text, expected):
    assert [float(a) for a in amounts_in(text, lang)] == expected
    assert not negative_amount_in(text, lang)


@pytest.mark.parametrize("lang, text", [(lang, text) for lang, texts in NOT_AMOUNTS.items() for text in texts])
def test_numbers_that_are_not_money(lang, text):
    assert amounts_in(text, lang) == []


@pytest.mark.parametrize("lang, text", [(lang, text) for lang, texts in NEGATIVE.items() for text in texts])
def test_a_negative_amount_is_noticed_and_not_taken(lang, text):
    assert negative_amount_in(text, lang) and negative_amount_in(text)  # with or without the language
    assert amounts_in(text, lang) == []


@pytest.mark.parametrize("text", ["CC-DEMO-0001", "12-10-2026", "40-50 euro", "een laptop - 800 euro", "e-step",
                                  "au moins 50 euros", "min of meer 50 euro", "02-552 51 65"])
def test_a_dash_or_a_word_that_is_not_a_minus(text):
    assert not negative_amount_in(text)


def test_amounts_are_decimals_and_the_json_gives_floats():
    assert amounts_in("249,99 EUR", "nl") == [__import__("decimal").Decimal("249.99")]
    assert extract("249,99 EUR", "nl", TODAY).to_json()["amounts"] == [249.99]


# --- goods ------------------------------------------------------------------------------------------

GOODS = {
    "nl": [
        ("een gsm", "electronics"), ("een nieuwe smartphone", "electronics"), ("een playstation 5", "electronics"),
        ("een laptop", "electronics"), ("een Ring deurbel", "electronics"), ("een robotstofzuiger", "appliances"),
        ("een wasmachine", "appliances"), ("een frigo", "appliances"), ("een koelkast en een kast", "appliances"),
        ("een paar sneakers", "clothing"), ("sportschoenen", "clothing"), ("een zitbank", "furniture"),
        ("een boekenkast", "furniture"), ("een kookboek", "books"), ("een speelgoedauto", "toys"), ("een fiets", "sports"),
        ("een kinderfiets", "sports"), ("een boormachine", "household"), ("een keukenmes", "household"),
        ("een horloge", "other"), ("hondenvoer", "other"), ("een e-bike", "motor_vehicles"),
        ("een elektrische fiets", "motor_vehicles"), ("een e-step", "motor_vehicles"), ("een bromfiets", "motor_vehicles"),
        ("een tweedehands auto", "motor_vehicles"), ("concerttickets voor Rock Werchter", "leisure_tickets"),
        ("tickets voor Tomorrowland", "leisure_tickets"), ("een treinticket", "transport_tickets"),
        ("vliegtuigtickets naar Spanje", "transport_tickets"), ("een ticket voor de trein", "transport_tickets"),
        ("een puppy", "animals"), ("een hond", "animals"), ("kamerplanten", "plants"), ("een halsketting", "jewellery"),
        ("een ring met een diamant", "jewellery"), ("losse diamanten", "precious_stones"), ("een schilderij", "art"),
        ("een perzisch tapijt", "carpets"), ("goudstaven", "gold"), ("postzegels", "stamps"), ("een taart", "perishables"),
        ("een fles wijn", "food"), ("vitaminepillen", "medicines"), ("een luchtdrukgeweer", "weapons"),
        ("een licentiecode voor Windows", "digital_content"), ("v-bucks", "digital_content"),
    ],
    "fr": [
        ("un smartphone", "electronics"), ("une télé", "electronics"), ("une tablette", "electronics"),
        ("un ordinateur portable", "electronics"), ("un lave-linge", "appliances"), ("un aspirateur robot", "appliances"),
        ("un frigo Samsung", "appliances"), ("des chaussures", "clothing"), ("une veste", "clothing"),
        ("un canapé", "furniture"), ("une table", "furniture"), ("un livre", "books"), ("une poupée", "toys"),
        ("une trottinette", "toys"), ("un vélo", "sports"), ("un tapis de course", "sports"), ("une perceuse", "household"),
        ("une montre", "other"), ("des croquettes pour mon chien", "other"), ("un vélo électrique", "motor_vehicles"),
        ("une trottinette électrique", "motor_vehicles"), ("un scooter", "motor_vehicles"), ("une voiture", "motor_vehicles"),
        ("une voiture télécommandée", "toys"), ("des billets de concert", "leisure_tickets"),
        ("des places pour un festival", "leisure_tickets"), ("des billets de train", "transport_tickets"),
        ("un billet d'avion", "transport_tickets"), ("un chiot", "animals"), ("un chaton", "animals"),
        ("des plantes", "plants"), ("une bague", "jewellery"), ("une bague en or", "jewellery"),
        ("une montre en or", "jewellery"), ("un tableau", "art"), ("un tapis", "carpets"), ("des lingots", "gold"),
        ("des timbres", "stamps"), ("un gâteau", "perishables"), ("du vin", "food"), ("des médicaments", "medicines"),
        ("une carabine", "weapons"), ("une clé de jeu", "digital_content"), ("une carte cadeau", "digital_content"),
    ],
    "en": [
        ("a new phone", "electronics"), ("an iPhone", "electronics"), ("a tablet", "electronics"),
        ("a car charger", "electronics"), ("a Ring doorbell", "electronics"), ("a fridge", "appliances"),
        ("a washing machine", "appliances"), ("a robot vacuum cleaner", "appliances"), ("sneakers", "clothing"),
        ("a winter coat", "clothing"), ("a sofa", "furniture"), ("a table", "furniture"), ("a book", "books"),
        ("a Lego set", "toys"), ("a bike", "sports"), ("a tent", "sports"), ("a kitchen knife", "household"),
        ("wine glasses", "household"), ("a car seat", "other"), ("a pet bed", "other"), ("an e-bike", "motor_vehicles"),
        ("an electric scooter", "motor_vehicles"), ("a motorbike", "motor_vehicles"), ("a car", "motor_vehicles"),
        ("concert tickets", "leisure_tickets"), ("festival tickets", "leisure_tickets"),
        ("plane tickets", "transport_tickets"), ("a ticket for the train", "transport_tickets"), ("a puppy", "animals"),
        ("a kitten", "animals"), ("flowers", "plants"), ("a necklace", "jewellery"), ("a diamond ring", "jewellery"),
        ("a painting", "art"), ("a rug", "carpets"), ("gold bars", "gold"), ("a stamp collection", "collections"),
        ("a birthday cake", "perishables"), ("a bottle of wine", "food"), ("medication", "medicines"),
        ("a pocket knife", "weapons"), ("a game key", "digital_content"), ("an ebook", "digital_content"),
    ],
}

NO_GOODS = {
    "nl": ["het pakje is nooit aangekomen", "de levering is niet gebeurd", "ik heb het kasticket nog",
           "ik heb ze aan de telefoon gehad", "mijn telefoonnummer is veranderd", "bescherming van mijn bankkaart",
           "honderd euro", "de verkoper antwoordt niet meer", "beschermen"],
    "fr": ["le colis a été livré cassé", "livré le 5 novembre", "j'ai le ticket de caisse", "je l'ai appelé par téléphone",
           "j'ai contacté le vendeur par chat", "je suis enceinte", "le tableau de bord du site"],
    "en": ["my parcel never arrived", "I booked a delivery slot", "I called them by phone", "my phone number changed",
           "the support ticket number is 42", "see youtube.com/watch?v=abc", "on facebook"],
}


@pytest.mark.parametrize("lang, text, expected", _cases(GOODS))
def test_goods(lang, text, expected):
    assert goods_category_in(text, lang) == expected


@pytest.mark.parametrize("lang, text", [(lang, text) for lang, texts in NO_GOODS.items() for text in texts])
def test_words_that_name_no_goods(lang, text):
    assert goods_category_in(text, lang) is None


def test_an_excluded_category_wins_over_a_covered_one_and_specific_over_generic():
    assert goods_category_in("een laptop en een puppy", "nl") == "animals"
    assert goods_category_in("I bought a tent and festival tickets", "en") == "leisure_tickets"
    assert goods_category_in("un billet pour le train", "fr") == "transport_tickets"  # "billet" is generic


def test_goods_only_in_the_language_of_the_message():
    assert goods_category_in("een pet", "nl") == "clothing"  # a cap in Dutch
    assert goods_category_in("a pet", "en") == "animals"


def test_excluded_goods_are_those_of_the_ecommerce_cover():
    rules = yaml.safe_load((ROOT / "policy_rules" / "covers" / "ecommerce.yml").read_text(encoding="utf-8"))
    excluded = rules["lists"]["goods_category"]["excluded"]
    assert all(is_excluded_goods(category) for category in excluded)
    assert not any(is_excluded_goods(c) for c in rules["lists"]["goods_category"]["covered"] + [None, "unknown"])


def test_the_goods_vocabulary_names_every_category_in_every_language():
    rules = yaml.safe_load((ROOT / "policy_rules" / "covers" / "ecommerce.yml").read_text(encoding="utf-8"))
    vocabulary = yaml.safe_load((ROOT / "policy_rules" / "goods.yml").read_text(encoding="utf-8"))
    for status in ("covered", "excluded"):
        assert set(vocabulary[status]) == set(rules["lists"]["goods_category"][status]), status
        for category, words in vocabulary[status].items():
            assert set(words) == {"nl", "fr", "en"} and all(words[lang] for lang in words), category


# --- police reports and web addresses ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("pv-nummer BR.12.L3.054321/2026", "BR.12.L3.054321/2026"),
    ("pv-nummer: br.12.l3.054321/2026", "BR.12.L3.054321/2026"),
    ("PV br 12 l3 054321 / 2026", "BR.12.L3.054321/2026"),
    ("het proces-verbaal BR.12.L3.054321/2026 werd opgesteld", "BR.12.L3.054321/2026"),
    ("de politie gaf me een pv met nummer 123456/2026", "123456/2026"),
    ("procès-verbal n° GE.21.L4.000777/2026", "GE.21.L4.000777/2026"),
    ("mon pv est 123456/2026", "123456/2026"),
    ("ma plainte: PV BR.55.L7.009876/2026", "BR.55.L7.009876/2026"),
    ("my police report is GE.21.L4.000777/2026", "GE.21.L4.000777/2026"),
    ("police report number: ab-12-x9-123456/2025", "AB.12.X9.123456/2025"),
    ("no report yet", None), ("CC-2026-000123", None), ("3.11.2026", None), ("pv du 12/10/2026", None),
    ("bel 0470 12 34 56", None), ("ik heb nog geen pv", None),
])
def test_police_reports(text, expected):
    assert police_report_in(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("op facebook.com/profiel en www.example.be/page.", ["facebook.com/profiel", "www.example.be/page"]),
    ("she posted it on https://x.com/someone/status/1", ["https://x.com/someone/status/1"]),
    ("http://forum.example.org/t/123?x=1, zie daar", ["http://forum.example.org/t/123?x=1"]),
    ("(zie x.com/abc)", ["x.com/abc"]), ("besteld via bol.com", ["bol.com"]),
    ("mail me at jan@test.be", []), ("3.11.2026", []), ("1.250,50 €", []), ("BR.12.L3.054321/2026", []),
    ("e.g. this", []),
])
def test_urls(text, expected):
    assert urls_in(text) == expected


# --- the whole message, the dataclass, the command line -----------------------------------------------

def test_one_message_with_everything():
    found = extract("Gisteren zag ik een nepprofiel op www.facebook.com/nep, ik kocht er op 3.11.2026 een e-bike "
                    "van 1.850 euro; pv BR.12.L3.054321/2026", "nl", TODAY).to_json()
    assert found == {"dates": ["2026-11-23", "2026-11-03"], "amounts": [1850.0],
                     "police_report": "BR.12.L3.054321/2026", "urls": ["www.facebook.com/nep"],
                     "goods_category": "motor_vehicles"}


def test_evidence_is_frozen_and_an_unknown_language_is_refused():
    found = extract("gisteren", "nl", TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.police_report = "x"
    with pytest.raises(ValueError):
        extract("gisteren", "de", TODAY)


def test_empty_and_odd_messages_give_empty_evidence():
    for text in ["", " ", "\u200b", "?", "€", "12", "-", "//", "x" * 5000]:
        assert extract(text, "en", TODAY).to_json() == {"dates": [], "amounts": [], "police_report": None,
                                                        "urls": [], "goods_category": None}


@pytest.mark.stack  # starts a process of its own
def test_standard_input_one_object_per_line_in_order():
    lines = ["gisteren om 14u", "", "betaald: 1.299,00 euro", "pv BR.12.L3.054321/2026", "een puppy", "morgen"]
    run = subprocess.run([sys.executable, "-m", "actions.evidence", "--lang", "nl", "--today", "2026-11-24"],
                         cwd=ROOT, input="\r\n".join(lines) + "\r\n", capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stderr == ""
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(out) == len(lines)
    assert [o["dates"] for o in out] == [["2026-11-23"], [], [], [], [], []]
    assert out[2]["amounts"] == [1299.0] and out[3]["police_report"] == "BR.12.L3.054321/2026"
    assert out[4]["goods_category"] == "animals"


def _main(*args, stdin=b""):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.BytesIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_input_that_is_not_utf8_exits_2_with_one_line():
    code, out, err = _main("--lang", "en", "--today", "2026-11-24", stdin=b"yesterday\n\xff\xfe\n")
    assert code == 2 and len(err.splitlines()) == 1 and "line 2" in err
    assert out.splitlines() == ['{"dates": ["2026-11-23"], "amounts": [], "police_report": null, "urls": [], '
                                '"goods_category": null}']


def test_a_bug_exits_1_with_one_line_and_no_traceback(monkeypatch):
    def broken(*_):
        raise RuntimeError("boom\nsecond line")
    monkeypatch.setattr("actions.evidence.cli.extract", broken)
    code, out, err = _main("--lang", "en", "--today", "2026-11-24", "yesterday")
    assert code == 1 and out == "" and err.splitlines() == ["internal error: RuntimeError: boom second line"]


@pytest.mark.parametrize("args", [["--lang", "xx", "a"], ["--lang", "en", "--today", "tomorrow", "a"], []])
def test_bad_arguments_in_process_exit_2(args):
    code, out, err = _main(*args)
    assert code == 2 and out == "" and len(err.splitlines()) == 1


def test_a_call_on_a_twenty_word_message_takes_well_under_50_ms_after_warm_up():
    evidence.warm_up()
    corpus = yaml.safe_load((ROOT / "tests" / "evidence" / "corpus.yml").read_text(encoding="utf-8"))
    messages = [(lang, item["text"] + f" nr {n}") for lang in corpus for n, item in enumerate(corpus[lang])]
    started = time.perf_counter()
    for lang, text in messages:
        extract(text, lang, TODAY)
    per_call_ms = (time.perf_counter() - started) * 1000 / len(messages)
    print(f"\nevidence extraction: {per_call_ms:.2f} ms per message over {len(messages)} messages")
    assert per_call_ms < 25  # a loose bound: machine speeds vary 3-4x from day to day


@pytest.mark.parametrize("lang, text", [("en", "last month, around the 20th"), ("nl", "rond de 20ste van vorige maand"),
                                        ("fr", "le mois dernier, vers le 20"), ("fr", "le 20 du mois dernier")])
def test_a_day_of_last_month(lang, text):
    assert iso(dates_in(text, lang, TODAY)) == ["2026-10-20"]
