"""Phrase lookup over spaCy tokens, by surface or lemma: the facts step's only matcher.

"a levé" matches the phrase "lever"; "chiffre d’affaires" matches "chiffre d'affaires".
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .views import TokenViews, norm, views_of

Phrase = tuple[str, ...]
Occurrences = tuple[list[int], list[list[tuple[int, object]]]]


class PhraseGroup:
    """Indexes looked up together: one pass over a doc finds the phrases of them all."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[PhraseIndex, Phrase, object]]] = defaultdict(list)

    def occurrences(self, views: TokenViews) -> dict[int, Occurrences]:
        """Per index of the group (by id): where its phrases start in the doc and, at each
        such token, the (length, value) of every phrase found there, in the order the
        phrases were added (those found under the word before those under the lemma)."""
        cached = views.found.get(id(self))
        if cached is not None:
            return cached
        words, lemmas, by_first = views.words, views.lemmas, self.by_first
        size = len(words)
        found: dict[int, Occurrences] = {}
        for i in range(size):
            word, lemma = words[i], lemmas[i]
            if word not in by_first and lemma not in by_first:
                continue
            here: dict[int, list[tuple[int, object]]] = {}
            for index, phrase, value in by_first.get(word, []) + by_first.get(lemma, []):
                n = len(phrase)
                if i + n > size:
                    continue
                for k in range(1, n):  # the first word is the key it was found under
                    if phrase[k] != words[i + k] and phrase[k] != lemmas[i + k]:
                        break
                else:
                    here.setdefault(id(index), []).append((n, value))
            for key, phrases in here.items():
                positions, occurrences = found.setdefault(key, ([], []))
                positions.append(i)
                occurrences.append(phrases)
        views.found[id(self)] = found
        return found


class PhraseIndex:
    """Phrases (tokenised like the text) mapped to a value; matched on words or lemmas.
    Indexes of one `group` are looked up over a doc in one pass."""

    def __init__(self, nlp: Language, group: PhraseGroup | None = None) -> None:
        self.nlp = nlp
        self.group = group or PhraseGroup()

    def add(self, phrase: str, value: object) -> None:
        words = tuple(norm(t.text) for t in self.nlp.make_doc(phrase) if not t.is_space)
        if words:
            self.group.by_first[words[0]].append((self, words, value))

    def update(self, phrases: Iterable[str], value: object) -> None:
        for phrase in phrases:
            self.add(phrase, value)

    def matches(
        self, doc: Doc, start: int = 0, end: int | None = None
    ) -> list[tuple[int, int, object]]:
        """(start, end, value) of every phrase in doc[start:end], longest first at each token."""
        views = views_of(doc)
        end = len(views) if end is None else min(end, len(views))
        positions, occurrences = self.group.occurrences(views).get(id(self), ([], []))
        found = []
        for k in range(bisect_left(positions, start), len(positions)):
            i = positions[k]
            if i >= end:
                break
            best = None
            for n, value in occurrences[k]:
                if i + n <= end and (best is None or n > best[1] - best[0]):
                    best = (i, i + n, value)
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
