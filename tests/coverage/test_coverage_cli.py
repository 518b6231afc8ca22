"""The command line: one JSON decision and exit 0, or exit 2 with one line naming the field."""
from __future__ import annotations

import io
import json

import pytest

from actions.coverage.cli import MAX_INPUT_BYTES, main


def test_valid_case_prints_one_decision_in_contract_key_order(cli, make_case, spec_output_keys) -> None:
    result = cli("-", stdin=json.dumps(make_case()).encode())
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout.count(b"\n") == 1
    decision = json.loads(result.stdout)
    assert tuple(decision) == spec_output_keys
    assert decision["decision"] == "covered"


def _invalid(make_case, *cover: str, **incident) -> bytes:
    return json.dumps(make_case(*cover, **incident)).encode()


INVALID_INPUTS = [  # (what, input bytes from a case builder, field named in the message)
    ("not JSON", lambda mk: b"{today: 2026-11-22", "case"),
    ("binary bytes", lambda mk: bytes(range(256)) * 4, "case"),
    ("empty", lambda mk: b"", "case"),
    ("JSON list", lambda mk: b"[1, 2, 3]", "case"),
    ("NaN amount", lambda mk: _invalid(mk, amount=1.0).replace(b"1.0", b"NaN"), "case"),
    ("nested too deeply", lambda mk: b"[" * 100_000, "case"),
    ("unknown cover", lambda mk: _invalid(mk, cover="car_theft"), "incident.cover"),
    ("bad date", lambda mk: _invalid(mk, occurred_on="2026-02-30"), "incident.occurred_on"),
    ("negative amount", lambda mk: _invalid(mk, amount=-5), "incident.amount"),
    ("amount as text", lambda mk: _invalid(mk, amount="abc"), "incident.amount"),
    ("amount as list", lambda mk: _invalid(mk, amount=[249.99]), "incident.amount"),
    ("unknown enum value", lambda mk: _invalid(mk, merchant_response="maybe"), "incident.merchant_response"),
    ("identity theft expense amount as text",
     lambda mk: _invalid(mk, "identity_theft", expenses=[{"type": "postage", "amount": "12,50"}]),
     "incident.expenses[0].amount"),
]


@pytest.mark.parametrize("payload, field", [(p, f) for _, p, f in INVALID_INPUTS], ids=[w for w, _, _ in INVALID_INPUTS])
def test_invalid_input_exits_2_with_one_line_naming_the_field(cli, make_case, payload, field) -> None:
    result = cli("-", stdin=payload(make_case))
    assert result.returncode == 2
    assert result.stdout == b""
    message = result.stderr.decode("utf-8")
    assert message.count("\n") == 1 and message.endswith("\n")
    assert message.startswith(f"invalid input: {field}: ")
    assert "Traceback" not in message


def test_bad_date_message_shows_the_value(cli, make_case) -> None:
    result = cli("-", stdin=_invalid(make_case, occurred_on="2026-13-01"))
    assert result.stderr.decode() == "invalid input: incident.occurred_on: not a date: '2026-13-01'\n"


def test_huge_input_is_refused_without_parsing(make_case) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    huge = b'{"padding": "' + b"x" * MAX_INPUT_BYTES + b'"}'
    assert main(["-"], stdin=io.BytesIO(huge), stdout=stdout, stderr=stderr) == 2
    assert stdout.getvalue() == ""
    assert stderr.getvalue() == f"invalid input: case: larger than {MAX_INPUT_BYTES} bytes\n"


def test_unreadable_file_exits_2(cli, tmp_path) -> None:
    result = cli(str(tmp_path / "absent.json"))
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().startswith("invalid input: cannot read")


@pytest.mark.parametrize("argv", [[], ["a.json", "b.json"]])
def test_wrong_arguments_print_usage_and_exit_2(argv) -> None:
    stderr = io.StringIO()
    assert main(argv, stdin=io.BytesIO(b""), stdout=io.StringIO(), stderr=stderr) == 2
    assert stderr.getvalue().startswith("usage: python -m actions.coverage")


def test_missing_information_is_not_invalid_input(cli, make_case) -> None:
    result = cli("-", stdin=_invalid(make_case, "identity_theft", police_report=None))
    assert result.returncode == 0
    assert json.loads(result.stdout)["decision"] == "incomplete"
