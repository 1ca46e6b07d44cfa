"""finfacts: financial facts from French news, as structured, validated data.

>>> from pipeline import extract
>>> result = extract("OpenAI a levé 110 milliards de dollars.", published="2026-03-02")
"""

from __future__ import annotations

from .api import extract, extract_many
from .schema import Entity, Evidence, Extraction, Fact, Period, Quantity

__all__ = [
    "Entity",
    "Evidence",
    "Extraction",
    "Fact",
    "Period",
    "Quantity",
    "extract",
    "extract_many",
]
