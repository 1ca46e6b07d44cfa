"""Organisations: the examples kept beside the rules (rules/organisations/examples.yaml),
the examples of every pattern (patterns.jsonl) and the gazetteer's integrity."""

from __future__ import annotations

import pytest
import yaml

from pipeline import extract, rules
from pipeline.components.organisations import fold
from pipeline.rules import rules_dir

EXAMPLES = yaml.safe_load(
    (rules_dir() / "organisations" / "examples.yaml").read_text(encoding="utf-8")
)
PATTERN_EXAMPLES = [(p.id, text) for p in rules.org_patterns() for text in p.examples]


def _orgs(nlp, text):
    return [e for e in extract(text, nlp=nlp).entities if e.label == "ORG"]


@pytest.mark.parametrize("example", EXAMPLES["examples"], ids=lambda e: e["text"][:40])
def test_organisations_found_with_canonical_names(nlp, example):
    assert {e.name for e in _orgs(nlp, example["text"])} == set(example["names"])


@pytest.mark.parametrize("example", EXAMPLES["negatives"], ids=lambda e: e["text"][:40])
def test_no_organisation_from_products_people_or_generic_words(nlp, example):
    found = {e.text for e in _orgs(nlp, example["text"])}
    assert not found & set(example["not"])


@pytest.mark.parametrize("example", EXAMPLES["examples"], ids=lambda e: e["text"][:40])
def test_mentions_are_exact_and_names_clean(nlp, example):
    """text == source[start:end]; a name has no leading article and no trailing punctuation."""
    known = {o.name for o in rules.gazetteer().organisations}  # "L'Oréal" is a name
    for entity in _orgs(nlp, example["text"]):
        assert example["text"][entity.start : entity.end] == entity.text
        first = fold(entity.name.split()[0])
        assert first not in {"le", "la", "les", "de", "du", "des"} or entity.name in known
        assert not first.startswith(("d'", "l'")) or entity.name in known
        assert entity.name[-1].isalnum() or entity.name[-1] in ")+"


@pytest.mark.parametrize("rule, text", PATTERN_EXAMPLES, ids=lambda x: str(x)[:40])
def test_every_pattern_matches_its_examples(nlp, rule, text):
    ruler = nlp.get_pipe("finfacts_organisations_v1")
    assert ruler.patterns.matchers[rule](nlp(text)), f"{rule} does not match {text!r}"


def test_every_pattern_has_an_anchor(nlp):
    """A pattern without a word list to start from would be tried at every token (slow)."""
    ruler = nlp.get_pipe("finfacts_organisations_v1")
    assert len(ruler.patterns.anywhere) == 0
    assert set(ruler.patterns.matchers) == {p.id for p in rules.org_patterns()}


def test_an_alias_names_one_organisation():
    owner: dict[str, str] = {}
    for org in rules.gazetteer().organisations:
        for surface in (org.name, *org.aliases):
            assert owner.setdefault(fold(surface), org.name) == org.name, surface


def test_no_product_shares_a_surface_with_an_organisation():
    orgs = {fold(s) for o in rules.gazetteer().organisations for s in (o.name, *o.aliases)}
    for product in rules.gazetteer().products:
        for surface in (product.name, *product.aliases):
            assert fold(surface) not in orgs, surface
