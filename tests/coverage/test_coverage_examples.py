"""Every worked case of the contract's examples.yml, through `check()` and the command line."""
from __future__ import annotations

import json
from typing import Any

from actions.coverage import check


def _assert_matches(decision: dict[str, Any], expect: dict[str, Any]) -> None:
    """Only the keys the example states are compared."""
    assert {key: decision[key] for key in expect} == expect


def test_example_through_check(example: dict[str, Any]) -> None:
    _assert_matches(check(example["input"]), example["expect"])


def test_example_through_cli_file(example: dict[str, Any], cli, tmp_path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(example["input"]), encoding="utf-8")
    result = cli(str(case_file))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    _assert_matches(json.loads(lines[0]), example["expect"])


def test_example_through_cli_stdin(example: dict[str, Any], cli) -> None:
    result = cli("-", stdin=json.dumps(example["input"]).encode("utf-8"))
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    _assert_matches(decision, example["expect"])
    assert decision == check(example["input"])  # the command line says what the function says
