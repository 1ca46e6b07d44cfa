"""Lexicon phrases of the date scanner, looked up token by token at a position of a text.

A thin layer over `PhraseTable` (pipeline/normalise/lexer.py) that answers at once for the
many tokens no phrase can start or end at: the scanner asks it at most tokens of a text.
"""

from __future__ import annotations

from .lexer import PhraseTable, Token, tokenize


class Phrases:
    """A PhraseTable that answers at once for a token no phrase starts (or ends) with:
    most tokens of a text start no date, and the table would try every length on each.
    Nor does it ask the table when the tokens that follow complete no phrase of two words or
    more ("de la": only the phrase "de" itself can match)."""

    def __init__(self) -> None:
        self.table = PhraseTable()
        self.firsts: set[str] = set()
        self.lasts: set[str] = set()
        # The phrases of two words or more as a tree of their words, None ending a phrase:
        # {"d": {"'": {"ici": {None: None}}}}.
        self.longer: dict = {}
        self.words: dict[str, object] = {}  # the one-word phrases, as the table keeps them

    def add(self, phrase: str, value: object) -> None:
        tokens = tokenize(phrase)
        if not tokens:
            return
        self.table.add(phrase, value)
        self.firsts.add(tokens[0].low)
        self.lasts.add(tokens[-1].low)
        if len(tokens) == 1:
            self.words.setdefault(tokens[0].low, value)
            return
        node = self.longer
        for token in tokens:
            node = node.setdefault(token.low, {})
        node[None] = None

    def _completes_longer(self, tokens: list[Token], i: int) -> bool:
        """Some phrase of two words or more is written at i (spacing aside)."""
        node = self.longer
        for j in range(i, len(tokens)):
            node = node.get(tokens[j].low)
            if node is None:
                return False
            if None in node:  # only after two words: the tree holds no one-word phrase
                return True
        return False

    def update(self, phrases: list[str], value: object) -> None:
        for phrase in phrases:
            self.add(phrase, value)

    def match_at(self, tokens: list[Token], i: int) -> tuple[object, int] | None:
        if i >= len(tokens) or tokens[i].low not in self.firsts:
            return None
        if self._completes_longer(tokens, i):
            return self.table.match_at(tokens, i)
        value = self.words.get(tokens[i].low)
        return (value, i + 1) if value is not None else None

    def match_before(self, tokens: list[Token], end: int) -> tuple[object, int] | None:
        if end == 0 or tokens[end - 1].low not in self.lasts:
            return None
        return self.table.match_before(tokens, end)


def tagged_table(groups: dict[str, list[str]]) -> Phrases:
    """Phrases whose value is the tag of their group: {"past": ["dernier", ...], ...}."""
    table = Phrases()
    for tag, phrases in groups.items():
        table.update(phrases, tag)
    return table


def phrase_table(entries: dict | list, value: object = True) -> Phrases:
    table = Phrases()
    if isinstance(entries, dict):
        for phrase, entry in entries.items():
            table.add(phrase, entry)
    else:
        table.update(entries, value)
    return table
