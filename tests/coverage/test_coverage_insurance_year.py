"""Insurance years and month arithmetic."""
from __future__ import annotations

from datetime import date

import pytest

from actions.coverage.insurance_year import InsuranceYear, add_months, insurance_year


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2025, 12, 31), 2, date(2026, 2, 28)),
    (date(2026, 5, 25), 2, date(2026, 7, 25)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2026, 3, 15), -3, date(2025, 12, 15)),
])
def test_add_months(day, months, expected) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize("start, day, expected", [
    (date(2025, 6, 1), date(2025, 6, 1), InsuranceYear(1, date(2025, 6, 1), date(2026, 5, 31))),
    (date(2025, 6, 1), date(2026, 5, 31), InsuranceYear(1, date(2025, 6, 1), date(2026, 5, 31))),
    (date(2025, 6, 1), date(2026, 6, 1), InsuranceYear(2, date(2026, 6, 1), date(2027, 5, 31))),
    (date(2024, 2, 29), date(2025, 2, 27), InsuranceYear(1, date(2024, 2, 29), date(2025, 2, 27))),
    (date(2024, 2, 29), date(2025, 2, 28), InsuranceYear(2, date(2025, 2, 28), date(2026, 2, 27))),
    (date(2024, 2, 29), date(2028, 2, 28), InsuranceYear(4, date(2027, 2, 28), date(2028, 2, 28))),
    (date(2024, 2, 29), date(2028, 2, 29), InsuranceYear(5, date(2028, 2, 29), date(2029, 2, 27))),
    (date(2025, 1, 31), date(2035, 1, 30), InsuranceYear(10, date(2034, 1, 31), date(2035, 1, 30))),
])
def test_insurance_year_containing_a_day(start, day, expected) -> None:
    year = insurance_year(start, day)
    assert year == expected
    assert day in year


def test_a_day_before_the_start_has_no_insurance_year() -> None:
    with pytest.raises(ValueError):
        insurance_year(date(2025, 6, 1), date(2025, 5, 31))


def test_insurance_years_follow_each_other_without_gap() -> None:
    start = date(2024, 2, 29)
    years = [insurance_year(start, add_months(start, 12 * n)) for n in range(9)]
    for previous, following in zip(years, years[1:]):
        assert (following.first_day - previous.last_day).days == 1
        assert following.number == previous.number + 1
