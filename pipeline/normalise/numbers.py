"""The French number parser: digits as the press writes them, and numbers in letters.

Money, quantities and counts all stand on `NumberParser.parse_at`. Examples:
"1 628 275 000" -> 1628275000; "1.000" -> 1000; "491, 85" (before "millions") -> 491.85;
"12,5" -> 12.5; "trois cents" -> 300; "une dizaine" -> 10 (approximate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from text_to_num import text2num

from ..rules import NumberLexicon
from .lexer import Token

_DIGITS = re.compile(r"[0-9]+")
_GROUP = re.compile(r"[0-9]{3}(?![0-9])")
_LOOSE_FRACTION = re.compile(r" ([0-9]{1,2})(?![0-9]) +([^\W\d_]+)")
_THOUSANDS_SEPARATORS = frozenset(" \u00a0\u202f.")
_SIGNS = {"-": -1, "−": -1, "+": 1}
# Digit strings longer than this are identifiers, phone numbers or noise, not amounts.
MAX_DIGITS = 15


@dataclass(frozen=True, slots=True)
class Numeral:
    """A parsed number and the tokens it covers (end exclusive)."""

    value: Decimal
    start: int
    end: int
    in_letters: bool = False
    collective: bool = False  # "une dizaine": approximate
    signed: bool = False


class NumberParser:
    """Parses the number that starts at a token, if any."""

    def __init__(self, lexicon: NumberLexicon) -> None:
        self.words = frozenset(w.lower() for w in lexicon.number_words)
        self.collectives = {k.lower(): v for k, v in lexicon.collectives.items()}
        self.magnitude_words = frozenset(w.lower() for m in lexicon.magnitudes for w in m.words)

    def starts_number(self, token: Token) -> bool:
        return token.is_num or token.low in self.words or token.text in _SIGNS

    def parse_at(
        self, text: str, tokens: list[Token], i: int, index: dict[int, int]
    ) -> Numeral | None:
        """The number starting at tokens[i]; `index` maps a token's start offset to its index."""
        token = tokens[i]
        if token.text in _SIGNS:
            return self._signed(text, tokens, i, index)
        if token.is_num:
            return self._digits(text, tokens, i, index)
        if token.low in self.words:
            return self._letters(text, tokens, i)
        return None

    def _signed(
        self, text: str, tokens: list[Token], i: int, index: dict[int, int]
    ) -> Numeral | None:
        # "-3,5 %", "+14,4 %": the sign touches the number and follows a space or an opening
        # bracket, so "2023-2028" is no negative number.
        if i + 1 >= len(tokens) or not tokens[i + 1].is_num or tokens[i + 1].start != tokens[i].end:
            return None
        if i > 0 and tokens[i - 1].end == tokens[i].start and tokens[i - 1].text not in "([":
            return None
        number = self._digits(text, tokens, i + 1, index)
        if number is None:
            return None
        value = number.value * _SIGNS[tokens[i].text]
        return Numeral(value, i, number.end, signed=True)

    def _digits(
        self, text: str, tokens: list[Token], i: int, index: dict[int, int]
    ) -> Numeral | None:
        start = tokens[i].start
        integer = _DIGITS.match(text, start).group()
        end = start + len(integer)
        grouped_with = None
        if len(integer) <= 3:
            # "1 628 275 000", "30\u00a0000", "24.685.108": groups of three, one separator.
            while end < len(text) and text[end] in _THOUSANDS_SEPARATORS:
                separator = text[end]
                if grouped_with not in (None, separator):
                    break
                group = _GROUP.match(text, end + 1)
                if group is None:
                    break
                grouped_with = separator
                integer += group.group()
                end = group.end()
        fraction = ""
        if end + 1 < len(text) and text[end] == "," and text[end + 1] in "0123456789":
            fraction = _DIGITS.match(text, end + 1).group()
            end += 1 + len(fraction)
        elif (
            end + 1 < len(text)
            and text[end] == "."
            and grouped_with is None
            and text[end + 1] in "0123456789"
        ):
            # "2.5 milliards": a dot before anything but three digits is a decimal point.
            digits = _DIGITS.match(text, end + 1).group()
            if len(digits) != 3:
                fraction = digits
                end += 1 + len(digits)
        elif text.startswith(", ", end):
            # "491, 85 millions": a stray space after the decimal comma, before a magnitude.
            loose = _LOOSE_FRACTION.match(text, end + 1)
            if loose and loose.group(2).lower() in self.magnitude_words:
                fraction = loose.group(1)
                end = loose.end(1)
        if len(integer.lstrip("0")) > MAX_DIGITS:
            return None
        try:
            value = Decimal(f"{integer}.{fraction}" if fraction else integer)
        except InvalidOperation:
            return None
        end_index = index.get(_token_start_at_or_after(tokens, index, end), len(tokens))
        return Numeral(value, i, end_index)

    def _letters(self, text: str, tokens: list[Token], i: int) -> Numeral | None:
        first = tokens[i].low
        if first in ("un", "une") and i + 1 < len(tokens) and tokens[i + 1].low in self.collectives:
            return Numeral(Decimal(self.collectives[tokens[i + 1].low]), i, i + 2, True, True)
        if first == "et":
            return None
        j = i + 1
        while j < len(tokens):
            token = tokens[j]
            if token.low in self.words and token.start - tokens[j - 1].end <= 1:
                j += 1
            elif (
                token.text == "-"
                and j + 1 < len(tokens)
                and tokens[j + 1].low in self.words
                and token.start == tokens[j - 1].end
            ):
                j += 2
            else:
                break
        while j > i:
            while j > i and tokens[j - 1].low in ("et", "-"):
                j -= 1
            if j == i:
                return None
            phrase = text[tokens[i].start : tokens[j - 1].end].lower().replace("\u00a0", " ")
            try:
                return Numeral(Decimal(text2num(phrase, "fr")), i, j, in_letters=True)
            except (ValueError, TypeError):
                j -= 1
        return None


def _token_start_at_or_after(tokens: list[Token], index: dict[int, int], offset: int) -> int:
    """The start offset of the first token at or after `offset` (offsets end on token edges)."""
    while offset not in index and offset < (tokens[-1].end if tokens else 0):
        offset += 1
    return offset
