"""The foundation issue's acceptance check, on the seed article: every amount mention with
the right value and unit and nothing else, and every organisation with its canonical name.
Expected values were read off the article by hand."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline import extract

SEED = Path(__file__).parent.parent / "seeds" / "000_981165ed991d71b5.txt"

EXPECTED_AMOUNTS = Counter(
    {
        (110e9, "USD"): 2,  # the round, twice
        (50e9, "USD"): 1,
        (15e9, "USD"): 1,  # "dont 15 milliards": USD inherited
        (35e9, "USD"): 1,
        (30e9, "USD"): 1,
        (730e9, "USD"): 1,
        (840e9, "USD"): 1,
        (2e9, "W"): 2,  # "2 gigawatts", "2 GW"
        (3e9, "W"): 1,
        (900e6, "count"): 1,
        (50e6, "count"): 1,
        (9e6, "count"): 1,
        (218e9, "USD"): 1,
        (14e9, "USD"): 1,
        (44e9, "USD"): 1,
        (280e9, "USD"): 1,
        (215e9, "USD"): 1,
        (1000e9, "USD"): 1,
    }
)
EXPECTED_ORGS = {
    "OpenAI",
    "Amazon",
    "Amazon Web Services",
    "Nvidia",
    "SoftBank Group",
    "Microsoft",
    "CNBC",
    "The Information",
}


@pytest.fixture(scope="module")
def seed(nlp):
    text = SEED.read_text(encoding="utf-8")
    return text, extract(text, nlp=nlp)


def test_published_date_comes_from_the_header(seed):
    assert seed[1].published.isoformat() == "2026-03-02"


def test_every_amount_and_nothing_else(seed):
    _, result = seed
    found = Counter(
        (e.quantity.value, e.quantity.unit)
        for e in result.entities
        if e.label in ("MONEY", "QUANTITY", "COUNT")
    )
    assert found == EXPECTED_AMOUNTS


def test_bounds_and_approximations(seed):
    _, result = seed
    by_text = {e.text: e.quantity for e in result.entities if e.quantity}
    assert by_text["730 milliards de dollars"].approx is True
    assert by_text["840 milliards de dollars"].bound == "max"  # "susceptible d'atteindre"
    assert by_text["280 Md$"].bound == "min"  # "dépassant les"
    assert by_text["215 Md$"].bound == "exact"  # "plus que les 215 Md$" compares, it does not bound
    assert by_text["2 gigawatts"].approx is True


def test_organisations_have_canonical_names(seed):
    _, result = seed
    names = {e.name for e in result.entities if e.label == "ORG"}
    assert names == EXPECTED_ORGS
    slip = [e for e in result.entities if e.label == "ORG" and e.text == "OpenAi"]
    assert slip and slip[0].name == "OpenAI"


def test_products_and_generic_words_are_no_organisations(seed):
    _, result = seed
    texts = {e.text for e in result.entities if e.label == "ORG"}
    assert not texts & {
        "cloud",
        "ChatGPT",
        "Azure",
        "Trainium",
        "Amazon Bedrock",
        "Vera Rubin",
        "Md$",
    }


def test_offsets_are_exact(seed):
    text, result = seed
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text
