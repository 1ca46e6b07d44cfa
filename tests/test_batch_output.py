"""Batch output records, JSON Lines and CSV, and reading an output back to resume it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from pipeline.batch.output import (
    CSV_COLUMNS,
    ResumeError,
    Sink,
    csv_block,
    csv_rows,
    read_done,
    record,
)
from pipeline.batch.sources import Article
from pipeline.schema import Entity, Evidence, Extraction, Fact, Quantity

TEXT = "Kovalt a levé 30 M€.\nPuis Alan a levé 10 M€."


def _fact(subject: str, value: float, sentence: str, start: int) -> Fact:
    return Fact(
        type="funding_round",
        subject=subject,
        quantity=Quantity(value=value, unit="EUR"),
        attributes={"round": "série A"},
        evidence=Evidence(start=start, end=start + len(sentence), text=sentence),
    )


EXTRACTION = Extraction(
    published=dt.date(2026, 3, 2),
    entities=[Entity(label="ORG", text="Kovalt", start=0, end=6, name="Kovalt")],
    facts=[
        _fact("Kovalt", 30e6, "Kovalt a levé 30 M€.\nPuis", 0),
        _fact("Alan", 10e6, "Puis Alan a levé 10 M€.", 21),
    ],
)


def _article(**fields) -> Article:
    return Article(**{"id": "a.txt", "source": "in/a.txt", "text": TEXT, **fields})


def test_a_record_has_the_extraction_or_the_error():
    ok = record(_article(encoding="cp1252", language="fr", title="T"), EXTRACTION)
    assert list(ok) == [
        "id", "source", "encoding", "language", "title", "published", "facts", "entities",
    ]  # fmt: skip
    assert ok["published"] == "2026-03-02"
    assert ok["facts"][0]["quantity"]["value"] == 30000000
    failed = record(_article(text="", error="binary file (PDF document)"), None)
    assert failed == {"id": "a.txt", "source": "in/a.txt", "error": "binary file (PDF document)"}
    assert record(_article(), EXTRACTION, include_text=True)["text"] == TEXT


def test_csv_one_flat_row_per_fact_and_one_row_for_an_article_without_facts():
    rows = csv_rows(record(_article(language="fr"), EXTRACTION))
    assert [(r["fact_index"], r["subject"], r["value"], r["attr_round"]) for r in rows] == [
        (0, "Kovalt", 30000000, "série A"),
        (1, "Alan", 10000000, "série A"),
    ]
    assert {r["fact_count"] for r in rows} == {2}
    empty = csv_rows(record(_article(), Extraction()))
    assert len(empty) == 1 and empty[0]["fact_count"] == 0 and "type" not in empty[0]
    failed = csv_rows(record(_article(error="empty file"), None))
    assert failed[0]["error"] == "empty file"


def test_csv_rows_are_single_lines_that_a_csv_reader_reads_back():
    data = csv_block(csv_rows(record(_article(), EXTRACTION)), header=True).decode("utf-8")
    assert data.count("\n") == 3  # header and two facts: the evidence's line break is a space
    table = list(csv.DictReader(io.StringIO(data)))
    assert tuple(table[0]) == CSV_COLUMNS
    assert table[0]["evidence_text"] == "Kovalt a levé 30 M€. Puis"
    assert json.loads(table[1]["attributes"]) == {"round": "série A"}
    assert table[0]["approx"] == "false" and table[0]["counterparty"] == ""


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_records_are_appended_and_read_back(tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    sink = Sink(out, fmt, append=False)
    sink.write(record(_article(id="a"), EXTRACTION))
    sink.write(record(_article(id="b", error="empty file"), None))
    sink.close()
    sink = Sink(out, fmt, append=True)  # a resumed run writes no second CSV header
    sink.write(record(_article(id="c"), Extraction()))
    sink.close()
    assert read_done(out, fmt) == {"a": None, "b": "empty file", "c": None}
    if fmt == "csv":
        assert out.read_text(encoding="utf-8").count("id,source,") == 1


def test_a_torn_last_jsonl_line_is_cut_off(tmp_path):
    out = tmp_path / "out.jsonl"
    whole = b'{"id": "a", "facts": []}\n{"id": "b", "error": "empty file"}\n'
    out.write_bytes(whole + b'{"id": "c", "fac')
    assert read_done(out, "jsonl") == {"a": None, "b": "empty file"}
    assert out.read_bytes() == whole


def test_a_csv_article_whose_rows_were_cut_short_is_dropped(tmp_path):
    out = tmp_path / "out.csv"
    whole = csv_block(csv_rows(record(_article(id="a"), EXTRACTION)), header=True)
    torn = csv_block(csv_rows(record(_article(id="b"), EXTRACTION)))
    out.write_bytes(whole + torn.splitlines(keepends=True)[0])  # one of b's two rows
    assert read_done(out, "csv") == {"a": None}
    assert out.read_bytes() == whole


def test_resuming_an_output_of_another_kind_is_refused(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(ResumeError):
        read_done(out, "csv")
    out.write_text("not json\n")
    with pytest.raises(ResumeError):
        read_done(out, "jsonl")
    assert read_done(tmp_path / "missing.jsonl", "jsonl") == {}
