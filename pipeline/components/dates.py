"""spaCy component: dates and periods, resolved against the doc's publication date."""

from __future__ import annotations

import datetime as dt
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from .. import rules
from ..normalise.dates import DateMention, DateScanner
from ..normalise.numbers import NumberParser
from . import add_record, doc_text, doc_tokens, records

PUBLISHED_KEY = "finfacts.published"
# Labels of the amount ruler: a date inside one of its mentions ("2000 salariés") is a number.
AMOUNT_LABELS = frozenset({"MONEY", "QUANTITY", "COUNT", "PERCENT"})


@cache
def default_scanner() -> DateScanner:
    """The scanner built from rules/dates (and the number words of rules/numbers)."""
    return DateScanner(rules.date_lexicon(), NumberParser(rules.number_lexicon()))


def set_published(doc: Doc, published: dt.date | None) -> Doc:
    """Tell the date component the publication date of this doc (ISO string in user_data)."""
    doc.user_data[PUBLISHED_KEY] = published.isoformat() if published else None
    return doc


class DateRuler:
    """Adds a DATE record per date expression, with its resolved period.

    A date whose period cannot be known ("hier" in an undated article) has a period with
    both ends null: a date is said, so the facts step takes it and dates its fact with
    nothing. A year-on-year comparison ("en glissement annuel", `kind` "comparison") has no
    period at all: it dates nothing, and the facts step looks past it. Runs after the amount
    ruler when there is one, and leaves out dates inside its mentions ("2000 salariés").
    """

    def __init__(self, scanner: DateScanner) -> None:
        self.scanner = scanner

    def __call__(self, doc: Doc) -> Doc:
        raw = doc.user_data.get(PUBLISHED_KEY)
        published = dt.date.fromisoformat(raw) if raw else None
        amounts = [(r["start"], r["end"]) for r in records(doc) if r["label"] in AMOUNT_LABELS]
        for mention in self.scanner.scan(doc_text(doc), published, tokens=doc_tokens(doc)):
            if any(start < mention.end and mention.start < end for start, end in amounts):
                continue
            add_record(doc, _record(mention))
        return doc


def _record(mention: DateMention) -> dict:
    start, end = mention.period_start, mention.period_end
    period = None
    if mention.kind != "comparison":
        period = {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        }
    return {
        "label": "DATE",
        "start": mention.start,
        "end": mention.end,
        "period": period,
        "kind": mention.kind,
    }


@Language.factory("finfacts_dates_v1", assigns=["doc.spans", "doc.user_data"])
def make_date_ruler(nlp: Language, name: str) -> DateRuler:
    """`nlp.add_pipe("finfacts_dates_v1")`: set the publication date with `set_published`."""
    return DateRuler(default_scanner())
