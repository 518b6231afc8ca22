"""`make eval`: the corpus of what people write (tests/eval/README.md), measured, with its floors.

Turns are read offline by the form's reader; conversations and questions are played against a stack of their
own, whose day is the corpus's (CYBERCARE_TODAY). The figures go to results/eval.json (everything, with the
transcripts and every miss) and results/eval.md (the table the README shows), and are printed.

Floors: on the dev split the bar the issues set (every slot read right at 95 % or more, nothing invented, no
message unanswered, no question starting identification). On the held-out split, which no rule was written from,
the issues set the same bar, and it is not reached yet: its floors are the figures measured on 2026-12-04, a
little lower for the noise of a retrained model, so that they can only go up (README, "Evaluation"). Raising them
to the target is the work that remains; lowering them needs a reason in the commit that does it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from bot.servers import Stack, start_stack
from tests.conftest import ROOT, stack_settings
from tests.eval import live, turns
from tests.eval.corpus import LANGUAGES, SPLITS, ratio

TODAY = "2026-11-24"
MIN_READ_RIGHT = 0.95
MIN_VERDICT_RIGHT = 0.95
MIN_FACTS_RIGHT = 0.9
# Held-out, measured 2026-12-04 (turns read right 87.2 / 91.4 / 92.7 %, 3 / 5 / 5 invented; facts right at the end
# 93.3 / 72.2 / 80.0 %, decisions 4 / 3 / 4 of 5; verdicts 69.6 / 66.7 / 66.7-69.0 % (two runs), 2 / 2 / 0 starting
# identification).
HELD_OUT_FLOORS = {  # a fact, a verdict or a decision below today's, for the noise between two runs
    "read_right": {"nl": 0.85, "fr": 0.89, "en": 0.90},
    "invented": {"nl": 4, "fr": 6, "en": 6},
    "facts_right": {"nl": 0.88, "fr": 0.66, "en": 0.75},
    "decisions_wrong": {"nl": 2, "fr": 3, "en": 2},
    "verdict_right": {"nl": 0.65, "fr": 0.62, "en": 0.62},
    # Measured with the model a clean clone trains (as CI does): 3 / 2 / 2; the model trained earlier that day: 2 / 2 / 0.
    "identification": {"nl": 3, "fr": 2, "en": 2},
    "stuck": {"nl": 1, "fr": 0, "en": 1},  # a question asked three times (merchant_response, once in nl and in en)
}


# Fresh (round 3, 35 pointed questions a language, written 2026-12-04 by writers who had not seen the code), measured
# live that day after the fixes its failures led to: 27 / 29 / 23 of 35 verdicts right (77.1 / 82.9 / 65.7 %),
# 0 / 1 / 0 starting identification. The floors are a question below, for the noise of a retrained model; to be
# raised to the dev bar.
FRESH_FLOORS = {"verdict_right": {"nl": 0.74, "fr": 0.80, "en": 0.62}, "identification": {"nl": 1, "fr": 2, "en": 1}}


@pytest.fixture(scope="module")
def eval_stack(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("eval-stack")
    settings = stack_settings(tmp, model, extra_env={
        "CYBERCARE_TODAY": TODAY, "CYBERCARE_OFFICE_HOURS": "always",
        "CYBERCARE_UPLOADS_DIR": str(tmp / "uploads"),
        "CYBERCARE_RATE_LIMIT": "100000/60", "CYBERCARE_RATE_LIMIT_ADDRESS": "100000/60",
        "CYBERCARE_STREAMS_PER_ADDRESS": "100000"})
    running = start_stack(settings, log_dir=tmp / "logs", timeout=300)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def report(eval_stack: Stack) -> Dict[str, Any]:
    result: Dict[str, Any] = {"today": TODAY}
    for split in SPLITS:
        result[split] = {"turns": turns.measure(split),
                         "conversations": live.measure_conversations(eval_stack, split),
                         "questions": live.measure_questions(eval_stack, split)}
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "eval.json").write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    table = summary_table(result) + "\n\n" + slot_table(result)
    (out / "eval.md").write_text(table + "\n", encoding="utf-8")
    print("\n" + table)
    return result


def _turn_totals(slots: Dict[str, Dict[str, int]]) -> tuple:
    stated = sum(f.get("stated", 0) for f in slots.values())
    right = sum(f.get("right", 0) for f in slots.values())
    invented = sum(f.get("invented", 0) for f in slots.values())
    return stated, right, invented


def summary_table(result: Dict[str, Any]) -> str:
    """Per split and language: facts read right and invented (turns), whole conversations (facts right at the
    end, asked again, unanswered, decisions right), pointed questions (verdict right, identification started)."""
    rows = ["| split | lang | turns: read right | invented | conversations: facts right | asked again | "
            "unanswered | not understood | decision right | questions: verdict right | identification |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for split in SPLITS:
        part = result[split]
        for lang in LANGUAGES:
            slots = part["turns"]["slots"].get(lang, {})
            stated, right, invented = _turn_totals(slots)
            conv = part["conversations"]["languages"].get(lang, {})
            ques = part["questions"]["languages"].get(lang, {})
            rows.append(" | ".join([
                f"| {split}", lang,
                f"{right}/{stated} ({ratio(right, stated) or 0:.1%})" if stated else "-", str(invented) if stated else "-",
                f"{conv['facts_right']}/{conv['facts']} ({conv['facts_right_ratio']:.1%})" if conv.get("facts") else "-",
                str(conv.get("asked_again", "-")), str(conv.get("silent", "-")), str(conv.get("not_understood", "-")),
                f"{conv['decision_right']}/{conv['conversations']}" if conv else "-",
                f"{ques['verdict_right']}/{ques['questions']} ({ques['verdict_right_ratio']:.1%})" if ques else "-",
                str(ques.get("identification", "-")) + " |"]))
    return "\n".join(rows)


def slot_table(result: Dict[str, Any]) -> str:
    """Per slot and language, over both splits: read right / stated (invented), and asked again in the whole
    conversations."""
    merged: Dict[str, Dict[str, Dict[str, int]]] = {}
    for split in ("dev", "held_out"):
        for lang, slots in result[split]["turns"]["slots"].items():
            for slot, figures in slots.items():
                into = merged.setdefault(slot, {}).setdefault(lang, {"stated": 0, "right": 0, "invented": 0})
                for key in into:
                    into[key] += figures.get(key, 0)
    again: Dict[str, Dict[str, int]] = {}
    for split in ("dev", "held_out"):
        for played in result[split]["conversations"]["played"]:
            for slot in played["asked_again"]:
                again.setdefault(slot, {}).setdefault(played["lang"], 0)
                again[slot][played["lang"]] += 1
    rows = ["| slot | " + " | ".join(f"{lang}: right/stated (invented) | {lang}: asked again" for lang in LANGUAGES)
            + " |", "| --- |" + " --- | --- |" * len(LANGUAGES)]
    for slot in sorted(set(merged) | set(again)):
        cells = []
        for lang in LANGUAGES:
            f = merged.get(slot, {}).get(lang)
            cells.append(f"{f['right']}/{f['stated']} ({f['invented']})" if f else "-")
            cells.append(str(again.get(slot, {}).get(lang, 0)))
        rows.append(f"| {slot} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_slot_of_the_dev_turns_is_read_right(report, lang):
    slots = report["dev"]["turns"]["slots"][lang]
    low = {slot: f["right_ratio"] for slot, f in slots.items()
           if f.get("right_ratio") is not None and f["right_ratio"] < MIN_READ_RIGHT}
    invented = {slot: f["invented"] for slot, f in slots.items() if f.get("invented")}
    assert low == {} and invented == {}, (low, invented)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_held_out_turns_are_read_right(report, lang):
    slots = report["held_out"]["turns"]["slots"].get(lang)
    assert slots, f"no held-out turns in {lang}"
    stated, right, invented = _turn_totals(slots)
    assert right / stated >= HELD_OUT_FLOORS["read_right"][lang], (right, stated)
    assert invented <= HELD_OUT_FLOORS["invented"][lang], invented


@pytest.mark.parametrize("split", ("dev", "held_out"))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_whole_conversations_are_never_silent_and_end_with_the_facts(report, split, lang):
    figures = report[split]["conversations"]["languages"].get(lang)
    assert figures, f"no {split} conversations in {lang}"
    played = [p for p in report[split]["conversations"]["played"] if p["lang"] == lang]
    assert figures["silent"] == 0, [p["silent"] for p in played if p["silent"]]
    stuck_at_most = 0 if split == "dev" else HELD_OUT_FLOORS["stuck"][lang]
    assert figures["stuck"] <= stuck_at_most, [(p["id"], p["stuck"]) for p in played if p["stuck"]]
    facts_floor = MIN_FACTS_RIGHT if split == "dev" else HELD_OUT_FLOORS["facts_right"][lang]
    assert figures["facts_right_ratio"] >= facts_floor, [(p["id"], p["wrong_facts"]) for p in played]
    wrong = figures["conversations"] - figures["decision_right"]
    assert wrong <= (0 if split == "dev" else HELD_OUT_FLOORS["decisions_wrong"][lang]), \
        [(p["id"], p["wrong_facts"].get("coverage_decision")) for p in played if "coverage_decision" in p["wrong_facts"]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_stated_fact_is_asked_again_in_the_dev_conversations(report, lang):
    played = [p for p in report["dev"]["conversations"]["played"] if p["lang"] == lang]
    assert [(p["id"], p["asked_again"]) for p in played if p["asked_again"]] == []


@pytest.mark.parametrize("split", SPLITS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pointed_questions_get_the_right_verdict_and_no_identification(report, split, lang):
    figures = report[split]["questions"]["languages"].get(lang)
    assert figures, f"no {split} questions in {lang}"
    wrong = [(q["id"], q["expected"], q["verdict"], q["answer"][:1]) for q in report[split]["questions"]["asked"]
             if q["lang"] == lang and q["verdict"] != str(q["expected"])]
    floors = {"held_out": HELD_OUT_FLOORS, "fresh": FRESH_FLOORS}.get(split)
    assert figures["identification"] <= (floors["identification"][lang] if floors else 0)
    assert figures["in_its_language"] == figures["questions"]
    floor = floors["verdict_right"][lang] if floors else MIN_VERDICT_RIGHT
    assert figures["verdict_right_ratio"] >= floor, wrong
