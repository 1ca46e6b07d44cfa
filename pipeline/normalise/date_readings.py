"""dateparser's reading of a short date phrase, with every setting given on each call.

The date scanner (pipeline/normalise/dates.py) asks it only about candidate spans ("12 mars
2025", "il y a 2 semaines", "novembre"), never about a whole text. dateparser is slow to
import: it is imported by the first call, not by this module.
"""

from __future__ import annotations

import datetime as dt


def dateparser_settings(base: dt.date, prefer: str = "past") -> dict:
    """Every dateparser setting we use, built afresh for one call (none is kept in a module).

    French dates are day first ("03/04/2025" is 3 April; dateparser's default is month
    first), relative ones are counted from `base` (the publication date), and a date
    without a year is the last one before `base` ("le 12 mars") unless the text says
    "prochain" (then `prefer` is "future").
    """
    return {
        "DATE_ORDER": "DMY",
        "PREFER_LOCALE_DATE_ORDER": False,
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["relative-time", "absolute-time"],
        "STRICT_PARSING": False,
        "REQUIRE_PARTS": [],
    }


def dateparser_reading(
    phrase: str, base: dt.date, prefer: str = "past"
) -> tuple[dt.date, str] | None:
    """dateparser's reading of a short date phrase, as (date, grain), or None.

    "12 mars" with base 2026-03-02 -> (2025-03-12, "day"); "il y a 2 semaines" ->
    (2026-02-16, "week"); "novembre" -> (2025-11-01, "month"); "30 février 2025" -> None.
    """
    from dateparser.date import DateDataParser  # slow to import: only once a candidate needs it

    parser = DateDataParser(
        languages=["fr"], settings=dateparser_settings(base, prefer), try_previous_locales=False
    )
    try:
        data = parser.get_date_data(phrase)
    except (ValueError, OverflowError):
        return None
    if data.date_obj is None:
        return None
    grain = data.period if data.period in ("week", "month", "year") else "day"
    return data.date_obj.date(), grain
