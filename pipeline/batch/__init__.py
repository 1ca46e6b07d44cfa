"""Batch extraction of an archive: folders, files or standard input to JSON Lines or CSV.

`finfacts extract` stands on `run`; `extract_many` (pipeline.api) does the extraction.
"""

from __future__ import annotations

from .output import ResumeError
from .runner import Options, Summary, format_summary, run
from .sources import UsageError

__all__ = ["Options", "ResumeError", "Summary", "UsageError", "format_summary", "run"]
