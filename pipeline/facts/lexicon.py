"""Phrase lookup over spaCy tokens, by surface or lemma: the facts step's only matcher.

"a levé" matches the phrase "lever"; "chiffre d’affaires" matches "chiffre d'affaires".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc


def _norm(text: str) -> str:
    return text.lower().replace("’", "'")


VIEWS_KEY = "finfacts.views"


def word_views(doc: Doc) -> tuple[list[str], list[str]]:
    """The doc's words and lemmas, normalised once per doc (kept in doc.user_data)."""
    cached = doc.user_data.get(VIEWS_KEY)
    if cached is None or len(cached[0]) != len(doc):
        # read through the string store: making a Token object per word costs more
        strings = doc.vocab.strings
        columns = doc.to_array(["ORTH", "LEMMA"]) if len(doc) else []
        cached = (
            [_norm(strings[int(orth)]) for orth, _ in columns],
            [_norm(strings[int(lemma)]) for _, lemma in columns],
        )
        doc.user_data[VIEWS_KEY] = cached
    return cached


class PhraseIndex:
    """Phrases (tokenised like the text) mapped to a value; matched on words or lemmas."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.by_first: dict[str, list[tuple[tuple[str, ...], object]]] = defaultdict(list)

    def add(self, phrase: str, value: object) -> None:
        words = tuple(_norm(t.text) for t in self.nlp.make_doc(phrase) if not t.is_space)
        if words:
            self.by_first[words[0]].append((words, value))

    def update(self, phrases: Iterable[str], value: object) -> None:
        for phrase in phrases:
            self.add(phrase, value)

    def matches(
        self, doc: Doc, start: int = 0, end: int | None = None
    ) -> list[tuple[int, int, object]]:
        """(start, end, value) of every phrase in doc[start:end], longest first at each token."""
        end = len(doc) if end is None else end
        all_words, all_lemmas = word_views(doc)
        words, lemmas = all_words[start:end], all_lemmas[start:end]
        found = []
        for i in range(len(words)):
            if words[i] not in self.by_first and lemmas[i] not in self.by_first:
                continue
            candidates = self.by_first.get(words[i], []) + self.by_first.get(lemmas[i], [])
            best = None
            for phrase, value in candidates:
                n = len(phrase)
                if i + n > len(words):
                    continue
                longer = best is None or n > best[1] - best[0]
                if longer and all(p in (words[i + k], lemmas[i + k]) for k, p in enumerate(phrase)):
                    best = (start + i, start + i + n, value)
            if best:
                found.append(best)
        # a phrase inside a longer one is not a match of its own: "capacité de production"
        # is a capacity, not a production
        return [
            m for m in found if not any(o[0] <= m[0] and m[1] <= o[1] and o != m for o in found)
        ]

    def ending_at(self, doc: Doc, end: int, reach: int = 5) -> tuple[int, object] | None:
        """(start, value) of the longest phrase ending just before token `end`."""
        best = None
        for start, stop, value in self.matches(doc, max(0, end - reach), end):
            if stop == end and (best is None or start < best[0]):
                best = (start, value)
        return best
