"""Calendar periods: the days, months, quarters, halves and years a date phrase stands for.

Period arithmetic of the date scanner (pipeline/normalise/dates.py): "au troisième
trimestre 2025" -> month_span(2025, 7, 9) = 2025-07-01..2025-09-30; "les douze derniers
mois" published 2026-03-02 -> trailing_span(2026-03-02, "month", 12) = 2025-03-03..2026-03-02.
A period is a pair of dates, both ends included; None at an end: open.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ..rules import Grain

Period = tuple[dt.date | None, dt.date | None]

MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def month_day(year: int, month: int, day: int) -> dt.date:
    """The day, or the month's last day when the month is shorter ("fin février": 21-28)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def year_span(first: int, last: int | None = None) -> Period:
    """The calendar years from `first` to `last`: "entre 2026 et 2029" -> 2026-01-01..2029-12-31."""
    return dt.date(first, 1, 1), dt.date(last or first, 12, 31)


def month_span(year: int, first: int, last: int | None = None) -> Period:
    """The months `first`..`last` of a year: "au troisième trimestre 2025" -> 2025-07-01..09-30."""
    return dt.date(year, first, 1), month_day(year, last or first, 31)


def shift(when: dt.date, grain: Grain, count: int) -> dt.date:
    """`when` moved by `count` units: "d'ici deux ans" from 2026-03-02 -> 2028-03-02.

    Months that are too short keep their last day (2026-03-31 minus a month: 2026-02-28).
    """
    if grain == "day":
        return when + dt.timedelta(days=count)
    if grain == "week":
        return when + dt.timedelta(weeks=count)
    months = when.year * 12 + when.month - 1 + count * MONTHS_IN[grain]
    return month_day(months // 12, months % 12 + 1, when.day)


def grain_span(when: dt.date, grain: Grain) -> Period:
    """The day, week (Monday to Sunday), month, quarter, half or year holding `when`.

    "la semaine dernière" read by dateparser as 2026-02-23 -> 2026-02-23..2026-03-01.
    """
    if grain == "day":
        return when, when
    if grain == "week":
        monday = when - dt.timedelta(days=when.weekday())
        return monday, monday + dt.timedelta(days=6)
    size = MONTHS_IN[grain]
    first = (when.month - 1) // size * size + 1
    return month_span(when.year, first, first + size - 1)


def trailing_span(published: dt.date, grain: Grain, count: int) -> Period:
    """`count` units ending on the publication day, both ends included.

    "les douze derniers mois" published 2026-03-02 -> 2025-03-03..2026-03-02.
    """
    return shift(published, grain, -count) + dt.timedelta(days=1), published


def leading_span(published: dt.date, grain: Grain, count: int) -> Period:
    """`count` units starting on the publication day, both ends included.

    "au cours des quatre prochaines années" published 2026-03-02 -> 2026-03-02..2030-03-01.
    """
    return published, shift(published, grain, count) - dt.timedelta(days=1)


def split_fiscal_year(first_year: int, start_month: int) -> Period:
    """A fiscal year over two calendar years, from `start_month` of the first.

    "l'exercice 2024/25" with fiscal years starting in April -> 2024-04-01..2025-03-31.
    """
    start = dt.date(first_year, start_month, 1)
    return start, shift(start, "year", 1) - dt.timedelta(days=1)


def agree_with_weekday(when: dt.date, weekday: int, published: dt.date) -> dt.date:
    """The same day and month, within six months of publication, on the weekday the text
    gives; else dateparser's reading (`when`) stands.

    "vendredi 13 mars" published 2026-03-02: dateparser prefers 2025-03-13, a Thursday;
    2026-03-13 is the Friday.
    """
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidate = when.replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate.weekday() == weekday and abs(candidate - published).days <= 183:
            options.append(candidate)
    return min(options, key=lambda d: abs(d - published)) if options else when
