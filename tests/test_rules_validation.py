"""Every rules file loads and validates; a malformed one stops with file, line and fault."""

from __future__ import annotations

import shutil

import pytest

from pipeline import rules
from pipeline.errors import RulesError


@pytest.mark.parametrize(
    "loader",
    [
        rules.number_lexicon,
        rules.currency_table,
        rules.unit_table,
        rules.count_table,
        rules.modifier_table,
        rules.gazetteer,
        rules.org_stoplist,
        rules.org_patterns,
        rules.date_lexicon,
    ],
)
def test_committed_rules_are_valid(loader):
    assert loader()


@pytest.fixture
def broken_rules(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(rules.rules_dir(), copy)
    return copy


def test_a_bad_value_names_file_and_line(broken_rules):
    path = broken_rules / "money" / "currencies.yaml"
    text = path.read_text(encoding="utf-8").replace("code: CHF", "code: swiss francs")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "swiss francs" in row)
    with pytest.raises(RulesError) as error:
        rules.load_yaml("money/currencies.yaml", rules.CurrencyTable, base=broken_rules)
    assert error.value.line == line
    assert "currencies.yaml" in str(error.value) and "code" in str(error.value)


def test_a_yaml_syntax_error_names_the_line(broken_rules):
    path = broken_rules / "quantities" / "units.yaml"
    path.write_text("units:\n  - unit: W\n    label: [QUANTITY\n", encoding="utf-8")
    with pytest.raises(RulesError) as error:
        rules.load_yaml("quantities/units.yaml", rules.UnitTable, base=broken_rules)
    assert error.value.line in (3, 4)


def _load_patterns_with(broken_rules, line: str) -> RulesError:
    """The error of loading the organisation patterns with `line` inserted as line 2."""
    path = broken_rules / "organisations" / "patterns.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RulesError) as error:
        rules.load_jsonl("organisations/patterns.jsonl", rules.OrgPattern, base=broken_rules)
    return error.value


def test_a_bad_jsonl_pattern_names_its_line(broken_rules):
    error = _load_patterns_with(
        broken_rules,
        '{"id": "Bad Id", "org": "left", "pattern": [{"LOWER": "x"}], "examples": ["x"]}',
    )
    assert error.line == 2 and "id" in error.problem


def test_a_pattern_may_test_no_other_custom_attribute(broken_rules):
    error = _load_patterns_with(
        broken_rules,
        '{"id": "odd", "org": "left", "pattern": [{"_": {"is_company": true}}, '
        '{"LOWER": "lève"}], "examples": ["x lève"]}',
    )
    assert error.line == 2 and "is_company" in error.problem


def test_unknown_keys_are_refused(broken_rules):
    path = broken_rules / "counts" / "nouns.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nsurprise: 1\n", encoding="utf-8")
    with pytest.raises(RulesError, match="surprise"):
        rules.load_yaml("counts/nouns.yaml", rules.CountTable, base=broken_rules)


def test_a_product_owner_must_exist(broken_rules):
    path = broken_rules / "organisations" / "gazetteer.yaml"
    path.write_text(
        "organisations:\n  - {name: Acme, kind: company, aliases: []}\n"
        "products:\n  - {name: Widget, owner: Nobody, aliases: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match="Nobody"):
        rules.load_yaml("organisations/gazetteer.yaml", rules.Gazetteer, base=broken_rules)
