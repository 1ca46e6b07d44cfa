"""Fact examples kept beside the fact rules (rules/facts/examples.yaml)."""

from __future__ import annotations

import math

import pytest
import yaml

from pipeline import extract
from pipeline.evaluate import org_key
from pipeline.rules import rules_dir

DATA = yaml.safe_load((rules_dir() / "facts" / "examples.yaml").read_text(encoding="utf-8"))
ATTRIBUTES = ("metric", "basis", "change", "stake", "round", "product")
QUANTITY_FIELDS = ("bound", "approx", "value_max")
KEYS = {"type", "subject", "counterparty", "value", "unit", "status", "attributed_to", "period"}
KEYS |= {*ATTRIBUTES, *QUANTITY_FIELDS}


def _matches(fact, want) -> bool:
    q = fact.quantity
    if fact.type != want["type"] or org_key(fact.subject) != org_key(want["subject"]):
        return False
    if q.unit != want["unit"] or not math.isclose(q.value, want["value"], rel_tol=1e-3):
        return False
    if "counterparty" in want and org_key(fact.counterparty) != org_key(want["counterparty"]):
        return False
    for name in ("status", "attributed_to"):
        if name in want and getattr(fact, name) != want[name]:
            return False
    for name in QUANTITY_FIELDS:
        if name in want and getattr(q, name) != want[name]:
            return False
    if "period" in want:
        period = fact.period
        got = [period.start.isoformat(), period.end.isoformat()] if period else None
        if got != want["period"]:
            return False
    return all(fact.attributes.get(k) == want[k] for k in ATTRIBUTES if k in want)


@pytest.mark.parametrize("example", DATA["examples"], ids=lambda e: e["text"][:50])
def test_fact_example(nlp, example):
    for want in [*example["facts"], *example.get("absent", [])]:
        assert set(want) <= KEYS, f"unknown keys {set(want) - KEYS}: fix the example"
    facts = extract(example["text"], published=DATA["published"], nlp=nlp).facts
    for want in example["facts"]:
        assert any(_matches(f, want) for f in facts), (
            want,
            [f.model_dump(mode="json") for f in facts],
        )
    for unwanted in example.get("absent", []):  # facts this text must not give
        assert not any(_matches(f, unwanted) for f in facts), unwanted


@pytest.mark.parametrize("text", DATA["negatives"])
def test_no_fact(nlp, text):
    assert extract(text, published=DATA["published"], nlp=nlp).facts == []
