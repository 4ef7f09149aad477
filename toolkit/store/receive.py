"""Receiving one file into the store: hash it, archive it untouched, and — once it has been read —
record the result in one transaction. The two halves are separate because reading happens in
between (in a worker process), but callers never touch hashes or archive paths themselves."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.problems import Issue
from toolkit.statuses import FileResult
from toolkit.store.db import Store, Submission, sha256_file


@dataclass(frozen=True)
class Admitted:
    """A new file, archived: read `archived`, then pass the result to `record`."""

    file: Path
    file_hash: str
    archived: Path


@dataclass(frozen=True)
class Known:
    """The same bytes were received before (or earlier in the same batch)."""

    file: Path
    earlier: Submission | None  # None: a copy of another file in the same batch


@dataclass(frozen=True)
class Outcome:
    """What recording a read result did."""

    result: FileResult
    skema: str = ""
    respondent: str = ""
    issues: list[Issue] = field(default_factory=list)
    valid: bool = True


def admit(store: Store, file: Path, batch: dict[str, Path] | None = None) -> Admitted | Known:
    """Hash and archive `file` unless its bytes are already in the store (or in `batch`, the hashes
    admitted so far in this run, which this call updates)."""
    file_hash = sha256_file(file)
    earlier = store.find_by_hash(file_hash)
    if earlier is not None:
        return Known(file, earlier)
    if batch is not None:
        if file_hash in batch:
            return Known(file, None)
        batch[file_hash] = file
    return Admitted(file, file_hash, store.archive(file, file_hash))


def record(store: Store, admitted: Admitted, *, skema: str | None, aar: int | None, respondent_id: str | None,
           respondent_navn: str | None, version: int | None, status: str, refused: bool, valid: bool,
           values: list[Any], issues: list[Issue]) -> Outcome:
    """Store one read result in one transaction."""
    try:
        _sid, previous = store.record(
            file_hash=admitted.file_hash, original_name=admitted.file.name, archive_name=admitted.archived.name,
            received_at=dt.datetime.now().isoformat(timespec="seconds"), skema=skema, aar=aar,
            respondent_id=respondent_id, respondent_navn=respondent_navn, version=version,
            status=status, values=values, issues=issues)
    except FileExistsError:  # another run stored the same file meanwhile
        return Outcome(FileResult.ALLEREDE, skema or "", respondent_navn or "")
    result = FileResult.AFVIST if refused else (FileResult.ERSTATTER if previous else FileResult.NY)
    return Outcome(result, skema or "", respondent_navn or "", list(issues), valid)
