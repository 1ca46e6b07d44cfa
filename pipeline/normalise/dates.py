"""Finds dates and periods in French text and resolves them against the publication date.

Published Monday 2026-03-02: "vendredi" -> 2026-02-27; "en novembre dernier" -> 2025-11;
"en 2030" -> 2030; "entre 2026 et 2029" -> 2026-01-01..2029-12-31; "au troisième trimestre
2025" -> 2025-07-01..2025-09-30; "fin 2026" -> 2026-10-01..2026-12-31; "d'ici 2030" ->
..2030-12-31; "les douze derniers mois" -> 2025-03-03..2026-03-02; "sur un an" -> a
comparison, no period. In an undated article, "12 mars 2025" still resolves; "hier" is a
mention with no period.

The scanner walks the tokens once and tries small rules at each token that can start a date
(a digit or a word of rules/dates/lexicon.yaml). dateparser resolves what it reads well:
day-month dates and numeric dates ("12 mars 2025", "1er avril", "03/04/2025"), month names
("novembre", "mars 2025"), and days, weeks, months and years counted from the publication
date ("il y a deux semaines", "le mois dernier"). It is called only on those candidate
spans, never on the text, with every setting given on each call (`dateparser_reading`).
Our rules resolve the rest, which dateparser returns nothing or the wrong thing for:
quarters and halves ("T3 2025" is March 2025 to it), fiscal years, parts of a year ("fin
2026"), ranges, deadlines, spans counted from publication, weekdays ("lundi" on a Monday is
the Monday before to it; "vendredi prochain" is nothing) and years ("l'an dernier" is
nothing to it).

The period arithmetic is in calendar_periods.py, the dateparser call in date_readings.py,
the lookup of lexicon phrases in date_phrases.py; their public names are importable from
here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..rules import DateLexicon, Grain
from .calendar_periods import (
    MONTHS_IN,
    Period,
    agree_with_weekday,
    grain_span,
    leading_span,
    month_day,
    month_span,
    shift,
    split_fiscal_year,
    trailing_span,
    year_span,
)
from .date_phrases import Phrases, phrase_table, tagged_table
from .date_readings import dateparser_reading, dateparser_settings
from .lexer import Token, tokenize
from .numbers import NumberParser

__all__ = [
    "DateMention",
    "DateScanner",
    "Period",
    "dateparser_reading",
    "dateparser_settings",
    "grain_span",
    "leading_span",
    "month_span",
    "shift",
    "split_fiscal_year",
    "trailing_span",
    "year_span",
]

# A rule: the scan and a token index -> what it matched there, or None.
_Rule = Callable[["_Text", int], "_Hit | None"]

_MIN_YEAR, _MAX_YEAR = 1950, 2100
# The one form of a count from the publication date that dateparser always reads: it reads
# "il y a 2 semaines" but not "il y a quinze jours" nor "la semaine passée".
_DATEPARSER_UNITS = {"day": "jours", "week": "semaines", "month": "mois", "year": "ans"}
_SENTENCE_ENDS = frozenset('.!?:;«»"“”—')


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or period of the text: character offsets and its resolved ends.

    Both ends None: relative to an unknown publication date, or `kind` "comparison"
    ("en glissement annuel", which dates nothing). One end None: open ("d'ici 2030").
    """

    start: int
    end: int
    period_start: dt.date | None
    period_end: dt.date | None
    kind: str = "date"


@dataclass(frozen=True, slots=True)
class _Hit:
    """What a rule matched: the token after it and the period (None: not resolvable)."""

    end: int
    period: Period | None
    explicit_year: bool = False
    # The same reading in another year, for a range whose second end gives the year:
    # "juillet" in "entre juillet et septembre 2025", "T1" in "du T1 au T3 2025".
    in_year: Callable[[int], Period] | None = None
    kind: str = "date"


@dataclass(frozen=True, slots=True)
class _Text:
    """One scan: the text, its tokens, the publication date, and what was computed."""

    text: str
    tokens: list[Token]
    published: dt.date | None
    index: dict[int, int]
    cores: dict[int, _Hit | None] = field(default_factory=dict)
    readings: dict[tuple[str, dt.date, str], tuple[dt.date, str] | None] = field(
        default_factory=dict
    )


def _as_year(token: Token) -> int | None:
    if token.is_num and len(token.text) == 4 and _MIN_YEAR <= int(token.text) <= _MAX_YEAR:
        return int(token.text)
    return None


def _is_num(low: str) -> bool:
    """A token's lower-cased text is digits (as `Token.is_num`)."""
    return "0" <= low[0] <= "9"


def _glued(a: Token, b: Token) -> bool:
    return a.end == b.start


