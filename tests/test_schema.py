"""The committed JSON Schema matches the models (regenerate with `make schema`)."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.schema import FACT_TYPES, json_schema

COMMITTED = Path(__file__).parent.parent / "schema" / "extraction.schema.json"


def test_committed_schema_matches_the_models():
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == json_schema(), "run `make schema`"


def test_the_thirteen_fact_types_of_the_contract():
    assert set(FACT_TYPES) == {
        "funding_round",
        "investment",
        "valuation",
        "revenue",
        "profit",
        "loss",
        "spending",
        "acquisition",
        "contract",
        "capacity",
        "user_count",
        "production",
        "headcount",
    }


def test_integral_values_are_written_as_integers():
    from pipeline.schema import Quantity

    dumped = Quantity(value=110e9, unit="USD").model_dump(mode="json")
    assert dumped["value"] == 110000000000 and isinstance(dumped["value"], int)
    assert Quantity(value=12.5, unit="%").model_dump(mode="json")["value"] == 12.5
