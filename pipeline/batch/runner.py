"""`finfacts extract` on a whole archive: read, extract, write, summarise.

Articles flow in input order through `extract_many` (one process, or a pool of workers)
and out to the sink as soon as each is done, errors included, so every input gives
exactly one record and the output order is the input order whatever the workers.
A failure inside the extraction of one article (a bug on an odd text) does not stop
the run: that article gets an error record and the others go on.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, tee
from pathlib import Path
from typing import BinaryIO, TextIO

from ..schema import Extraction
from .output import Format, Sink, read_done, record
from .retry import articles_to_retry, drop_error_records
from .sources import (
    DEFAULT_MAX_BYTES,
    Article,
    UsageError,
    count_articles,
    plan_inputs,
    read_articles,
)

DEFAULT_BATCH_SIZE = 16


@dataclass(slots=True)
class Options:
    paths: tuple[str, ...]
    output: Path | None = None
    format: Format = "jsonl"
    workers: int = 1
    batch_size: int = DEFAULT_BATCH_SIZE
    max_bytes: int = DEFAULT_MAX_BYTES
    resume: bool = False
    retry_errors: bool = False  # implies resume: error records are extracted again
    include_text: bool = False
    progress: bool | None = None  # None: only on a terminal, never in CI


@dataclass(slots=True)
class Summary:
    articles: int = 0  # records written by this run
    skipped: int = 0  # already in the output (--resume)
    retried: int = 0  # error records of the resumed output extracted again (--retry-errors)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (id, reason), this run
    earlier_errors: int = 0  # error records already in the resumed output
    facts: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    words: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    ignored: Counter[str] = field(default_factory=Counter)
    output: str = "standard output"
    interrupted: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.errors) or self.earlier_errors > 0


def run(
    options: Options,
    *,
    stdin: BinaryIO | None = None,
    stderr: TextIO | None = None,
    load: Callable[[], object] | None = None,
) -> Summary:
    """Extract every article of `options.paths` into `options.output`; the summary."""
    from .. import nlp as nlp_module

    stderr = stderr or sys.stderr
    plan = plan_inputs(options.paths, exclude=[options.output] if options.output else [])
    if not plan.inputs:
        raise UsageError(
            "no article to read in " + " ".join(options.paths) + " (inputs are .txt, .md, "
            ".html, .htm and .jsonl files, or - for standard input)"
        )
    resume = options.resume or options.retry_errors
    if options.retry_errors and any(source.path is None for source in plan.inputs):
        raise UsageError(
            "--retry-errors cannot read standard input twice (once for the ids to retry, "
            "once to extract): give the file instead of -"
        )
    summary = Summary(ignored=plan.ignored, output=str(options.output or "standard output"))
    done: dict[str, str | None] = {}
    retry: set[str] = set()
    if resume and options.output is not None:
        done = read_done(options.output, options.format)
        if options.retry_errors:
            retry = articles_to_retry(done, plan)
            for article_id in retry:
                del done[article_id]
        summary.earlier_errors = sum(error is not None for error in done.values())
    started = time.perf_counter()
    pipeline = (load or nlp_module.shared)()  # a missing model or bad rules stop here, once
    summary.load_seconds = time.perf_counter() - started
    # The loaded model lives as long as the run: the garbage collector need not scan it
    # again and again (nor touch its pages, which forked workers share).
    gc.freeze()
    if retry:  # once the model is loaded: a missing model leaves the output untouched
        assert options.output is not None
        drop_error_records(options.output, options.format, retry)
        summary.retried = len(retry)

    articles = read_articles(plan, max_bytes=options.max_bytes, done=done, stdin=stdin)
    bar = _progress_bar(options, plan, stderr)
    sink = Sink(options.output, options.format, append=resume)
    started = time.perf_counter()
    try:
        for article, extraction in in_order(articles, _extractor(pipeline, options)):
            if article.skipped:
                summary.skipped += 1
            else:
                rec = record(article, extraction, include_text=options.include_text)
                sink.write(rec)
                _count(summary, article, rec)
            if bar is not None:
                bar.update(1)
                if summary.errors:
                    bar.set_postfix(errors=len(summary.errors), refresh=False)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        summary.seconds = time.perf_counter() - started
        sink.close()
        if bar is not None:
            bar.close()
    return summary


def _count(summary: Summary, article: Article, rec: dict) -> None:
    summary.articles += 1
    if "error" in rec:
        summary.errors.append((article.id, rec["error"]))
        return
    summary.words += article.words
    summary.facts.update(fact["type"] for fact in rec["facts"])
    summary.entities.update(entity["label"] for entity in rec["entities"])


Extractor = Callable[[Iterator[Article]], Iterator[tuple[Article, Extraction | str]]]


def in_order(
    articles: Iterable[Article], extractor: Extractor
) -> Iterator[tuple[Article, Extraction | None]]:
    """Every article once, in input order: with its extraction, or None when it has an
    error or is skipped (those go around the extractor)."""
    waiting: deque[Article] = deque()

    def to_extract() -> Iterator[Article]:
        for article in articles:
            waiting.append(article)
            if article.error is None and not article.skipped:
                yield article

    for article, result in extractor(to_extract()):
        while waiting[0] is not article:
            yield waiting.popleft(), None
        waiting.popleft()
        if isinstance(result, str):
            article.error = result
            yield article, None
        else:
            yield article, result
    while waiting:
        yield waiting.popleft(), None


def _extractor(pipeline, options: Options) -> Extractor:
    from ..api import extract, extract_many

    def many(texts: Iterator[str], published: Iterator[str | None]) -> Iterator[Extraction]:
        return extract_many(
            texts,
            published=published,
            n_process=options.workers,
            batch_size=options.batch_size,
            nlp=pipeline,
        )

    def one(article: Article) -> Extraction:
        return extract(article.text, article.published, nlp=pipeline)

    return lambda articles: guarded(articles, many, one, suspects=options.batch_size)


def guarded(
    articles: Iterator[Article],
    many: Callable[[Iterator[str], Iterator[str | None]], Iterator[Extraction]],
    one: Callable[[Article], Extraction],
    *,
    suspects: int,
) -> Iterator[tuple[Article, Extraction | str]]:
    """`many` over the articles; when it fails, the articles it was working on are
    extracted one by one with `one` (the faulty one gets its error as a string), and
    `many` starts again on the rest. Each failure settles at least one article, so the
    run always ends."""
    source: Iterator[Article] = iter(articles)
    while True:
        in_flight: deque[Article] = deque()

        def feed(source: Iterator[Article] = source, in_flight=in_flight) -> Iterator[Article]:
            for article in source:
                in_flight.append(article)
                yield article

        for_texts, for_dates = tee(feed())
        try:
            for extraction in many((a.text for a in for_texts), (a.published for a in for_dates)):
                yield in_flight.popleft(), extraction
            return
        except Exception:  # any bug on one article must not stop the run
            if not in_flight:  # nothing to blame: the extractor itself cannot run
                raise
        for _ in range(min(suspects, len(in_flight))):
            article = in_flight.popleft()
            try:
                yield article, one(article)
            except Exception as exc:
                yield article, f"extraction failed: {type(exc).__name__}: {exc}"
        source = chain(list(in_flight), source)


def _progress_bar(options: Options, plan, stderr: TextIO):
    show = options.progress
    if show is None:
        in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
        show = stderr.isatty() and not in_ci and os.environ.get("TERM") != "dumb"
    if not show:
        return None
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked
    return tqdm(
        total=count_articles(plan),
        unit=" articles",
        file=stderr,
        dynamic_ncols=True,
        mininterval=0.5,
        smoothing=0.1,
    )


def format_summary(summary: Summary, *, max_errors: int = 20) -> str:
    """The end-of-run summary: articles, facts per type, errors, time, speed."""
    lines = []
    rate = summary.articles / summary.seconds if summary.seconds else 0.0
    words_rate = summary.words / summary.seconds if summary.seconds else 0.0
    head = "interrupted" if summary.interrupted else "done"
    lines.append(
        f"{head}: {summary.articles} articles in {summary.seconds:.1f} s "
        f"({rate:.1f} articles/s, {words_rate:,.0f} words/s); "
        f"model and rules loaded in {summary.load_seconds:.1f} s"
    )
    if summary.skipped:
        lines.append(f"  skipped: {summary.skipped} already in {summary.output} (--resume)")
    if summary.retried:
        lines.append(f"  retried: {summary.retried} with an error record (--retry-errors)")
    total_facts = sum(summary.facts.values())
    per_type = ", ".join(f"{kind} {n}" for kind, n in summary.facts.most_common())
    lines.append(f"  facts: {total_facts}" + (f" ({per_type})" if per_type else ""))
    per_label = ", ".join(f"{label} {n}" for label, n in summary.entities.most_common())
    lines.append(
        f"  entities: {sum(summary.entities.values())}" + (f" ({per_label})" if per_label else "")
    )
    lines.append(f"  errors: {len(summary.errors)}")
    for article_id, reason in summary.errors[:max_errors]:
        lines.append(f"    {article_id}: {reason}")
    if len(summary.errors) > max_errors:
        lines.append(f'    ... and {len(summary.errors) - max_errors} more (records with "error")')
    if summary.earlier_errors:
        lines.append(f"  errors from the earlier run: {summary.earlier_errors}")
    if summary.ignored:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in summary.ignored.most_common())
        lines.append(f"  ignored in folders (not articles): {kinds}")
    lines.append(f"  output: {summary.output}")
    if summary.interrupted:
        lines.append("  run again with --resume to complete the output")
    return "\n".join(lines)
