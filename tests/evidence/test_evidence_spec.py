"""Every example of shared/policy/EVIDENCE_SPEC.md, through the Python API and the command line."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from actions.evidence import extract
from tests.nlu_data import ROOT

TODAY = date(2026, 11, 24)
EMPTY = {"dates": [], "amounts": [], "police_report": None, "urls": [], "goods_category": None}
SPEC = [
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
    # From the spec's prose.
    ("nl", "ik heb op 2 oktober een robotstofzuiger van 329 euro besteld",
     {"dates": ["2026-10-02"], "amounts": [329.0], "goods_category": "appliances"}),
    ("nl", "pv-nummer BR.12.L3.054321/2026", {"police_report": "BR.12.L3.054321/2026"}),
    ("fr", "il y a 10 jours", {"dates": ["2026-11-14"]}),
]


@pytest.mark.parametrize("lang, text, expected", SPEC)
def test_the_spec_examples_through_the_api(lang, text, expected):
    assert extract(text, lang, TODAY).to_json() == {**EMPTY, **expected}


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "actions.evidence", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_the_spec_examples_through_the_command_line_one_per_line():
    for lang in ("nl", "fr", "en"):
        cases = [(text, expected) for l, text, expected in SPEC if l == lang]
        run = _cli("--lang", lang, "--today", "2026-11-24", stdin="\n".join(text for text, _ in cases) + "\n")
        assert run.returncode == 0, run.stderr
        assert [json.loads(line) for line in run.stdout.splitlines()] == [{**EMPTY, **e} for _, e in cases]


def test_one_text_as_argument_prints_one_object():
    run = _cli("--lang", "fr", "--today", "2026-11-24", "commandé le 2 octobre pour 59 €")
    assert run.returncode == 0 and json.loads(run.stdout) == {**EMPTY, "dates": ["2026-10-02"], "amounts": [59.0]}


@pytest.mark.parametrize("args", [["--lang", "de", "x"], ["--lang", "nl", "--today", "24/11/2026", "x"],
                                  ["--lang", "nl", "--today", "2026-02-30", "x"], ["x"]])
def test_bad_arguments_exit_2_with_one_line(args):
    run = _cli(*args)
    assert run.returncode == 2 and run.stdout == "" and len(run.stderr.strip().splitlines()) == 1


def test_today_defaults_to_the_day_in_belgium():
    run = _cli("--lang", "en", "today")
    assert run.returncode == 0 and len(json.loads(run.stdout)["dates"]) == 1
