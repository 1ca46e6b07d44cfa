"""`finfacts extract --resume --retry-errors`: failed articles extracted again, once each."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.batch import retry as retry_module
from pipeline.cli import main

SENTENCES = [
    "La start-up Kovalt a levé 30 millions d'euros auprès de Partech.",
    "Orange revendique 15 millions d'abonnés en France.",
    "Alan va recruter 300 personnes en 2026.",
    "Le groupe Iliad affiche un chiffre d'affaires de 2,5 milliards d'euros.",
]


def _article(number: int) -> str:
    return "\n\n".join(SENTENCES[(number + k) % len(SENTENCES)] for k in range(2)) + "\n"


def _invoke(*args: str):
    return CliRunner().invoke(main, ["extract", *args], catch_exceptions=False)


def _ids(path: Path, fmt: str) -> list[str]:
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
    return [row["id"] for row in csv.DictReader(path.open(encoding="utf-8"))]


def _blocks(path: Path, fmt: str) -> dict[str, bytes]:
    """Each article's lines, as bytes (CSV: its rows, the header left out)."""
    lines = path.read_bytes().splitlines(keepends=True)
    if fmt == "csv":
        lines = lines[1:]
    out: dict[str, bytes] = {}
    for line in lines:
        if fmt == "jsonl":
            key = json.loads(line)["id"]
        else:
            key = next(csv.reader([line.decode("utf-8")]))[0]
        out[key] = out.get(key, b"") + line
    return out


def _broken_folder(root: Path, count: int, broken: dict[int, bytes]) -> Path:
    root.mkdir(parents=True)
    for number in range(count):
        data = broken.get(number, _article(number).encode("utf-8"))
        (root / f"{number:02d}.txt").write_bytes(data)
    return root


def _fix(root: Path, numbers) -> None:
    for number in numbers:
        (root / f"{number:02d}.txt").write_text(_article(number), encoding="utf-8")


