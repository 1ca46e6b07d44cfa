"""Every examples.yaml beside the rules is a test: each phrasing gives the expected value,
each negative gives nothing. Adding an example to rules/ adds a test here."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import yaml

from pipeline.rules import rules_dir

AMOUNT_FILES = ("money/examples.yaml", "quantities/examples.yaml", "counts/examples.yaml")


def _load(relative: str) -> dict:
    return yaml.safe_load((rules_dir() / relative).read_text(encoding="utf-8"))


def _amount_cases():
    for relative in AMOUNT_FILES:
        for example in _load(relative)["examples"]:
            for phrasing in example["phrasings"]:
                yield pytest.param(
                    example["expect"], phrasing, id=f"{relative.split('/')[0]}:{phrasing}"
                )


def _amount_negatives():
    for relative in AMOUNT_FILES:
        for phrasing in _load(relative)["negatives"]:
            yield pytest.param(relative, phrasing, id=f"{relative.split('/')[0]}:{phrasing}")


@pytest.mark.parametrize(("expect", "phrasing"), list(_amount_cases()))
def test_amount_phrasing(amounts, expect, phrasing):
    found = amounts.scan(phrasing)
    assert len(found) == 1, f"{phrasing!r} gave {found}"
    mention = found[0]
    quantity = mention.quantity
    assert mention.label == expect.get("label", "MONEY")
    assert math.isclose(quantity.value, expect["value"], rel_tol=1e-9), quantity
    assert quantity.unit == expect["unit"]
    assert quantity.bound == expect.get("bound", "exact")
    assert quantity.approx == expect.get("approx", False)
    if "value_max" in expect:
        assert math.isclose(quantity.value_max, expect["value_max"], rel_tol=1e-9)
    if "metric" in expect:
        assert mention.metric == expect["metric"]
    assert phrasing[mention.start : mention.end].strip() == phrasing[mention.start : mention.end]


@pytest.mark.parametrize(("relative", "phrasing"), list(_amount_negatives()))
def test_amount_negative(amounts, relative, phrasing):
    label = {"money": "MONEY", "quantities": None, "counts": "COUNT"}[relative.split("/")[0]]
    found = [m for m in amounts.scan(phrasing) if label is None or m.label == label]
    assert found == [], f"{phrasing!r} should give nothing, gave {found}"


def _date_cases():
    data = _load("dates/examples.yaml")
    published = dt.date.fromisoformat(data["published"])
    for example in data["examples"]:
        for phrasing in example["phrasings"]:
            yield pytest.param(published, example["expect"], phrasing, id=phrasing)


@pytest.mark.parametrize(("published", "expect", "phrasing"), list(_date_cases()))
def test_date_phrasing(dates, published, expect, phrasing):
    found = dates.scan(phrasing, published)
    assert len(found) == 1, f"{phrasing!r} gave {found}"
    start = found[0].period_start.isoformat() if found[0].period_start else None
    end = found[0].period_end.isoformat() if found[0].period_end else None
    assert (start, end) == (expect["start"], expect["end"])


@pytest.mark.parametrize("phrasing", _load("dates/examples.yaml")["negatives"])
def test_date_negative(dates, phrasing):
    assert dates.scan(phrasing, dt.date(2026, 3, 2)) == []
