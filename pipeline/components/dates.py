"""spaCy component: dates and periods, resolved against the doc's publication date."""

from __future__ import annotations

import datetime as dt
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from .. import rules
from ..normalise.dates import DateScanner
from . import add_record

PUBLISHED_KEY = "finfacts.published"


@cache
def default_scanner() -> DateScanner:
    return DateScanner(rules.date_lexicon())


def set_published(doc: Doc, published: dt.date | None) -> Doc:
    """Tell the date component the publication date of this doc (ISO string in user_data)."""
    doc.user_data[PUBLISHED_KEY] = published.isoformat() if published else None
    return doc


class DateRuler:
    """Adds a DATE record per date expression, with its resolved period."""

    def __init__(self, scanner: DateScanner) -> None:
        self.scanner = scanner

    def __call__(self, doc: Doc) -> Doc:
        raw = doc.user_data.get(PUBLISHED_KEY)
        published = dt.date.fromisoformat(raw) if raw else None
        for mention in self.scanner.scan(doc.text, published):
            period = {
                "start": mention.period_start.isoformat() if mention.period_start else None,
                "end": mention.period_end.isoformat() if mention.period_end else None,
            }
            add_record(
                doc, {"label": "DATE", "start": mention.start, "end": mention.end, "period": period}
            )
        return doc


@Language.factory("finfacts_dates_v1", assigns=["doc.spans", "doc.user_data"])
def make_date_ruler(nlp: Language, name: str) -> DateRuler:
    """`nlp.add_pipe("finfacts_dates_v1")`: set the publication date with `set_published`."""
    return DateRuler(default_scanner())
