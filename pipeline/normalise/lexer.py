"""Splits text into digit runs, letter runs and single symbols, with exact offsets.

Every scanner of finfacts walks these tokens, so lexicon phrases are tokenised the same way
as the text they are matched against ("jusqu'à" -> jusqu ' à; "Md$" -> Md $).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+|\S")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "\u2010": "-", "\u2011": "-"})


class Token(NamedTuple):
    """A token of the scanners (a tuple: they make thousands of them per article)."""

    text: str
    start: int
    end: int
    norm: str  # apostrophes and hyphens unified, case kept
    low: str  # norm, lower-cased

    @property
    def is_num(self) -> bool:
        return "0" <= self.text[0] <= "9"

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


def tokenize(text: str) -> list[Token]:
    """Tokens of `text`: "15M€" -> 15, M, €."""
    tokens = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        word = match.group()
        norm = word.translate(_APOSTROPHES) if not word.isascii() else word
        append(Token(word, match.start(), match.end(), norm, norm.lower()))
    return tokens


def phrase_key(phrase: str, case_sensitive: bool) -> tuple[str, ...]:
    """The token key under which a lexicon phrase is stored."""
    return tuple(t.norm if case_sensitive else t.low for t in tokenize(phrase))


class PhraseTable:
    """Multi-token lexicon lookup, longest match first, case-sensitive or not per entry."""

    def __init__(self) -> None:
        self._exact: dict[tuple[str, ...], object] = {}
        self._folded: dict[tuple[str, ...], object] = {}
        self._longest = 0
        # first word -> phrase lengths, longest first: most tokens start no phrase at all
        self._first_exact: dict[str, tuple[int, ...]] = {}
        self._first_folded: dict[str, tuple[int, ...]] = {}
        self._last_exact: dict[str, tuple[int, ...]] = {}
        self._last_folded: dict[str, tuple[int, ...]] = {}

    def add(self, phrase: str, value: object, case_sensitive: bool = False) -> None:
        key = phrase_key(phrase, case_sensitive)
        if not key:
            return
        table = self._exact if case_sensitive else self._folded
        table.setdefault(key, value)
        self._longest = max(self._longest, len(key))
        first = self._first_exact if case_sensitive else self._first_folded
        last = self._last_exact if case_sensitive else self._last_folded
        first[key[0]] = tuple(sorted({*first.get(key[0], ()), len(key)}, reverse=True))
        last[key[-1]] = tuple(sorted({*last.get(key[-1], ()), len(key)}, reverse=True))

    def update(self, phrases: Iterable[str], value: object, case_sensitive: bool = False) -> None:
        for phrase in phrases:
            self.add(phrase, value, case_sensitive)

    def starts_with(self, token: Token) -> bool:
        """Whether some phrase of the table starts with this token."""
        return token.norm in self._first_exact or token.low in self._first_folded

    def match_at(self, tokens: list[Token], i: int) -> tuple[object, int] | None:
        """(value, index after the phrase) for the longest phrase starting at tokens[i]."""
        token = tokens[i]
        exact, folded = self._first_exact.get(token.norm), self._first_folded.get(token.low)
        if exact is None and folded is None:
            return None  # most tokens start no phrase: answer without building anything
        sizes = _merged(exact, folded)
        for size in sizes:
            if i + size > len(tokens):
                continue
            window = tokens[i : i + size]
            if not _joined(window):
                continue
            exact = self._exact.get(tuple(t.norm for t in window))
            if exact is not None:
                return exact, i + size
            folded = self._folded.get(tuple(t.low for t in window))
            if folded is not None:
                return folded, i + size
        return None

    def match_before(self, tokens: list[Token], end: int) -> tuple[object, int] | None:
        """(value, start index) for the longest phrase ending just before tokens[end]."""
        if end <= 0:
            return None
        token = tokens[end - 1]
        exact, folded = self._last_exact.get(token.norm), self._last_folded.get(token.low)
        if exact is None and folded is None:
            return None
        sizes = _merged(exact, folded)
        for size in sizes:
            if size > end:
                continue
            window = tokens[end - size : end]
            if not _joined(window):
                continue
            exact = self._exact.get(tuple(t.norm for t in window))
            if exact is not None:
                return exact, end - size
            folded = self._folded.get(tuple(t.low for t in window))
            if folded is not None:
                return folded, end - size
        return None


def _merged(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> tuple[int, ...]:
    """Two tuples of phrase lengths (each longest first) as one, longest first."""
    if not a or not b:
        return a or b or ()
    return tuple(sorted({*a, *b}, reverse=True))


def _joined(window: list[Token]) -> bool:
    """Tokens of one phrase are at most one space apart (no line break, no wide gap)."""
    return all(b.start - a.end <= 1 for a, b in zip(window, window[1:], strict=False))
