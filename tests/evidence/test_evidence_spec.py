"""Every example of EVIDENCE_SPEC.md, through the Python API and through the command line.

The examples table is read from the spec itself ($EVIDENCE_SPEC_DIR, the repo's `policy/`, or the shared
folder beside the repo); the copy below is used only where the spec is not at hand, and a test checks
that it still says what the spec says.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from actions.evidence import extract

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)
EMPTY = {"dates": [], "amounts": [], "police_report": None, "urls": [], "goods_category": None}
Example = Tuple[str, str, Dict[str, Any]]

TABLE_COPY: List[Example] = [
    ("nl", "vorige week woensdag besteld", {"dates": ["2026-11-18"]}),
    ("nl", "gisteren om 14u", {"dates": ["2026-11-23"]}),
    ("nl", "betaald: 1.299,00 euro", {"amounts": [1299.0]}),
    ("nl", "een gsm van 450 euro", {"amounts": [450.0], "goods_category": "electronics"}),
    ("nl", "concerttickets voor Rock Werchter", {"goods_category": "leisure_tickets"}),
    ("fr", "hier", {"dates": ["2026-11-23"]}),
    ("fr", "commandé le 2 octobre pour 59 €", {"dates": ["2026-10-02"], "amounts": [59.0]}),
    ("fr", "nonante euros", {"amounts": [90.0]}),
    ("fr", "un chiot", {"goods_category": "animals"}),
    ("en", "two days ago", {"dates": ["2026-11-22"]}),
    ("en", "I paid EUR 1,049 for a fridge", {"amounts": [1049.0], "goods_category": "appliances"}),
    ("en", "my police report is GE.21.L4.000777/2026", {"police_report": "GE.21.L4.000777/2026"}),
    ("en", "she posted it on https://x.com/someone/status/1", {"urls": ["https://x.com/someone/status/1"]}),
]

# The spec's prose: its opening sentence and each way of writing it names, with what it means on
# 2026-11-24 (a Tuesday).
PROSE: List[Example] = [
    ("nl", "ik heb op 2 oktober een robotstofzuiger van 329 euro besteld",
     {"dates": ["2026-10-02"], "amounts": [329.0], "goods_category": "appliances"}),
    ("nl", "pv-nummer BR.12.L3.054321/2026", {"police_report": "BR.12.L3.054321/2026"}),
    ("fr", "il y a 10 jours", {"dates": ["2026-11-14"]}),
    ("nl", "op 12 oktober", {"dates": ["2026-10-12"]}),
    ("fr", "le 3 mars", {"dates": ["2026-03-03"]}),
    ("en", "on 2 December", {"dates": ["2025-12-02"]}),
    ("nl", "12/10/2026", {"dates": ["2026-10-12"]}),
    ("nl", "3.11.2026", {"dates": ["2026-11-03"]}),
    ("nl", "gisteren", {"dates": ["2026-11-23"]}),
    ("nl", "eergisteren", {"dates": ["2026-11-22"]}),
    ("fr", "avant-hier", {"dates": ["2026-11-22"]}),
    ("en", "three weeks ago", {"dates": ["2026-11-03"]}),
    ("nl", "afgelopen vrijdag", {"dates": ["2026-11-20"]}),
    ("fr", "vendredi dernier", {"dates": ["2026-11-20"]}),
    ("en", "last Friday", {"dates": ["2026-11-20"]}),
    ("nl", "in 2024", {}),                      # a year alone
    ("nl", "om 14u30", {}),                     # a time
    ("en", "249.99 euros", {"amounts": [249.99]}),  # an amount is not a date
    ("en", "order 123456", {}),                 # an order number is neither a date nor an amount
    ("nl", "249,99 EUR", {"amounts": [249.99]}),
    ("nl", "€ 1.250", {"amounts": [1250.0]}),
    ("fr", "1.250,50 €", {"amounts": [1250.5]}),
    ("en", "1,250.00 EUR", {"amounts": [1250.0]}),
    ("en", "€89.95", {"amounts": [89.95]}),
    ("fr", "1250 euros", {"amounts": [1250.0]}),
    ("nl", "vijftig euro", {"amounts": [50.0]}),
    ("fr", "quatre-vingts euros", {"amounts": [80.0]}),
    ("fr", "septante euros", {"amounts": [70.0]}),
    ("fr", "nonante-neuf euros", {"amounts": [99.0]}),
    ("en", "two hundred euros", {"amounts": [200.0]}),
    ("en", "an e-bike", {"goods_category": "motor_vehicles"}),
    ("en", "concert tickets", {"goods_category": "leisure_tickets"}),
    ("en", "a game key", {"goods_category": "digital_content"}),
    ("en", "the parcel never arrived", {}),      # nothing named: null
    ("en", "see www.example.be/page", {"urls": ["www.example.be/page"]}),  # without https://
]


def _spec_file() -> Optional[Path]:
    for folder in (os.environ.get("EVIDENCE_SPEC_DIR"), ROOT / "policy", ROOT.parent / "shared" / "policy"):
        if folder and (Path(folder) / "EVIDENCE_SPEC.md").is_file():
            return Path(folder) / "EVIDENCE_SPEC.md"
    return None


def _table(spec: str) -> List[Example]:
    """The rows of the spec's examples table: | lang | "text" | field value, field value |."""
    section = spec[spec.index("## Examples"):]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] not in ("nl", "fr", "en"):
            continue
        expected = {field: json.loads(value) for field, value in
                    re.findall(r"(dates|amounts|police_report|urls|goods_category) (\[[^\]]*\]|\"[^\"]*\"|null)", cells[2])}
        rows.append((cells[0], json.loads(cells[1]), expected))
    return rows


