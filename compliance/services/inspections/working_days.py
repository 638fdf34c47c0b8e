"""Deadlines counted in working days (hari kerja) for a nota pemeriksaan.

LAW.md: the practice reported in Bali gives 30 working days for nota I. Monday to Friday count;
national holidays are not in the product yet, so a deadline may fall a few days early in
holiday weeks (a product default, never shorter than the law's intent by more than those days).
"""

from __future__ import annotations

from datetime import date, timedelta


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(start: date, count: int) -> date:
    """The day `count` working days after `start` (`start` itself never counts)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
