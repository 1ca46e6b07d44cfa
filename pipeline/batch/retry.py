"""`--retry-errors`: the error records of an output to resume are dropped, their articles
extracted again.

The output is append-only, so the old error records are taken out first, by rewriting
the file without them: the other lines are copied byte for byte to a temporary file in
the same folder, which is synced and then put in the output's place with `os.replace`
(atomic). A run killed during the rewrite leaves the output as it was (and at most a
hidden `.NAME.*.tmp` file beside it); killed after it, the output lacks the retried
articles, which the next `--resume` extracts as it does any missing article.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Container
from pathlib import Path

from .output import CSV_COLUMNS, Format
from .sources import Plan, read_articles

_ID, _ERROR = CSV_COLUMNS.index("id"), CSV_COLUMNS.index("error")


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


def articles_to_retry(done: dict[str, str | None], plan: Plan) -> set[str]:
    """Ids whose record in the output is an error and which this run's inputs hold (the
    error record of an article no longer among the inputs is kept: nothing would replace
    it). Files are not read for this; JSON Lines files are, for their articles' ids."""
    failed = {article_id for article_id, error in done.items() if error is not None}
    if not failed:
        return set()
    # With every id "done", files come out skipped without being read.
    return {a.id for a in read_articles(plan, done=_Everything()) if a.id in failed}


def drop_error_records(path: Path, fmt: Format, ids: Container[str]) -> int:
    """Rewrite the output without the error records of `ids`, atomically; the other lines
    stay byte for byte. Returns how many records were dropped."""
    target = Path(os.path.realpath(path))  # a symlinked output stays a symlink
    dropped = 0
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, target.stat().st_mode & 0o7777)
        with os.fdopen(fd, "wb") as out, target.open("rb") as source:
            for line in source:  # a CSV header is never an error record: it stays
                if _is_error_of(line, fmt, ids):
                    dropped += 1
                else:
                    out.write(line)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return dropped


def _is_error_of(line: bytes, fmt: Format, ids: Container[str]) -> bool:
    if not line.strip():
        return False
    if fmt == "jsonl":
        try:
            rec = json.loads(line)
        except ValueError:
            return False
        return isinstance(rec, dict) and str(rec.get("id")) in ids and "error" in rec
    cells = next(csv.reader([line.decode("utf-8", "replace")]), [])
    if len(cells) != len(CSV_COLUMNS) or tuple(cells) == CSV_COLUMNS:
        return False  # the header, or no row of ours
    return cells[_ID] in ids and cells[_ERROR] != ""


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