SPEC_FILE = _spec_file()
TABLE = _table(SPEC_FILE.read_text(encoding="utf-8")) if SPEC_FILE else TABLE_COPY


def test_the_table_is_read_from_the_spec_and_matches_the_copy():
    if SPEC_FILE is None:
        pytest.skip("EVIDENCE_SPEC.md not found: the copy of its table is used")
    assert len(TABLE) >= 13 and TABLE == TABLE_COPY


@pytest.mark.parametrize("lang, text, expected", TABLE, ids=[f"{lang}:{text}" for lang, text, _ in TABLE])
def test_the_spec_table_through_the_api(lang, text, expected):
    assert extract(text, lang, TODAY).to_json() == {**EMPTY, **expected}


@pytest.mark.parametrize("lang, text, expected", PROSE, ids=[f"{lang}:{text}" for lang, text, _ in PROSE])
def test_the_spec_prose_through_the_api(lang, text, expected):
    assert extract(text, lang, TODAY).to_json() == {**EMPTY, **expected}


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "actions.evidence", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.stack  # starts a process of its own
@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_spec_examples_through_the_command_line_one_message_per_line(lang):
    cases = [(text, expected) for example_lang, text, expected in TABLE + PROSE if example_lang == lang]
    run = cli("--lang", lang, "--today", "2026-11-24", stdin="".join(text + "\n" for text, _ in cases))
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert [json.loads(line) for line in run.stdout.splitlines()] == [{**EMPTY, **e} for _, e in cases]


@pytest.mark.stack  # starts a process of its own
@pytest.mark.parametrize("lang, text, expected", TABLE, ids=[f"{lang}:{text}" for lang, text, _ in TABLE])
def test_each_table_example_as_an_argument_prints_one_object(lang, text, expected):
    run = cli("--lang", lang, "--today", "2026-11-24", text)
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.count("\n") == 1 and json.loads(run.stdout) == {**EMPTY, **expected}


@pytest.mark.stack  # starts a process of its own
def test_the_output_has_exactly_the_spec_fields_and_types():
    found = json.loads(cli("--lang", "nl", "--today", "2026-11-24",
                           "op 2 oktober een robotstofzuiger van 329 euro, pv BR.12.L3.054321/2026, "
                           "zie www.example.be").stdout)
    assert list(found) == ["dates", "amounts", "police_report", "urls", "goods_category"]
    assert found == {"dates": ["2026-10-02"], "amounts": [329.0], "police_report": "BR.12.L3.054321/2026",
                     "urls": ["www.example.be"], "goods_category": "appliances"}
    assert isinstance(found["amounts"][0], float)


@pytest.mark.stack  # starts a process of its own
@pytest.mark.parametrize("args", [
    ["--lang", "de", "x"], ["--lang", "NL", "x"], ["--lang", "nl", "--today", "24/11/2026", "x"],
    ["--lang", "nl", "--today", "2026-02-30", "x"], ["--lang", "nl", "--today", "", "x"], ["x"],
    ["--lang", "nl", "--bogus", "x"],
])
def test_an_unknown_language_or_a_bad_today_exits_2_with_one_line(args):
    run = cli(*args)
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr


@pytest.mark.stack  # starts a process of its own
def test_today_defaults_to_the_current_day_in_belgium():
    from datetime import datetime
    from zoneinfo import ZoneInfo
    before = datetime.now(ZoneInfo("Europe/Brussels")).date()
    run = cli("--lang", "en", "today")
    after = datetime.now(ZoneInfo("Europe/Brussels")).date()
    assert run.returncode == 0 and json.loads(run.stdout)["dates"][0] in (before.isoformat(), after.isoformat())
