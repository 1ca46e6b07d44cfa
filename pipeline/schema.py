"""Pydantic models of the fact contract: the single source of truth for output and JSON Schema."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

EntityLabel = Literal["MONEY", "QUANTITY", "COUNT", "PERCENT", "ORG", "DATE"]
Bound = Literal["exact", "min", "max", "range"]
Status = Literal["actual", "announced", "conditional", "planned", "target", "forecast"]
FactType = Literal[
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
]
FACT_TYPES: tuple[str, ...] = FactType.__args__  # type: ignore[attr-defined]


def _number(value: float | None) -> float | int | None:
    """JSON numbers: integral values are written as integers (110000000000, not 1.1e11)."""
    if value is None:
        return None
    if float(value).is_integer() and abs(value) < 2**63:
        return int(value)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quantity(_Model):
    """A parsed amount in base units: "110 milliards de dollars" -> 110000000000 USD."""

    value: float = Field(description="Number in base units (USD, W, Wh, count, %...).")
    unit: str = Field(description="ISO 4217 code for money; W, Wh, count, % or an SI symbol.")
    value_max: float | None = Field(default=None, description="Upper end of a range, else null.")
    bound: Bound = Field(default="exact", description="exact, min, max or range.")
    approx: bool = Field(default=False, description='True for "environ", "près de", "~"...')

    @field_serializer("value", "value_max")
    def _serialise_number(self, value: float | None) -> float | int | None:
        return _number(value)


class Period(_Model):
    """A resolved date or period; either end may be unknown."""

    start: dt.date | None = None
    end: dt.date | None = None


class Evidence(_Model):
    """Where the fact is said: the sentence, with offsets into the source."""

    start: int
    end: int
    text: str


class Entity(_Model):
    """One mention of an amount, capacity, count, percentage, organisation or date."""

    label: EntityLabel
    text: str
    start: int = Field(description="Character offset: text == source[start:end].")
    end: int
    quantity: Quantity | None = None
    name: str | None = Field(default=None, description="Canonical organisation name (ORG).")
    period: Period | None = Field(default=None, description="Resolved period (DATE).")
    metric: str | None = Field(
        default=None, description="For COUNT: what is counted (weekly_users, employees...)."
    )


class Fact(_Model):
    """One financial fact carrying a quantity."""

    type: FactType
    subject: str
    counterparty: str | None = None
    quantity: Quantity
    period: Period | None = None
    status: Status = "actual"
    attributes: dict[str, str] = Field(default_factory=dict)
    attributed_to: str | None = None
    evidence: Evidence


class Extraction(_Model):
    """What extract(text) returns."""

    published: dt.date | None = None
    entities: list[Entity] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)


def json_schema() -> dict:
    """The JSON Schema of the output (committed as schema/extraction.schema.json)."""
    return Extraction.model_json_schema(mode="serialization")
