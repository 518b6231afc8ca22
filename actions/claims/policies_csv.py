"""Policies from the insurer's policy system: a CSV export, all rows checked before any is imported.

Columns (header row required): policy_number,holder_name,birth_date,language,start_date,end_date
ISO dates; end_date empty while the contract runs; language nl|fr|en.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import List, Optional, Tuple

from sqlalchemy import select

from .db import ClaimsDatabase, get_database
from .models import LANGUAGES, Policyholder
from .store import normalise_policy_number

COLUMNS = ["policy_number", "holder_name", "birth_date", "language", "start_date", "end_date"]
MAX_BYTES = 50 * 1024 * 1024
NAME_LENGTH = Policyholder.__table__.c.name.type.length


class ImportRefused(ValueError):
    """The file cannot be imported; `problems` lists each as 'line N: what is wrong'."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PolicyRow:
    number: str
    name: str
    birth_date: date
    language: str
    start_date: date
    end_date: Optional[date]


def read_policies(data: bytes, today: date) -> List[PolicyRow]:
    """Every row of the file, or ImportRefused naming every bad row."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"file too large (more than {MAX_BYTES // (1024 * 1024)} MB)"])
    if b"\x00" in data:
        raise ImportRefused(["not a CSV text file (binary content)"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(["not UTF-8 text"]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    numbered = []  # (the file's line number where the row starts, its cells); the header is line 1
    try:
        last_line = 0
        for cells in reader:
            numbered.append((last_line + 1, cells))
            last_line = reader.line_num
    except csv.Error as error:
        raise ImportRefused([f"line {reader.line_num}: not CSV: {error}"]) from None
    if not numbered or [c.strip() for c in numbered[0][1]] != COLUMNS:
        raise ImportRefused([f"line 1: the header must be {','.join(COLUMNS)}"])
    rows, problems, seen = [], [], {}
    for number, cells in numbered[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        row, problem = _row(cells, today)
        if problem is None and row.number in seen:
            problem = f"policy number {row.number} already on line {seen[row.number]}"
        if problem:
            problems.append(f"line {number}: {problem}")
        else:
            seen[row.number] = number
            rows.append(row)
    if problems:
        raise ImportRefused(problems)
    return rows


def _row(cells: List[str], today: date) -> Tuple[Optional[PolicyRow], Optional[str]]:
    if len(cells) != len(COLUMNS):
        return None, f"{len(cells)} columns, expected {len(COLUMNS)}"
    values = dict(zip(COLUMNS, (cell.strip() for cell in cells)))
    number = normalise_policy_number(values["policy_number"])
    if number is None:
        return None, f"policy_number: not a policy number: {values['policy_number']!r}"
    if not values["holder_name"]:
        return None, "holder_name: empty"
    if len(values["holder_name"]) > NAME_LENGTH:
        return None, f"holder_name: longer than {NAME_LENGTH} characters"
    if values["language"] not in LANGUAGES:
        return None, f"language: {values['language']!r} not one of {', '.join(LANGUAGES)}"
    parsed = {}
    for column in ("birth_date", "start_date", "end_date"):
        if column == "end_date" and not values[column]:
            parsed[column] = None
            continue
        try:
            parsed[column] = date.fromisoformat(values[column])
        except ValueError:
            return None, f"{column}: not a date (YYYY-MM-DD): {values[column]!r}"
    if parsed["birth_date"] > today:
        return None, "birth_date: in the future"
    if parsed["end_date"] is not None and parsed["end_date"] < parsed["start_date"]:
        return None, "end_date: before start_date"
    return PolicyRow(number, values["holder_name"], parsed["birth_date"], values["language"], parsed["start_date"],
                     parsed["end_date"]), None


def import_policies(rows: List[PolicyRow], db: Optional[ClaimsDatabase] = None) -> Tuple[int, int]:
    """Insert or update every row in one transaction; returns (new, updated)."""
    new = updated = 0
    with (db or get_database()).session() as session:
        for row in rows:
            holder = session.scalar(select(Policyholder).where(Policyholder.policy_number == row.number))
            if holder is None:
                holder = Policyholder(policy_number=row.number, country="BE", household_size=1)
                session.add(holder)
                new += 1
            else:
                updated += 1
            holder.name, holder.birth_date, holder.language = row.name, row.birth_date, row.language
            holder.start_date, holder.end_date = row.start_date, row.end_date
    return new, updated
