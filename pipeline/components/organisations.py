"""spaCy component: organisation mentions with their canonical names.

Sources, most trusted first: the gazetteer (aliases -> canonical name, any casing slip
"OpenAi" -> OpenAI) and names whose shape says "organisation" ("Lowercarbon Capital",
"Meridiam SAS"); contextual patterns ("la start-up X", "le suisse X", "X a levé",
"mené par X", "selon X"); the model's ORG spans, filtered (a rubric "Batteries :", a drug
code, a place, a stoplist word). Coordinations ("Kima Ventures et Frst") and acronyms in
parentheses extend what was found. A name found once is an organisation wherever the text
repeats it; after a long form ("Alderis Therapeutics") a short form ("Alderis") names the
same organisation; names that differ by casing or a legal suffix get one name.

The rules are data (rules/organisations/patterns.jsonl): a pattern with `refuses` marks
the name it points at as no organisation ("le plateau de Saclay"); a token
`{"_": {"finfacts_org": true}}` stands for an organisation already found. Such a pattern
is matched with any word in that place and kept when that word belongs to an organisation
found (the Matcher would read the extension in Python at every token). Products (gazetteer)
and amounts are never organisations.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from .. import rules
from . import add_record, records

# Leading words that belong to the sentence, not to the name ("L'", "d'", "Le").
_LEADING = frozenset(
    {"l'", "l’", "d'", "d’", "le", "la", "les", "du", "des", "de", "au", "aux", "qu'", "qu’"}
)
_JOINERS = frozenset({"&", "-", "–"})  # inside a name: "Procter & Gamble", "Mercedes-Benz"
_ENGLISH_JOINERS = frozenset({"and", "of", "for"})  # "Competition and Markets Authority"
_TRAILING_PUNCT = ".,;:!?»«\"'’()"
_FORMER = ("ex-", "ex–", "Ex-")  # "Meta (ex-Facebook)"
_MAX_TOKENS = 6
# "En France, le groupe…", "au Brésil, la société…": a place, however the clause goes on.
_PLACE_PREPOSITIONS = frozenset({"en", "à", "au", "aux", "dans", "outre", "hors", "vers", "depuis"})
_ANY_WORD = {"IS_SPACE": False, "IS_PUNCT": False}
# Source ranks: a name's shape or the gazetteer, a context, the model alone, derived from
# names already found (coordinations, repetitions).
_NAME, _CONTEXT, _MODEL, _DERIVED = 0, 1, 2, 3


def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Société Générale" -> "societe generale"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _name_like(token: Token) -> bool:
    """A token that can be part of a name: "Klarys", "Data4", "eDreams", "2" in "InnoBio 2"."""
    text = token.text
    if token.is_space or token.is_punct or not text:
        return False
    first = text[0]
    if first.isupper() or first.isdigit():
        return True
    return first.islower() and any(c.isupper() for c in text[1:])  # "eDreams", "bioMérieux"


def _is_year(token: Token) -> bool:
    return len(token.text) == 4 and token.text.isdigit() and token.text[:2] in ("19", "20")


def _person_shaped(span: Span) -> bool:
    """ "Thomas Verrier", "Anne-Sophie Delorme": two or three title-case words."""
    words = [t.text for t in span if t.text not in _JOINERS]
    return 2 <= len(words) <= 3 and all(
        w[:1].isupper() and w[1:].replace("-", "").islower() for w in words
    )


class _PatternSet:
    """Matcher patterns, each tried only around its anchor: a Matcher tests every pattern at
    every token, and a word list (`{"LOWER": {"IN": [...]}}`) in Python, which costs more
    than the model for a few dozen patterns. A pattern's anchor is its first fixed token
    with a word list that is not only articles ("groupe" in "le groupe X", "suisse" in
    "le suisse X", the verb of "X a levé"), found by a PhraseMatcher; each pattern runs on
    the few tokens around its anchors, a pattern over the organisations found only where one
    is in reach."""

    _FUNCTION_WORDS = frozenset(
        {"le", "la", "l'", "l’", "les", "un", "une", "de", "d'", "d’", "du", "des", "au", "aux"}
        | {","}
    )
    _UNBOUNDED = 8  # tokens a "+" or "*" is assumed to cover when sizing the windows
    _GAP = 4  # windows this close are matched in one call (a call costs some tokens' worth)

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self.matchers: dict[str, Matcher] = {}
        self.reach: dict[str, tuple[int, int]] = {}  # tokens before and after the anchor
        self.triggers = {
            "LOWER": PhraseMatcher(vocab, attr="LOWER"),
            "LEMMA": PhraseMatcher(vocab, attr="LEMMA"),
        }
        self.anywhere = Matcher(vocab)  # patterns without an anchor
        self.near_orgs: set[str] = set()

    def add(self, key: str, tokens: list[dict], greedy: str | None, after_orgs: bool) -> None:
        """`after_orgs`: the pattern has a token that stands for an organisation found."""
        anchor = self._anchor(tokens)
        if anchor is None:
            self.anywhere.add(key, [tokens], greedy=greedy)
            return
        self.matchers[key] = matcher = Matcher(self.vocab)
        matcher.add(key, [tokens], greedy=greedy)
        self.reach[key] = (
            sum(_max_width(t, self._UNBOUNDED) for t in tokens[:anchor]),
            sum(_max_width(t, self._UNBOUNDED) for t in tokens[anchor + 1 :]),
        )
        if after_orgs:
            self.near_orgs.add(key)
        attr, words = _word_list(tokens[anchor])
        trigger = attr if attr == "LEMMA" else "LOWER"
        phrases = [
            Doc(self.vocab, words=[w], lemmas=[w])
            if trigger == "LEMMA"
            else Doc(self.vocab, words=[w.lower()])
            for w in words
        ]
        self.triggers[trigger].add(key, phrases)

    def __call__(self, doc: Doc) -> tuple[list[tuple[int, int, int]], dict[str, list[int]]]:
        """Matches of the patterns, and the anchors of those to try after organisations."""
        anchors: dict[str, list[int]] = defaultdict(list)
        for matcher in self.triggers.values():
            for key, start, _ in matcher(doc) if len(matcher) else []:
                anchors[self.vocab.strings[key]].append(start)
        later = {key: anchors.pop(key) for key in self.near_orgs if key in anchors}
        anywhere = self.anywhere(doc) if len(self.anywhere) else []
        return [*anywhere, *self._around(doc, anchors)], later

    def near(
        self, doc: Doc, anchors: dict[str, list[int]], orgs: set[int]
    ) -> list[tuple[int, int, int]]:
        """Matches of the patterns over organisations, at anchors with one in reach."""
        close = {}
        for key, positions in anchors.items():
            before, after = self.reach[key]
            close[key] = [
                at for at in positions if any(i in orgs for i in range(at - before, at + after + 1))
            ]
        return self._around(doc, close)

    def _around(self, doc: Doc, anchors: dict[str, list[int]]) -> list[tuple[int, int, int]]:
        found = set()
        for key, positions in anchors.items():
            before, after = self.reach[key]
            windows: list[list[int]] = []
            for at in sorted(positions):
                start, end = max(0, at - before), min(len(doc), at + after + 1)
                if windows and start <= windows[-1][1] + self._GAP:
                    windows[-1][1] = max(windows[-1][1], end)
                else:
                    windows.append([start, end])
            matcher = self.matchers[key]
            for start, end in windows:
                found.update((m, start + s, start + e) for m, s, e in matcher(doc[start:end]))
        return sorted(found, key=lambda m: (m[1], m[2]))

    def _anchor(self, tokens: list[dict]) -> int | None:
        for index, token in enumerate(tokens):
            if "OP" in token:
                continue
            _, words = _word_list(token)
            if words and not self._FUNCTION_WORDS.issuperset(w.lower() for w in words):
                return index
        return None


def _word_list(token: dict) -> tuple[str | None, list[str]]:
    """("LOWER", ["groupe", ...]) for a token that is one of a list of words, else (None, [])."""
    for attr in ("LOWER", "TEXT", "ORTH", "LEMMA"):
        value = token.get(attr)
        if isinstance(value, str):
            return attr, [value]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return attr, list(value["IN"])
    return None, []


def _max_width(token: dict, unbounded: int) -> int:
    op = token.get("OP", "1")
    if op in ("?", "!", "1"):
        return 1
    if op in ("+", "*"):
        return unbounded
    low, _, high = op.strip("{}").partition(",")
    return int(high or low) if (high or "," not in op) else unbounded


@dataclass(frozen=True, slots=True)
class _Limits:
    blocked: set[int]  # products and amounts: never an organisation
    refused: set[int]  # names a refusing pattern points at, unless the gazetteer knows them
    people: set[int]  # the model's person names ("Thomas Verrier")
    stopped: list[tuple[int, int]]  # stoplist phrases in the text ("CAC 40")


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # token indices
    end: int
    name: str
    rank: int
    gazetteer: bool = False
    start_char: int | None = None  # set when the name starts inside a token ("ex-Facebook")


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
        not_organisations = rules.org_stoplist().not_organisations
        self.stoplist = {fold(w) for w in not_organisations}
        self.stop_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.stop_phrases.add("not-organisation", [nlp.make_doc(w) for w in not_organisations])
        self.suffixes = {fold(s) for s in rules.legal_suffixes().suffixes}
        self.patterns = _PatternSet(nlp.vocab)
        self.sides: dict[str, tuple[str, frozenset[str]]] = {}
        self.refusing: set[str] = set()  # patterns that say "no organisation here"
        for pattern in rules.org_patterns():
            tokens = [_ANY_WORD if rules.ORG_MARK in t.get("_", {}) else t for t in pattern.pattern]
            after_orgs = tokens != pattern.pattern
            # after organisations, overlapping matches are wanted: "KKR, Cinven et Providence"
            greedy = None if after_orgs else "LONGEST"
            self.patterns.add(pattern.id, tokens, greedy, after_orgs)
            self.sides[pattern.id] = (pattern.org, frozenset(pattern.veto))
            if pattern.refuses:
                self.refusing.add(pattern.id)

    # --- the pipe ------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents  # a new tuple of spans on each access: read once
        labels = self._model_labels(ents)
        orths = doc.count_by(ORTH)
        refused: set[int] = set()
        limits = _Limits(self._blocked(doc), refused, self._people(ents), self._stopped(doc))
        candidates = self._gazetteer_candidates(doc, labels)
        matches, later = self.patterns(doc)
        for cand in self._pattern_candidates(doc, matches, labels):
            if cand.rank < 0:  # a refusing pattern: "le plateau de Saclay"
                refused.update(range(cand.start, cand.end))
            else:
                candidates.append(cand)
        from_model = self._model_candidates(doc, ents, orths)
        candidates = [c for c in candidates if not _complement_of(c, from_model, doc)]
        chosen = self._choose([*candidates, *from_model], limits)
        for _ in range(2):  # "X, Y et Z": each pass reaches one more name of a list
            more = self._second_pass(doc, chosen, later, labels)
            if not more:
                break
            chosen = self._choose([*chosen, *more], limits, keep=len(chosen))
        chosen = self._repeat_names(doc, chosen, limits, orths)
        for cand in sorted(self._unify_names(doc, chosen), key=lambda c: c.start):
            span = doc[cand.start : cand.end]
            start = span.start_char if cand.start_char is None else cand.start_char
            record = {"label": "ORG", "start": start, "end": span.end_char, "name": cand.name}
            add_record(doc, record)
        return doc

    # --- what may not be a name -------------------------------------------------------------

    @staticmethod
    def _model_labels(ents: tuple[Span, ...]) -> dict[int, tuple[str, int]]:
        """token index -> (model label, length of the model's span)."""
        labels = {}
        for ent in ents:
            for i in range(ent.start, ent.end):
                labels[i] = (ent.label_, len(ent))
        return labels

    def _blocked(self, doc: Doc) -> set[int]:
        """Tokens no organisation may cover: products, amounts."""
        blocked: set[int] = set()
        for _, start, end in self.products(doc):
            blocked.update(range(start, end))
        for record in records(doc):  # "215 Md$ engrangés": no organisation inside an amount
            span = doc.char_span(record["start"], record["end"], alignment_mode="expand")
            if span is not None:
                blocked.update(range(span.start, span.end))
        return blocked

    @staticmethod
    def _people(ents: tuple[Span, ...]) -> set[int]:
        """Tokens of the model's person names shaped like one ("Thomas Verrier")."""
        return {
            i
            for ent in ents
            if ent.label_ == "PER" and _person_shaped(ent)
            for i in range(ent.start, ent.end)
        }

    def _stopped(self, doc: Doc) -> list[tuple[int, int]]:
        """Stoplist phrases found in the text ("CAC 40"): no name may lie inside one."""
        return [(start, end) for _, start, end in self.stop_phrases(doc)]

    # --- candidates -------------------------------------------------------------------------

    def _gazetteer_candidates(self, doc: Doc, labels) -> list[_Candidate]:
        out = []
        for match_id, start, end in self.aliases(doc):
            name = doc.vocab.strings[match_id]
            if not (_name_like(doc[start]) or not name[:1].isupper()):
                continue
            label = labels.get(start)
            if label and label[0] == "PER" and label[1] > end - start:
                continue  # "Alan" inside "Alan Turing"
            if _glued(doc, start, end):
                continue  # "HP" of "AP-HP"
            out.append(_Candidate(start, end, name, _NAME, gazetteer=True))
        spans = {(c.start, c.end) for c in out}
        return [c for c in out if not _surname(doc, c.start, c.end, spans)]

    def _pattern_candidates(self, doc: Doc, matches, labels) -> list[_Candidate]:
        """Names the patterns point at; rank -1 for names a refusing pattern points at."""
        out = []
        for match_id, start, end in matches:
            rule = doc.vocab.strings[match_id]
            side, veto = self.sides[rule]
            run = self._name_run(doc, start, end, side)
            if run is None:
                continue
            first, last = run
            rank = _NAME if (first, last) == (start, end) else _CONTEXT
            after_place = first > 0 and doc[first - 1].lower_ in _PLACE_PREPOSITIONS
            if side == "left" and rank == _CONTEXT and after_place:
                continue
            if rule in self.refusing:
                out.append(_Candidate(first, last, "", -1))
                continue
            if any(labels.get(i, ("", 0))[0] in veto for i in range(first, last)):
                continue
            if (
                "PER" in veto
                and _person_shaped(doc[first:last])
                and not any(labels.get(i, ("", 0))[0] == "ORG" for i in range(first, last))
            ):
                continue  # "Patrick Pouyanné l'a confirmé": a weak context, a person's name
            start_char = None
            text = doc[first].text
            if text.startswith(_FORMER) and len(text) > 3:  # "(ex-Facebook)" -> Facebook
                start_char = doc[first].idx + 3
            name = self._name_of(doc, first, last, start_char)
            out.append(_Candidate(first, last, name, rank, start_char=start_char))
        return out

    def _model_candidates(
        self, doc: Doc, ents: tuple[Span, ...], orths: dict[int, int]
    ) -> list[_Candidate]:
        """The model's ORG spans, cut at line breaks, without leading articles."""
        out = []
        for ent in ents:
            if ent.label_ != "ORG":
                continue
            end = ent.start
            while end < ent.end and not doc[end].is_space:
                end += 1
            span = self._trim(doc, ent.start, end)
            if span is None or _common_word(doc, *span, orths) or _glued(doc, *span):
                continue
            start, end = span
            if _rubric(doc, start, end):
                continue  # "Automobile : la Renault 5…"
            if end - start == 1 and doc[start].pos_ == "NOUN":
                # "Conseil constitutionnel", "Banque mondiale": the institution's adjective
                limit = min(len(doc), start + 3)
                while end < limit and doc[end].is_lower and doc[end].pos_ == "ADJ":
                    end += 1
            out.append(_Candidate(start, end, self._name_of(doc, start, end), _MODEL))
        return out

    def _second_pass(
        self, doc: Doc, chosen: list[_Candidate], anchors: dict[str, list[int]], labels
    ) -> list[_Candidate]:
        """Patterns over the organisations found: coordinations, acronyms in parentheses."""
        taken = {i for cand in chosen for i in range(cand.start, cand.end)}
        anchored = [  # the end opposite the name is an organisation already found
            (match_id, start, end)
            for match_id, start, end in self.patterns.near(doc, anchors, taken)
            if (start if self.sides[doc.vocab.strings[match_id]][0] == "right" else end - 1)
            in taken
        ]
        found = self._pattern_candidates(doc, anchored, labels)
        return [
            _Candidate(c.start, c.end, c.name, _DERIVED)
            for c in found
            if c.rank >= 0 and not taken & set(range(c.start, c.end))
        ]

    # --- choosing ---------------------------------------------------------------------------

    def _choose(
        self, candidates: list[_Candidate], limits: _Limits, keep: int = 0
    ) -> list[_Candidate]:
        """Non-overlapping names, best source first, then longest; the first `keep` stay."""
        kept = candidates[:keep]
        taken = {i for c in kept for i in range(c.start, c.end)}
        order = sorted(
            candidates[keep:], key=lambda c: (c.rank, -(c.end - c.start), not c.gazetteer, c.start)
        )
        for cand in order:
            tokens = set(range(cand.start, cand.end))
            if tokens & taken or tokens & limits.blocked:
                continue
            if not cand.gazetteer:
                if tokens & limits.refused or not self._acceptable(cand, limits.stopped):
                    continue
                if cand.rank != _NAME and tokens & limits.people:
                    continue
            taken |= tokens
            kept.append(cand)
        return kept

    def _acceptable(self, cand: _Candidate, stopped: list[tuple[int, int]]) -> bool:
        key = fold(cand.name)
        if key in self.stoplist or len(key) < 2 or not any(c.isalpha() for c in key):
            return False
        if any(s <= cand.start and cand.end <= e for s, e in stopped):
            return False  # "CAC" of "CAC 40"
        words = cand.name.split()
        capitalised = [w for w in words if w[:1].isupper()]
        if len(capitalised) < len(words) and all(fold(w) in self.stoplist for w in capitalised):
            return False  # "Bourse de l'année", "Bourse de Paris"
        return not _is_code(cand.name)

    # --- one organisation, one name ---------------------------------------------------------

    def _repeat_names(
        self, doc: Doc, chosen: list[_Candidate], limits: _Limits, orths: dict[int, int]
    ) -> list[_Candidate]:
        """A name found once is found wherever the text repeats it; after a long form
        ("Alderis Therapeutics"), its short form ("Alderis") names the same organisation."""
        found: dict[tuple[str, ...], str] = {}
        longs: dict[str, set[str]] = defaultdict(set)
        since: dict[str, int] = {}
        for cand in chosen:
            if cand.start_char is not None:
                continue
            words = tuple(t.text for t in doc[cand.start : cand.end])
            if not cand.gazetteer:  # the gazetteer found its names everywhere already
                found.setdefault(words, cand.name)
            if len(words) > 1 and self._has_short_form(doc, cand, orths):
                longs[words[0]].add(cand.name)
                since[words[0]] = min(since.get(words[0], cand.start), cand.start)
        # "Bouygues Telecom" and "Bouygues Construction": "Bouygues" is neither
        short = {w: (next(iter(names)), since[w]) for w, names in longs.items() if len(names) == 1}

        def name_at(words: tuple[str, ...], start: int) -> str | None:
            if len(words) == 1 and words[0] in short and start >= short[words[0]][1]:
                return short[words[0]][0]
            return found.get(words)

        if not found and not short:
            return chosen
        renamed = []
        for cand in chosen:
            if not cand.gazetteer and cand.end - cand.start == 1:
                name = name_at((doc[cand.start].text,), cand.start) or cand.name
                cand = _Candidate(cand.start, cand.end, name, cand.rank, start_char=cand.start_char)
            renamed.append(cand)
        orth = doc.to_array(ORTH)
        extra = []
        for words in {*found, *((w,) for w in short)}:
            hashes = [doc.vocab.strings[w] for w in words]
            for start in numpy.flatnonzero(orth == hashes[0]).tolist():
                end = start + len(words)
                if end > len(doc) or any(orth[start + k] != h for k, h in enumerate(hashes)):
                    continue
                before = doc[start - 1] if start > 0 else None
                after = doc[end] if end < len(doc) else None
                if any(t is not None and _name_like(t) and not t.is_stop for t in (before, after)):
                    continue  # inside a longer name: "Renault" of "Renault Trucks"
                if _common_word(doc, start, end, orths):
                    continue
                name = name_at(words, start)
                if name is not None:
                    extra.append(_Candidate(start, end, name, _DERIVED))
        return self._choose([*renamed, *extra], limits, keep=len(renamed))

    def _has_short_form(self, doc: Doc, cand: _Candidate, orths: dict[int, int]) -> bool:
        """ "Alderis Therapeutics" may be called "Alderis"; "Leapmotor International" not,
        nor "Groupe ADP" "Groupe" (a word the text also writes in lower case)."""
        tokens = doc[cand.start : cand.end]
        first, tail = tokens[0], tokens[-1]
        if not all(_name_like(t) or t.text in _JOINERS for t in tokens):
            return False
        if not any(c.isalpha() for c in first.text) or len(first.text) < 3 or first.is_stop:
            return False
        if hash_string(first.lower_) in orths:
            return False
        if fold(first.text) in self.canonical or fold(first.text) in self.stoplist:
            return False
        # a place or "International" after the short form names a subsidiary of it
        return fold(tail.text) not in self.stoplist and fold(tail.text) != "international"

    def _known(self, name: str) -> bool:
        return fold(name) in self.canonical

    def _unify_names(self, doc: Doc, chosen: list[_Candidate]) -> list[_Candidate]:
        """ "LUMIVER", "Lumiver SA" and "Lumiver" are one organisation with one name."""
        groups: dict[str, list[str]] = defaultdict(list)
        for cand in chosen:
            groups[self._key(cand.name)].append(cand.name)
        best = {}
        for key, names in groups.items():
            known = [n for n in names if self._known(n)]
            best[key] = known[0] if known else max(names, key=lambda n: self._preference(n, names))
        return [
            _Candidate(c.start, c.end, best[self._key(c.name)], c.rank, c.gazetteer, c.start_char)
            for c in chosen
        ]

    def _preference(self, name: str, names: list[str]) -> tuple:
        """ "Hexalto" before "HEXALTO" and "Hexalto SA"; else the longest, then the first."""
        words = name.split()
        suffixed = len(words) > 1 and fold(words[-1]).strip(".") in self.suffixes
        return (not name.isupper(), not suffixed, len(words), -names.index(name))

    def _key(self, name: str) -> str:
        words = fold(name).split()
        while len(words) > 1 and words[-1].strip(".") in self.suffixes:
            words.pop()
        return " ".join(words)

    # --- names ------------------------------------------------------------------------------

    def _name_run(self, doc: Doc, start: int, end: int, side: str) -> tuple[int, int] | None:
        """The name at one end of a match, grown over the rest of the name outside it."""
        if side == "right":
            first = end
            while first > start and _name_like(doc[first - 1]):
                first -= 1
            if first == end:
                return None
            last = _grow(doc, end, +1)
        else:
            last = start
            while last < end and _name_like(doc[last]):
                last += 1
            if last == start:
                return None
            first = _grow(doc, start - 1, -1) + 1
        return self._trim(doc, first, last)

    def _trim(self, doc: Doc, start: int, end: int) -> tuple[int, int] | None:
        """Drop leading articles and sentence words, trailing punctuation; refuse no-names."""
        while start < end and (
            doc[start].lower_ in _LEADING
            or (doc[start].is_stop and end - start > 1 and not doc[start].is_upper)
        ):
            start += 1
        while end > start and (
            doc[end - 1].text in _TRAILING_PUNCT
            or doc[end - 1].text in _JOINERS
            or doc[end - 1].lower_ in {"de", "des", "du", "et"}
        ):
            end -= 1
        if start >= end or end - start > _MAX_TOKENS or not _name_like(doc[start]):
            return None
        if end - start == 1 and doc[start].is_stop and not doc[start].is_upper:
            return None  # "Elle revendique…", "Il emploie…"
        if not any(c.isalpha() for c in doc[start].text) or _is_year(doc[start]):
            return None
        return start, end

    def _name_of(self, doc: Doc, start: int, end: int, start_char: int | None = None) -> str:
        text = doc[start:end].text
        if start_char is not None:
            text = text[start_char - doc[start].idx :]
        text = " ".join(text.split()).strip(_TRAILING_PUNCT + " ")
        key = fold(text)
        if key in self.canonical:
            return self.canonical[key]
        stripped = self._key(text)
        return self.canonical.get(stripped, text)


def _grow(doc: Doc, i: int, step: int) -> int:
    """From token i outwards: the index just past the last token of the name."""
    n = len(doc)
    while 0 <= i < n:
        token = doc[i]
        if _name_like(token) and not _is_year(token):
            i += step
            continue
        joiner = token.text in _JOINERS or token.text in _ENGLISH_JOINERS
        joined = joiner and 0 <= i + step < n and _name_like(doc[i + step])
        tight = i > 0 and not (token.whitespace_ or doc[i - 1].whitespace_)
        if joined and (token.text not in "-–" or tight):
            i += step
            continue
        break
    return i


def _complement_of(cand: _Candidate, spans: list[_Candidate], doc: Doc) -> bool:
    """ "État" in the model's "Conseil d'État": a known name completing a longer one."""
    return (
        cand.gazetteer
        and cand.start > 0
        and doc[cand.start - 1].lower_ in {"de", "d'", "d’", "du", "des"}
        and any(s.start < cand.start and cand.end <= s.end for s in spans)
    )


def _surname(doc: Doc, start: int, end: int, known: set[tuple[int, int]]) -> bool:
    """ "Leclerc" in "Michel-Édouard Leclerc": a known one-word name after first names."""
    if end - start != 1:
        return False
    first = _grow(doc, start - 1, -1) + 1
    while first < start and doc[first].is_stop:
        first += 1
    if first == start or any(s < start and e > first for s, e in known):
        return False
    return _person_shaped(doc[first:end])


def _rubric(doc: Doc, start: int, end: int) -> bool:
    """ "Luxe : Kering cède…", "Capital-risque : Asterion…": a word (or a compound whose
    other parts are lower case) opening a line before a colon heads the article."""
    opens = start == 0 or doc[start - 1].is_space
    rest = all(t.is_lower or t.text in _JOINERS for t in doc[start + 1 : end])
    return opens and rest and end < len(doc) and doc[end].text == ":"


def _glued(doc: Doc, start: int, end: int) -> bool:
    """A name hyphenated to the next or previous word is part of a longer one."""
    before = start >= 2 and doc[start - 1].text in _JOINERS and not doc[start - 2].whitespace_
    after = end + 1 < len(doc) and doc[end].text in _JOINERS and not doc[end - 1].whitespace_
    return (before and not doc[start - 1].whitespace_) or (after and not doc[end].whitespace_)


def _common_word(doc: Doc, start: int, end: int, orths: dict[int, int]) -> bool:
    """ "Batteries : EDF entre au capital…": a capitalised word the text also writes in
    lower case, at the head of a sentence or a title, is no name."""
    if end - start != 1:
        return False
    token = doc[start]
    if not (token.is_sent_start or start == 0 or doc[start - 1].is_space):
        return False
    if token.is_stop:
        return True
    return token.lower_ != token.text and hash_string(token.lower_) in orths


def _is_code(name: str) -> bool:
    """ "ALD-104", "A320": a product or drug code, not a company."""
    letters = [c for c in name if c.isalpha()]
    digits = [c for c in name if c.isdigit()]
    return (
        bool(letters)
        and all(c.isupper() for c in letters)
        and len(letters) <= 5
        and (len(digits) >= 3 or ("-" in name and digits))
        and " " not in name
    )


@Language.factory(
    "finfacts_organisations_v1", assigns=["doc.spans", "doc.user_data"], requires=["doc.ents"]
)
def make_organisation_ruler(nlp: Language, name: str) -> OrganisationRuler:
    """`nlp.add_pipe("finfacts_organisations_v1")` after "ner": organisations, canonical names."""
    return OrganisationRuler(nlp)
