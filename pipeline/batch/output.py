"""Batch output: one record per article, appended and flushed as it comes; read back to resume.

Each article's record (a JSON line, or its CSV rows) goes to the file in one `write`
system call on an unbuffered descriptor, so a run killed at any moment (kill -9) leaves
whole records only; resuming reads the ids back, cuts a torn last line if a crash of the
machine left one, and appends the rest.

CSV is one row per fact, flat, for a spreadsheet or a database: an article without
facts (or with an error) still has one row, with empty fact columns, so nothing is
lost and a resumed run knows it was done. Line breaks inside cells become spaces: every
row is one line.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from ..schema import Extraction
from .sources import Article

Format = Literal["jsonl", "csv"]

ATTRIBUTE_COLUMNS = ("basis", "metric", "product", "round", "tranche", "stake", "change")
CSV_COLUMNS = (
    "id",
    "source",
    "published",
    "language",
    "encoding",
    "title",
    "error",
    "entity_count",
    "fact_count",
    "fact_index",
    "type",
    "subject",
    "counterparty",
    "value",
    "unit",
    "value_max",
    "bound",
    "approx",
    "period_start",
    "period_end",
    "status",
    "attributed_to",
    *(f"attr_{name}" for name in ATTRIBUTE_COLUMNS),
    "attributes",
    "evidence_start",
    "evidence_end",
    "evidence_text",
)


class ResumeError(ValueError):
    """The output to resume is no finfacts output of this format."""


def record(article: Article, extraction: Extraction | None, *, include_text: bool = False) -> dict:
    """The JSON record of one article: its extraction, or its error."""
    out: dict = {"id": article.id, "source": article.source}
    if article.encoding:
        out["encoding"] = article.encoding
    if article.error is not None or extraction is None:
        out["error"] = article.error or "not extracted"
        return out
    out["language"] = article.language
    if article.title:
        out["title"] = article.title
    dumped = extraction.model_dump(mode="json")
    out["published"] = dumped["published"]
    out["facts"] = dumped["facts"]
    out["entities"] = dumped["entities"]
    if include_text:
        out["text"] = article.text
    return out


def jsonl_line(rec: dict) -> bytes:
    return (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")


def csv_rows(rec: dict) -> list[dict[str, object]]:
    """The flat rows of one record: one per fact, or one with empty fact columns."""
    base = {
        "id": rec["id"],
        "source": rec["source"],
        "published": rec.get("published"),
        "language": rec.get("language"),
        "encoding": rec.get("encoding"),
        "title": rec.get("title"),
        "error": rec.get("error"),
        "entity_count": len(rec.get("entities", [])),
        "fact_count": len(rec.get("facts", [])),
    }
    rows = []
    for index, fact in enumerate(rec.get("facts", [])):
        quantity = fact["quantity"]
        period = fact.get("period") or {}
        evidence = fact.get("evidence") or {}
        attributes = fact.get("attributes") or {}
        row = {
            **base,
            "fact_index": index,
            "type": fact["type"],
            "subject": fact["subject"],
            "counterparty": fact.get("counterparty"),
            "value": quantity["value"],
            "unit": quantity["unit"],
            "value_max": quantity.get("value_max"),
            "bound": quantity.get("bound"),
            "approx": quantity.get("approx"),
            "period_start": period.get("start"),
            "period_end": period.get("end"),
            "status": fact.get("status"),
            "attributed_to": fact.get("attributed_to"),
            "attributes": json.dumps(attributes, ensure_ascii=False) if attributes else None,
            "evidence_start": evidence.get("start"),
            "evidence_end": evidence.get("end"),
            "evidence_text": evidence.get("text"),
        }
        for name in ATTRIBUTE_COLUMNS:
            row[f"attr_{name}"] = attributes.get(name)
        rows.append(row)
    return rows or [base]


def csv_block(rows: list[dict[str, object]], *, header: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(_cell(row.get(column)) for column in CSV_COLUMNS)
    return buffer.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).splitlines()) if isinstance(value, str) else str(value)


class Sink:
    """Appends whole records to a file with one `write` each, or to standard output."""

    def __init__(self, path: Path | None, fmt: Format, *, append: bool) -> None:
        self.format = fmt
        self.fd: int | None = None
        if path is None:
            empty = True
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if append else os.O_TRUNC)
            self.fd = os.open(path, flags, 0o644)
            empty = os.fstat(self.fd).st_size == 0
        self.header_due = fmt == "csv" and empty

    def write(self, rec: dict) -> None:
        if self.format == "jsonl":
            data = jsonl_line(rec)
        else:
            data = csv_block(csv_rows(rec), header=self.header_due)
            self.header_due = False
        if self.fd is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        view = memoryview(data)
        while view:  # a regular file takes it in one call; loop in case it does not
            view = view[os.write(self.fd, view) :]

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def read_done(path: Path, fmt: Format) -> dict[str, str | None]:
    """Ids already in an output, with their error (None when extracted); a torn last
    line is cut off the file. Raises ResumeError when the file is no such output."""
    if not path.exists() or path.stat().st_size == 0:
        return {}
    with path.open("rb") as stream:
        done, torn_at = (_jsonl_done if fmt == "jsonl" else _csv_done)(path, _lines(stream))
    if torn_at is not None:
        _truncate(path, torn_at)
    return done


def _lines(stream: io.BufferedReader) -> Iterator[tuple[int, bytes]]:
    """(offset, line) of each whole line; a last line without its newline is torn: it
    comes as (offset, b"") so that the caller cuts the file there."""
    offset = 0
    for line in stream:
        if not line.endswith(b"\n"):
            yield offset, b""
            return
        yield offset, line
        offset += len(line)


def _truncate(path: Path, size: int) -> None:
    with path.open("r+b") as stream:
        stream.truncate(size)


def _jsonl_done(
    path: Path, lines: Iterator[tuple[int, bytes]]
) -> tuple[dict[str, str | None], int | None]:
    done: dict[str, str | None] = {}
    for number, (offset, line) in enumerate(lines, start=1):
        if not line:
            return done, offset
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            done[str(rec["id"])] = rec.get("error")
        except (ValueError, KeyError, TypeError) as exc:
            raise ResumeError(
                f"{path}:{number} is no finfacts JSON Lines record ({exc}); "
                "resume an output of `finfacts extract`, or drop --resume to start over"
            ) from exc
    return done, None


def _csv_done(
    path: Path, lines: Iterator[tuple[int, bytes]]
) -> tuple[dict[str, str | None], int | None]:
    done: dict[str, str | None] = {}
    first = next(lines, None)
    if first is None or not first[1]:
        return done, 0 if first is not None else None
    header = next(csv.reader([first[1].decode("utf-8", "replace")]), [])
    if tuple(header) != CSV_COLUMNS:
        raise ResumeError(
            f"{path} has not the columns of `finfacts extract --format csv`; "
            "resume an output of the same format, or drop --resume to start over"
        )
    # The last article's rows, to check that they were all written.
    last_id, last_offset, last_rows, last_expected = None, 0, 0, 0
    torn_at = None
    for offset, line in lines:
        if not line:
            torn_at = offset
            break
        try:
            cells = next(csv.reader([line.decode("utf-8")]))
            row = dict(zip(CSV_COLUMNS, cells, strict=True))
            expected = max(int(row["fact_count"] or 0), 1)
        except (ValueError, StopIteration) as exc:
            raise ResumeError(f"{path}: a row is no finfacts CSV row ({exc})") from exc
        if row["id"] != last_id:
            last_id, last_offset, last_rows = row["id"], offset, 0
        last_rows += 1
        last_expected = expected
        done[row["id"]] = row["error"] or None
    if last_id is not None and last_rows < last_expected:
        # The last article's rows were cut short: drop them all, it is done again.
        del done[last_id]
        torn_at = last_offset
    return done, torn_at
