"""The articles of a batch: files and folders found, read, decoded, each with a unique id.

Inputs are .txt (plain text), .md (Markdown) and .html and .htm (their visible text), and
.jsonl (one article a line: `text`, optional `id`, `published`, `title`). A folder is searched
recursively, in a stable order, skipping hidden entries, README files and other
extensions (gold .json files are no articles); a file named explicitly is read whatever
its extension, as text or, when it looks like it, as HTML. `-` reads standard input.

Every article comes out exactly once, in order, as an `Article`: with its text, or with
the reason it has none (`error`). Reading never raises for one bad file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from .decode import DecodeError, binary_kind, declared_charset, decode_bytes, normalise_text
from .html import html_to_article
from .language import language_hint
from .markdown import markdown_to_article

Kind = Literal["text", "markdown", "html", "jsonl", "auto"]
KINDS: dict[str, Kind] = {
    ".txt": "text",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}
STDIN = "-"
DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Input:
    """One file (or standard input) to read, and the id its articles stand on."""

    path: Path | None  # None: standard input
    id: str
    kind: Kind

    @property
    def source(self) -> str:
        return "<stdin>" if self.path is None else str(self.path)


@dataclass(slots=True)
class Plan:
    """The inputs of a run, in order, and what the folder search left aside."""

    inputs: list[Input]
    ignored: Counter[str] = field(default_factory=Counter)  # extension -> files


@dataclass(slots=True)
class Article:
    """One article to extract: its text, or the error that stops it."""

    id: str
    source: str
    text: str = ""
    published: str | None = None
    error: str | None = None
    encoding: str | None = None
    language: str | None = None
    title: str | None = None
    skipped: bool = False  # already in the output (--resume): not read, not extracted

    @property
    def words(self) -> int:
        return len(self.text.split())


class UsageError(ValueError):
    """Inputs that make no run (nothing to read, standard input twice...)."""


def plan_inputs(paths: Iterable[str | Path], *, exclude: Iterable[Path] = ()) -> Plan:
    """The files to read, in order, with unique ids: relative to their folder argument,
    or as written for a file argument. `exclude` (the output file) is never an input."""
    excluded = {_identity(Path(p)) for p in exclude if Path(p).exists()}
    seen_files: set[tuple[int, int] | str] = set()
    ids = _UniqueIds()
    plan = Plan(inputs=[])
    stdin_used = False
    for given in paths:
        given = str(given)
        if given == STDIN:
            if stdin_used:
                raise UsageError("standard input ('-') given twice")
            stdin_used = True
            plan.inputs.append(Input(None, ids.unique(STDIN, STDIN), "auto"))
            continue
        path = Path(given)
        if path.is_dir():
            for file, relative in _walk(path, plan.ignored):
                key = _identity(file)
                if key in excluded or key in seen_files:
                    continue
                seen_files.add(key)
                kind = KINDS[file.suffix.lower()]
                plan.inputs.append(Input(file, ids.unique(relative, f"{given}/{relative}"), kind))
        elif path.exists():
            key = _identity(path)
            if key in excluded or key in seen_files:
                continue
            seen_files.add(key)
            kind = KINDS.get(path.suffix.lower(), "auto")
            plan.inputs.append(Input(path, ids.unique(path.as_posix(), path.as_posix()), kind))
        else:
            raise UsageError(f"no such file or folder: {given}")
    return plan


def count_articles(plan: Plan) -> int | None:
    """How many articles the plan holds (lines of .jsonl files counted), None if unknown."""
    total = 0
    for source in plan.inputs:
        if source.path is None:
            return None
        if source.kind != "jsonl":
            total += 1
            continue
        try:
            with source.path.open("rb") as stream:
                total += max(
                    1, sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
                )
        except OSError:
            total += 1
    return total


def read_articles(
    plan: Plan,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    done: Container[str] = frozenset(),
    stdin: BinaryIO | None = None,
) -> Iterator[Article]:
    """Every article of the plan, in order; those whose id is in `done` come out skipped."""
    ids = _UniqueIds()
    # Files are one article each, under their planned id; a JSON Lines article whose own
    # id happens to equal one of them is told apart (see _UniqueIds).
    ids.taken.update(s.id for s in plan.inputs if s.kind != "jsonl")
    for source in plan.inputs:
        if source.path is None:
            yield from _read_stdin(source, stdin or sys.stdin.buffer, max_bytes, done, ids)
        elif source.kind == "jsonl":
            yield from _read_jsonl_file(source, max_bytes, done, ids)
        elif source.id in done:
            yield Article(source.id, source.source, skipped=True)
        else:
            yield _read_file(source, max_bytes)


# --- files ---------------------------------------------------------------------------


def _walk(folder: Path, ignored: Counter[str]) -> Iterator[tuple[Path, str]]:
    """Supported files under folder, sorted by relative path; hidden entries skipped."""
    found = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            path = Path(top, name)
            suffix = path.suffix.lower()
            if path.stem.upper() == "README":  # a folder's documentation, not an article
                ignored[name] += 1
            elif suffix in KINDS:
                found.append((path.relative_to(folder).as_posix(), path))
            else:
                ignored[suffix or "(no extension)"] += 1
    for relative, path in sorted(found):
        yield path, relative


def _identity(path: Path) -> tuple[int, int] | str:
    """The same file reached by two paths (symlink, ../) has one identity."""
    try:
        stat = path.stat()
        return (stat.st_dev, stat.st_ino)
    except OSError:
        return str(path.resolve())


def _read_file(source: Input, max_bytes: int) -> Article:
    article = Article(source.id, source.source)
    assert source.path is not None
    try:
        size = source.path.stat().st_size
        if size > max_bytes:
            article.error = f"file too large: {_size(size)} > {_size(max_bytes)} (see --max-size)"
            return article
        data = source.path.read_bytes()
    except OSError as exc:
        article.error = f"cannot read: {exc.strerror or exc}"
        return article
    return _article_from_bytes(article, data, source.kind)


def _article_from_bytes(article: Article, data: bytes, kind: Kind) -> Article:
    if kind == "auto":
        kind = "html" if _looks_like_html(data) else "text"
    try:
        decoded = decode_bytes(data, declared=declared_charset(data) if kind == "html" else None)
    except DecodeError as exc:
        article.error = str(exc)
        return article
    article.encoding = decoded.encoding
    if kind == "html" or (kind == "markdown" and decoded.text.strip()):
        if kind == "html":
            page = html_to_article(decoded.text)
        else:
            page = markdown_to_article(normalise_text(decoded.text))
        text = normalise_text(page.text)
        article.title = page.title
        article.published = page.published
        if not text.strip():
            what = "page" if kind == "html" else "Markdown file"
            article.error = f"no visible text in the {what}"
            return article
    else:
        text = normalise_text(decoded.text)
        if not text.strip():
            article.error = "blank file: only whitespace"
            return article
    article.text = text
    article.language = language_hint(text)
    return article


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def _size(count: int) -> str:
    if count < 10_000:
        return f"{count} bytes"
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


# --- JSON Lines and standard input -------------------------------------------------------


def _read_jsonl_file(
    source: Input, max_bytes: int, done: Container[str], ids: _UniqueIds
) -> Iterator[Article]:
    assert source.path is not None
    try:
        stream = source.path.open("rb")
    except OSError as exc:
        yield _file_error(source, ids, done, f"cannot read: {exc.strerror or exc}")
        return
    with stream:
        binary = binary_kind(stream.read(8192))
        if binary:
            yield _file_error(source, ids, done, f"binary file ({binary})")
            return
        stream.seek(0)
        yield from _read_jsonl_lines(source, stream, max_bytes, done, ids)


def _read_jsonl_lines(
    source: Input, lines: Iterable[bytes], max_bytes: int, done: Container[str], ids: _UniqueIds
) -> Iterator[Article]:
    articles = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        articles += 1
        where = f"{source.source}:{number}"
        fallback = f"{source.id}#{number}"
        if len(raw) > 8 * max_bytes:  # not even parsed: the text is over the limit anyway
            article = Article(ids.unique(fallback, fallback), where)
            article.error = (
                f"article too large: {_size(len(raw))} line > {_size(max_bytes)} (see --max-size)"
            )
            yield _skip_if_done(article, done)
            continue
        encoding = "utf_8"
        try:
            line = raw.decode("utf_8_sig" if number == 1 else "utf_8")
            record = json.loads(line)
        except UnicodeDecodeError:  # JSON is UTF-8, but a legacy export may not be
            try:
                decoded = decode_bytes(raw)
                encoding = decoded.encoding
                record = json.loads(decoded.text)
            except (DecodeError, ValueError) as exc:
                yield _skip_if_done(
                    Article(
                        ids.unique(fallback, fallback), where, error=f"undecodable line: {exc}"
                    ),
                    done,
                )
                continue
        except ValueError as exc:
            yield _skip_if_done(
                Article(ids.unique(fallback, fallback), where, error=f"invalid JSON: {exc}"), done
            )
            continue
        article = _jsonl_article(record, where, fallback, source.id, max_bytes, ids)
        if article.error is None:
            article.encoding = encoding
        yield _skip_if_done(article, done)
    if articles == 0:
        yield _file_error(source, ids, done, "no article: the JSON Lines file is empty")


def _jsonl_article(
    record: object, where: str, fallback: str, file_id: str, max_bytes: int, ids: _UniqueIds
) -> Article:
    if not isinstance(record, dict):
        return Article(
            ids.unique(fallback, fallback),
            where,
            error="a JSON Lines article must be an object with a 'text'",
        )
    given = record.get("id")
    if isinstance(given, (str, int)) and not isinstance(given, bool) and str(given).strip():
        article = Article(ids.unique(str(given), f"{file_id}#{given}"), where)
    else:
        article = Article(ids.unique(fallback, fallback), where)
    title = record.get("title")
    article.title = title if isinstance(title, str) and title.strip() else None
    text = record.get("text")
    if not isinstance(text, str):
        article.error = "no 'text' string in the record"
        return article
    published = record.get("published")
    if published not in (None, ""):
        if not isinstance(published, str) or not _iso_date(published):
            article.error = f"'published' is not an ISO date (YYYY-MM-DD): {published!r}"
            return article
        article.published = published.strip()[:10]
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        article.error = f"article too large: {_size(size)} > {_size(max_bytes)} (see --max-size)"
        return article
    if not text.strip():
        article.error = "empty text"
        return article
    article.text = text
    article.language = language_hint(text)
    return article


def _iso_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return False
    return True


def _read_stdin(
    source: Input, stream: BinaryIO, max_bytes: int, done: Container[str], ids: _UniqueIds
) -> Iterator[Article]:
    first = stream.readline()
    while first and not first.strip():
        first = stream.readline()
    if first.lstrip(b"\xef\xbb\xbf \t").startswith(b"{"):
        yield from _read_jsonl_lines(source, _chain_first(first, stream), max_bytes, done, ids)
        return
    if source.id in done:
        yield Article(source.id, source.source, skipped=True)
        return
    data = first + stream.read(max_bytes + 1 - len(first))
    article = Article(source.id, source.source)
    if len(data) > max_bytes:
        article.error = f"standard input too large: over {_size(max_bytes)} (see --max-size)"
        yield article
        return
    yield _article_from_bytes(article, data, "auto")


def _chain_first(first: bytes, stream: BinaryIO) -> Iterator[bytes]:
    yield first
    yield from stream


def _file_error(source: Input, ids: _UniqueIds, done: Container[str], reason: str) -> Article:
    return _skip_if_done(
        Article(ids.unique(source.id, source.id), source.source, error=reason), done
    )


def _skip_if_done(article: Article, done: Container[str]) -> Article:
    if article.id in done:
        return Article(article.id, article.source, skipped=True)
    return article


class _UniqueIds:
    """Ids that stay unique and the same from run to run (--resume stands on them)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def unique(self, preferred: str, alternative: str) -> str:
        for candidate in (preferred, alternative):
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        number = 2
        while f"{alternative}~{number}" in self.taken:
            number += 1
        self.taken.add(f"{alternative}~{number}")
        return f"{alternative}~{number}"
