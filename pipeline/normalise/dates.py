"""Finds dates and periods in French text and resolves them against the publication date.

"vendredi" (published Monday 2026-03-02) -> 2026-02-27; "en novembre dernier" -> 2025-11;
"en 2030" -> 2030; "entre 2026 et 2029" -> 2026-01-01..2029-12-31; "au troisième trimestre
2025" -> 2025-07-01..2025-09-30; "fin 2026" -> 2026-10-01..2026-12-31; "d'ici 2030" ->
..2030-12-31; "le 12 mars 2025" -> 2025-03-12 (day dates go through dateparser).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ..rules import DateLexicon
from .lexer import PhraseTable, Token, tokenize

_MIN_YEAR, _MAX_YEAR = 1950, 2100


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    period_start: dt.date | None
    period_end: dt.date | None


def _year_span(first: int, last: int | None = None) -> tuple[dt.date, dt.date]:
    return dt.date(first, 1, 1), dt.date(last or first, 12, 31)


def _month_span(year: int, first: int, last: int | None = None) -> tuple[dt.date, dt.date]:
    last = last or first
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def _as_year(token: Token) -> int | None:
    if token.is_num and len(token.text) == 4 and _MIN_YEAR <= int(token.text) <= _MAX_YEAR:
        return int(token.text)
    return None


class DateScanner:
    """Scans text for dates; build once from rules/dates, then `scan(text, published)`."""

    def __init__(self, lexicon: DateLexicon) -> None:
        self.lex = lexicon
        self.months = {k.lower(): v for k, v in lexicon.months.items()}
        self.weekdays = {k.lower(): v for k, v in lexicon.weekdays.items()}
        self.relative_days = PhraseTable()
        for phrase, offset in lexicon.relative_days.items():
            self.relative_days.add(phrase, offset)
        self.relative_years = PhraseTable()
        for phrase, offset in lexicon.relative_years.items():
            self.relative_years.add(phrase, offset)
        self.ordinals = PhraseTable()
        for phrase, value in lexicon.ordinals.items():
            self.ordinals.add(phrase, value)
        self.until = PhraseTable()
        self.until.update(lexicon.until_words, True)
        self.past = {w.lower() for w in lexicon.past_words}
        self.future = {w.lower() for w in lexicon.future_words}
        self.quarter_words = {w.lower() for w in lexicon.quarter_words}
        self.half_words = {w.lower() for w in lexicon.half_words}
        self.parts = {k.lower(): v for k, v in lexicon.year_parts.items()}
        self.openers = {w.lower() for w in lexicon.range_openers}
        self.joiners = {w.lower() for w in lexicon.range_joiners}
        self.fiscal = {w.lower() for w in lexicon.fiscal_words}

    def scan(self, text: str, published: dt.date | None) -> list[DateMention]:
        tokens = tokenize(text)
        found = []
        i = 0
        while i < len(tokens):
            hit = self._at(text, tokens, i, published)
            if hit is None:
                i += 1
                continue
            mention, i = hit
            found.append(mention)
        return found

    def _at(self, text, tokens, i, published):
        for rule in (
            self._iso,
            self._relative,
            self._period_part,
            self._day_month,
            self._weekday,
            self._year,
        ):
            hit = rule(text, tokens, i, published)
            if hit is not None:
                return hit
        return None

    def _mention(self, tokens, i, j, span):
        start, end = span if span else (None, None)
        return DateMention(tokens[i].start, tokens[j - 1].end, start, end), j

    # "2026-03-02"
    def _iso(self, text, tokens, i, published):
        if i + 4 >= len(tokens) or _as_year(tokens[i]) is None:
            return None
        parts = tokens[i : i + 5]
        if [t.text for t in parts[1::2]] != ["-", "-"] or any(
            b.start != a.end for a, b in zip(parts, parts[1:], strict=False)
        ):
            return None
        try:
            when = dt.date(int(parts[0].text), int(parts[2].text), int(parts[4].text))
        except ValueError:
            return None
        return self._mention(tokens, i, i + 5, (when, when))

    # "hier", "l'an dernier"
    def _relative(self, text, tokens, i, published):
        day = self.relative_days.match_at(tokens, i)
        if day is not None:
            offset, j = day
            when = published + dt.timedelta(days=offset) if published else None
            return self._mention(tokens, i, j, (when, when) if when else None)
        year = self.relative_years.match_at(tokens, i)
        if year is not None:
            offset, j = year
            return self._mention(
                tokens, i, j, _year_span(published.year + offset) if published else None
            )
        return None

    # "au troisième trimestre 2025", "T3", "au premier semestre", "fin 2026", "d'ici 2030"
    def _period_part(self, text, tokens, i, published):
        token = tokens[i]
        quarter = half = None
        j = i
        if token.text in self.lex.quarter_letters or token.text in self.lex.half_letters:
            if i + 1 < len(tokens) and tokens[i + 1].is_num and tokens[i + 1].start == token.end:
                number = int(tokens[i + 1].text) if len(tokens[i + 1].text) == 1 else 0
                if token.text in self.lex.quarter_letters and 1 <= number <= 4:
                    quarter, j = number, i + 2
                elif token.text in self.lex.half_letters and 1 <= number <= 2:
                    half, j = number, i + 2
        else:
            ordinal = self.ordinals.match_at(tokens, i)
            if ordinal is not None and ordinal[1] < len(tokens):
                number, after = ordinal
                word = tokens[after].low
                if word in self.quarter_words and 1 <= number <= 4:
                    quarter, j = number, after + 1
                elif word in self.half_words and 1 <= number <= 2:
                    half, j = number, after + 1
        if quarter or half:
            first_month = (quarter - 1) * 3 + 1 if quarter else (half - 1) * 6 + 1
            last_month = first_month + (2 if quarter else 5)
            year = _as_year(tokens[j]) if j < len(tokens) else None
            if year is not None:
                j += 1
            elif published is not None:
                year = published.year if first_month <= published.month else published.year - 1
            return self._mention(
                tokens, i, j, _month_span(year, first_month, last_month) if year else None
            )
        part = self.parts.get(token.low)
        if part is not None and i + 1 < len(tokens):
            k = i + 2 if tokens[i + 1].text == "-" else i + 1
            year = _as_year(tokens[k]) if k < len(tokens) else None
            if year is not None:
                return self._mention(tokens, i, k + 1, _month_span(year, part[0], part[1]))
        until = self.until.match_at(tokens, i)
        if until is not None:
            k = until[1]
            if k < len(tokens) and tokens[k].low in self.parts and k + 1 < len(tokens):
                k += 1
            year = _as_year(tokens[k]) if k < len(tokens) else None
            if year is not None:
                return self._mention(tokens, i, k + 1, (None, dt.date(year, 12, 31)))
        return None

    # "le 12 mars 2025", "en novembre dernier", "octobre 2025"
    def _day_month(self, text, tokens, i, published):
        day = None
        j = i
        if tokens[i].is_num and len(tokens[i].text) <= 2:
            k = i + 1
            if k < len(tokens) and tokens[k].low in ("er", "er"):
                k += 1
            if k < len(tokens) and tokens[k].low in self.months:
                day, j = int(tokens[i].text), k
        month = self.months.get(tokens[j].low)
        if month is None:
            return None
        if day is None and not tokens[j].text[0].islower() and j == i and i > 0:
            pass  # capitalised month names are still months ("Mars 2026" at a line start)
        k = j + 1
        if k < len(tokens) and tokens[k].text == ".":
            k += (
                1
                if tokens[j].low in ("janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc")
                else 0
            )
        year = _as_year(tokens[k]) if k < len(tokens) else None
        relative = 0
        if year is not None:
            k += 1
        elif k < len(tokens) and tokens[k].low in self.past:
            relative, k = -1, k + 1
        elif k < len(tokens) and tokens[k].low in self.future:
            relative, k = 1, k + 1
        if (
            day is None
            and year is None
            and relative == 0
            and tokens[j].low in ("mai", "sept", "oct", "nov")
        ):
            return None  # too ambiguous alone ("mai" is also a verb form, "sept" a number)
        if year is None:
            if published is None:
                return self._mention(tokens, i, k, None)
            year = published.year
            if relative <= 0 and (month, day or 1) > (published.month, published.day):
                year -= 1
            if relative > 0 and (month, day or 1) <= (published.month, published.day):
                year += 1
        if day is not None:
            try:
                when = dt.date(year, month, day)
            except ValueError:
                return None
            return self._mention(tokens, i, k, (when, when))
        return self._mention(tokens, i, k, _month_span(year, month))

    # "vendredi": the last such day on or before publication
    def _weekday(self, text, tokens, i, published):
        weekday = self.weekdays.get(tokens[i].low)
        if weekday is None:
            return None
        j = i + 1
        if j < len(tokens) and tokens[j].is_num:
            return None  # "vendredi 12 mars" is read from the day and month
        forward = j < len(tokens) and tokens[j].low in self.future
        backward = j < len(tokens) and tokens[j].low in self.past
        if forward or backward:
            j += 1
        if published is None:
            return self._mention(tokens, i, j, None)
        if forward:
            delta = (weekday - published.weekday()) % 7 or 7
            when = published + dt.timedelta(days=delta)
        else:
            delta = (published.weekday() - weekday) % 7
            if backward and delta == 0:
                delta = 7
            when = published - dt.timedelta(days=delta)
        return self._mention(tokens, i, j, (when, when))

    # "en 2026", "entre 2026 et 2029", "2023-2028", "l'exercice 2024/25"
    def _year(self, text, tokens, i, published):
        start = i
        opener = tokens[i].low in self.openers
        j = i + 1 if opener else i
        if j >= len(tokens):
            return None
        first = _as_year(tokens[j])
        if first is None:
            return None
        if j + 2 < len(tokens) and tokens[j + 1].low in self.joiners:
            last_token = tokens[j + 2]
            last = _as_year(last_token)
            if (
                last is None
                and last_token.is_num
                and len(last_token.text) == 2
                and tokens[j + 1].text in "/-"
            ):
                last = first // 100 * 100 + int(last_token.text)
            if last is not None and first < last <= first + 30:
                return self._mention(tokens, start, j + 3, _year_span(first, last))
        if opener:
            return None
        return self._mention(tokens, j, j + 1, _year_span(first))
