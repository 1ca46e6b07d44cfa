"""Turns the entities of one parsed text into the contract's facts.

For each amount, in its sentence: the trigger nearest to it in its clause gives the type
("levée de fonds" -> funding_round, "chiffre d'affaires" -> revenue); the organisations
around it, by the words before them ("mené par", "via", "par", "de"), give subject and
counterparty; cue words in its own stretch of text give status, date and attributes;
"selon X" gives attributed_to. Repeated mentions become one fact.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import spacy
from spacy.tokens import Doc, Span

from .. import rules
from ..components import doc_text
from ..schema import Entity, Evidence, Fact, Period
from .lexicon import PhraseGroup, PhraseIndex
from .views import VIEWS_KEY, TokenViews, views_of

NOT_A_FACT = "none"
TRIGGER_REACH = 12  # tokens between a trigger and its amount, at most
MONEY_TYPES = frozenset(
    {
        "funding_round",
        "investment",
        "valuation",
        "revenue",
        "profit",
        "loss",
        "spending",
        "acquisition",
        "contract",
    }
)
USER_METRICS = ("users", "subscribers", "customers", "accounts", "members", "households")
HEADCOUNT_METRICS = ("employees", "jobs", "hires", "job_cuts")
PRODUCTION_METRICS = ("vehicles", "aircraft", "units")
STATUS_ORDER = ("conditional", "target", "forecast", "planned", "announced")
_CONDITIONAL_ENDINGS = ("rait", "raient")
_FUTURE_ENDINGS = ("era", "eront", "ira", "iront", "ra", "ront")
_JOINERS = frozenset({"et", ",", "dont", "ou", "soit", "contre"})
_DEFINITE = ("la", "le", "l'", "l’")
_COMPARATIVES = frozenset({"soit", "contre", "que", "qu'", "qu’", "face", "versus", "vs"})
_CONTINUERS = frozenset(
    {"dont", "soit", "et", "contre", "au-dessus", "au-dessous", "deçà", "face", "vs", "versus"}
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@dataclass
class _Org:
    name: str
    start: int  # token indices
    end: int
    role: str = "plain"  # plain, lead, agent, provider, target, of, attribution
    media: bool = False


@dataclass
class _Amount:
    entity: Entity
    start: int
    end: int
    fact_index: int | None = None
    status: str | None = None
    period: Period | None = None


@dataclass
class _Lexicons:
    triggers: PhraseIndex
    status: PhraseIndex
    roles: PhraseIndex
    attribution_before: PhraseIndex
    attribution_after: PhraseIndex
    anaphors: PhraseIndex
    not_orgs: PhraseIndex
    basis: PhraseIndex
    rounds: PhraseIndex
    tranches: PhraseIndex
    headcount: PhraseIndex
    products: PhraseIndex
    measures: PhraseIndex
    investor_verbs: PhraseIndex
    clause_marks: frozenset[str]
    stake_words: frozenset[str]
    rise_words: frozenset[str]
    fall_words: frozenset[str]
    observers: frozenset[str] = frozenset()
    investor_nouns: PhraseIndex | None = None
    sole_investor: PhraseIndex | None = None
    investors: frozenset[str] = frozenset()
    public_bodies: frozenset[str] = frozenset()
    media: frozenset[str] = field(default_factory=frozenset)


@cache
def _lexicons() -> _Lexicons:
    """The facts step's lexicons from rules/facts and the gazetteer, tokenised like French text."""
    nlp = spacy.blank("fr")
    group = PhraseGroup()  # every index of the facts step, looked up in one pass per doc
    context = rules.fact_context()
    triggers = PhraseIndex(nlp, group)
    table = rules.fact_triggers()
    for fact_type, trigger_set in table.types.items():
        triggers.update(trigger_set.phrases, fact_type)
    triggers.update(table.not_facts.phrases, NOT_A_FACT)
    status = PhraseIndex(nlp, group)
    for name, cues in context.status.items():
        status.update(cues, name)
    roles = PhraseIndex(nlp, group)
    for name in ("lead", "agent", "provider", "target", "supplier", "venue"):
        roles.update(getattr(context.roles, name), name)

    def index(phrases, value=True):
        table = PhraseIndex(nlp, group)
        table.update(phrases, value)
        return table

    def index_map(mapping):
        table = PhraseIndex(nlp, group)
        for value, phrases in mapping.items():
            table.update(phrases, value)
        return table

    gazetteer = rules.gazetteer()
    products = PhraseIndex(nlp, group)
    for product in gazetteer.products:
        products.update((product.name, *product.aliases), product.name)
    attrs = context.attributes
    return _Lexicons(
        triggers=triggers,
        status=status,
        roles=roles,
        attribution_before=index(context.attribution_before),
        attribution_after=index(context.attribution_after),
        anaphors=index(context.anaphors),
        not_orgs=index(context.not_organisations),
        basis=index_map(attrs.basis),
        rounds=index_map(attrs.rounds),
        tranches=index_map(attrs.tranches),
        headcount=index_map(attrs.headcount_metrics),
        products=products,
        measures=index_map(context.measures),
        investor_verbs=index_map(context.round_investor_verbs),
        clause_marks=frozenset(context.clause_marks),
        stake_words=frozenset(_fold(w) for w in attrs.stake_words),
        rise_words=frozenset(_fold(w) for w in attrs.rise_words),
        fall_words=frozenset(_fold(w) for w in attrs.fall_words),
        observers=frozenset(w.lower() for w in context.observers),
        investor_nouns=index(context.investor_nouns),
        sole_investor=index(context.sole_investor_cues),
        investors=frozenset(_fold(o.name) for o in gazetteer.organisations if o.kind == "investor"),
        public_bodies=frozenset(o.name for o in gazetteer.organisations if o.kind == "public_body"),
        media=frozenset(o.name for o in gazetteer.organisations if o.kind == "media"),
    )


def assemble(
    doc: Doc, entities: list[Entity], published: dt.date | None, offset: int = 0
) -> list[Fact]:
    """The facts of one parsed piece of text (entities carry offsets into the whole text)."""
    if not entities:
        return []
    try:
        return _Assembler(doc, entities, offset).run()
    finally:
        doc.user_data.pop(VIEWS_KEY, None)  # the word/lemma views are scratch data


