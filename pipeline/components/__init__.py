"""spaCy components of finfacts, one per file, each registered as a versioned factory.

They share one record format: `doc.user_data["finfacts"]` holds plain dicts (JSON types
only, so docs cross process boundaries), and `doc.spans["finfacts"]` holds the same
mentions as labelled spans for anyone who works with spaCy spans.
"""

from __future__ import annotations

from spacy.tokens import Doc

SPANS_KEY = "finfacts"
USER_DATA_KEY = "finfacts"


def records(doc: Doc) -> list[dict]:
    """The finfacts mention records of a doc (created on first use)."""
    return doc.user_data.setdefault(USER_DATA_KEY, [])


def add_record(doc: Doc, record: dict) -> None:
    """Store a mention record and its span (expanded to token edges) in the doc."""
    records(doc).append(record)
    span = doc.char_span(
        record["start"], record["end"], label=record["label"], alignment_mode="expand"
    )
    if span is not None:
        if SPANS_KEY in doc.spans:
            doc.spans[SPANS_KEY].append(span)
        else:
            doc.spans[SPANS_KEY] = [span]
