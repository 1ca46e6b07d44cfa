"""spaCy components of finfacts, one per file, each registered as a versioned factory.

They share one record format: `doc.user_data["finfacts"]` holds plain dicts (JSON types
only, so docs cross process boundaries), and `doc.spans["finfacts"]` holds the same
mentions as labelled spans for anyone who works with spaCy spans.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..normalise.lexer import Token, tokenize

SPANS_KEY = "finfacts"
USER_DATA_KEY = "finfacts"
TEXT_KEY = "finfacts.text"  # the text a doc was made from, when its maker kept it (with_text)


class _LastDoc:
    """The text and scanner tokens of the doc last asked about. `doc.text` joins every
    token on each access and the amount and date scanners walk the same tokens: the
    components (and the facts step after them) see one doc after another, so one slot
    keeps both for as long as the doc is being worked on."""

    __slots__ = ("doc", "text", "tokens")

    def __init__(self) -> None:
        self.doc: Doc | None = None
        self.text = ""
        self.tokens: list[Token] | None = None

    def text_of(self, doc: Doc) -> str:
        if self.doc is not doc:
            kept = doc.user_data.get(TEXT_KEY)
            self.doc, self.text, self.tokens = doc, doc.text if kept is None else kept, None
        return self.text

    def tokens_of(self, doc: Doc) -> list[Token]:
        text = self.text_of(doc)
        if self.tokens is None:
            self.tokens = tokenize(text)
        return self.tokens


_last = _LastDoc()


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per doc rather than on every access (not even once for a doc
    made by `with_text`)."""
    return _last.text_of(doc)


def with_text(doc: Doc, text: str) -> Doc:
    """Keep with a doc the text it was just made from (`nlp.make_doc(text)`): spaCy's
    tokenizer loses nothing, so `doc.text == text`, and `doc_text` need not join the tokens.
    Dropped by `forget_text` once the doc's extraction is done."""
    doc.user_data[TEXT_KEY] = text
    return doc


def forget_text(doc: Doc) -> None:
    doc.user_data.pop(TEXT_KEY, None)


def doc_tokens(doc: Doc) -> list[Token]:
    """The scanner tokens (normalise.lexer) of the doc's text, made once per doc."""
    return _last.tokens_of(doc)


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
