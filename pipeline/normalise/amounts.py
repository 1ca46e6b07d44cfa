"""Finds money amounts, physical quantities, counts and percentages in French text.

Stands on the number parser; lexicons (currencies, units, count nouns, bounds) come from
rules/. Each mention carries a Quantity in base units:
"110 milliards de dollars" -> 110000000000 USD; "218 Md$" -> 218000000000 USD;
"2 gigawatts" -> 2000000000 W; "plus de 900 millions d'utilisateurs" -> 900000000 count, min;
"entre 10 et 20 millions d'euros" -> 10000000..20000000 EUR, range;
"dont 15 milliards" after "50 milliards de dollars" -> 15000000000 USD (inherited).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ..rules import CountTable, CurrencyTable, ModifierTable, NumberLexicon, UnitTable
from ..schema import Quantity
from .lexer import PhraseTable, Token, tokenize
from .numbers import NumberParser, Numeral

# A sentence ends at . ! ? followed by a space, or at a line break: currencies are inherited
# only inside one sentence.
_SENTENCE_BREAK = re.compile(r"[.!?…]\s|\n")
_MAX_VALUE = Decimal("1e18")
_CLAUSE_ENDS = frozenset(",.;:!?()\n")  # a change word beyond one of these governs another clause


@dataclass(frozen=True, slots=True)
class AmountMention:
    """One amount found in the text, with its exact offsets."""

    label: str  # MONEY, QUANTITY, COUNT or PERCENT
    start: int
    end: int
    quantity: Quantity
    metric: str | None = None  # for counts: users, paying_subscribers, employees...
    inherited: bool = False  # unit taken from the amount this one continues


@dataclass(frozen=True, slots=True)
class _Unit:
    label: str
    unit: str
    scale: Decimal = Decimal(1)
    metric: str | None = None


@dataclass(frozen=True, slots=True)
class _Core:
    """A number with its magnitude and unit, before bounds and ranges."""

    value: Decimal
    raw: Decimal  # the number before its magnitude
    scale: Decimal | None  # magnitude applied (None: none written)
    start: int  # token indices
    end: int
    unit: _Unit | None
    approx: bool = False
    implicit: bool = False  # "15 milliards": a magnitude word and no unit


class AmountScanner:
    """Scans text for amounts; build once from the rules, then call `scan(text)`."""

    def __init__(
        self,
        numbers: NumberLexicon,
        currencies: CurrencyTable,
        units: UnitTable,
        counts: CountTable,
        modifiers: ModifierTable,
        products: tuple[str, ...] = (),
    ) -> None:
        self.numbers = NumberParser(numbers)
        self.magnitude_words = PhraseTable()
        self.magnitude_abbreviations = PhraseTable()
        self.alone_abbreviations: set[str] = set()
        for magnitude in numbers.magnitudes:
            scale = Decimal(magnitude.scale)
            self.magnitude_words.update(magnitude.words, scale)
            self.magnitude_abbreviations.update(magnitude.abbreviations, scale, case_sensitive=True)
            self.alone_abbreviations.update(magnitude.abbreviations_alone)
        self.fractions = {k.lower(): Decimal(str(v)) for k, v in numbers.fractions.items()}

        self.currency_before = PhraseTable()  # "$40", "EUR 20"
        self.units_after = PhraseTable()  # "40 $", "20 euros", "2 GW", "12 %"
        for currency in currencies.currencies:
            unit = _Unit("MONEY", currency.code)
            self.currency_before.update(currency.symbols, unit, case_sensitive=True)
            self.currency_before.update(currency.codes, unit, case_sensitive=True)
            self.units_after.update(currency.symbols, unit, case_sensitive=True)
            self.units_after.update(currency.codes, unit, case_sensitive=True)
            self.units_after.update(currency.names, unit)
        self.minor_units = PhraseTable()
        self.minor_units.update(currencies.minor_units, True)
        for table in units.units:
            for symbol, scale in table.symbols.items():
                unit = _Unit(table.label, table.unit, Decimal(str(scale)))
                self.units_after.add(symbol, unit, case_sensitive=True)
            for word, scale in table.words.items():
                self.units_after.add(word, _Unit(table.label, table.unit, Decimal(str(scale))))
        self.not_units = PhraseTable()  # "2,4 millions de barils": no unit of ours
        self.not_units.update(units.not_units, True)
        self.count_nouns = PhraseTable()
        for count in counts.counts:
            self.count_nouns.update(count.nouns, _Unit("COUNT", "count", metric=count.metric))
        # "15 Rafale", "30 A350": a number before a product name counts units of it
        self.count_nouns.update(
            products, _Unit("COUNT", "count", metric="units"), case_sensitive=True
        )
        self.count_verbs = PhraseTable()
        for metric, verbs in counts.verbs_with_en.items():
            self.count_verbs.update(verbs, _Unit("COUNT", "count", metric=metric))
        self.comparisons = PhraseTable()
        self.comparisons.update(modifiers.comparisons, True)
        self.count_before = PhraseTable()
        self.count_before.update(counts.before, True)
        self.qualifiers = {k.lower(): v for k, v in counts.qualifiers.items()}

        self.bound_before = PhraseTable()
        for modifier in modifiers.before:
            self.bound_before.add(modifier.phrase, modifier)
        self.bound_after = PhraseTable()
        for modifier in modifiers.after:
            self.bound_after.add(modifier.phrase, modifier)
        self.articles = PhraseTable()
        self.articles.update(modifiers.articles, True)
        self.range_openers = PhraseTable()
        self.range_joiners_free: set[str] = set()
        for form in modifiers.ranges:
            if form.opener is None:
                self.range_joiners_free.update(j.lower() for j in form.joiners)
            else:
                self.range_openers.add(form.opener, frozenset(j.lower() for j in form.joiners))
        self.change_words = frozenset(w.lower() for w in modifiers.change_words)
        self.links = frozenset(("de", "d"))

    # --- public -------------------------------------------------------------------

    def scan(self, text: str, tokens: list[Token] | None = None) -> list[AmountMention]:
        """Every amount in `text`, in order of appearance (`tokens`: those of
        `lexer.tokenize(text)`, when the caller has them already)."""
        tokens = tokenize(text) if tokens is None else tokens
        index = {t.start: n for n, t in enumerate(tokens)}
        found: list[AmountMention | _Pending] = []
        may_start = self._may_start
        i = 0
        while i < len(tokens):
            if not may_start(tokens[i]):
                i += 1
                continue
            mentions, next_i = self._amounts_at(text, tokens, index, i)
            if mentions:
                found.extend(mentions)
                i = next_i
            else:
                i = max(i + 1, next_i)
        return self._resolve_implicit(text, found)

    def _may_start(self, token: Token) -> bool:
        """Whether an amount may start at this token: a number, a currency written before
        its number ("$", "US$") or a range opener ("entre"). Most tokens are none of them."""
        return (
            self.numbers.starts_number(token)
            or self.currency_before.starts_with(token)
            or self.range_openers.starts_with(token)
        )

    # --- grammar -------------------------------------------------------------------

    def _amounts_at(self, text, tokens, index, i):
        """Mentions starting at token i, and the index to resume from."""
        opener = self.range_openers.match_at(tokens, i)
        if opener is not None:
            joiners, after = opener
            ranged = self._range(text, tokens, index, i, after, joiners)
            if ranged is not None:
                return ranged
            return [], i + 1
        core = self._core(text, tokens, index, i)
        if core is None:
            return [], i + 1
        joined = self._free_range(text, tokens, index, core)
        if joined is not None:
            return joined
        if core.unit is None and not core.implicit:
            bare = self._bare(tokens, core)
            if bare is None:
                return [], core.end
            core = bare
        return [self._mention(text, tokens, core)], core.end

    def _bare(self, tokens, core: _Core) -> _Core | None:
        """A number with no unit that the words before it explain: "d'en embaucher 900" is a
        count of hires; "contre 18 666" takes the unit of the amount it is compared with."""
        i = core.start
        if core.scale is not None or core.raw != core.raw.to_integral_value():
            return None
        verb = self.count_verbs.match_before(tokens, i)
        if verb is not None and verb[1] > 0 and tokens[verb[1] - 1].low == "en":
            return replace(core, unit=verb[0])
        if self.comparisons.match_before(tokens, i) is not None:
            return replace(core, implicit=True)
        return None

    def _core(self, text, tokens, index, i) -> _Core | None:
        unit_before = None
        j = i
        matched = self.currency_before.match_at(tokens, i)
        if matched is not None and matched[1] < len(tokens):
            candidate, after = matched
            if tokens[after].start - tokens[after - 1].end <= 1 and self.numbers.starts_number(
                tokens[after]
            ):
                unit_before, j = candidate, after
        if not self.numbers.starts_number(tokens[j]):
            return None
        number = self.numbers.parse_at(text, tokens, j, index)
        if number is None:
            return None
        value, k = number.value, number.end
        scale = None
        abbreviation = None
        approx = number.collective
        if number.collective and k < len(tokens) and tokens[k].low in self.links:
            # "une dizaine de millions"
            link_end = k + 2 if tokens[k].low == "d" else k + 1
            if self.magnitude_words.match_at(tokens, link_end) is not None:
                k = link_end
        word = self.magnitude_words.match_at(tokens, k) if k < len(tokens) else None
        if word is not None and not (number.in_letters and tokens[k].low == "mille"):
            scale, k = word
        elif k < len(tokens) and tokens[k].start - tokens[k - 1].end <= 1:
            short = self.magnitude_abbreviations.match_at(tokens, k)
            if short is not None:
                scale, after = short
                abbreviation = text[tokens[k].start : tokens[after - 1].end]
                k = after
        if scale is not None:
            fraction, k = self._fraction_after(tokens, k)
            value = (value + fraction) * scale
        unit_after, k = self._unit_after(tokens, k, number, scale, abbreviation is None)
        unit = unit_before or unit_after
        if (
            unit_before is not None
            and unit_after is not None
            and unit_after.unit != unit_before.unit
        ):
            unit = unit_before
        if unit is not None and unit.label == "MONEY":
            value, k = self._minor_after(text, tokens, index, k, value, scale)
        if (
            abbreviation is not None
            and unit is None
            and abbreviation not in self.alone_abbreviations
        ):
            return None  # "15 M" with no currency: a model name, a grade, not an amount
        if (
            unit is not None
            and unit.label == "COUNT"
            and number.in_letters
            and number.value == 1
            and scale is None
        ):
            unit = None  # "un client" is an article, not a count
        if unit is not None:
            value *= unit.scale
        implicit = unit is None and scale is not None and not self._measures_other(tokens, k)
        return _Core(value, number.value, scale, i, k, unit, approx, implicit)

    def _measures_other(self, tokens, k) -> bool:
        """ "2,4 millions de barils": the magnitude measures something we have no unit for."""
        if k + 1 >= len(tokens) or tokens[k].low not in self.links:
            return False
        after = k + 2 if tokens[k].low == "d" and tokens[k + 1].norm == "'" else k + 1
        return after < len(tokens) and self.not_units.match_at(tokens, after) is not None

    def _fraction_after(self, tokens, k) -> tuple[Decimal, int]:
        """ "un milliard et demi": the fraction of the magnitude, and the index after it."""
        if k + 1 < len(tokens) and tokens[k].low == "et" and tokens[k + 1].low in self.fractions:
            return self.fractions[tokens[k + 1].low], k + 2
        return Decimal(0), k

    def _unit_after(self, tokens, k, number: Numeral, scale, spaced_ok: bool):
        if k >= len(tokens):
            return None, k
        link = k
        if tokens[k].low in self.links and (scale is not None or number.collective):
            link = (
                k + 2
                if tokens[k].low == "d" and k + 1 < len(tokens) and tokens[k + 1].norm == "'"
                else k + 1
            )
        for start in (link, k) if link != k else (k,):
            if start >= len(tokens):
                continue
            matched = self.units_after.match_at(tokens, start)
            if matched is not None:
                return matched
            counted = self._count_at(tokens, start, direct=start == k)
            if counted is not None:
                return counted
        return None, k

    def _count_at(self, tokens, start, direct: bool):
        j = start
        if direct:
            before = self.count_before.match_at(tokens, j)
            if before is not None:
                j = before[1]
        matched = self.count_nouns.match_at(tokens, j) if j < len(tokens) else None
        if matched is None:
            return None
        unit, end = matched
        # "utilisateurs actifs mensuels": the last of up to two qualifiers names the metric
        qualifier = None
        for _ in range(2):
            if end < len(tokens) and tokens[end].low in self.qualifiers:
                qualifier = self.qualifiers[tokens[end].low]
                end += 1
        if qualifier:
            unit = replace(unit, metric=f"{qualifier}_{unit.metric}")
        return unit, end

    def _minor_after(self, text, tokens, index, k, value, scale):
        """ "1 USD et 23 centimes" = 1.23; "15 dollars 50" = 15.50."""
        if scale is not None or k >= len(tokens):
            return value, k
        j = k + 1 if tokens[k].low == "et" else k
        if j >= len(tokens) or not self.numbers.starts_number(tokens[j]) or tokens[j].text in "+-−":
            return value, k
        cents = self.numbers.parse_at(text, tokens, j, index)
        if cents is None or cents.value >= 100 or cents.value != cents.value.to_integral_value():
            return value, k
        minor = self.minor_units.match_at(tokens, cents.end) if cents.end < len(tokens) else None
        if minor is not None:
            return value + cents.value / 100, minor[1]
        bare = j == k and not cents.in_letters and len(tokens[j].text) == 2
        at_end = cents.end >= len(tokens) or tokens[cents.end].text in ".,;)"
        if bare and at_end:
            return value + cents.value / 100, cents.end
        return value, k

    def _range(self, text, tokens, index, opener_at, i, joiners):
        """ "entre 10 et 20 millions d'euros", "de 2 à 3 milliards"."""
        if i >= len(tokens):
            return None
        first = self._core(text, tokens, index, i)
        if first is None or first.end >= len(tokens) or tokens[first.end].low not in joiners:
            return None
        second = self._core(text, tokens, index, first.end + 1)
        if second is None or (second.unit is None and not second.implicit):
            return None
        if first.unit is not None and (second.unit is None or first.unit.unit != second.unit.unit):
            return None
        low = self._complete(first, second)
        if self._after_change_word(tokens, opener_at):
            # "est passé de 2 à 3 milliards": two amounts, not a range.
            return [
                self._mention(text, tokens, low),
                self._mention(text, tokens, second),
            ], second.end
        return [self._mention(text, tokens, second, low=low)], second.end

    def _after_change_word(self, tokens, opener_at: int, reach: int = 10) -> bool:
        """A change word ("passé", "portera") before the opener, in the same clause."""
        for j in range(opener_at - 1, max(-1, opener_at - 1 - reach), -1):
            if tokens[j].low in self.change_words:
                return True
            if tokens[j].text in _CLAUSE_ENDS:
                return False
        return False

    def _free_range(self, text, tokens, index, first: _Core):
        """ "10 - 20 euros", "3 à 5 %": a range with no opener."""
        k = first.end
        if k + 1 >= len(tokens) or tokens[k].low not in self.range_joiners_free:
            return None
        second = self._core(text, tokens, index, k + 1)
        if second is None or second.unit is None:
            return None
        if first.unit is not None and first.unit.unit != second.unit.unit:
            return None
        if first.unit is None and first.implicit:
            return None
        if second.value < self._complete(first, second).value:
            return None
        low = self._complete(first, second)
        return [self._mention(text, tokens, second, low=low)], second.end

    @staticmethod
    def _complete(first: _Core, second: _Core) -> _Core:
        """The low end of a range takes the magnitude and unit of the high end it shares."""
        value = first.value
        if first.scale is None and second.scale is not None and first.raw <= second.raw:
            value *= second.scale
        if first.unit is None and second.unit is not None:
            value *= second.unit.scale
        return replace(
            first,
            value=value,
            unit=first.unit or second.unit,
            scale=first.scale or second.scale,
            implicit=second.implicit and first.unit is None,
        )

    def _mention(self, text, tokens, core: _Core, low: _Core | None = None):
        start_core = low or core
        bound, approx = (
            ("range", core.approx or start_core.approx) if low else self._bounds(tokens, core)
        )
        value, value_max = (start_core.value, core.value) if low else (core.value, None)
        if abs(value) >= _MAX_VALUE or (value_max is not None and value_max >= _MAX_VALUE):
            return None
        start = tokens[start_core.start].start
        end = tokens[core.end - 1].end
        if core.unit is None:
            return _Pending(start, end, value, value_max, bound, approx, core.scale)
        quantity = Quantity(
            value=float(value),
            unit=core.unit.unit,
            value_max=float(value_max) if value_max is not None else None,
            bound=bound,
            approx=approx,
        )
        return AmountMention(core.unit.label, start, end, quantity, core.unit.metric)

    def _bounds(self, tokens, core: _Core) -> tuple[str, bool]:
        bound, approx = "exact", core.approx
        s = core.start
        article = self.articles.match_before(tokens, s)
        for candidate_end, via_article in ((s, False), (article[1] if article else None, True)):
            if candidate_end is None:
                continue
            matched = self.bound_before.match_before(tokens, candidate_end)
            if matched is None or (via_article and not matched[0].article):
                continue
            modifier = matched[0]
            bound = modifier.bound or bound
            approx = approx or modifier.approx
            break
        if core.end < len(tokens):
            matched = self.bound_after.match_at(tokens, core.end)
            if matched is not None:
                bound = matched[0].bound or bound
                approx = approx or matched[0].approx
        return bound, approx

    # --- implicit units ---------------------------------------------------------------

    def _resolve_implicit(self, text: str, found: list) -> list[AmountMention]:
        """ "dont 15 milliards": the unit of the amount this one continues, same sentence."""
        out: list[AmountMention] = []
        for item in found:
            if item is None:
                continue
            if isinstance(item, AmountMention):
                out.append(item)
                continue
            source = next(
                (m for m in reversed(out) if m.label in ("MONEY", "COUNT") and not m.inherited),
                None,
            )
            # "Le 1,16 milliard apporté par Tencent...": a bare magnitude in the next sentence
            # of the same paragraph still speaks of the money before it.
            if (
                source is not None
                and _SENTENCE_BREAK.search(text, source.end, item.start)
                and not (
                    source.label == "MONEY"
                    and item.scale
                    and "\n" not in text[source.end : item.start]
                )
            ):
                continue
            if source is None:
                continue
            quantity = Quantity(
                value=float(item.value),
                unit=source.quantity.unit,
                value_max=float(item.value_max) if item.value_max is not None else None,
                bound=item.bound,
                approx=item.approx,
            )
            out.append(
                AmountMention(source.label, item.start, item.end, quantity, source.metric, True)
            )
        return out


@dataclass(frozen=True, slots=True)
class _Pending:
    """An amount whose unit is left implicit ("dont 15 milliards")."""

    start: int
    end: int
    value: Decimal
    value_max: Decimal | None
    bound: str
    approx: bool
    scale: Decimal | None
