"""spaCy component: organisation mentions with their canonical names.

Three sources, most trusted first: the gazetteer (aliases -> canonical name, any casing
slip "OpenAi" -> OpenAI), contextual patterns ("la start-up X", "X a levé", "mené par X")
and the model's ORG spans, filtered (the model calls OpenAI MISC and "cloud" an entity).
Product names (ChatGPT, Azure) block organisation spans over them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from .. import rules
from . import add_record, records

# Leading words that belong to the sentence, not to the name ("L'", "d'", "Le").
_LEADING = frozenset({"l'", "l’", "d'", "d’", "le", "la", "les", "du", "des", "de", "au", "aux"})
_CONNECTORS = frozenset({"&", "-", "de", "des", "du", "et"})
_TRAILING_PUNCT = ".,;:!?»«\"'’()"


def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Société Générale" -> "societe generale"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _name_like(token) -> bool:
    first = token.text[:1]
    return first.isupper() or first.isdigit()


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # token indices
    end: int
    name: str
    priority: int  # 0 gazetteer, 1 pattern, 2 model


class OrganisationRuler:
    """Adds an ORG record (exact offsets, canonical `name`) per organisation mention."""

    def __init__(self, nlp: Language) -> None:
        gazetteer = rules.gazetteer()
        self.canonical: dict[str, str] = {}
        self.aliases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.products = PhraseMatcher(nlp.vocab, attr="LOWER")
        for org in gazetteer.organisations:
            for surface in (org.name, *org.aliases):
                self.canonical.setdefault(fold(surface), org.name)
                self.aliases.add(org.name, [nlp.make_doc(surface)])
        for product in gazetteer.products:
            for surface in (product.name, *product.aliases):
                self.products.add(product.name, [nlp.make_doc(surface)])
        self.stoplist = {fold(w) for w in rules.org_stoplist().not_organisations}
        self.patterns = Matcher(nlp.vocab)
        self.sides: dict[str, tuple[str, frozenset[str]]] = {}
        for pattern in rules.org_patterns():
            self.patterns.add(pattern.id, [pattern.pattern])
            self.sides[pattern.id] = (pattern.org, frozenset(pattern.veto))

    def __call__(self, doc: Doc) -> Doc:
        blocked = set()
        for _, start, end in self.products(doc):
            blocked.update(range(start, end))
        for record in records(doc):  # "215 Md$ engrangés": no organisation inside an amount
            span = doc.char_span(record["start"], record["end"], alignment_mode="expand")
            if span is not None:
                blocked.update(range(span.start, span.end))
        model_labels: dict[int, str] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                model_labels[i] = ent.label_
        candidates: list[_Candidate] = []
        for match_id, start, end in self.aliases(doc):
            if _name_like(doc[start]) or not doc.vocab.strings[match_id][:1].isupper():
                candidates.append(_Candidate(start, end, doc.vocab.strings[match_id], 0))
        for match_id, start, end in self.patterns(doc):
            side, veto = self.sides[doc.vocab.strings[match_id]]
            span = self._name_run(doc[start:end], side)
            if span is not None and not any(
                model_labels.get(i) in veto for i in range(span.start, span.end)
            ):
                candidates.append(_Candidate(span.start, span.end, self._name_of(span), 1))
        for ent in doc.ents:
            if ent.label_ == "ORG":
                span = self._trim(ent)
                if span is not None:
                    candidates.append(_Candidate(span.start, span.end, self._name_of(span), 2))
        taken: set[int] = set(blocked)
        chosen = []
        for cand in sorted(candidates, key=lambda c: (c.priority, -(c.end - c.start), c.start)):
            tokens = set(range(cand.start, cand.end))
            if tokens & taken or fold(cand.name) in self.stoplist:
                continue
            taken |= tokens
            chosen.append(cand)
        for cand in sorted(chosen, key=lambda c: c.start):
            span = doc[cand.start : cand.end]
            add_record(
                doc,
                {"label": "ORG", "start": span.start_char, "end": span.end_char, "name": cand.name},
            )
        return doc

    def _name_run(self, span: Span, side: str) -> Span | None:
        """The run of name-like tokens at one end of a pattern match."""
        tokens = list(span) if side == "left" else list(reversed(span))
        run = []
        for token in tokens:
            if _name_like(token):
                run.append(token)
            else:
                break
        if not run:
            return None
        first, last = min(t.i for t in run), max(t.i for t in run)
        return self._trim(span.doc[first : last + 1])

    def _trim(self, span: Span) -> Span | None:
        """Drop leading articles and trailing punctuation; reject what is no name."""
        start, end = span.start, span.end
        doc = span.doc
        while start < end and doc[start].lower_ in _LEADING:
            start += 1
        while end > start and (
            doc[end - 1].text in _TRAILING_PUNCT or doc[end - 1].lower_ in _CONNECTORS
        ):
            end -= 1
        if start >= end or not _name_like(doc[start]) or end - start > 6:
            return None
        return doc[start:end]

    def _name_of(self, span: Span) -> str:
        text = span.text.strip(_TRAILING_PUNCT + " ")
        return self.canonical.get(fold(text), text)


@Language.factory(
    "finfacts_organisations_v1", assigns=["doc.spans", "doc.user_data"], requires=["doc.ents"]
)
def make_organisation_ruler(nlp: Language, name: str) -> OrganisationRuler:
    """`nlp.add_pipe("finfacts_organisations_v1")` after "ner": organisations, canonical names."""
    return OrganisationRuler(nlp)