BROKEN = {1: b"", 4: b"%PDF-1.4 not yet converted"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_retry_errors_extracts_the_fixed_articles_once_and_keeps_the_others(nlp, tmp_path, fmt):
    inputs = _broken_folder(tmp_path / "in", 6, BROKEN)
    out = tmp_path / f"out.{fmt}"
    assert _invoke(str(inputs), "-o", str(out)).exit_code == 1
    before = _blocks(out, fmt)
    if fmt == "jsonl":
        assert {k for k, v in before.items() if b'"error"' in v} == {"01.txt", "04.txt"}
    _fix(inputs, BROKEN)

    plain = _invoke(str(inputs), "-o", str(out), "--resume")  # errors are not retried
    assert plain.exit_code == 1 and _blocks(out, fmt) == before

    result = _invoke(str(inputs), "-o", str(out), "--resume", "--retry-errors")

    assert result.exit_code == 0, result.stderr
    assert "retried: 2" in result.stderr
    ids = _ids(out, fmt)
    assert sorted(set(ids)) == [f"{n:02d}.txt" for n in range(6)]
    after = _blocks(out, fmt)
    for key in ("00.txt", "02.txt", "03.txt", "05.txt"):
        assert after[key] == before[key]  # byte for byte
    # The kept records first, in their order; the retried ones appended after them.
    assert list(after)[:4] == ["00.txt", "02.txt", "03.txt", "05.txt"]
    fresh = tmp_path / f"fresh.{fmt}"
    assert _invoke(str(inputs), "-o", str(fresh)).exit_code == 0
    assert _blocks(out, fmt) == _blocks(fresh, fmt)  # as if it had never failed
    if fmt == "jsonl":
        records = {json.loads(b)["id"]: json.loads(b) for b in after.values()}
        assert all(records[key]["facts"] for key in ("01.txt", "04.txt"))
    assert not list(tmp_path.glob(".out.*"))  # no temporary file left


def test_retry_errors_implies_resume_and_needs_an_output(nlp, tmp_path):
    inputs = _broken_folder(tmp_path / "in", 2, {1: b""})
    out = tmp_path / "out.jsonl"
    assert _invoke(str(inputs), "-o", str(out)).exit_code == 1
    kept = out.read_bytes().splitlines(keepends=True)[0]
    _fix(inputs, [1])
    assert _invoke(str(inputs), "-o", str(out), "--retry-errors").exit_code == 0
    assert out.read_bytes().startswith(kept) and _ids(out, "jsonl") == ["00.txt", "01.txt"]

    no_output = CliRunner().invoke(main, ["extract", str(inputs), "--retry-errors"])
    assert no_output.exit_code == 2 and "-o/--output" in no_output.stderr
    stdin = CliRunner().invoke(
        main, ["extract", "-", "-o", str(out), "--retry-errors"], input=b"Texte.\n"
    )
    assert stdin.exit_code == 2 and "standard input" in stdin.stderr


def test_an_error_record_of_an_article_no_longer_given_is_kept(nlp, tmp_path):
    inputs = _broken_folder(tmp_path / "in", 3, {1: b""})
    out = tmp_path / "out.jsonl"
    assert _invoke(str(inputs), "-o", str(out)).exit_code == 1
    before = out.read_bytes()
    result = _invoke(
        str(inputs / "00.txt"), str(inputs / "02.txt"), "-o", str(out), "--retry-errors"
    )
    # 00.txt and 02.txt as files have other ids than in the folder run: extracted anew,
    # but the folder run's error record of 01.txt has nothing to replace it: it stays.
    assert out.read_bytes().startswith(before)
    assert result.exit_code == 1 and "errors from the earlier run: 1" in result.stderr


class Crash(BaseException):
    """The process dies here (nothing catches a BaseException of our own)."""


def test_a_run_that_dies_after_the_rewrite_loses_nothing(nlp, tmp_path, monkeypatch):
    broken = {n: b"" for n in (1, 2, 3, 5, 6)}
    inputs = _broken_folder(tmp_path / "in", 8, broken)
    out = tmp_path / "out.jsonl"
    assert _invoke(str(inputs), "-o", str(out), "--batch-size", "1").exit_code == 1
    before = _blocks(out, "jsonl")
    _fix(inputs, broken)

    import pipeline.api as api

    real_many = api.extract_many

    def dying(texts, **options):
        for number, extraction in enumerate(real_many(texts, **options)):
            if number == 2:
                raise Crash
            yield extraction

    monkeypatch.setattr(api, "extract_many", dying)
    with pytest.raises(Crash):
        _invoke(str(inputs), "-o", str(out), "--retry-errors", "--batch-size", "1")
    monkeypatch.setattr(api, "extract_many", real_many)

    died = _blocks(out, "jsonl")  # every line parses, no article twice
    assert len(died) == len(out.read_bytes().splitlines())
    for key in ("00.txt", "04.txt", "07.txt"):
        assert died[key] == before[key]
    retried = [key for key in died if key not in ("00.txt", "04.txt", "07.txt")]
    assert retried == ["01.txt", "02.txt"]  # two done before the crash, no error among them
    assert all(b'"error"' not in died[key] for key in retried)

    result = _invoke(str(inputs), "-o", str(out), "--resume")  # completes it
    assert result.exit_code == 0, result.stderr
    assert sorted(_ids(out, "jsonl")) == [f"{n:02d}.txt" for n in range(8)]
    assert all(b'"error"' not in block for block in _blocks(out, "jsonl").values())


def test_a_run_that_dies_during_the_rewrite_leaves_the_output_as_it_was(nlp, tmp_path, monkeypatch):
    inputs = _broken_folder(tmp_path / "in", 3, {1: b""})
    out = tmp_path / "out.jsonl"
    assert _invoke(str(inputs), "-o", str(out)).exit_code == 1
    before = out.read_bytes()
    _fix(inputs, [1])

    def dies(*args):
        raise Crash

    monkeypatch.setattr(retry_module.os, "replace", dies)
    with pytest.raises(Crash):
        _invoke(str(inputs), "-o", str(out), "--retry-errors")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.jsonl"]


def test_drop_error_records_keeps_every_other_line_byte_for_byte(tmp_path):
    out = tmp_path / "out.jsonl"
    lines = [
        b'{"id": "a", "facts": [], "entities": []}\n',
        b'{"id": "b", "error": "empty file"}\n',
        b'{"id":"c","error":"binary file (PDF document)"}\n',
        b'{"id": "d", "error": "empty file"}\n',
        b'{"id": "e", "facts": [], "entities": [], "note": "caf\xc3\xa9"}\n',
    ]
    out.write_bytes(b"".join(lines))
    out.chmod(0o600)
    assert retry_module.drop_error_records(out, "jsonl", {"b", "c", "e"}) == 2
    assert out.read_bytes() == lines[0] + lines[3] + lines[4]  # "e" is no error: kept
    assert out.stat().st_mode & 0o777 == 0o600
