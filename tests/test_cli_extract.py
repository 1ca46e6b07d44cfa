"""`finfacts extract`: one record per input, errors where deserved, exit codes, resume, kill -9."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "La start-up Kovalt a levé 30 millions d'euros auprès de Partech.",
    "Orange revendique 15 millions d'abonnés en France.",
    "Alan va recruter 300 personnes en 2026.",
    "Le groupe Iliad affiche un chiffre d'affaires de 2,5 milliards d'euros.",
    "Mistral AI lève 1,7 milliard d'euros lors d'une série C.",
]
# Latin-1 twin: the same article without characters Latin-1 lacks (’, €).
FRENCH = (
    "date 2026-03-02\nLa société Kovalt a annoncé vendredi une levée de fonds de 30 millions "
    "d'euros, menée par Partech. Elle prévoit de recruter 120 salariés d'ici à la fin de l'année.\n"
)


def _article(number: int) -> str:
    return "\n\n".join(SENTENCES[(number + k) % len(SENTENCES)] for k in range(3)) + "\n"


def _folder(root: Path, count: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (root / f"{number:03d}.txt").write_text(_article(number), encoding="utf-8")
    return root


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["extract", *args], input=input, catch_exceptions=False)


def test_a_mixed_folder_gives_one_record_per_file_and_errors_only_where_deserved(nlp, tmp_path):
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "utf8.txt").write_text(FRENCH, encoding="utf-8")
    (inputs / "latin1.txt").write_bytes(FRENCH.encode("latin-1"))
    (inputs / "bom.txt").write_bytes(b"\xef\xbb\xbf" + FRENCH.encode("utf-8"))
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "blank.txt").write_text("  \n\n\t \n", encoding="utf-8")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inputs / "english.txt").write_text(
        "Apple reported record revenue of 124 billion dollars for the quarter, driven by "
        "strong sales of the iPhone in China and in the United States.\n",
        encoding="utf-8",
    )
    (inputs / "sub" / "page.html").write_text(
        "<html><head><title>x</title><script>var a = 1;</script></head><body><nav>Menu</nav>"
        f"<article><p>{SENTENCES[0]}</p><p>{SENTENCES[1]}</p></article></body></html>",
        encoding="utf-8",
    )
    (inputs / "sub" / "feed.jsonl").write_text(
        json.dumps({"id": "feed-1", "text": SENTENCES[2], "published": "2025-01-15"}) + "\n",
        encoding="utf-8",
    )
    (inputs / "00.gold.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    result = _invoke(str(inputs), "-o", str(out), "--include-text")

    assert result.exit_code == 1, result.stderr
    records = {r["id"]: r for r in _records(out)}
    assert list(records) == [
        "binary.txt", "blank.txt", "bom.txt", "empty.txt", "english.txt", "latin1.txt",
        "feed-1", "sub/page.html", "utf8.txt",
    ]  # fmt: skip
    errors = {key: r["error"] for key, r in records.items() if "error" in r}
    assert errors == {
        "binary.txt": "binary file (contains NUL bytes)",
        "blank.txt": "blank file: only whitespace",
        "empty.txt": "empty file",
    }
    twins = [records[key] for key in ("utf8.txt", "latin1.txt", "bom.txt")]
    assert [r["encoding"] for r in twins] == ["utf_8", "latin_1", "utf_8_sig"]
    assert twins[0]["entities"] == twins[1]["entities"] == twins[2]["entities"]
    assert twins[0]["facts"] == twins[1]["facts"] == twins[2]["facts"]
    assert twins[0]["published"] == "2026-03-02"
    assert any(e["label"] == "MONEY" for e in twins[0]["entities"])
    assert records["english.txt"]["language"] == "en" and "facts" in records["english.txt"]
    assert records["feed-1"]["published"] == "2025-01-15"
    assert any(e["label"] == "MONEY" for e in records["sub/page.html"]["entities"])
    for rec in records.values():  # offsets refer to the decoded text, HTML included
        for entity in rec.get("entities", []):
            assert rec["text"][entity["start"] : entity["end"]] == entity["text"]
        for fact in rec.get("facts", []):
            evidence = fact["evidence"]
            assert rec["text"][evidence["start"] : evidence["end"]] == evidence["text"]
    assert twins[1]["text"] == FRENCH
    assert "empty.txt: empty file" in result.stderr
    assert "articles" in result.stderr and "errors: 3" in result.stderr


def test_exit_0_and_csv_rows_when_every_article_is_extracted(nlp, tmp_path):
    inputs = _folder(tmp_path / "in", 3)
    (inputs / "nothing.txt").write_text("Il fait beau.\n", encoding="utf-8")
    out = tmp_path / "facts.csv"
    result = _invoke(str(inputs), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted({row["id"] for row in rows}) == ["000.txt", "001.txt", "002.txt", "nothing.txt"]
    quiet = [row for row in rows if row["id"] == "nothing.txt"]
    assert len(quiet) == 1 and quiet[0]["fact_count"] == "0" and quiet[0]["type"] == ""
    for row in rows:
        assert sum(r["id"] == row["id"] for r in rows) == max(1, int(row["fact_count"]))
    assert sum(row["type"] != "" for row in rows) >= 3


@pytest.mark.parametrize(
    "args",
    [
        ["{in}", "--resume"],  # nowhere to resume
        ["{in}/missing"],
        ["{empty}"],  # a folder without articles
        ["{in}", "--workers", "0"],
        ["{in}", "--max-size", "lots"],
        ["{in}", "--format", "xml"],
    ],
)
def test_usage_errors_exit_2(tmp_path, args):
    inputs = _folder(tmp_path / "in", 1)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.json").write_text("{}")
    args = [a.format(**{"in": inputs, "empty": tmp_path / "empty"}) for a in args]
    result = CliRunner().invoke(main, ["extract", *args])
    assert result.exit_code == 2, result.output


def test_resuming_an_output_of_another_format_is_a_usage_error(nlp, tmp_path):
    inputs = _folder(tmp_path / "in", 1)
    out = tmp_path / "out.csv"
    out.write_text('{"id": "000.txt"}\n', encoding="utf-8")
    result = _invoke(str(inputs), "-o", str(out), "--resume")
    assert result.exit_code == 2
    assert "columns" in result.stderr


def test_standard_input_jsonl_to_standard_output(nlp):
    feed = "".join(
        json.dumps({"id": f"n{k}", "text": _article(k)}, ensure_ascii=False) + "\n"
        for k in range(3)
    )
    result = _invoke("-", "--quiet", input=feed.encode("utf-8"))
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["n0", "n1", "n2"]
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_completes_an_interrupted_output_without_duplicates(nlp, tmp_path, fmt):
    inputs = _folder(tmp_path / "in", 8)
    (inputs / "empty.txt").write_bytes(b"")
    full = tmp_path / f"full.{fmt}"
    assert _invoke(str(inputs), "-o", str(full)).exit_code == 1
    lines = full.read_bytes().splitlines(keepends=True)
    partial = tmp_path / f"partial.{fmt}"
    partial.write_bytes(b"".join(lines[:4]) + lines[4][:25])  # killed in mid-write

    result = _invoke(str(inputs), "-o", str(partial), "--resume")

    assert result.exit_code == 1  # the empty file's error is still in the output
    assert partial.read_bytes() == full.read_bytes()
    assert "skipped: " in result.stderr


def test_two_workers_give_the_same_output_as_one(nlp, tmp_path):
    inputs = _folder(tmp_path / "in", 12)
    (inputs / "007.txt").write_bytes(b"")  # an error in the middle keeps its place
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert _invoke(str(inputs), "-o", str(one), "--batch-size", "2").exit_code == 1
    assert (
        _invoke(str(inputs), "-o", str(two), "--workers", "2", "--batch-size", "2").exit_code == 1
    )
    assert two.read_bytes() == one.read_bytes()


def test_an_article_that_breaks_the_extractor_gets_an_error_and_the_run_goes_on(
    nlp, tmp_path, monkeypatch
):
    import pipeline.api as api

    real_many, real_one = api.extract_many, api.extract

    def checked(texts):
        for text in texts:
            if "POISON" in text:
                raise RuntimeError("the extractor broke")
            yield text

    def one(text, published=None, *, nlp=None):
        return real_one(next(checked([text])), published, nlp=nlp)

    monkeypatch.setattr(api, "extract_many", lambda texts, **kw: real_many(checked(texts), **kw))
    monkeypatch.setattr(api, "extract", one)
    inputs = _folder(tmp_path / "in", 6)
    (inputs / "003.txt").write_text("POISON " + _article(3), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = _invoke(str(inputs), "-o", str(out), "--batch-size", "2")
    records = _records(out)
    assert [r["id"] for r in records] == [f"{n:03d}.txt" for n in range(6)]
    assert [r.get("error") for r in records] == [None] * 3 + [
        "extraction failed: RuntimeError: the extractor broke"
    ] + [None] * 2
    assert result.exit_code == 1


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pids: list[int]) -> list[int]:
    """The processes still running (an exited orphan may linger as a zombie: not running)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            alive.append(pid)
    return alive


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the workers")
def test_kill_9_in_the_middle_then_resume_gives_every_article_once(nlp, tmp_path):
    count = 60
    inputs = _folder(tmp_path / "in", count)
    out = tmp_path / "out.jsonl"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "pipeline.cli", "extract", str(inputs), "-o", str(out)]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--batch-size", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 5:
            break
        time.sleep(0.01)
    workers = _children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"

    written = _records(out)  # every line parses
    assert 5 <= len(written) < count
    assert workers, "the run had no worker processes"
    deadline = time.monotonic() + 15  # the workers see their parent gone within a second
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive(workers) == []

    result = _invoke(str(inputs), "-o", str(out), "--resume", "--workers", "2")
    assert result.exit_code == 0, result.stderr
    ids = [r["id"] for r in _records(out)]
    assert ids == [f"{n:03d}.txt" for n in range(count)]
