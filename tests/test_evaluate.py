"""The scorer follows the contract's Scoring section; it fails when a fact is lost or extra."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.evaluate import compare, missed_thresholds, org_key, preferred

CORPUS = Path(__file__).parent.parent / "corpus"
SEED_GOLD = json.loads((CORPUS / "dev" / "00-openai-levee-110-milliards.gold.json").read_text())[
    "facts"
]


def test_gold_read_as_predictions_scores_perfectly():
    score = compare(SEED_GOLD, preferred(SEED_GOLD))
    assert score.prf() == (1.0, 1.0, 1.0)


def test_a_lost_fact_lowers_recall_and_is_listed():
    predicted = preferred(SEED_GOLD)
    lost = predicted.pop(3)
    score = compare(SEED_GOLD, predicted, "seed")
    precision, recall, _ = score.prf()
    assert precision == 1.0 and recall < 1.0
    assert (
        sum(score.fn.values()) == 1
        and score.misses[0][1]["quantity"]["value"] == lost["quantity"]["value"]
    )


def test_a_removed_gold_fact_makes_an_extra():
    gold = copy.deepcopy(SEED_GOLD)
    removed = gold.pop(0)
    score = compare(gold, preferred(SEED_GOLD), "seed")
    precision, recall, _ = score.prf()
    assert recall == 1.0 and precision < 1.0
    assert score.extras[0][1]["quantity"]["value"] == removed["quantity"]["value"]


def test_a_duplicate_prediction_is_a_false_positive():
    predicted = preferred(SEED_GOLD)
    score = compare(SEED_GOLD, predicted + [predicted[0]])
    assert sum(score.fp.values()) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SoftBank Group", "softbank"),
        ("Atos SE", "ATOS"),
        ("Société Générale", "Societe Generale SA"),
    ],
)
def test_organisation_names_compare_without_case_accents_or_suffix(a, b):
    assert org_key(a) == org_key(b)


def _fact(value, counterparty=None):
    return {
        "type": "revenue",
        "subject": "Kering",
        "counterparty": counterparty,
        "quantity": {
            "value": value,
            "unit": "EUR",
            "value_max": None,
            "bound": "exact",
            "approx": False,
        },
        "period": None,
        "status": "actual",
        "attributes": {},
        "attributed_to": None,
    }


def test_values_match_within_a_tenth_of_a_percent():
    assert compare([_fact(1000.0)], [_fact(1000.9)]).prf()[2] == 1.0
    assert compare([_fact(1000.0)], [_fact(1002.0)]).prf()[2] == 0.0


def test_the_candidate_agreeing_on_counterparty_is_taken():
    gold = [_fact(10.0, "Amazon")]
    score = compare(gold, [_fact(10.0, "Nvidia"), _fact(10.0, "AMAZON")])
    assert score.accuracy("counterparty") == 1.0 and sum(score.fp.values()) == 1


def test_a_list_in_gold_accepts_any_of_its_values():
    gold = [dict(_fact(10.0), status=["announced", "conditional"])]
    assert compare(gold, [dict(_fact(10.0), status="conditional")]).accuracy("status") == 1.0
    assert compare(gold, [dict(_fact(10.0), status="actual")]).accuracy("status") == 0.0


def test_thresholds_report_what_is_missed():
    score = compare(SEED_GOLD, preferred(SEED_GOLD)[1:])
    assert missed_thresholds({"dev": score}, {"dev": {"facts_f1": 0.99}})
    assert not missed_thresholds({"dev": score}, {"dev": {"facts_f1": 0.5}})


def test_cli_exits_1_when_a_threshold_is_missed(tmp_path):
    thresholds = tmp_path / "t.yaml"
    thresholds.write_text("dev:\n  facts_f1: 1.01\n")
    args = [
        "evaluate",
        str(CORPUS),
        "--labels",
        str(CORPUS / "labels-b"),
        "--thresholds",
        str(thresholds),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "THRESHOLD MISSED" in result.output
