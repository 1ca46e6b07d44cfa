"""Each trigger type's examples (rules/facts/triggers.yaml) give a fact of that type."""

from __future__ import annotations

import pytest
import yaml

from pipeline import extract
from pipeline.rules import rules_dir

TABLE = yaml.safe_load((rules_dir() / "facts" / "triggers.yaml").read_text(encoding="utf-8"))
CASES = [
    pytest.param(fact_type, text, id=f"{fact_type}:{text[:40]}")
    for fact_type, entry in TABLE["types"].items()
    for text in entry["examples"]
]


@pytest.mark.parametrize(("fact_type", "text"), CASES)
def test_trigger_example_gives_its_type(nlp, fact_type, text):
    facts = extract(text, published="2026-03-09", nlp=nlp).facts
    assert fact_type in {f.type for f in facts}, [f.model_dump(mode="json") for f in facts]


@pytest.mark.parametrize("text", TABLE["not_facts"]["examples"])
def test_not_fact_examples_give_nothing(nlp, text):
    assert extract(text, published="2026-03-09", nlp=nlp).facts == []