class DateScanner:
    """Finds the dates of a text; build once from rules/dates, then `scan(text, published)`."""

    def __init__(self, lexicon: DateLexicon, numbers: NumberParser) -> None:
        self.lex = lexicon
        self.numbers = numbers
        self.months = {k.lower(): v for k, v in lexicon.months.items()}
        self.abbreviated = {w.lower() for w in lexicon.abbreviated_months}
        self.cued_months = {w.lower() for w in lexicon.cued_months}
        self.weekdays = {k.lower(): v for k, v in lexicon.weekdays.items()}
        self.units = {k.lower(): v for k, v in lexicon.units.items()}
        self.month_cues = phrase_table(lexicon.month_cues)
        self.relative_days = phrase_table(lexicon.relative_days)
        self.relative_years = phrase_table(lexicon.relative_years)
        self.qualifiers = tagged_table(
            {
                "past": lexicon.past_words,
                "future": lexicon.future_words,
                "recent": lexicon.recent_words,
                "coming": lexicon.coming_words,
                "first": lexicon.first_words,
                "rolling": lexicon.rolling_words,
                "current": lexicon.current_words,
            }
        )
        self.cycle_articles = phrase_table(lexicon.cycle_articles)
        self.this_words = phrase_table(lexicon.this_words)
        self.span_articles = phrase_table(lexicon.span_articles)
        self.ago = phrase_table(lexicon.ago_words)
        self.within = phrase_table(lexicon.in_words)
        self.ordinals = phrase_table(lexicon.ordinals)
        self.last_ordinals = {w.lower() for w in lexicon.last_ordinals}
        self.quarter_words = {w.lower() for w in lexicon.quarter_words}
        self.half_words = {w.lower() for w in lexicon.half_words}
        self.letter_cues = {w.lower() for w in lexicon.letter_cues}
        self.parts = {
            "year": lexicon.year_parts,
            "month": lexicon.month_parts,
            "decade": lexicon.decade_parts,
        }
        self.part_links = phrase_table(lexicon.part_links)
        self.current_year = phrase_table(lexicon.current_year_words)
        self.decades = phrase_table(lexicon.decade_words)
        self.prefixes = tagged_table(
            {
                "until": lexicon.until_words,
                "since": lexicon.since_words,
                "from": lexicon.from_words,
            }
        )
        self.prefix_links = phrase_table(lexicon.prefix_links)
        self.openers = phrase_table(lexicon.range_openers)
        self.joiners = phrase_table(lexicon.range_joiners)
        self.fiscal = phrase_table(lexicon.fiscal_words)
        self.fiscal_close = {w.lower() for w in lexicon.fiscal_close_words}
        self.fiscal_determiners = phrase_table(lexicon.fiscal_determiners)
        self.comparisons = phrase_table(lexicon.comparisons)
        self.not_years_before = {w.lower() for w in lexicon.not_years_before}
        self.starters = self._starters()
        self._at_rules, self._at_digit_rules = self._dispatch(self._at_firsts())
        self._core_rules, self._core_digit_rules = self._dispatch(self._core_firsts())

    def _starters(self) -> frozenset[str]:
        """The lower-cased tokens a date can start with (besides digits): keeps the scan fast."""
        lex = self.lex
        phrases = [
            *lex.months, *lex.weekdays, *lex.relative_days, *lex.relative_years, *lex.units,
            *lex.cycle_articles, *lex.this_words, *lex.span_articles, *lex.ago_words,
            *lex.in_words, *lex.ordinals, *lex.last_ordinals, *lex.quarter_letters,
            *lex.half_letters, *lex.year_parts, *lex.month_parts, *lex.decade_parts,
            *lex.until_words, *lex.since_words, *lex.from_words, *lex.range_openers,
            *lex.fiscal_words, *lex.comparisons,
        ]  # fmt: skip
        return frozenset(tokens[0].low for p in phrases if (tokens := tokenize(p)))

    # Each rule with the tokens it can start at: the lower-cased words it names (a superset
    # of those it takes) and whether it can start at digits. Rules are tried only at such a
    # token, in their order: most starters (de, la, les...) start one or two rules at most.

    def _at_firsts(self) -> list[tuple[_Rule, set[str], bool]]:
        """The rules `_at` tries before the core rules, in order, with their first tokens."""
        # A signed number ("+3") is a number too: only a starter can reach a rule.
        numbers = self.numbers.words | {w for w in self.starters if self._starts_number(w)}
        return [
            # before the prefixes: "avant-hier" is no "avant" + date
            (self._relative_day, self.relative_days.firsts, False),
            (self._span, self.span_articles.firsts | numbers, True),
            (self._comparison, self.comparisons.firsts, False),
            (self._prefixed, self.prefixes.firsts, False),
            (self._range, self.openers.firsts, False),
        ]

    def _core_firsts(self) -> list[tuple[_Rule, set[str], bool]]:
        """The core rules, in order, with their first tokens."""
        letters = {w.lower() for w in (*self.lex.quarter_letters, *self.lex.half_letters)}
        return [
            (self._relative_day, self.relative_days.firsts, False),
            (self._relative_year, self.relative_years.firsts, False),
            (self._ago_or_in, self.ago.firsts | self.within.firsts, False),
            (
                self._cycle,
                self.cycle_articles.firsts | self.this_words.firsts | set(self.units),
                False,
            ),
            (self._fiscal, self.fiscal.firsts, False),
            (self._quarter_or_half, letters | self.ordinals.firsts | self.last_ordinals, False),
            (self._part, {word for table in self.parts.values() for word in table}, False),
            (self._iso, set(), True),
            (self._numeric, set(), True),
            (self._day_month, set(self.weekdays), True),
            (self._month, set(self.months), False),
            (self._weekday, set(self.weekdays), False),
            (self._year, set(), True),
        ]

    def _starts_number(self, low: str) -> bool:
        return self.numbers.starts_number(Token(low, 0, len(low), low, low))

    def _dispatch(
        self, firsts: list[tuple[_Rule, set[str], bool]]
    ) -> tuple[dict[str, tuple[_Rule, ...]], tuple[_Rule, ...]]:
        """The rules to try at each word some rule names, and at any other run of digits."""
        words = self.starters.union(*(lows for _, lows, _ in firsts))
        table = {
            word: tuple(
                rule for rule, lows, digits in firsts if word in lows or (digits and _is_num(word))
            )
            for word in words
        }
        return table, tuple(rule for rule, _, digits in firsts if digits)

    def scan(
        self, text: str, published: dt.date | None, *, tokens: list[Token] | None = None
    ) -> list[DateMention]:
        """Every date of `text`, resolved against `published` (None: an undated article).

        "Qonto a levé 15 M€ vendredi, contre 4 M€ l'an dernier." published 2026-03-02 ->
        "vendredi" 2026-02-27..2026-02-27 and "l'an dernier" 2025-01-01..2025-12-31.
        `tokens`: `tokenize(text)` when the caller has it already (it is not tokenised again).
        """
        if tokens is None:
            tokens = tokenize(text)
        doc = _Text(text, tokens, published, {t.start: n for n, t in enumerate(tokens)})
        found = []
        starters = self.starters
        i = 0
        while i < len(tokens):
            token = tokens[i]
            hit = self._at(doc, i) if token.low in starters or token.is_num else None
            if hit is None:
                i += 1
                continue
            period = hit.period or (None, None)
            found.append(
                DateMention(tokens[i].start, tokens[hit.end - 1].end, *period, kind=hit.kind)
            )
            i = hit.end
        return found

    def _may_start(self, token: Token) -> bool:
        return token.is_num or token.low in self.starters

    def _at(self, doc: _Text, i: int) -> _Hit | None:
        for rule in self._rules(self._at_rules, self._at_digit_rules, doc.tokens[i]):
            hit = rule(doc, i)
            if hit is not None:
                return hit
        return self._core(doc, i)

    def _core(self, doc: _Text, i: int) -> _Hit | None:
        """A date that stands alone (no "d'ici", "entre"...), computed once per token."""
        cores = doc.cores
        if i in cores:
            return cores[i]
        if i >= len(doc.tokens) or not self._may_start(doc.tokens[i]):
            return None
        hit = cores[i] = self._first_core(doc, i)
        return hit

    @staticmethod
    def _rules(
        table: dict[str, tuple[_Rule, ...]], digit_rules: tuple[_Rule, ...], token: Token
    ) -> tuple[_Rule, ...]:
        """The rules to try at `token`, from a `_dispatch` table."""
        rules = table.get(token.low)
        if rules is None:
            return digit_rules if token.is_num else ()
        return rules

    def _first_core(self, doc: _Text, i: int) -> _Hit | None:
        for rule in self._rules(self._core_rules, self._core_digit_rules, doc.tokens[i]):
            hit = rule(doc, i)
            if hit is not None:
                return hit
        return None

    # --- helpers shared by the rules

    def _read(
        self, doc: _Text, phrase: str, base: dt.date, prefer: str = "past"
    ) -> tuple[dt.date, str] | None:
        """dateparser's reading of a candidate span, asked once per scan."""
        key = (phrase, base, prefer)
        if key not in doc.readings:
            doc.readings[key] = dateparser_reading(phrase, base, prefer)
        return doc.readings[key]

    def _read_near(self, doc: _Text, phrase: str, base: dt.date) -> tuple[dt.date, str] | None:
        """A day or month without a year: the last one before publication, unless it begins
        within near_future_days after it ("s'achèvera le 24 juin" in an article of 11 June)."""
        reading = self._read(doc, phrase, base)
        if reading is None or doc.published is None:
            return reading
        window = self.lex.near_future_days
        if (doc.published - reading[0]).days > 365 - window:
            ahead = self._read(doc, phrase, base, "future")
            if ahead is not None and 0 < (ahead[0] - doc.published).days <= window:
                return ahead
        return reading

    def _qualifier(self, doc: _Text, i: int, *tags: str) -> int | None:
        """The token after a qualifier ("dernier", "à venir"...) of one of `tags` at i."""
        match = self.qualifiers.match_at(doc.tokens, i) if i < len(doc.tokens) else None
        return match[1] if match is not None and match[0] in tags else None

    def _number(self, doc: _Text, i: int) -> tuple[int, int] | None:
        """A small whole number at i, in digits or letters ("douze", "12"), and the token after."""
        if i >= len(doc.tokens):
            return None
        numeral = self.numbers.parse_at(doc.text, doc.tokens, i, doc.index)
        if numeral is None or numeral.collective or numeral.signed:
            return None
        value = numeral.value
        if value != value.to_integral_value() or not Decimal(1) <= value <= Decimal(999):
            return None
        return int(value), numeral.end

    def _count(self, doc: _Text, i: int) -> tuple[int, Grain, int] | None:
        """The count, its unit and the token after: "deux semaines", "12 mois"."""
        number = self._number(doc, i)
        if number is None or number[1] >= len(doc.tokens):
            return None
        grain = self.units.get(doc.tokens[number[1]].low)
        return (number[0], grain, number[1] + 1) if grain else None

    def _links(self, doc: _Text, i: int, table: Phrases) -> Iterator[int]:
        """i, then the token after a link word at i ("de", "du mois de", "la"...)."""
        yield i
        match = table.match_at(doc.tokens, i) if i < len(doc.tokens) else None
        if match is not None:
            yield match[1]

    def _year_anchor(self, doc: _Text, i: int) -> tuple[int | None, int, bool] | None:
        """A year at i: "2025", "l'an dernier", "l'année" (the year of publication), "l'année
        2026"; as (year or None when it depends on an unknown publication date, token after,
        whether the text gives the year)."""
        tokens = doc.tokens
        if i >= len(tokens):
            return None
        year = _as_year(tokens[i])
        if year is not None:
            return year, i + 1, True
        relative = self.relative_years.match_at(tokens, i)
        if relative is not None:
            offset, j = relative
            return (doc.published.year + offset if doc.published else None), j, False
        current = self.current_year.match_at(tokens, i)
        if current is not None:
            j = current[1]
            year = _as_year(tokens[j]) if j < len(tokens) else None
            if year is not None:
                return year, j + 1, True
            return (doc.published.year if doc.published else None), j, False
        return None

    def _sentence_start(self, doc: _Text, i: int) -> bool:
        if i == 0:
            return True
        before = doc.tokens[i - 1]
        return before.text in _SENTENCE_ENDS or "\n" in doc.text[before.end : doc.tokens[i].start]

    def _is_name(self, doc: _Text, i: int) -> bool:
        """A capitalised month or weekday in mid-sentence: "le groupe Mars"."""
        return doc.tokens[i].text[0].isupper() and not self._sentence_start(doc, i)

    # --- rules: each takes the scan and a token index, and returns a _Hit or None

    # "hier", "avant-hier", "demain"
    def _relative_day(self, doc: _Text, i: int) -> _Hit | None:
        match = self.relative_days.match_at(doc.tokens, i)
        if match is None:
            return None
        offset, j = match
        if doc.published is None:
            return _Hit(j, None)
        when = doc.published + dt.timedelta(days=offset)
        return _Hit(j, (when, when))

    # "l'an dernier", "cette année", "son dernier exercice"
    def _relative_year(self, doc: _Text, i: int) -> _Hit | None:
        match = self.relative_years.match_at(doc.tokens, i)
        if match is None:
            return None
        offset, j = match
        if doc.published is None:
            return _Hit(j, None)
        return _Hit(j, year_span(doc.published.year + offset))

    # "en glissement annuel", "sur un an": a comparison, no period
    def _comparison(self, doc: _Text, i: int) -> _Hit | None:
        match = self.comparisons.match_at(doc.tokens, i)
        return _Hit(match[1], None, kind="comparison") if match is not None else None

    # "il y a deux semaines", "dans trois mois"
    def _ago_or_in(self, doc: _Text, i: int) -> _Hit | None:
        match = self.ago.match_at(doc.tokens, i)
        sign = -1
        if match is None:
            match, sign = self.within.match_at(doc.tokens, i), 1
        if match is None:
            return None
        count = self._count(doc, match[1])
        if count is None:
            return None
        number, grain, j = count
        return _Hit(j, self._counted(doc, grain, sign * number))

    def _counted(self, doc: _Text, grain: Grain, count: int) -> Period | None:
        """The day, week, month, quarter, half or year `count` units from publication."""
        if doc.published is None:
            return None
        if count == 0 or grain not in _DATEPARSER_UNITS:
            return grain_span(shift(doc.published, grain, count), grain)
        words = "il y a" if count < 0 else "dans"
        reading = self._read(doc, f"{words} {abs(count)} {_DATEPARSER_UNITS[grain]}", doc.published)
        if reading is None:
            return None
        when, read_grain = reading
        return grain_span(when, grain if read_grain == "day" else read_grain)

    # "la semaine dernière", "le mois prochain", "ce trimestre", "ce mois-ci"
    def _cycle(self, doc: _Text, i: int) -> _Hit | None:
        tokens = doc.tokens
        article = self.cycle_articles.match_at(tokens, i)
        this = self.this_words.match_at(tokens, i) if article is None else None
        j = (article or this or (None, i))[1]
        grain = self.units.get(tokens[j].low) if j < len(tokens) else None
        if grain is None or grain == "day":
            return None
        for tag, offset in (("past", -1), ("future", 1), ("current", 0)):
            end = self._qualifier(doc, j + 1, tag)
            if end is not None:
                return _Hit(end, self._counted(doc, grain, offset))
        if this is not None:
            return _Hit(j + 1, self._counted(doc, grain, 0))
        return None

    # "les douze derniers mois", "des quatre prochaines années", "sur un an glissant",
    # "les neuf premiers mois de 2025"
    def _span(self, doc: _Text, i: int) -> _Hit | None:
        article = self.span_articles.match_at(doc.tokens, i)
        number = self._number(doc, article[1] if article else i)
        if number is None:
            return None
        count, j = number
        read = self._counted_span(doc, j)
        if read is None:
            return None
        tag, grain, end = read
        if tag in ("first", "recent"):
            within = self._within_year(doc, end, count, grain, tag)
            if within is not None:
                return within
        if tag == "first":
            return None
        if doc.published is None:
            return _Hit(end, None)
        spans = trailing_span if tag in ("recent", "rolling") else leading_span
        return _Hit(end, spans(doc.published, grain, count))

    def _counted_span(self, doc: _Text, j: int) -> tuple[str, Grain, int] | None:
        """After the count: "derniers mois" or "mois écoulés"; as (tag, unit, token after)."""
        tokens = doc.tokens
        match = self.qualifiers.match_at(tokens, j) if j < len(tokens) else None
        if match is not None and match[0] in ("recent", "coming", "first"):
            k = match[1]
            grain = self.units.get(tokens[k].low) if k < len(tokens) else None
            return (match[0], grain, k + 1) if grain else None
        grain = self.units.get(tokens[j].low) if j < len(tokens) else None
        if grain is None:
            return None
        match = self.qualifiers.match_at(tokens, j + 1) if j + 1 < len(tokens) else None
        if match is not None and match[0] in ("recent", "coming", "rolling"):
            return match[0], grain, match[1]
        return None

    def _within_year(self, doc: _Text, i: int, count: int, grain: Grain, tag: str) -> _Hit | None:
        """The first (or last) months of a year: "les neuf premiers mois de 2025"."""
        months = count * MONTHS_IN.get(grain, 13)
        if months > 12:
            return None
        for k in self._links(doc, i, self.part_links):
            if k == i:
                continue  # "les neuf premiers mois 2025" is not written
            anchor = self._year_anchor(doc, k)
            if anchor is not None:
                year, end, explicit = anchor
                first, last = (1, months) if tag == "first" else (13 - months, 12)
                return _Hit(end, month_span(year, first, last) if year else None, explicit)
        return None

    # "d'ici 2030", "d'ici fin 2027", "depuis le début de l'année", "dès 2027", "depuis deux ans"
    def _prefixed(self, doc: _Text, i: int) -> _Hit | None:
        match = self.prefixes.match_at(doc.tokens, i)
        if match is None:
            return None
        kind, j = match
        for k in self._links(doc, j, self.prefix_links):
            count = self._count(doc, k)
            if count is not None:
                return self._prefixed_count(doc, kind, count)
            core = self._core(doc, k)
            if core is not None and core.kind == "date":
                return _Hit(core.end, self._prefixed_period(doc, kind, core), core.explicit_year)
        return None

    def _prefixed_count(self, doc: _Text, kind: str, count: tuple[int, Grain, int]) -> _Hit | None:
        number, grain, end = count
        if kind == "from":
            return None
        if doc.published is None:
            return _Hit(end, None)
        if kind == "since":  # "depuis deux ans": the two years up to publication
            return _Hit(end, trailing_span(doc.published, grain, number))
        return _Hit(end, (None, shift(doc.published, grain, number)))

    def _prefixed_period(self, doc: _Text, kind: str, core: _Hit) -> Period | None:
        if core.period is None:
            return None
        start, stop = core.period
        if kind == "until":
            return None, stop
        if kind == "from" or (start and doc.published and start > doc.published):
            return start, None  # "dès 2027"; "depuis demain" is from tomorrow on
        return start, doc.published  # "since": up to publication (open when undated)

    # "entre 2026 et 2029", "de janvier à mars", "entre juillet et septembre 2025"
    def _range(self, doc: _Text, i: int) -> _Hit | None:
        opener = self.openers.match_at(doc.tokens, i)
        if opener is None:
            return None
        for j in self._links(doc, opener[1], self.prefix_links):
            first = self._core(doc, j)
            if first is None or first.end >= len(doc.tokens):
                continue
            joiner = self.joiners.match_at(doc.tokens, first.end)
            if joiner is None:
                continue
            for k in self._links(doc, joiner[1], self.prefix_links):
                second = self._core(doc, k)
                if second is None or second.kind != "date":
                    continue
                if second.period is None:  # relative, in an undated article
                    return _Hit(second.end, None)
                period = self._range_period(first, second)
                if period is not None:
                    return _Hit(second.end, period, second.explicit_year)
        return None

    def _range_period(self, first: _Hit, second: _Hit) -> Period | None:
        """From the first's start to the second's end; None when they make no range."""
        _, stop = second.period
        start = first.period[0] if first.period else None
        if first.in_year is not None and (
            first.period is None or second.explicit_year or (start and stop and start > stop)
        ):
            # The first takes its year from the second: "entre juillet et septembre 2025".
            year = (second.period[0] or stop).year
            start = first.in_year(year)[0]
            if start > stop:
                start = first.in_year(year - 1)[0]
        if start is None or stop is None or start > stop:
            return None
        return start, stop

    # "l'exercice 2024", "l'exercice 2024/25", "l'exercice clos le 31 mars 2025"
    def _fiscal(self, doc: _Text, i: int) -> _Hit | None:
        tokens = doc.tokens
        match = self.fiscal.match_at(tokens, i)
        if match is None or match[1] >= len(tokens):
            return None
        j = match[1]
        first = _as_year(tokens[j])
        if first is not None:
            last = self._second_year(doc, j)
            if last is None or last[0] != first + 1:
                return _Hit(j + 1, year_span(first), True)
            # "l'exercice 2024/25, clos fin mars": a closing date in the second year.
            after = last[1] + (last[1] < len(tokens) and tokens[last[1]].text == ",")
            closed = self._closed_by(doc, after)
            closing = self._closing(closed) if closed is not None else None
            if closing is not None and closing[1].year == last[0]:
                return _Hit(closed.end, closing, True)
            start_month = self.lex.split_fiscal_year_start_month
            return _Hit(last[1], split_fiscal_year(first, start_month), True)
        closed = self._closed_by(doc, j)
        if closed is not None:
            return _Hit(closed.end, self._closing(closed), closed.explicit_year)
        return None

    def _closed_by(self, doc: _Text, i: int) -> _Hit | None:
        """The date after "clos", "clôturé"... at i: "clos le 31 mars 2025", "clos fin juin"."""
        if i >= len(doc.tokens) or doc.tokens[i].low not in self.fiscal_close:
            return None
        for k in self._links(doc, i + 1, self.prefix_links):
            core = self._core(doc, k)
            if core is not None and core.kind == "date":
                return core
        return None

    def _closing(self, core: _Hit) -> Period | None:
        """The twelve months ending on the closing date: "clos le 30 juin 2025"."""
        if core.period is None or core.period[1] is None:
            return None
        stop = core.period[1]
        return shift(stop, "year", -1) + dt.timedelta(days=1), stop

    def _second_year(self, doc: _Text, j: int) -> tuple[int, int] | None:
        """The second year of "2024/25", "2024-2025" (the first at j), and the token after."""
        tokens = doc.tokens
        if j + 2 >= len(tokens) or tokens[j + 1].text not in ("/", "-", "–"):
            return None
        after = tokens[j + 2]
        if tokens[j + 2].start - tokens[j].end > 3 or not after.is_num:
            return None
        if len(after.text) == 2:
            first = int(tokens[j].text)
            last = first // 100 * 100 + int(after.text)
            return (last if last > first else last + 100), j + 3
        last = _as_year(after)
        return (last, j + 3) if last is not None else None

    # "au troisième trimestre 2025", "T3", "S1 2026", "au second semestre", "la seconde
    # moitié de l'année"
    def _quarter_or_half(self, doc: _Text, i: int) -> _Hit | None:
        found = self._letter_part(doc, i) or self._ordinal_part(doc, i)
        if found is None:
            return None
        size, number, j, lettered = found
        first = (number - 1) * size + 1
        last = first + size - 1
        for k in self._links(doc, j, self.part_links):
            fiscal = self._fiscal_anchor(doc, k)
            if fiscal is not None:
                return self._part_of_fiscal(fiscal, first, size)
            anchor = self._year_anchor(doc, k)
            if anchor is not None:
                year, end, explicit = anchor
                return _Hit(end, month_span(year, first, last) if year else None, explicit)
        if lettered and not self._letter_cued(doc, i):
            return None
        in_year = lambda year: month_span(year, first, last)  # noqa: E731
        if doc.published is None:
            return _Hit(j, None, in_year=in_year)
        # The last such part to have begun by publication: "au quatrième trimestre" in March
        # 2026 is the one of 2025.
        year = doc.published.year - (first > doc.published.month)
        return _Hit(j, in_year(year), in_year=in_year)

    def _fiscal_anchor(self, doc: _Text, i: int) -> _Hit | None:
        """A fiscal year after a half or quarter: "son exercice 2025/26", "l'exercice 2025"."""
        determiner = self.fiscal_determiners.match_at(doc.tokens, i)
        return self._fiscal(doc, determiner[1] if determiner else i)

    def _part_of_fiscal(self, fiscal: _Hit, first: int, size: int) -> _Hit:
        """The months first..first+size-1 counted from the start of the fiscal year."""
        if fiscal.period is None or fiscal.period[0] is None:
            return _Hit(fiscal.end, None)
        begin = shift(fiscal.period[0], "month", first - 1)
        stop = shift(begin, "month", size) - dt.timedelta(days=1)
        return _Hit(fiscal.end, (begin, stop), fiscal.explicit_year)

    def _letter_part(self, doc: _Text, i: int) -> tuple[int, int, int, bool] | None:
        """Letter forms "T3", "Q3", "S1", "H2": (months per part, number, token after, True)."""
        tokens = doc.tokens
        letter = tokens[i].text
        if letter in self.lex.quarter_letters:
            size, most = 3, 4
        elif letter in self.lex.half_letters:
            size, most = 6, 2
        else:
            return None
        if i + 1 >= len(tokens) or not _glued(tokens[i], tokens[i + 1]):
            return None
        digit = tokens[i + 1]
        if len(digit.text) != 1 or not digit.is_num or not 1 <= int(digit.text) <= most:
            return None
        if i + 2 < len(tokens) and _glued(digit, tokens[i + 2]) and tokens[i + 2].text.isalnum():
            return None  # "H2O", "T3a"
        if i > 0 and _glued(tokens[i - 1], tokens[i]) and tokens[i - 1].text.isalnum():
            return None
        return size, int(digit.text), i + 2, True

    def _ordinal_part(self, doc: _Text, i: int) -> tuple[int, int, int, bool] | None:
        """Ordinal forms: "troisième trimestre", "3e trimestre", "dernier semestre"."""
        tokens = doc.tokens
        ordinal = self.ordinals.match_at(tokens, i)
        last = tokens[i].low in self.last_ordinals
        if ordinal is None and not last:
            return None
        number, j = ordinal if ordinal is not None else (None, i + 1)
        if j >= len(tokens):
            return None
        word = tokens[j].low
        if word in self.quarter_words and (last or number <= 4):
            return 3, 4 if last else number, j + 1, False
        if word in self.half_words and (last or number <= 2):
            return 6, 2 if last else number, j + 1, False
        return None

    def _letter_cued(self, doc: _Text, i: int) -> bool:
        return self._sentence_start(doc, i) or doc.tokens[i - 1].low in self.letter_cues

    # "fin 2026", "début 2027", "mi-2026", "courant 2026", "fin de l'année", "mi-octobre",
    # "fin mars", "la fin de la décennie"
    def _part(self, doc: _Text, i: int) -> _Hit | None:
        tokens = doc.tokens
        word = tokens[i].low
        if not any(word in parts for parts in self.parts.values()):
            return None
        j = i + 1
        if j < len(tokens) and tokens[j].text == "-" and _glued(tokens[i], tokens[j]):
            j += 1
        for k in self._links(doc, j, self.part_links):
            hit = self._part_of(doc, word, k)
            if hit is not None:
                return hit
        return None

    def _part_of(self, doc: _Text, word: str, k: int) -> _Hit | None:
        anchor = self._year_anchor(doc, k) if word in self.parts["year"] else None
        if anchor is not None:
            year, end, explicit = anchor
            first, last = self.parts["year"][word]
            return _Hit(end, month_span(year, first, last) if year else None, explicit)
        decade = self.decades.match_at(doc.tokens, k) if word in self.parts["decade"] else None
        if decade is not None:
            if doc.published is None:
                return _Hit(decade[1], None)
            first, last = self.parts["decade"][word]
            base = doc.published.year // 10 * 10
            return _Hit(decade[1], year_span(base + first, base + last))
        month = self._month_at(doc, k, cued=True) if word in self.parts["month"] else None
        if month is not None:
            if month.period is None or month.period[0] is None:
                return _Hit(month.end, None)
            first, last = self.parts["month"][word]
            when = month.period[0]
            period = month_day(when.year, when.month, first), month_day(when.year, when.month, last)
            return _Hit(month.end, period, month.explicit_year)
        return None

    # "2026-03-02"
    def _iso(self, doc: _Text, i: int) -> _Hit | None:
        tokens = doc.tokens
        if i + 4 >= len(tokens) or _as_year(tokens[i]) is None:
            return None
        parts = tokens[i : i + 5]
        if [t.text for t in parts[1::2]] != ["-", "-"] or not all(
            _glued(a, b) for a, b in zip(parts, parts[1:], strict=False)
        ):
            return None
        try:
            when = dt.date(int(parts[0].text), int(parts[2].text), int(parts[4].text))
        except (ValueError, OverflowError):
            return None
        return _Hit(i + 5, (when, when), True)

    # "03/04/2025", "3.4.25": day first
    def _numeric(self, doc: _Text, i: int) -> _Hit | None:
        tokens = doc.tokens
        if i + 4 >= len(tokens):
            return None
        day, sep, month, sep2, year = tokens[i : i + 5]
        if not (day.is_num and month.is_num and year.is_num) or sep.text not in "/.-":
            return None
        if sep2.text != sep.text or len(year.text) not in (2, 4) or len(day.text) > 2:
            return None
        if len(month.text) > 2 or not (1 <= int(day.text) <= 31 and 1 <= int(month.text) <= 12):
            return None
        window = tokens[i : i + 5]
        if not all(_glued(a, b) for a, b in zip(window, window[1:], strict=False)):
            return None
        if self._in_number(doc, i, i + 5):
            return None  # "1.12.03.2025", "03/04/2025/1"
        year_value = _as_year(year) if len(year.text) == 4 else 2000 + int(year.text)
        if year_value is None:
            return None
        base = doc.published or dt.date(year_value, 1, 1)
        reading = self._read(doc, doc.text[day.start : year.end], base)
        if reading is None:
            return None
        return _Hit(i + 5, (reading[0], reading[0]), True)

    def _in_number(self, doc: _Text, i: int, end: int) -> bool:
        """Tokens i..end are glued to more digits or letters: part of a longer expression."""
        tokens = doc.tokens
        if i > 0 and _glued(tokens[i - 1], tokens[i]):
            before = tokens[i - 1]
            if before.text.isalnum():
                return True
            if before.text in "/.,-" and i > 1 and _glued(tokens[i - 2], before):
                return tokens[i - 2].is_num
        if end < len(tokens) and _glued(tokens[end - 1], tokens[end]):
            after = tokens[end]
            if after.text.isalnum():
                return True
            if after.text in "/.,-" and end + 1 < len(tokens) and _glued(after, tokens[end + 1]):
                return tokens[end + 1].is_num
        return False

    # "le 12 mars 2025", "1er avril", "vendredi 13 mars", "le 31 décembre dernier"
    def _day_month(self, doc: _Text, i: int) -> _Hit | None:
        tokens = doc.tokens
        weekday = self.weekdays.get(tokens[i].low)
        j = i + 1 if weekday is not None else i
        if j >= len(tokens) or not tokens[j].is_num or len(tokens[j].text) > 2:
            return None
        k = j + 1
        if k < len(tokens) and tokens[k].low == "er" and _glued(tokens[j], tokens[k]):
            k += 1  # "1er"
        if not 1 <= int(tokens[j].text) <= 31 or self._in_number(doc, j, k):
            return None
        if k >= len(tokens) or tokens[k].low not in self.months:
            return None
        stop, year, prefer, end = self._month_tail(doc, k)
        if year is None and doc.published is None:
            return _Hit(end, None)
        base = doc.published or dt.date(year, 1, 1)
        phrase = doc.text[tokens[i].start : tokens[stop - 1].end]
        if year is None and end == stop:
            reading = self._read_near(doc, phrase, base)
        else:
            reading = self._read(doc, phrase, base, prefer)
        if reading is None:
            return None
        when = reading[0]
        if weekday is not None and year is None and when.weekday() != weekday:
            when = agree_with_weekday(when, weekday, doc.published)
        return _Hit(end, (when, when), year is not None)

    def _month_tail(self, doc: _Text, k: int) -> tuple[int, int | None, str, int]:
        """After the month name at k: the end of what dateparser reads ("nov." and its year),
        the year if written, past or future ("dernier", "prochain"), and the token after."""
        tokens = doc.tokens
        stop = k + 1
        if (
            stop < len(tokens)
            and tokens[stop].text == "."
            and tokens[k].low in self.abbreviated
            and _glued(tokens[k], tokens[stop])
        ):
            stop += 1
        year = _as_year(tokens[stop]) if stop < len(tokens) else None
        if year is not None:
            return stop + 1, year, "past", stop + 1
        for tag, prefer in (("past", "past"), ("future", "future")):
            end = self._qualifier(doc, stop, tag)
            if end is not None:
                return stop, None, prefer, end
        return stop, None, "past", stop

    # "novembre", "en novembre dernier", "mars 2025", "nov. 2025"
    def _month(self, doc: _Text, i: int) -> _Hit | None:
        return self._month_at(doc, i, cued=False)

    def _month_at(self, doc: _Text, i: int, cued: bool) -> _Hit | None:
        tokens = doc.tokens
        if i >= len(tokens):
            return None
        month = self.months.get(tokens[i].low)
        if month is None:
            return None
        stop, year, prefer, end = self._month_tail(doc, i)
        if year is None:
            if tokens[i].low in self.abbreviated or (tokens[i].text[0].isupper() and end == stop):
                return None  # "sept milliards", "le groupe Mars", "Mars a racheté Kellanova"
            if (
                tokens[i].low in self.cued_months
                and not (cued or end > stop)  # no "dernier", "prochain" after it
                and self.month_cues.match_before(tokens, i) is None
            ):
                return None  # "mai" alone; "en mai", "mai dernier" are dates
        in_year = (lambda y: month_span(y, month)) if year is None and end == stop else None
        if year is None and doc.published is None:
            return _Hit(end, None, in_year=in_year)
        base = doc.published or dt.date(year, 1, 1)
        phrase = doc.text[tokens[i].start : tokens[stop - 1].end]
        if in_year is not None:
            reading = self._read_near(doc, phrase, base)
        else:
            reading = self._read(doc, phrase, base, prefer)
        if reading is None:
            return None
        when = reading[0]
        return _Hit(end, month_span(when.year, when.month), year is not None, in_year)

    # "vendredi" (the last Friday on or before publication), "vendredi prochain", "lundi dernier"
    def _weekday(self, doc: _Text, i: int) -> _Hit | None:
        weekday = self.weekdays.get(doc.tokens[i].low)
        if weekday is None or self._is_name(doc, i):
            return None
        forward = self._qualifier(doc, i + 1, "future")
        backward = self._qualifier(doc, i + 1, "past")
        end = forward or backward or i + 1
        published = doc.published
        if published is None:
            return _Hit(end, None)
        if forward:
            when = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
        else:
            delta = (published.weekday() - weekday) % 7
            if backward and delta == 0:
                delta = 7
            when = published - dt.timedelta(days=delta)
        return _Hit(end, (when, when))

    # "2026", "2023-2028", "2024/25"
    def _year(self, doc: _Text, i: int) -> _Hit | None:
        tokens = doc.tokens
        first = _as_year(tokens[i])
        if first is None:
            return None
        second = self._second_year(doc, i)
        if (
            second is not None
            and first < second[0] <= first + 30
            and not self._in_number(doc, i, second[1])
        ):
            return _Hit(second[1], year_span(first, second[0]), True)
        if self._in_number(doc, i, i + 1):
            return None  # "A2030", "12/13/2025", "2030,5"
        if i + 1 < len(tokens) and tokens[i + 1].low in self.not_years_before:
            return None  # "2000 salariés", "2030 MW"
        return _Hit(i + 1, year_span(first), True)
