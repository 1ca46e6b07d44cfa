"""Any str returns, never raises; offsets always hold; blank text gives an empty result."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import extract
from pipeline.documents import pieces

NASTY = st.one_of(
    st.text(max_size=200),
    st.text(
        alphabet=st.sampled_from(list("0123456789 .,%$€£-+\u00a0\u202fMdkmilards\n\t\x00\x1b😀")),
        max_size=120,
    ),
    st.sampled_from(
        [
            "1..2",
            "€€€",
            "$$",
            "10" * 200,
            "9" * 400 + " euros",
            "1,,5 M€",
            "- -3 %",
            "\x00\x01\x02",
            "🚀 15 M€ 🚀",
        ]
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=NASTY)
def test_scanners_never_raise(amounts, dates, text):
    for mention in amounts.scan(text):
        assert 0 <= mention.start < mention.end <= len(text)
    for mention in dates.scan(text, dt.date(2026, 3, 2)):
        assert 0 <= mention.start < mention.end <= len(text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=NASTY)
def test_extract_any_string(nlp, text):
    result = extract(text, nlp=nlp)
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text


@pytest.mark.parametrize("blank", ["", " ", "\n\n\t ", "\u00a0"])
def test_blank_text_gives_an_empty_extraction(nlp, blank):
    result = extract(blank, nlp=nlp)
    assert result.entities == [] and result.facts == []


def test_published_argument_wins_over_the_header(nlp):
    result = extract("date 2026-03-02 Qonto a levé 15 M€ hier.", published="2025-01-10", nlp=nlp)
    assert result.published == dt.date(2025, 1, 10)
    result = extract("date 2026-03-02 Qonto a levé 15 M€ hier.", nlp=nlp)
    hier = [e for e in result.entities if e.label == "DATE" and e.text == "hier"]
    assert hier[0].period.start == dt.date(2026, 3, 1)


def test_bad_published_is_a_clear_error(nlp):
    with pytest.raises(ValueError, match="published"):
        extract("Qonto a levé 15 M€.", published="le 3 mars", nlp=nlp)


def test_non_str_is_a_type_error():
    with pytest.raises(TypeError):
        extract(b"bytes")  # type: ignore[arg-type]


def test_long_text_is_cut_with_exact_offsets(nlp, monkeypatch):
    import pipeline.documents as module

    paragraph = (
        "La société Qonto a levé 15 M€ auprès de Tencent. Son chiffre d'affaires atteint 2 Md€.\n"
    )
    text = paragraph * 40
    monkeypatch.setattr(module, "PIECE_CHARS", 500)
    assert len(pieces(text, 500)) > 5
    result = extract(text, nlp=nlp)
    money = [e for e in result.entities if e.label == "MONEY"]
    assert len(money) == 80
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text


def test_pieces_cover_the_text_exactly():
    text = ("Une phrase. " * 1000) + "x" * 3000
    cut = pieces(text, 997)
    assert "".join(p for _, p in cut) == text
    assert all(text[o : o + len(p)] == p for o, p in cut)
