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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="JSON Lines output."
)
def extract(paths: tuple[Path, ...], output: Path | None) -> None:
    """Extract entities and facts from .txt files or folders of them."""
    from .api import extract as extract_text

    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*.txt")))
    sink = output.open("w", encoding="utf-8") if output else None
    try:
        for file in files:
            result = extract_text(file.read_text(encoding="utf-8"))
            record = {"id": str(file), **result.model_dump(mode="json")}
            if sink:
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            click.echo(f"{file}: {len(result.entities)} entities, {len(result.facts)} facts")
            for entity in result.entities:
                value = entity.name or (
                    f"{entity.quantity.value:g} {entity.quantity.unit}" if entity.quantity else ""
                )
                click.echo(f"  {entity.label:8} {entity.text!r:50} {value}")
    except FinfactsError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if sink:
            sink.close()


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
