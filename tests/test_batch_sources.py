"""Finding and reading the articles of a batch: one Article per input, errors included."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pipeline.batch.language import language_hint
from pipeline.batch.sources import UsageError, plan_inputs, read_articles

ARTICLE = (
    "date 2026-03-02\nLa Société Générale a levé 5 M€ auprès d’investisseurs français "
    "pour financer sa croissance dans les services.\n"
)
# Latin-1 has neither "€" nor "’": the article as an old archive would write it.
LATIN = ARTICLE.replace("€", " millions d'euros").replace("’", "'")


def _tree(root: Path, files: dict[str, bytes | str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
    return root


def _read(*paths, **options):
    return list(read_articles(plan_inputs([str(p) for p in paths]), **options))


def test_a_folder_is_searched_recursively_in_a_stable_order(tmp_path):
    _tree(
        tmp_path,
        {
            "b.txt": ARTICLE,
            "a/z.md": ARTICLE,
            "a/y.HTML": "<p>Texte.</p>",
            "a/x.htm": "<p>Texte.</p>",
            "feed.jsonl": json.dumps({"id": "n1", "text": ARTICLE}) + "\n",
            "a/01.gold.json": "{}",
            "notes.csv": "a,b",
            "README.md": "# About this folder",
            ".hidden.txt": ARTICLE,
            ".git/objects.txt": ARTICLE,
        },
    )
    plan = plan_inputs([str(tmp_path)])
    assert [source.id for source in plan.inputs] == [
        "a/x.htm",
        "a/y.HTML",
        "a/z.md",
        "b.txt",
        "feed.jsonl",
    ]
    assert plan.ignored == {".json": 1, ".csv": 1, "README.md": 1}
    assert [a.id for a in read_articles(plan)] == ["a/x.htm", "a/y.HTML", "a/z.md", "b.txt", "n1"]


def test_the_output_file_is_never_an_input_and_a_file_is_read_once(tmp_path):
    _tree(tmp_path, {"a.txt": ARTICLE, "out.jsonl": '{"id": "a.txt"}\n'})
    plan = plan_inputs([str(tmp_path), str(tmp_path / "a.txt")], exclude=[tmp_path / "out.jsonl"])
    assert [source.id for source in plan.inputs] == ["a.txt"]


def test_ids_stay_unique_across_folders(tmp_path):
    _tree(tmp_path, {"one/a.txt": ARTICLE, "two/a.txt": ARTICLE})
    ids = [a.id for a in _read(tmp_path / "one", tmp_path / "two")]
    assert ids[0] == "a.txt"
    assert ids[1].endswith("two/a.txt")
    assert len(set(ids)) == 2


def test_a_file_named_explicitly_is_read_whatever_its_extension(tmp_path):
    _tree(tmp_path, {"depeche": ARTICLE, "page.php": "<html><body><p>Texte.</p></body></html>"})
    first, second = _read(tmp_path / "depeche", tmp_path / "page.php")
    assert first.text == ARTICLE and first.error is None
    assert second.text == "Texte." and second.title is None


def test_a_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        plan_inputs([str(tmp_path / "nowhere")])


def test_files_that_deserve_an_error_and_files_that_do_not(tmp_path):
    _tree(
        tmp_path,
        {
            "empty.txt": b"",
            "blank.txt": b" \n\t\r\n ",
            "binary.txt": bytes(range(256)) * 2,
            "photo.txt": b"\xff\xd8\xff\xe0" + bytes(300),
            "big.txt": "x" * 2000,
            "fits.txt": "y" * 1000,
            "latin1.txt": LATIN.encode("latin-1"),
            "utf8.txt": LATIN,
            "bom.txt": b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
            "english.txt": "Apple reported record revenue of 124 billion dollars in the quarter.",
            "hollow.html": "<html><body><script>x()</script></body></html>",
        },
    )
    articles = {Path(a.id).stem: a for a in _read(tmp_path, max_bytes=1000)}
    errors = {name: a.error for name, a in articles.items() if a.error}
    assert errors == {
        "empty": "empty file",
        "blank": "blank file: only whitespace",
        "binary": "binary file (contains NUL bytes)",
        "photo": "binary file (JPEG image)",
        "big": "file too large: 2000 bytes > 1000 bytes (see --max-size)",
        "hollow": "no visible text in the page",
    }
    assert articles["latin1"].text == articles["utf8"].text
    assert articles["latin1"].encoding == "latin_1"
    assert articles["utf8"].encoding == "utf_8"
    assert articles["bom"].text == ARTICLE and articles["bom"].encoding == "utf_8_sig"
    assert articles["english"].language == "en" and articles["utf8"].language == "fr"


def test_jsonl_articles_one_per_line(tmp_path):
    lines = [
        {"id": "a-1", "text": ARTICLE, "published": "2026-03-02T10:00:00Z", "title": "Titre"},
        {"text": ARTICLE},
        "",
        {"id": 7, "text": ARTICLE},
        {"id": "a-1", "text": ARTICLE},
        {"id": "bad-date", "text": ARTICLE, "published": "02/03/2026"},
        {"id": "no-text"},
        {"id": "blank", "text": "   "},
        "not json",
        ["a", "list"],
    ]
    raw = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    _tree(tmp_path, {"feed.jsonl": "\ufeff" + raw + "\n"})
    articles = _read(tmp_path)
    assert [(a.id, a.source.rsplit(":", 1)[1], a.error) for a in articles] == [
        ("a-1", "1", None),
        ("feed.jsonl#2", "2", None),
        ("7", "4", None),
        ("feed.jsonl#a-1", "5", None),
        ("bad-date", "6", "'published' is not an ISO date (YYYY-MM-DD): '02/03/2026'"),
        ("no-text", "7", "no 'text' string in the record"),
        ("blank", "8", "empty text"),
        ("feed.jsonl#9", "9", "invalid JSON: Expecting value: line 1 column 1 (char 0)"),
        ("feed.jsonl#10", "10", "a JSON Lines article must be an object with a 'text'"),
    ]
    first = articles[0]
    assert (first.published, first.title, first.text) == ("2026-03-02", "Titre", ARTICLE)


def test_an_empty_jsonl_file_still_gives_one_record(tmp_path):
    _tree(tmp_path, {"empty.jsonl": "\n\n"})
    [article] = _read(tmp_path)
    assert article.id == "empty.jsonl"
    assert article.error == "no article: the JSON Lines file is empty"


def test_standard_input_as_text_or_jsonl():
    [text] = list(read_articles(plan_inputs(["-"]), stdin=io.BytesIO(ARTICLE.encode("cp1252"))))
    assert (text.id, text.source, text.text, text.encoding) == ("-", "<stdin>", ARTICLE, "cp1252")
    feed = b'{"id": "x", "text": "Kovalt"}\n\n{"text": "Alan"}\n'
    articles = list(read_articles(plan_inputs(["-"]), stdin=io.BytesIO(feed)))
    assert [(a.id, a.text) for a in articles] == [("x", "Kovalt"), ("-#3", "Alan")]
    with pytest.raises(UsageError):
        plan_inputs(["-", "-"])


def test_articles_already_done_are_skipped_without_reading(tmp_path):
    _tree(tmp_path, {"a.txt": ARTICLE, "b.txt": b"", "feed.jsonl": '{"id": "n", "text": "x"}\n'})
    articles = _read(tmp_path, done={"a.txt", "b.txt", "n"})
    assert [(a.id, a.skipped, a.text, a.error) for a in articles] == [
        ("a.txt", True, "", None),
        ("b.txt", True, "", None),
        ("n", True, "", None),
    ]


def test_language_hint_is_only_a_hint():
    assert language_hint(ARTICLE) == "fr"
    assert language_hint("The company raised 30 million dollars from its investors.") == "en"
    assert language_hint("12 345 678 €") is None


def test_a_jsonl_line_in_a_legacy_charset_is_still_read(tmp_path):
    line = json.dumps({"id": "old", "text": LATIN}, ensure_ascii=False)
    _tree(tmp_path, {"old.jsonl": (line + "\n").encode("cp1252")})
    [article] = _read(tmp_path)
    assert (article.text, article.encoding, article.error) == (LATIN, "latin_1", None)
