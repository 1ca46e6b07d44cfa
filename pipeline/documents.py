"""From text to parsed pieces and from component records to entities (used by the API)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .components import USER_DATA_KEY, doc_text, forget_text, with_text
from .components.dates import set_published
from .schema import Entity, Extraction, Period, Quantity

# "date 2026-03-02" as the first thing in the text (the seed article's header).
_DATE_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b")
# spaCy refuses texts longer than nlp.max_length; longer texts are cut at paragraph or
# sentence ends into pieces of at most this many characters.
PIECE_CHARS = 100_000


def parse_published(published: dt.date | str | None, text: str) -> dt.date | None:
    """The publication date: `published=` (date or ISO string) or the text's date header."""
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    if isinstance(published, str) and published.strip():
        return dt.date.fromisoformat(published.strip()[:10])
    match = _DATE_HEADER.match(text)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            return None
    return None


def pieces(text: str, size: int | None = None) -> list[tuple[int, str]]:
    """(offset, piece) cuts of a long text, at paragraph, sentence or space boundaries."""
    size = size or PIECE_CHARS
    out = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            window = text[start:end]
            for boundary in ("\n", ". ", " "):  # paragraph, then sentence, then word
                cut = window.rfind(boundary)
                if cut > size // 2:
                    end = start + cut + len(boundary)
                    break
        out.append((start, text[start:end]))
        start = end
    return out


def records_to_entities(records: list[dict], offset: int = 0) -> list[Entity]:
    """Entities from the components' records, shifted by `offset` characters."""
    entities = []
    for record in records:
        quantity = record.get("quantity")
        period = record.get("period")
        entities.append(
            Entity(
                label=record["label"],
                text=record["text"],
                start=record["start"] + offset,
                end=record["end"] + offset,
                quantity=Quantity(**quantity) if quantity else None,
                name=record.get("name"),
                period=Period(**period) if period else None,
                metric=record.get("metric"),
            )
        )
    return entities


def _doc_records(doc: Doc) -> list[dict]:
    out = []
    text = doc_text(doc)
    for record in doc.user_data.get(USER_DATA_KEY, []):
        out.append({**record, "text": text[record["start"] : record["end"]]})
    out.sort(key=lambda r: (r["start"], r["end"], r["label"]))
    return out


def extract_docs(nlp: Language, text: str, published: dt.date | None) -> list[tuple[int, Doc]]:
    """Run the pipeline over the text, in pieces when it is long."""
    docs = []
    for offset, piece in pieces(text):
        doc = set_published(with_text(nlp.make_doc(piece), piece), published)
        for _, component in nlp.pipeline:
            doc = component(doc)
        docs.append((offset, doc))
    return docs


def extraction_from_docs(docs: Iterable[tuple[int, Doc]], published: dt.date | None) -> Extraction:
    from .facts import assemble  # facts stand on entities; imported late to keep layers apart

    entities: list[Entity] = []
    facts = []
    for offset, doc in docs:
        piece_entities = records_to_entities(_doc_records(doc), offset)
        entities.extend(piece_entities)
        facts.extend(assemble(doc, piece_entities, published, offset))
        forget_text(doc)
    return Extraction(published=published, entities=entities, facts=facts)


def iter_texts(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        yield text if isinstance(text, str) else ""
