"""The token attributes the facts step reads, as plain lists made once per doc.

Reading `doc[i].lower_` makes a Token object each time, and a Span is walked token by
token: the facts step asks tens of thousands of such questions per article. One
`doc.to_array` call and a pass through the string store answer them all.
"""

from __future__ import annotations

from spacy.tokens import Doc

VIEWS_KEY = "finfacts.views"


class TokenViews:
    """Per token: surface, lower case, normalised word and lemma (lower case, ’ -> '),
    part of speech, punctuation and space flags, trailing whitespace."""

    __slots__ = (
        "texts",
        "lowers",
        "words",
        "lemmas",
        "pos",
        "is_punct",
        "is_space",
        "spaced",
        "found",
    )

    def __init__(self, doc: Doc) -> None:
        strings = doc.vocab.strings
        attrs = ["ORTH", "LOWER", "LEMMA", "POS", "IS_PUNCT", "IS_SPACE", "SPACY"]
        columns = doc.to_array(attrs).T.tolist() if len(doc) else [[] for _ in attrs]
        orths, lowers, lemmas, pos, punct, space, spaced = columns
        # a word comes back many times in a text: each distinct id is looked up once
        text_of = {key: strings[key] for key in {*orths, *lowers}}
        lemma_of = {key: norm(strings[key]) for key in set(lemmas)}
        pos_of = {key: strings[key] if key else "" for key in set(pos)}
        self.texts: list[str] = [text_of[key] for key in orths]
        self.lowers: list[str] = [text_of[key] for key in lowers]
        self.words: list[str] = [w.replace("’", "'") if "’" in w else w for w in self.lowers]
        self.lemmas: list[str] = [lemma_of[key] for key in lemmas]
        self.pos: list[str] = [pos_of[key] for key in pos]
        self.is_punct: list[bool] = [bool(flag) for flag in punct]
        self.is_space: list[bool] = [bool(flag) for flag in space]
        self.spaced: list[bool] = [bool(flag) for flag in spaced]
        self.found: dict[int, object] = {}  # per phrase group: its occurrences in this doc

    def __len__(self) -> int:
        return len(self.texts)


def views_of(doc: Doc) -> TokenViews:
    """The doc's views, made on first use and kept in doc.user_data (drop them with
    `doc.user_data.pop(VIEWS_KEY)` when done: they are scratch data)."""
    cached = doc.user_data.get(VIEWS_KEY)
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data[VIEWS_KEY] = TokenViews(doc)
    return cached


def norm(text: str) -> str:
    """Lower case, with the typographic apostrophe as a straight one."""
    return text.lower().replace("’", "'")
