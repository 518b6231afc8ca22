"""Insurance years: the periods counters and ceilings run over.

An insurance year runs from the policy's start date, or an anniversary of it, to the day
before the next anniversary. Anniversaries are computed from the start date itself (not
from the previous anniversary), so a policy started on 29 February has its anniversary
on 28 February in common years and on 29 February again in leap years.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, the day of the month clamped to the target month's length
    (31 January + 1 month = 28 or 29 February)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


@dataclass(frozen=True)
class InsuranceYear:
    number: int  # 1 for the year starting on the policy's start date
    first_day: date
    last_day: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first_day <= day <= self.last_day


def insurance_year(start: date, day: date, months: int = 12) -> InsuranceYear:
    """The insurance year of a policy started on `start` that contains `day` (not before `start`)."""
    if day < start:
        raise ValueError(f"{day} is before the policy start {start}")
    elapsed = (day.year - start.year) * 12 + day.month - start.month
    index = elapsed // months
    # The month count can be one off around the day of the month: settle it on real dates.
    while add_months(start, index * months) > day:
        index -= 1
    while add_months(start, (index + 1) * months) <= day:
        index += 1
    return InsuranceYear(
        number=index + 1,
        first_day=add_months(start, index * months),
        last_day=add_months(start, (index + 1) * months) - timedelta(days=1),
    )
