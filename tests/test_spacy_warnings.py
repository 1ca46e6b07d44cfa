"""No spaCy warning during an extraction: W036 ("The component 'matcher' does not have any
patterns defined") comes from calling an empty Matcher. The organisation ruler's matcher
of patterns without an anchor is empty with today's rules (every pattern has an anchor)
and must not be called then."""

from __future__ import annotations

import warnings
from pathlib import Path

from pipeline import extract_many, rules

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_an_extraction_raises_no_empty_matcher_warning(nlp):
    texts = [text for pattern in rules.org_patterns() for text in pattern.examples]
    texts += [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("dev/*.txt"))[:2]]
    texts += ["", "Il fait beau."]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # spaCy shows W036 once per process: see every one
        results = list(extract_many(texts, nlp=nlp))
    assert len(results) == len(texts)
    assert [str(w.message) for w in caught if "W036" in str(w.message)] == []
