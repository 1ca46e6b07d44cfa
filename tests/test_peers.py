"""Other projects' French money and number cases, run against our normaliser.

Money: every case its source passes and whose currencies are ISO codes must give exactly
the expected amounts (value or bounds, and currency). At least 90 % must pass; the ones we
leave failing are strict xfails in peers/known_failures.yaml, each with its reason.
Numbers: Duckling's numeral corpus (a whole phrase is one number) and the percentages.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent / "peers"
KNOWN = yaml.safe_load((HERE / "known_failures.yaml").read_text(encoding="utf-8"))
MONEY_FLOOR = 0.90


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines()]


def case_id(record: dict) -> str:
    return f"{record['source']}:{Path(record['path']).stem}:{record['case_index']}"


def money_cases() -> list[dict]:
    return [
        r
        for r in _records("money.jsonl")
        if r["passes_in_source"] and r["expected"] and all(e["currency"] for e in r["expected"])
    ]


def _expected_key(item: dict) -> tuple:
    bound = item["bound"]
    if bound == "range":
        return (item["min"], item["max"], item.get("currency"))
    if bound == "min":
        return (item["min"], None, item.get("currency"))
    if bound == "max":
        return (item["max"], None, item.get("currency"))
    return (item["value"], None, item.get("currency"))


def _found_key(mention) -> tuple:
    q = mention.quantity
    return (q.value, q.value_max, q.unit)


def _same(a: tuple, b: tuple) -> bool:
    def close(x, y):
        if x is None or y is None:
            return x is y
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)

    return close(a[0], b[0]) and close(a[1], b[1]) and a[2] == b[2]


def money_passes(scanner, record: dict) -> bool:
    expected = [_expected_key(e) for e in record["expected"]]
    found = [_found_key(m) for m in scanner.scan(record["input"]) if m.label == "MONEY"]
    if len(found) != len(expected):
        return False
    remaining = list(found)
    for key in expected:
        match = next((f for f in remaining if _same(key, f)), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def _param(record: dict, group: str):
    reason = KNOWN.get(group, {}).get(case_id(record))
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(record, id=case_id(record), marks=marks)


@pytest.mark.peers
@pytest.mark.parametrize("record", [_param(r, "money") for r in money_cases()])
def test_peer_money(amounts, record):
    assert money_passes(amounts, record), (record["input"], record["expected"])


def test_peer_money_pass_rate(amounts):
    """The issue's floor: at least 90 % of the supported ISO-currency money cases pass."""
    cases = money_cases()
    for source in ("duckling", "recognizers"):
        mine = [r for r in cases if r["source"] == source]
        rate = sum(money_passes(amounts, r) for r in mine) / len(mine)
        assert rate >= MONEY_FLOOR, f"{source}: {rate:.1%} of money cases pass"


def numeral_cases() -> list[dict]:
    return [
        r
        for r in _records("numbers.jsonl")
        if r["source"] == "duckling" and r["expected"] and r["expected"][0]["value"] is not None
    ]


def numeral_passes(amounts, record: dict) -> bool:
    from pipeline.normalise.lexer import tokenize

    text = record["input"]
    tokens = tokenize(text)
    if not tokens:
        return False
    index = {t.start: n for n, t in enumerate(tokens)}
    number = amounts.numbers.parse_at(text, tokens, 0, index)
    if number is None:
        return False
    value = float(number.value)
    end = number.end
    if end < len(tokens):  # "un million", "2 millions": the magnitude belongs to the numeral
        matched = amounts.magnitude_words.match_at(
            tokens, end
        ) or amounts.magnitude_abbreviations.match_at(tokens, end)
        if matched is None:
            return False
        value *= float(matched[0])
        end = matched[1]
    return end == len(tokens) and math.isclose(value, record["expected"][0]["value"], rel_tol=1e-9)


@pytest.mark.peers
@pytest.mark.parametrize("record", [_param(r, "numbers") for r in numeral_cases()])
def test_peer_numeral(amounts, record):
    assert numeral_passes(amounts, record), (record["input"], record["expected"][0]["value"])


def percent_cases() -> list[dict]:
    return [
        r
        for r in _records("numbers.jsonl")
        if r["path"].endswith("PercentModel.json") and r["passes_in_source"] and r["expected"]
    ]


def _same_values(found, expected) -> bool:
    """The same values, in any order, each within floating-point noise."""
    found, expected = sorted(found), sorted(expected)
    return len(found) == len(expected) and all(
        math.isclose(a, b) for a, b in zip(found, expected, strict=True)
    )


def percent_passes(amounts, record: dict) -> bool:
    expected = [float(e["value"]) for e in record["expected"] if e["value"] is not None]
    found = [m.quantity.value for m in amounts.scan(record["input"]) if m.label == "PERCENT"]
    return _same_values(found, expected)


@pytest.mark.peers
@pytest.mark.parametrize("record", [_param(r, "percent") for r in percent_cases()])
def test_peer_percent(amounts, record):
    assert percent_passes(amounts, record), (record["input"], record["expected"])


# Dimensions: of the physical units in the peers' cases, finfacts reads tonnes (unit "t").
_TONNES = {"Tonne": 1.0, "Tonne métrique": 1.0}


def tonne_cases() -> list[dict]:
    return [
        r
        for r in _records("dimensions.jsonl")
        if r["expected"] and all(e["unit"] in _TONNES for e in r["expected"])
    ]


def tonnes_pass(amounts, record: dict) -> bool:
    expected = [e["value"] * _TONNES[e["unit"]] for e in record["expected"]]
    found = [
        m.quantity.value
        for m in amounts.scan(record["input"])
        if m.label == "QUANTITY" and m.quantity.unit == "t"
    ]
    return _same_values(found, expected)


@pytest.mark.peers
@pytest.mark.parametrize("record", [_param(r, "tonnes") for r in tonne_cases()])
def test_peer_tonnes(amounts, record):
    assert tonnes_pass(amounts, record), (record["input"], record["expected"])
