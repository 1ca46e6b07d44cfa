"""extract_many (one process or several) and the batch runner's ordering and fault isolation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline import extract, extract_many
from pipeline.batch.pool import ordered_map
from pipeline.batch.runner import guarded, in_order
from pipeline.batch.sources import Article
from pipeline.schema import Extraction

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SHORT = [
    "Kovalt a levé 30 millions d'euros auprès de Partech.",
    "",
    "Alan recrute 300 personnes en 2026.",
    "   ",
    "La start-up Mistral AI lève 1,7 milliard d'euros.",
    "Orange revendique 15 millions d'abonnés.",
]


def _corpus(count: int) -> list[str]:
    paths = sorted(CORPUS.glob("dev/*.txt"))[:count]
    return [path.read_text(encoding="utf-8") for path in paths]


# --- extract_many ----------------------------------------------------------------------


def test_extract_many_gives_what_extract_gives_in_input_order(nlp):
    texts = _corpus(3) + SHORT
    many = list(extract_many(texts, nlp=nlp, batch_size=2))
    assert many == [extract(text, nlp=nlp) for text in texts]
    assert [len(r.entities) == 0 for r in many[3:]] == [False, True, False, True, False, False]


def test_extract_many_cuts_long_texts_into_pieces_with_right_offsets(nlp, monkeypatch):
    import pipeline.documents as documents

    text = _corpus(1)[0]
    whole = list(extract_many([text], nlp=nlp))[0]
    monkeypatch.setattr(documents, "PIECE_CHARS", 700)
    cut = list(extract_many([text, "Kovalt lève 3 M€."], nlp=nlp))
    assert len(cut) == 2
    amounts = [e for e in cut[0].entities if e.label == "MONEY"]
    assert amounts and all(text[e.start : e.end] == e.text for e in cut[0].entities)
    assert {(e.start, e.text) for e in amounts} <= {(e.start, e.text) for e in whole.entities}


def test_extract_many_published_for_all_or_one_per_text(nlp):
    texts = ["Kovalt a levé 3 M€ vendredi.", "date 2025-01-06\nAlan lève 2 M€ vendredi."]
    same = list(extract_many(texts, published="2026-03-02", nlp=nlp))
    assert [r.published for r in same] == [dt.date(2026, 3, 2)] * 2
    each = list(extract_many(texts, published=iter([dt.date(2026, 3, 2), None]), nlp=nlp))
    assert [r.published for r in each] == [dt.date(2026, 3, 2), dt.date(2025, 1, 6)]
    with pytest.raises(ValueError, match="ISO date"):
        list(extract_many(texts, published="02/03/2026", nlp=nlp))


@pytest.mark.parametrize("n_process", [0, -2, 1.5])
def test_extract_many_refuses_a_bad_process_count(nlp, n_process):
    with pytest.raises(ValueError, match="n_process"):
        list(extract_many(["x"], n_process=n_process, nlp=nlp))


def test_extract_many_in_two_processes_gives_the_same_in_the_same_order(nlp):
    texts = SHORT * 3 + _corpus(2)
    one = list(extract_many(texts, nlp=nlp, batch_size=3))
    two = list(extract_many(texts, nlp=nlp, n_process=2, batch_size=3))
    assert two == one


def test_extract_many_is_lazy_on_an_endless_input(nlp):
    def endless():
        while True:
            yield from SHORT

    results = extract_many(endless(), nlp=nlp, n_process=2, batch_size=2)
    first = [next(results) for _ in range(5)]
    results.close()  # stops the workers
    assert [r.entities == [] for r in first] == [False, True, False, True, False]


def _fail_on_poison(state, chunk):
    if "poison" in chunk:
        raise RuntimeError("poisoned chunk")
    return [f"{state}:{item}" for item in chunk]


def test_ordered_map_keeps_order_and_raises_a_workers_error_in_turn():
    items = [str(n) for n in range(23)]
    assert list(ordered_map(_fail_on_poison, items, processes=2, chunk_size=4, state="s")) == [
        f"s:{n}" for n in items
    ]
    results = ordered_map(
        _fail_on_poison, items[:9] + ["poison"], processes=2, chunk_size=4, state="s"
    )
    assert [next(results) for _ in range(8)] == [f"s:{n}" for n in range(8)]
    with pytest.raises(RuntimeError, match="poisoned"):
        list(results)


# --- ordering and fault isolation (no model) ---------------------------------------------


def _articles(names: list[str]) -> list[Article]:
    out = []
    for name in names:
        if name.startswith("error:"):
            out.append(Article(name, name, error="empty file"))
        elif name.startswith("skip:"):
            out.append(Article(name, name, skipped=True))
        else:
            out.append(Article(name, name, text=name))
    return out


def _fake_many(fail_on: set[str]):
    def many(texts, published):
        for text, _ in zip(texts, published, strict=False):
            if text in fail_on:
                raise RuntimeError(f"cannot extract {text}")
            yield Extraction()

    return many


def _fake_one(fail_on: set[str]):
    def one(article):
        if article.text in fail_on:
            raise RuntimeError(f"cannot extract {article.text}")
        return Extraction()

    return one


def test_in_order_interleaves_errors_and_skipped_articles_at_their_place():
    names = ["error:0", "a", "skip:1", "b", "error:2", "error:3", "c", "skip:4"]
    extractor = lambda articles: ((a, Extraction()) for a in articles)  # noqa: E731
    out = list(in_order(_articles(names), extractor))
    assert [a.id for a, _ in out] == names
    assert [result is not None for _, result in out] == [
        False, True, False, True, False, False, True, False,
    ]  # fmt: skip


def test_a_failing_article_gets_an_error_and_the_others_go_on():
    names = [f"t{n}" for n in range(30)]
    poison = {"t7", "t21"}
    out = list(guarded(iter(_articles(names)), _fake_many(poison), _fake_one(poison), suspects=4))
    assert [a.id for a, _ in out] == names
    errors = {a.id: r for a, r in out if isinstance(r, str)}
    assert errors == {
        "t7": "extraction failed: RuntimeError: cannot extract t7",
        "t21": "extraction failed: RuntimeError: cannot extract t21",
    }


def test_an_extractor_that_cannot_start_is_not_retried_forever():
    def broken(texts, published):
        raise OSError("cannot fork")
        yield  # pragma: no cover

    out = guarded(iter(_articles(["a"])), broken, _fake_one(set()), suspects=4)
    with pytest.raises(OSError):
        list(out)
