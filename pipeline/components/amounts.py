"""spaCy component: money, physical quantities, counts and percentages as typed mentions."""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from .. import rules
from ..normalise.amounts import AmountScanner
from . import add_record, doc_text, doc_tokens


@cache
def default_scanner() -> AmountScanner:
    """The scanner built from rules/ (built once per process)."""
    return AmountScanner(
        rules.number_lexicon(),
        rules.currency_table(),
        rules.unit_table(),
        rules.count_table(),
        rules.modifier_table(),
        products=tuple(name for p in rules.gazetteer().products for name in (p.name, *p.aliases)),
    )


class AmountRuler:
    """Adds a record per amount: label, exact offsets, quantity in base units, count metric."""

    def __init__(self, scanner: AmountScanner) -> None:
        self.scanner = scanner

    def __call__(self, doc: Doc) -> Doc:
        for mention in self.scanner.scan(doc_text(doc), doc_tokens(doc)):
            record = {
                "label": mention.label,
                "start": mention.start,
                "end": mention.end,
                "quantity": mention.quantity.model_dump(mode="json"),
            }
            if mention.metric:
                record["metric"] = mention.metric
            if mention.inherited:
                record["inherited"] = True
            add_record(doc, record)
        return doc


@Language.factory(
    "finfacts_amounts_v1",
    assigns=["doc.spans", "doc.user_data"],
    requires=[],
)
def make_amount_ruler(nlp: Language, name: str) -> AmountRuler:
    """`nlp.add_pipe("finfacts_amounts_v1")`: amounts from the rules/ lexicons."""
    return AmountRuler(default_scanner())
