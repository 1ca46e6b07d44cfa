"""The finfacts command line: thin wrappers over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import FinfactsError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="finfacts")
def main() -> None:
    """Financial facts from French news, as structured data."""


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the output (the Extraction model)."""
    from .schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """--max-size: bytes, or a number with kB, MB or GB (powers of ten): 5MB, 500kB."""
    text = value.strip().upper().replace(" ", "")
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3), ("B", 1)):
        if text.endswith(unit):
            text, factor = text[: -len(unit)], scale
            break
    else:
        factor = 1
    try:
        size = int(float(text) * factor)
    except ValueError:
        raise click.BadParameter(f"{value!r} is no size (examples: 5MB, 500kB, 1000000)") from None
    if size <= 0:
        raise click.BadParameter("the size must be positive")
    return size


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: standard output). Records are appended as they are done.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    help="jsonl: one record per article (default); csv: one row per fact. "
    "Default: csv when OUTPUT ends in .csv.",
)
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes, forked from this one so they share the loaded model.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=16,
    show_default=True,
    help="Articles per nlp.pipe batch (and per chunk sent to a worker).",
)
@click.option(
    "--max-size",
    default="5MB",
    show_default=True,
    callback=_size,
    help="Larger files (or JSON Lines articles) get an error record instead of a parse.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Keep the records already in OUTPUT and add only the missing articles.",
)
@click.option(
    "--retry-errors",
    is_flag=True,
    help="With --resume (implied): extract again the articles whose record in OUTPUT is "
    "an error; their old records are dropped, the others kept.",
)
@click.option(
    "--include-text",
    is_flag=True,
    help="Add the extracted text to each record (offsets refer to it; useful for HTML).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on standard error (default: on a terminal, never in CI).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.pass_context
def extract(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: Path | None,
    fmt: str | None,
    workers: int,
    batch_size: int,
    max_size: int,
    resume: bool,
    retry_errors: bool,
    include_text: bool,
    progress: bool | None,
    quiet: bool,
) -> None:
    """Extract entities and facts from every article of PATHS into OUTPUT.

    PATHS are folders (searched recursively for .txt, .md, .html, .htm and .jsonl files),
    files, or - for standard input (one text, or JSON Lines). Every article gives one
    record: its facts and entities, or an "error" saying why it could not be read.

    Exit status: 0 when every article was extracted, 1 when some gave errors (listed in
    the summary), 2 for a usage error.
    """
    from .batch import Options, ResumeError, UsageError, format_summary, run

    if (resume or retry_errors) and output is None:
        option = "--retry-errors" if retry_errors else "--resume"
        raise click.UsageError(f"{option} needs -o/--output: the file to complete")
    if fmt is None:
        fmt = "csv" if output is not None and output.suffix.lower() == ".csv" else "jsonl"
    options = Options(
        paths=paths,
        output=output,
        format=fmt,  # type: ignore[arg-type]
        workers=workers,
        batch_size=batch_size,
        max_bytes=max_size,
        resume=resume or retry_errors,
        retry_errors=retry_errors,
        include_text=include_text,
        progress=False if quiet else progress,
    )
    try:
        summary = run(options)
    except (UsageError, ResumeError) as exc:
        raise click.UsageError(str(exc)) from exc
    except FinfactsError as exc:
        raise click.ClickException(str(exc)) from exc
    except BrokenPipeError:  # the reader of standard output went away (| head)
        sys.stderr.close()
        ctx.exit(141)
    except OSError as exc:  # the output cannot be written (permissions, full disk...)
        raise click.ClickException(f"cannot write {output or 'standard output'}: {exc}") from exc
    if not quiet:
        click.echo(format_summary(summary), err=True)
    if summary.interrupted:
        ctx.exit(130)
    ctx.exit(1 if summary.failed else 0)


@main.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--labels",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Score a second labelling (files NN-slug.json) instead of the extractor: agreement.",
)
@click.option(
    "--thresholds",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML of minimum scores per split; exit 1 when one is missed.",
)
@click.option("--errors/--no-errors", default=False, help="List each miss and extra.")
def evaluate(corpus: Path, labels: Path | None, thresholds: Path | None, errors: bool) -> None:
    """Precision, recall and F1 of the facts against the gold files of CORPUS."""
    import yaml

    from .evaluate import evaluate_corpus, format_report, labelling, missed_thresholds

    if labels is not None:
        predict = labelling(labels)
    else:
        from .api import extract as extract_text

        def predict(text: str, published: str | None, article: str) -> dict:
            return extract_text(text, published=published).model_dump(mode="json")

    results = evaluate_corpus(corpus, predict)
    click.echo(format_report(results, show_errors=errors))
    if thresholds is not None:
        wanted = yaml.safe_load(thresholds.read_text(encoding="utf-8")) or {}
        failures = missed_thresholds(results, wanted)
        for failure in failures:
            click.echo(f"THRESHOLD MISSED: {failure}", err=True)
        if failures:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
