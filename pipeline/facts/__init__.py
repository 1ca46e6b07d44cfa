"""From entities to the contract's financial facts (triggers, roles, status, periods)."""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc

from ..schema import Entity, Fact


def assemble(
    doc: Doc, entities: list[Entity], published: dt.date | None, offset: int = 0
) -> list[Fact]:
    """The facts of one parsed piece of text. Not built yet: returns no fact."""
    return []
