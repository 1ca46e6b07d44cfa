"""Organisation examples kept beside the rules (rules/organisations/examples.yaml)."""

from __future__ import annotations

import pytest
import yaml

from pipeline import extract
from pipeline.rules import rules_dir

EXAMPLES = yaml.safe_load(
    (rules_dir() / "organisations" / "examples.yaml").read_text(encoding="utf-8")
)


def _names(nlp, text):
    return {e.name for e in extract(text, nlp=nlp).entities if e.label == "ORG"}


@pytest.mark.parametrize("example", EXAMPLES["examples"], ids=lambda e: e["text"][:40])
def test_organisations_found_with_canonical_names(nlp, example):
    assert _names(nlp, example["text"]) == set(example["names"])


@pytest.mark.parametrize("example", EXAMPLES["negatives"], ids=lambda e: e["text"][:40])
def test_no_organisation_from_products_people_or_generic_words(nlp, example):
    found = {e.text for e in extract(example["text"], nlp=nlp).entities if e.label == "ORG"}
    assert not found & set(example["not"])