class _Assembler:
    def __init__(self, doc: Doc, entities: list[Entity], offset: int) -> None:
        self.doc = doc
        self.offset = offset
        self.lex = _lexicons()
        self.triggers = self.lex.triggers.matches(doc)
        self.cues = self.lex.status.matches(doc)
        self.orgs: list[_Org] = []
        self.amounts: list[_Amount] = []
        self.dates: list[tuple[int, int, Period | None]] = []
        self.percents: list[tuple[int, int, Entity]] = []
        for entity in entities:
            span = doc.char_span(
                entity.start - offset, entity.end - offset, alignment_mode="expand"
            )
            if span is None:
                continue
            if entity.label == "ORG":
                self.orgs.append(
                    _Org(
                        entity.name or entity.text,
                        span.start,
                        span.end,
                        media=(entity.name or "") in self.lex.media,
                    )
                )
            elif entity.label in ("MONEY", "QUANTITY", "COUNT"):
                self.amounts.append(_Amount(entity, span.start, span.end))
            elif entity.label == "DATE":
                self.dates.append((span.start, span.end, entity.period))
            elif entity.label == "PERCENT":
                self.percents.append((span.start, span.end, entity))
        self.v = views = views_of(doc)  # token attributes as lists, once per doc
        self.words, self.lowers, self.texts = views.words, views.lowers, views.texts
        self.spaced = views.spaced
        self.text = doc_text(doc)
        self.sentences = _sentences(doc, views)
        self._segments: dict[int, tuple[set[int], list[tuple[int, int]]]] = {}
        self._investors: set[str] | None = None  # organisations named after "le fonds"...
        self._mark_roles()
        # a trigger word inside a name is no trigger ("Bouygues Construction")
        inside = {i for o in self.orgs for i in range(o.start, o.end)}
        self.triggers = [m for m in self.triggers if m[0] not in inside]
        self.focus = self._focus()
        self.facts: list[Fact] = []

    def _focus(self) -> str | None:
        """The organisation the article is about: the one it names most, the earliest on a tie."""
        counts: dict[str, list[int]] = {}
        for org in self.orgs:
            if org.media or org.role not in ("plain", "lead_subject", "of"):
                continue
            counts.setdefault(_fold(org.name), [0, org.start, org.name])[0] += 1
        if not counts:
            return None
        return max(counts.values(), key=lambda c: (c[0], -c[1]))[2]

    # --- organisations' roles --------------------------------------------------------

    def _mark_roles(self) -> None:
        doc = self.doc
        for org in self.orgs:
            before = self._phrase_before(self.lex.attribution_before, org.start)
            after = self.lex.attribution_after.matches(doc, org.end, min(len(doc), org.end + 1))
            if before is not None or (after and org.start == doc[org.start].sent.start):
                org.role = "attribution"
                continue
            if after and org.start > 0 and self.texts[org.start - 1] in (",", "a"):
                org.role = "attribution"  # "..., rapporte Reuters" written as "a indiqué X"
                continue
            marked, at = self._marker_before(org.start)
            if marked is not None and self._opens_sentence(at) and self.lowers[at - 1] == "chez":
                continue  # "Chez Danone, les ventes ont progressé...": the sentence's subject
            if marked == "lead" and self.texts[org.start - 1] == ",":
                org.role = "lead_subject"  # "À sa tête, Amazon s'engage...": lead and subject
                continue
            if marked is not None:
                org.role = {"supplier": "of"}.get(marked, marked)
                if marked in ("target", "supplier", "provider"):
                    # only a bare "de X" is a possessor: "auprès de la SNCF" stays a provider
                    bare = (
                        at > 0
                        and self.lex.roles.ending_at(doc, at) is not None
                        and (self.lex.roles.ending_at(doc, at)[0] == at - 1)
                    )
                    word = _fold(self.texts[at - 1]) if bare else ""
                    org.role = {"de": "of", "d'": "of", "du": "of", "des": "of"}.get(word, marked)
                    if word in ("à", "au"):
                        org.role = "to"

    def _marker_before(self, i: int) -> tuple[str | None, int]:
        """The role phrase before an organisation, over a short noun phrase ("via l'infrastructure
        AWS", "auprès du fonds Partech") and a comma ("À sa tête, Amazon")."""
        doc = self.doc
        position = i
        for _ in range(4):
            position = self._skip_articles_back(position)
            if position > 0 and self.texts[position - 1] == ",":
                position -= 1
            hit = self.lex.roles.ending_at(doc, position)
            if hit is not None:
                skipped_nouns = any(p in ("NOUN", "ADJ") for p in self.v.pos[position:i])
                if hit[1] in ("agent", "target") and skipped_nouns:
                    return None, i  # "stockage par batteries Zenobē": "par" governs "batteries"
                return hit[1], position
            if position == 0:
                break
            previous_pos, previous_text = self.v.pos[position - 1], self.texts[position - 1]
            if previous_pos not in ("NOUN", "ADJ", "PROPN") or previous_text[:1].isupper():
                break
            position -= 1
        return None, i

    def _opens_sentence(self, i: int) -> bool:
        """Whether token i-1 is the first word of its sentence."""
        return i >= 1 and (i == 1 or self.texts[i - 2] in ".!?\n" or "\n" in self.texts[i - 2])

    def _skip_articles_back(self, i: int) -> int:
        while i > 0 and _fold(self.texts[i - 1]) in ("le", "la", "les", "l'"):
            i -= 1
        return i

    def _phrase_before(self, index: PhraseIndex, i: int):
        hit = index.ending_at(self.doc, self._skip_articles_back(i))
        return hit[1] if hit else None

    # --- main loop --------------------------------------------------------------------

    def run(self) -> list[Fact]:
        for sent in self.sentences:
            if self._is_title(sent):
                continue  # a headline restates, rounded, what the article says in full
            amounts = [a for a in self.amounts if sent.start <= a.start < sent.end]
            for k in range(len(amounts)):
                self._amount_fact(sent, amounts, k)
        self._late_leads()
        return self.facts

    def _late_leads(self) -> None:
        """ "À sa tête, Amazon ..." in the sentence after the round: the round's lead."""
        for org in self.orgs:
            if org.role not in ("lead", "lead_subject"):
                continue
            earlier = [
                i
                for i, f in enumerate(self.facts)
                if f.type == "funding_round"
                and f.evidence.start - self.offset <= self.doc[org.start].idx
            ]
            if earlier and self.facts[earlier[-1]].counterparty is None:
                i = earlier[-1]
                if _fold(self.facts[i].subject) != _fold(org.name):
                    self.facts[i] = self.facts[i].model_copy(update={"counterparty": org.name})

    def _segment(self, sent: Span, i: int) -> tuple[int, int]:
        """The clause of token i. A parenthesis bounds only what it encloses: outside it, the
        clause runs on ("Les investissements (eCapex) restent maîtrisés, à 4,3 milliards")."""
        words, marks = self.words, self.lex.clause_marks
        start, end = sent.start, sent.end
        asides, dashes = self._asides(sent)
        inside = asides
        if dashes:  # outside a dashed aside, its dashes cut nothing
            outside = [d for pair in dashes if not pair[0] <= i <= pair[1] for d in pair]
            inside = asides.union(outside) if outside else asides
        in_parens = i in inside
        for j in range(sent.start, sent.end):
            word = words[j]
            if not in_parens and (word in ("(", ")") or j in inside):
                continue
            spaced_dash = word == "-" and self.spaced[j] and j > 0 and self.spaced[j - 1]
            if word in marks or spaced_dash:
                if j < i:
                    start = j + 1
                else:
                    end = j
                    break
        return start, end

    def _is_investor(self, name: str) -> bool:
        """An investor by the gazetteer, or named after an investor noun ("le fonds X")."""
        if _fold(name) in self.lex.investors:
            return True
        if self._investors is None:
            ends = {end for start, end, _ in self.lex.investor_nouns.matches(self.doc)}
            self._investors = {
                _fold(o.name) for o in self.orgs if any(o.start - k in ends for k in range(4))
            }
        return _fold(name) in self._investors

    def _asides(self, sent: Span) -> tuple[set[int], list[tuple[int, int]]]:
        """The tokens inside parentheses or a pair of dashes ("L'Ebitdaal – l'indicateur du
        secteur – ressort à"), and the pairs of dashes, once per sentence."""
        cached = self._segments.get(sent.start)
        if cached is not None:
            return cached
        words = self.words
        depth, inside = 0, set()
        for j in range(sent.start, sent.end):
            if words[j] == "(":
                depth += 1
            elif words[j] == ")":
                depth = max(0, depth - 1)
            elif depth:
                inside.add(j)
        dashes = [j for j in range(sent.start, sent.end) if words[j] in ("–", "—")]
        pairs = list(zip(dashes[::2], dashes[1::2], strict=False))
        for open_at, close_at in pairs:
            inside.update(range(open_at + 1, close_at))
        self._segments[sent.start] = inside, pairs
        return inside, pairs

    def _amount_fact(self, sent: Span, amounts: list[_Amount], k: int) -> None:
        amount = amounts[k]
        seg_start, seg_end = self._segment(sent, amount.start)
        previous = next((a for a in reversed(amounts[:k]) if a.end > seg_start), None)
        following = next((a for a in amounts[k + 1 :] if a.start < seg_end), None)
        win_start = self._split_after(previous.end, amount.start) if previous else seg_start
        # what follows an amount is its own up to the next "," / "et" / "dont" or amount
        win_end = self._split_before(amount.end, following.start if following else seg_end)
        if self._is_conversion(amount, previous) or self._restates(amount):
            return
        fact_type = self._type(amount, seg_start, seg_end)
        continued = (
            previous
            if (amount.entity.quantity and previous and self._continues(amount, previous))
            else None
        )
        if (
            fact_type is None
            and continued is not None
            and continued.fact_index is not None
            # "..., plombée par 3,3 milliards de charges": said to be no fact, not continued
            and self._nearest_trigger(amount, seg_start, seg_end, MONEY_TYPES) != NOT_A_FACT
        ):
            fact_type = self.facts[continued.fact_index].type
        if fact_type is None:
            return
        subject, counterparty, subjects = self._roles(
            fact_type, amount, sent, seg_start, seg_end, win_start, win_end
        )
        if fact_type == "spending" and subject is not None and self._is_investor(subject):
            # "Le fonds compte déployer 150 millions": an investor's money goes into companies
            fact_type = "investment"
            subject, counterparty, subjects = self._roles(
                fact_type, amount, sent, seg_start, seg_end, win_start, win_end
            )
        if continued is not None and continued.fact_index is not None and subject is None:
            source = self.facts[continued.fact_index]
            subject, counterparty, fact_type = source.subject, source.counterparty, source.type
            subjects = [subject]
        if subject is None:
            return
        if (
            any(w in ("chacun", "chacune") for w in self.lowers[win_start:win_end])
            and fact_type == "funding_round"
        ):
            fact_type, counterparty = "investment", self.focus
        status = self._status(
            amount, previous, win_start, win_end, following.start if following else seg_end
        )
        period = self._period(amount, previous, win_start, win_end)
        if (
            fact_type in ("headcount", "user_count", "capacity")
            and period is not None
            and not any(win_start <= d[0] < win_end for d in self.dates)
        ):
            period = (
                None if not (previous and not self._has_verb(previous.end, win_end)) else period
            )
        wide_end = following.start if following else seg_end
        attributes = self._attributes(
            fact_type, amount, sent, seg_start, seg_end, win_start, win_end, continued, wide_end
        )
        attributed_to = self._attribution(sent, seg_start, seg_end)
        amount.status, amount.period = status, period
        sole = self._sole_investor(win_start, wide_end) if fact_type == "funding_round" else None
        if sole is not None and counterparty is None:
            counterparty = sole  # "une rallonge de 40 M$, entièrement souscrite par Sequoia"
        for name in subjects:
            if name == counterparty:
                counterparty = None if fact_type != "funding_round" else counterparty
            fact = Fact(
                type=fact_type,
                subject=name,
                counterparty=counterparty if counterparty != name else None,
                quantity=amount.entity.quantity,
                period=period,
                status=status,
                attributes=attributes,
                attributed_to=attributed_to,
                evidence=Evidence(
                    start=sent.start_char + self.offset,
                    end=sent.end_char + self.offset,
                    text=self.text[sent.start_char : sent.end_char],
                ),
            )
            amount.fact_index = self._add(fact)
            if sole is not None and fact.counterparty == sole:
                # the round's one investor: its money is an investment in the company
                self._add(
                    fact.model_copy(
                        update={
                            "type": "investment",
                            "subject": fact.counterparty,
                            "counterparty": fact.subject,
                        }
                    )
                )

    def _sole_investor(self, start: int, end: int) -> str | None:
        """The organisation a sole-investor cue names ("entièrement souscrite par Sequoia"),
        between tokens start and end."""
        for _, cue_end, _ in self.lex.sole_investor.matches(self.doc, start, end):
            named = next((o for o in self.orgs if cue_end <= o.start <= cue_end + 2), None)
            if named is not None:
                return named.name
        return None

    def _aside_length(self, start: int, end: int) -> int:
        """Tokens of a comma-enclosed aside after a name, between start and end: "s'offrir
        Accountable, spécialisée dans les déclarations fiscales, pour 10 M€"."""
        ends = {o.end for o in self.orgs}
        commas = [j for j in range(start, end) if self.texts[j] == ","]
        for first, second in zip(commas, commas[1:], strict=False):
            if first in ends:
                return second - first + 1
        return 0

    def _is_conversion(self, amount: _Amount, previous: _Amount | None) -> bool:
        """ "4 milliards d'euros, soit près de 4,7 milliards de dollars", "640 M£ (740 M€)": the
        same amount in another currency is no fact of its own."""
        if previous is None or amount.entity.label != "MONEY" or previous.entity.label != "MONEY":
            return False
        if amount.entity.quantity.unit == previous.entity.quantity.unit:
            return False
        between = self.lowers[previous.end : amount.start]
        return len(between) <= 6 and bool({"soit", "("} & set(between))

    def _restates(self, amount: _Amount) -> bool:
        """ "Ces 150 millions d'euros doivent financer...": a demonstrative points back to a
        figure already given."""
        if amount.start == 0 or self.lowers[amount.start - 1] not in ("ces", "ce", "cette"):
            return False
        q = amount.entity.quantity
        return any(
            f.quantity.unit == q.unit and abs(f.quantity.value - q.value) <= 1e-9 * abs(q.value)
            for f in self.facts
        )

    def _split_after(self, start: int, end: int) -> int:
        """Between two amounts, what follows the last "et" / "," / "dont" is the later one's."""
        for i in range(end - 1, start - 1, -1):
            if self.lowers[i] in _JOINERS:
                return i + 1
        return start

    def _split_before(self, start: int, end: int) -> int:
        """Between two amounts, what precedes the first "et" / "," / "dont" is the earlier one's."""
        for i in range(start, end):
            if self.lowers[i] in _JOINERS:
                return i
        return end

    def _continues(self, amount: _Amount, previous: _Amount) -> bool:
        """ "dont 15 milliards", "contre 9,8 millions un an plus tôt", "au-dessus des 36,1
        milliards attendus": an amount that details or is compared with the one before it."""
        between = set(self.lowers[previous.end : amount.start])
        return bool(between & _CONTINUERS) and amount.entity.label == previous.entity.label

    # --- type --------------------------------------------------------------------------

    def _type(self, amount: _Amount, seg_start: int, seg_end: int) -> str | None:
        entity = amount.entity
        q = entity.quantity

        def nearest(allowed):
            found = self._nearest_trigger(amount, seg_start, seg_end, allowed)
            return found if found != NOT_A_FACT else None

        if entity.label == "MONEY":
            return nearest(MONEY_TYPES)
        if entity.label == "QUANTITY":
            if q.unit in ("W", "Wh", "t"):
                kind = nearest({"capacity", "production"})
                return kind or ("capacity" if q.unit == "W" else None)
            return None
        metric = _metric_of(entity, self.doc)
        if metric is None:
            return None
        if any(metric.endswith(m) for m in USER_METRICS):
            return "user_count"
        if metric in HEADCOUNT_METRICS or metric == "people":
            return "headcount"
        if metric in PRODUCTION_METRICS:
            return "production" if nearest({"production"}) else None
        return None

    def _nearest_trigger(
        self, amount: _Amount, seg_start: int, seg_end: int, allowed
    ) -> str | None:
        """The type of the trigger nearest to the amount in its clause, among `allowed` and
        the not-a-fact words ("dette", "charges": then NOT_A_FACT), None when none is in reach."""
        best = None
        for s, e, t in self.triggers:
            if not (seg_start <= s and e <= seg_end) or (t not in allowed and t != NOT_A_FACT):
                continue
            if e <= amount.start:
                distance = amount.start - e - self._aside_length(e, amount.start)
                if distance <= 1 or (distance == 2 and self.lowers[e] in ("de", "d'", "d’", "à")):
                    distance = 0
            elif s >= amount.end:
                # a trigger after the amount counts only when attached to it
                # ("218 Md$ d'investissements"); otherwise the one before is the verb
                distance = s - amount.end + 4
                if s - amount.end <= 1 and self.lowers[amount.end] in ("de", "d'", "d’"):
                    distance = 0
            else:
                distance = 0
            if distance <= TRIGGER_REACH and (best is None or distance < best[0]):
                best = (distance, t)
        return best[1] if best else None

    # --- roles ---------------------------------------------------------------------------

    def _roles(self, fact_type, amount, sent, seg_start, seg_end, win_start, win_end):
        in_sent = [
            o
            for o in self.orgs
            if sent.start <= o.start < sent.end and o.role != "attribution" and not o.media
        ]
        in_seg = [o for o in in_sent if seg_start <= o.start < seg_end]

        def pick(role, pool, before=None):
            found = [
                o
                for o in pool
                if o.role == role and (before is None or (o.start < amount.start) == before)
            ]
            if not found:
                return None
            return min(found, key=lambda o: abs(o.start - amount.start))

        subjectish = ("plain", "lead_subject")
        own = [
            o
            for o in in_seg
            if win_start <= o.start < amount.start and o.role in (*subjectish, "of")
        ]
        plain_before = [o for o in in_seg if o.role in subjectish and o.start < amount.start]
        if own and fact_type not in (
            "funding_round",
            "investment",
            "acquisition",
            "contract",
            "capacity",
        ):
            plain_before = plain_before + [o for o in own if o not in plain_before]
            plain_before.sort(key=lambda o: o.start)
        plain_sent_before = [o for o in in_sent if o.role in subjectish and o.start < amount.start]
        subject_org = (plain_before or plain_sent_before or [None])[-1]
        trigger_at = self._trigger_start(fact_type, amount, seg_start, seg_end)
        before_trigger = [o for o in plain_before if trigger_at is not None and o.end <= trigger_at]
        if before_trigger and fact_type in (
            "acquisition",
            "investment",
            "contract",
            "funding_round",
        ):
            subject_org = before_trigger[-1]  # "Sanofi rachète la biotech X pour 470 M$"
            if self._followed_by_dont(subject_org):
                # "Stellantis mise sur Leapmotor, dont il a acquis 21 %": the relative's object
                first = before_trigger[0]
                subject_org = first if first is not subject_org else None
        elif fact_type == "acquisition" and trigger_at is not None:
            subject_org = None  # "il a signé un accord pour racheter Zenobē": the buyer is "il"
        opener = self._appositive_subject(sent, plain_before, trigger_at)
        if opener is not None:
            subject_org = opener  # "Vantage Studios, la filiale qui regroupe X et Y, a levé..."
        relative = self._relative_antecedent(amount, seg_start)
        if relative is not None:
            subject_org = relative  # "Verkor, qui prévoit de recruter 1 200 personnes"
        subjects = [subject_org.name] if subject_org else []
        # "Nvidia et SoftBank Group ... avec chacun": every coordinated subject
        if subject_org and any(w in ("chacun", "chacune") for w in self.lowers[win_start:win_end]):
            first = self._clause_subject_start(subject_org)
            group = [o for o in in_sent if first <= o.start <= subject_org.start]
            subjects = [o.name for o in group] or subjects
        counterparty = None
        agent = next(
            (o for o in in_seg if o.role == "agent" and win_start <= o.start < win_end), None
        )
        of = [o for o in in_seg if o.role == "of"]
        if fact_type in (
            "valuation",
            "revenue",
            "profit",
            "loss",
            "user_count",
            "headcount",
            "production",
            "spending",
        ):
            possessor = self._possessor_of_trigger(of, amount, seg_start, seg_end)
            if possessor is not None:
                subjects = [possessor.name]
            elif agent is not None:
                subjects = [agent.name]
            if fact_type == "spending":
                supplier = pick("provider", in_seg) or pick("to", in_seg)
                counterparty = supplier.name if supplier else None
        elif fact_type == "funding_round":
            lead = pick("lead", in_sent) or pick("provider", in_seg)
            counterparty = lead.name if lead else None
            if subject_org is None and (lead is not None):
                subjects = []
            if counterparty is None and agent is not None:
                counterparty = agent.name  # "une rallonge de 40 M$, entièrement souscrite par X"
            role = self._investor_verb(subject_org, trigger_at)
            if role is not None:
                # the subject invests: the raiser is "de X" after the round, or the company
                # of the sentence before ("Asterion mène son tour d'amorçage")
                raiser = next(
                    (
                        o
                        for o in in_seg
                        if o.role == "of" and trigger_at is not None and o.start > trigger_at
                    ),
                    None,
                )
                raiser_name = raiser.name if raiser else self._recent_subject(sent)
                if role == "lead":
                    counterparty = subject_org.name
                subjects = [raiser_name] if raiser_name and raiser_name != subject_org.name else []
        elif fact_type == "investment":
            target = pick("target", in_seg) or pick("of", in_seg, before=False)
            counterparty = target.name if target else self.focus
            if agent is not None:  # "le 1,16 milliard apporté par Tencent"
                subjects = [agent.name]
        elif fact_type == "acquisition":
            if agent is not None:
                subjects = [agent.name]
                target = subject_org
            else:
                after = [
                    o
                    for o in in_seg
                    if o.start > (subject_org.start if subject_org else -1)
                    and o is not subject_org
                    and o.role in ("plain", "of", "target")
                ]
                dont = next((o for o in in_seg if self._followed_by_dont(o)), None)
                target = (
                    dont
                    if dont is not None and dont is not subject_org
                    else (after[0] if after else None)
                )
            counterparty = target.name if target else None
        elif fact_type == "contract":
            supplier = (
                pick("to", in_seg) or pick("provider", in_seg) or pick("of", in_seg, before=False)
            )
            counterparty = supplier.name if supplier else None
            won = any(
                self.doc[j].lemma_ in ("remporter", "décrocher", "gagner")
                for j in range(sent.start, sent.end)
            )
            if won and subject_org is not None:
                customer = supplier
                subjects = [customer.name] if customer else []
                counterparty = subject_org.name
            elif agent is not None:
                # "le groupe a été retenu par le Groupe ADP pour un contrat de 400 M€"
                subjects = [agent.name]
                counterparty = subject_org.name if subject_org else self.focus
        elif fact_type == "capacity":
            provider = (
                pick("provider", in_seg)
                or pick("of", in_seg)
                or pick("provider", in_sent)
                or pick("of", in_sent)
            )
            counterparty = provider.name if provider else None
        if not subjects:
            # no organisation named: the figure is the focus organisation's ("Le résultat
            # d'exploitation atteint 620 millions"), unless it is about a sector or a group
            if self._about_no_organisation(sent, amount):
                return None, None, []
            # "Le groupe public a souscrit...", "Son chiffre d'affaires...": a word that refers
            # back points to the subject of the sentence before; otherwise the article's focus
            recent = self._named_by_class_noun(sent) or (
                self._recent_subject(sent) if self._opens_with_anaphor(sent) else None
            )
            subjects = [recent or self.focus] if (recent or self.focus) else []
        elif subjects and subject_org is not None and subjects == [subject_org.name]:
            pass
        if not subjects or subjects == [None]:
            return None, None, []
        return subjects[0], counterparty, subjects

    def _clause_subject_start(self, org: _Org) -> int:
        """Where the coordination ending with this organisation starts: "Sofinnova Partners et
        le danois Novo Holdings" (an article, a noun, an adjective may come before each name)."""
        i = org.start
        while True:
            j = i
            while (
                j > 0
                and i - j < 3
                and self.v.pos[j - 1] in ("DET", "ADJ", "NOUN")
                and self.texts[j - 1].islower()
            ):
                j -= 1
            if j > 0 and self.lowers[j - 1] in ("et", ","):
                k = j - 1
            elif i > 1 and any(o.end == i - 1 for o in self.orgs):
                k = i - 1
            else:
                break
            match = next((o for o in self.orgs if o.end in (k, k + 1) and o.start < k), None)
            if match is None:
                break
            i = match.start
        return i

    def _possessor_of_trigger(self, of, amount, seg_start, seg_end):
        for org in of:
            trigger = next(
                (
                    s
                    for s, e, _ in self.triggers
                    if seg_start <= s and e <= org.start and org.start - e <= 3
                ),
                None,
            )
            if trigger is not None:
                return org
        return None

    def _recent_subject(self, sent: Span) -> str | None:
        """The first organisation in subject position of the nearest earlier sentence of the
        paragraph that names one, by its name or by the noun it was introduced with ("Les
        comptes de la start-up..." after "Sodiance, la start-up picarde"). A public body is
        no company "le groupe" refers to: after "La DGA a notifié à Thales une commande", the
        company the sentence names."""
        earlier = [s for s in self.sentences if s.end <= sent.start]
        public = self.lex.public_bodies
        for previous in reversed(earlier[-3:]):
            if self._breaks_line(previous.end - 1, sent.start):
                return None
            present = [
                o
                for o in self.orgs
                if previous.start <= o.start < previous.end
                and o.role != "attribution"
                and not o.media
            ]
            named = [o for o in present if o.role in ("plain", "lead_subject")]
            if named and all(o.name in public for o in named):
                named = [o for o in present if o.name not in public] or named
            elif named:
                named = [o for o in named if o.name not in public]
            if named:
                return named[0].name
            for j in range(previous.start, previous.end - 1):
                if self.lowers[j] in _DEFINITE:
                    referent = self._introduced_as(self.lowers[j + 1], previous.start)
                    if referent is not None:
                        return referent
        return None

    def _named_by_class_noun(self, sent: Span) -> str | None:
        """ "La medtech a réalisé...": the last organisation the text introduced with that same
        noun, before its name ("la medtech lyonnaise Cardiolys") or in an apposition after it
        ("Sodiance, la start-up picarde qui...")."""
        start = sent.start
        while start < sent.end and (self.v.is_space[start] or self.v.is_punct[start]):
            start += 1
        if start + 1 >= sent.end or self.lowers[start] not in _DEFINITE:
            return None
        return self._introduced_as(self.lowers[start + 1], sent.start)

    def _introduced_as(self, noun: str, before: int) -> str | None:
        """The organisation named before token `before` with this noun next to it: the one
        the article is about if it is one of them ("Le fonds" is the fund of the article, not
        another fund it mentions), else the last one."""
        named = [
            org
            for org in self.orgs
            if org.end <= before
            and (
                noun in self.lowers[max(0, org.start - 4) : org.start]
                or (
                    org.end < len(self.texts)
                    and self.texts[org.end] == ","
                    and noun in self.lowers[org.end + 1 : org.end + 5]
                )
            )
        ]
        if not named:
            return None
        focus = _fold(self.focus) if self.focus else None
        return next((o.name for o in named if _fold(o.name) == focus), named[-1].name)

    def _opens_with_anaphor(self, sent: Span) -> bool:
        """ "Il a racheté...", "La medtech a réalisé...": the sentence's subject refers back."""
        for start in self._clause_starts(sent):
            for match_start, _, _ in self.lex.anaphors.matches(
                self.doc, start, min(sent.end, start + 4)
            ):
                if match_start == start:
                    return True
        return False

    def _first_comma(self, sent: Span) -> int | None:
        return next((j for j in range(sent.start, sent.end) if self.texts[j] == ","), None)

    def _breaks_line(self, start: int, end: int) -> bool:
        """Whether a line break lies between tokens start and end (a token's trailing
        whitespace is one space at most: a line break is a token of its own)."""
        return any("\n" in text for text in self.texts[start:end])

    def _is_title(self, sent: Span) -> bool:
        """A line of its own, without final punctuation: a headline or a subtitle."""
        texts, is_space = self.texts, self.v.is_space
        words = sum(1 for j in range(sent.start, sent.end) if not is_space[j])
        if not words or self.text[sent.start_char : sent.end_char].rstrip()[-1] in '.!?…:;)»"':
            return False
        ends_line = (
            sent.end == len(texts)
            or "\n" in texts[sent.end - 1]
            or (sent.end < len(texts) and "\n" in texts[sent.end])
        )
        return ends_line and words <= 25

    def _clause_starts(self, sent: Span) -> list[int]:
        """Where the sentence's subject may stand: its first word, or the word after a short
        opening phrase ("Pour y parvenir, elle prévoit...")."""
        start = sent.start
        while start < sent.end and (self.v.is_space[start] or self.v.is_punct[start]):
            start += 1
        starts = [start]
        comma = self._first_comma(sent)
        if comma is not None and comma - start <= 5 and comma + 1 < sent.end:
            starts.append(comma + 1)
        return starts

    def _company_after_opening(self, sent: Span, after: int) -> bool:
        """ "Pour reconquérir le marché américain, le constructeur a dévoilé...": after an
        opening phrase, the clause's subject is an organisation or a word referring to one."""
        for start in self._clause_starts(sent)[1:]:
            if start <= after:
                continue
            if any(o.start == start for o in self.orgs):
                return True
            anaphors = self.lex.anaphors.matches(self.doc, start, min(sent.end, start + 4))
            if any(match_start == start for match_start, _, _ in anaphors):
                return True
        return False

    def _refers_back(self, sent: Span) -> bool:
        return bool(self.lex.anaphors.matches(self.doc, sent.start, sent.end))

    def _about_no_organisation(self, sent: Span, amount: _Amount) -> bool:
        """ "Les fintech françaises ont levé...", "le marché pèse...": a sector, not a company."""
        sectors = self.lex.not_orgs.matches(self.doc, sent.start, amount.start)
        if sectors and not self._company_after_opening(sent, sectors[0][0]):
            return True
        starts = [sent.start]
        # "Au total, les projets de gigafactories représentent...": after an opening phrase
        comma = self._first_comma(sent)
        if comma is not None and comma < amount.start and comma - sent.start <= 4:
            starts.append(comma + 1)
        for start in starts:
            while start < sent.end and self.v.is_space[start]:
                start += 1
            if start + 1 >= len(self.doc):
                continue
            if (
                self.lowers[start] in ("les", "des")
                and self.v.pos[start + 1] == "NOUN"
                and self.texts[start + 1][:1].islower()
                and self.lowers[start + 1] not in self.lex.observers
            ):
                return True
        return False

    # --- status, period, attribution, attributes -----------------------------------------------

    def _followed_by_dont(self, org: _Org) -> bool:
        return "dont" in self.lowers[org.end : org.end + 2]

    def _investor_verb(self, subject_org, trigger_at) -> str | None:
        """ "lead" or "follow" when a verb between the subject and the round says it invests."""
        if subject_org is None or trigger_at is None or trigger_at <= subject_org.end:
            return None
        found = self.lex.investor_verbs.matches(self.doc, subject_org.end, trigger_at)
        return found[0][2] if found else None

    def _appositive_subject(self, sent: Span, plain_before: list, trigger_at: int | None):
        """The organisation opening the sentence (or its clause after a short opening phrase:
        "Sur le front des batteries, ACC, la coentreprise...") when a comma-enclosed aside
        follows it and the trigger comes after the aside: the aside's names are not the
        subject."""
        if not plain_before or trigger_at is None:
            return None
        first = plain_before[0]
        if first.start not in self._clause_starts(sent):
            return None
        if first.end >= len(self.doc) or self.texts[first.end] != ",":
            return None
        return first if "," in self.texts[first.end + 1 : trigger_at] else None

    def _trigger_start(self, fact_type, amount, seg_start, seg_end) -> int | None:
        """Where the nearest trigger of this type starts, in the amount's clause."""
        starts = [s for s, e, t in self.triggers if t == fact_type and seg_start <= s < seg_end]
        return min(starts, key=lambda s: abs(s - amount.start)) if starts else None

    def _relative_antecedent(self, amount, seg_start) -> _Org | None:
        """The organisation a "qui" before the amount refers to: "X, qui emploie 380 personnes"."""
        for i in range(amount.start - 1, seg_start, -1):
            if self.lowers[i] == "qui":
                j = i - 1
                if j >= 0 and self.texts[j] == ",":
                    j -= 1
                return next(
                    (o for o in self.orgs if o.end - 1 == j and o.role != "attribution"), None
                )
            if (
                self.texts[i] in (",", ";")
                and i < amount.start - 1
                and self.lowers[i + 1] != "qui"
                and "VERB" in self.v.pos[i + 1 : amount.start]
            ):
                return None
        return None

    def _status(self, amount, previous, win_start, win_end, wide_end=None) -> str:
        found = {t for s, e, t in self.cues if win_start <= s and e <= win_end}
        if wide_end is not None:  # "..., sous réserve de l'accord des autorités" ends the clause
            found |= {
                t
                for s, e, t in self.cues
                if t == "conditional" and win_start <= s and e <= wide_end
            }
        if not found and win_start > 0 and self.texts[win_start - 1] == "(":
            sent_start = next(s.start for s in self.sentences if s.start <= win_start < s.end)
            found = {t for s, e, t in self.cues if sent_start <= s and e <= win_start}
        pos = self.v.pos
        for j in range(win_start, win_end):
            if pos[j] not in ("VERB", "AUX"):
                continue
            word = self.lowers[j]
            if word.endswith(_CONDITIONAL_ENDINGS):
                viser = self.doc[j].lemma_ == "viser"
                found.add("target" if viser or word.startswith("vise") else "forecast")
            elif word.endswith(_FUTURE_ENDINGS) and len(word) > 5 and pos[j] == "VERB":
                found.add("planned")  # "investira", "emploiera", "supprimeront"
            elif (
                word in ("compte", "comptent", "comptait", "compter")
                and j + 1 < len(self.doc)
                and self.lowers[j + 1].endswith(("er", "ir", "re"))
            ):
                found.add("planned")  # "compte embaucher 2 500 personnes"
            elif word in ("sera", "seront"):
                found.add("planned")  # "15 M€ seront consacrés à..."
        for name in STATUS_ORDER:
            if name in found:
                return name
        if previous is not None and previous.status and self._shares_predicate(previous, win_end):
            return previous.status
        return "actual"

    def _shares_predicate(self, previous: _Amount, win_end: int) -> bool:
        """ "14 Md$ en 2026 et 44 Md$ sur la période": the second amount has no verb of its own
        and is coordinated with the first, not compared with it ("soit plus que les 215 Md$")."""
        between = set(self.lowers[previous.end : win_end])
        return not self._has_verb(previous.end, win_end) and not between & _COMPARATIVES

    def _has_verb(self, start: int, end: int) -> bool:
        """A conjugated verb of its own (an infinitive or a participle shares the status and
        date of the verb it depends on: "prévoit d'investir X et de recruter Y")."""
        pos = self.v.pos
        return any(
            pos[j] in ("VERB", "AUX") and "Fin" in self.doc[j].morph.get("VerbForm")
            for j in range(start, end)
        )

    def _period(self, amount, previous, win_start, win_end) -> Period | None:
        after = [d for d in self.dates if amount.end <= d[0] < win_end and d[2] is not None]
        before = [d for d in self.dates if win_start <= d[0] < amount.start and d[2] is not None]
        chosen = after[0] if after else (before[-1] if before else None)
        if chosen is not None:
            # a date that cannot be resolved (relative, in an undated article) is still this
            # figure's date: the fact has no period rather than another figure's
            period = chosen[2]
            return period if (period.start or period.end) else None
        if previous is not None and self._shares_predicate(previous, win_end):
            return previous.period
        return self._paragraph_period(amount)

    def _paragraph_period(self, amount: _Amount) -> Period | None:
        """ "Sur le quatrième trimestre 2025, le chiffre d'affaires... Le résultat d'exploitation
        atteint 620 millions": with no date in its sentence, a figure takes the period of the
        figure before it in the same paragraph."""
        sent = next(s for s in self.sentences if s.start <= amount.start < s.end)
        if any(sent.start <= d[0] < sent.end for d in self.dates):
            return None
        before = [a for a in self.amounts if a.end <= sent.start and a.period is not None]
        if not before:
            return None
        last = before[-1]
        if self._breaks_line(last.end, sent.start):
            return None
        return last.period

    def _attribution(self, sent: Span, seg_start: int, seg_end: int) -> str | None:
        for org in self.orgs:
            if org.role != "attribution" or not (sent.start <= org.start < sent.end):
                continue
            opening = org.start - sent.start <= 3
            if opening or seg_start <= org.start < seg_end:
                return org.name
        return None

    def _attributes(
        self, fact_type, amount, sent, seg_start, seg_end, win_start, win_end, continued, wide_end
    ):
        doc = self.doc
        out: dict[str, str] = {}
        entity = amount.entity
        if fact_type in ("profit", "loss", "revenue"):
            measures = self.lex.measures.matches(doc, win_start, wide_end)
            if measures:
                nearest = min(measures, key=lambda m: abs(m[0] - amount.start))
                out["metric"] = nearest[2]
        if fact_type == "investment":
            rounds = [v for s, e, v in self.lex.rounds.matches(doc, sent.start, sent.end)]
            earlier = [
                f for f in self.facts if f.type == "funding_round" and "round" in f.attributes
            ]
            if rounds:
                out["round"] = rounds[0]
            elif earlier:
                out["round"] = earlier[-1].attributes["round"]
        if fact_type == "valuation":
            basis = [v for s, e, v in self.lex.basis.matches(doc, win_start, wide_end)]
            basis = basis or [
                v for s, e, v in self.lex.basis.matches(doc, sent.start, sent.end) if v == "ipo"
            ]
            if basis:
                out["basis"] = basis[0]
        if fact_type == "funding_round":
            rounds = [v for s, e, v in self.lex.rounds.matches(doc, sent.start, sent.end)]
            if rounds:
                out["round"] = rounds[0]
        if fact_type in ("user_count", "headcount"):
            metric = _metric_of(entity, doc)
            if fact_type == "headcount":
                cue = [v for s, e, v in self.lex.headcount.matches(doc, win_start, win_end)]
                metric = (
                    cue[0]
                    if cue
                    else ("employees" if metric in ("employees", "people", "jobs") else metric)
                )
            if metric:
                out["metric"] = metric
        products = [v for s, e, v in self.lex.products.matches(doc, win_start, win_end)]
        products = products or [v for s, e, v in self.lex.products.matches(doc, seg_start, seg_end)]
        if products:
            out["product"] = products[0]
        if continued is not None:
            tranche = [v for s, e, v in self.lex.tranches.matches(doc, win_start, win_end)]
            if tranche:
                out["tranche"] = tranche[0]
        for start, end, percent in self.percents:
            if not (win_start <= start < wide_end):
                continue
            context = {
                _fold(text)
                for text in self.texts[max(win_start, start - 4) : min(wide_end, end + 4)]
            }
            value = percent.quantity.value
            text = f"{abs(value):g}".replace(".", ",") + " %"
            if context & self.lex.stake_words and fact_type in (
                "acquisition",
                "investment",
                "funding_round",
            ):
                out.setdefault("stake", text)
            elif context & self.lex.fall_words or value < 0:
                out.setdefault("change", "-" + text)
            elif context & self.lex.rise_words:
                out.setdefault("change", "+" + text)
        return out

    # --- deduplication ------------------------------------------------------------------

    def _add(self, fact: Fact) -> int:
        for i, seen in enumerate(self.facts):
            if (
                seen.type == fact.type
                and _fold(seen.subject) == _fold(fact.subject)
                and seen.quantity.unit == fact.quantity.unit
                and abs(seen.quantity.value - fact.quantity.value)
                <= 1e-9 * max(1.0, abs(seen.quantity.value))
                and not (
                    seen.counterparty
                    and fact.counterparty
                    and _fold(seen.counterparty) != _fold(fact.counterparty)
                )
            ):
                merged = seen.model_copy(
                    update={
                        "counterparty": seen.counterparty or fact.counterparty,
                        "period": seen.period or fact.period,
                        "attributed_to": seen.attributed_to or fact.attributed_to,
                        "attributes": {**fact.attributes, **seen.attributes},
                    }
                )
                self.facts[i] = merged
                return i
        self.facts.append(fact)
        return len(self.facts) - 1


_SENTENCE_END = frozenset({".", "!", "?", "…"})


def _sentences(doc: Doc, views: TokenViews) -> list[Span]:
    """Sentences as the press punctuates them: ". " before a capital, "!", "?", line breaks.
    (The parser's own splits cut names such as "SoftBank | Group".)"""
    texts, is_space = views.texts, views.is_space
    size = len(texts)
    out, start = [], 0
    for i, text in enumerate(texts):
        end_here = "\n" in text or (
            text in _SENTENCE_END
            and (i + 1 == size or is_space[i + 1] or texts[i + 1][:1].isupper())
        )
        if end_here and i + 1 > start:
            out.append(doc[start : i + 1])
            start = i + 1
    if start < size:
        out.append(doc[start:])
    return out


def _metric_of(entity: Entity, doc: Doc) -> str | None:
    return entity.metric
