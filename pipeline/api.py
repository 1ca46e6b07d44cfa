"""The public functions: extract one text, or many through nlp.pipe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from spacy.language import Language

from . import nlp as nlp_module
from .components.dates import set_published
from .documents import extract_docs, extraction_from_docs, parse_published, pieces
from .schema import Extraction

Published = dt.date | str | None


def extract(text: str, published: Published = None, *, nlp: Language | None = None) -> Extraction:
    """Entities and facts of one French news text.

    >>> extract("Mistral AI lève 1,7 milliard d'euros.").entities[0].quantity.value
    1700000000.0
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() takes a str, not {type(text).__name__}")
    try:
        when = parse_published(published, text)
    except ValueError as exc:
        raise ValueError(f"published must be a date or an ISO date string: {published!r}") from exc
    if not text.strip():
        return Extraction(published=when)
    pipeline = nlp or nlp_module.shared()
    return extraction_from_docs(extract_docs(pipeline, text, when), when)


def extract_many(
    texts: Iterable[str],
    *,
    published: Published | Iterable[Published] = None,
    n_process: int = 1,
    batch_size: int = 16,
    nlp: Language | None = None,
) -> Iterator[Extraction]:
    """One Extraction per text, in input order, through `nlp.pipe`.

    `published` is one date for every text, or an iterable of one per text.
    """
    pipeline = nlp or nlp_module.shared()
    dates = _published_per_text(published)

    def prepared() -> Iterator[tuple[object, tuple[int, int, int, dt.date | None]]]:
        for number, text in enumerate(texts):
            text = text if isinstance(text, str) else ""
            when = parse_published(next(dates), text)
            if not text.strip():
                yield pipeline.make_doc(""), (number, 0, 0, when)
                continue
            cut = pieces(text)
            for index, (_offset, piece) in enumerate(cut):
                yield set_published(pipeline.make_doc(piece), when), (number, index, len(cut), when)
                # offsets travel in the context; see below

    current: list[tuple[int, object]] = []
    for doc, (_number, index, count, when) in _pipe(pipeline, prepared(), n_process, batch_size):
        if count == 0:
            yield Extraction(published=when)
            continue
        offset = sum(len(d.text) for _, d in current)
        current.append((offset, doc))
        if index == count - 1:
            yield extraction_from_docs(current, when)
            current = []


def _pipe(pipeline: Language, items, n_process: int, batch_size: int):
    docs = ((doc, context) for doc, context in items)
    return pipeline.pipe(docs, as_tuples=True, n_process=n_process, batch_size=batch_size)


def _published_per_text(published) -> Iterator[Published]:
    if published is None or isinstance(published, (str, dt.date)):
        while True:
            yield published
    yield from published
    while True:
        yield None
