"""The public functions: extract one text, or many through nlp.pipe."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from . import nlp as nlp_module
from .components import with_text
from .components.dates import set_published
from .documents import extract_docs, extraction_from_docs, parse_published, pieces
from .schema import Extraction

Published = dt.date | str | None


def extract(text: str, published: Published = None, *, nlp: Language | None = None) -> Extraction:
    """Entities and facts of one French news text.

    >>> [f.quantity.value for f in extract("Mistral AI lève 1,7 milliard d'euros.").facts]
    [1700000000.0]
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

    `published` is one date for every text, or an iterable of one per text. `n_process`
    worker processes (-1: one per core) each run `nlp.pipe` over chunks of `batch_size`
    texts and send back only the extractions; results still come in input order, and the
    input is read as the results are consumed (an endless stream is fine).

    >>> [len(r.entities) for r in extract_many(["Kovalt lève 30 millions d'euros.", ""])]
    [2, 0]
    """
    if not isinstance(n_process, int) or n_process == 0 or n_process < -1:
        raise ValueError(f"n_process must be a positive number or -1, not {n_process!r}")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive number, not {batch_size!r}")
    if n_process == -1:
        n_process = os.cpu_count() or 1
    pipeline = nlp or nlp_module.shared()
    dates = _published_per_text(published)
    pairs = ((text, next(dates)) for text in texts)
    if n_process == 1:
        return _extract_pairs(pipeline, pairs, batch_size)
    from .batch.pool import ordered_map  # the process pool is only needed here

    return ordered_map(
        _extract_chunk,
        pairs,
        processes=n_process,
        chunk_size=batch_size,
        state=nlp,
        setup=nlp_module.shared,
    )


def _extract_chunk(pipeline: Language, chunk: list[tuple[object, Published]]) -> list[Extraction]:
    """A worker's job: the extractions of one chunk of (text, published) pairs."""
    return list(_extract_pairs(pipeline, chunk, len(chunk)))


def _extract_pairs(
    pipeline: Language, pairs: Iterable[tuple[object, Published]], batch_size: int
) -> Iterator[Extraction]:
    """Extractions of (text, published) pairs through one `nlp.pipe`, long texts in pieces."""

    def docs() -> Iterator[tuple[Doc, tuple[int, int, int, dt.date | None]]]:
        for text, given in pairs:
            text = text if isinstance(text, str) else ""
            try:
                when = parse_published(given, text)
            except ValueError as exc:
                raise ValueError(
                    f"published must be a date or an ISO date string: {given!r}"
                ) from exc
            if not text.strip():
                # An empty text still travels through the pipe, to keep the order.
                yield pipeline.make_doc(""), (0, 0, 0, when)
                continue
            cut = pieces(text)
            for index, (offset, piece) in enumerate(cut):
                doc = set_published(with_text(pipeline.make_doc(piece), piece), when)
                yield doc, (index, len(cut), offset, when)

    current: list[tuple[int, Doc]] = []
    for doc, (index, count, offset, when) in pipeline.pipe(
        docs(), as_tuples=True, batch_size=batch_size
    ):
        if count == 0:
            yield Extraction(published=when)
            continue
        current.append((offset, doc))
        if index == count - 1:
            yield extraction_from_docs(current, when)
            current = []


def _published_per_text(published) -> Iterator[Published]:
    if published is None or isinstance(published, (str, dt.date)):
        while True:
            yield published
    yield from published
    while True:
        yield None
