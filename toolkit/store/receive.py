"""Receiving one file into the store: hash it, archive it untouched, and — once it has been read —
record the result in one transaction. The two halves are separate because reading happens in
between (in a worker process), but callers never touch hashes or archive paths themselves.

Bytes stored before are not read again; bytes that were refused before are (the cause may have been
fixed); bytes identical to a form as it was sent out are not an answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.problems import Issue
from toolkit.statuses import FileResult
from toolkit.store.db import SentForm, Store, Submission, read_hashed


@dataclass(frozen=True)
class Admitted:
    """A new file, archived: read `archived`, then pass the result to `record`."""

    file: Path
    file_hash: str
    archived: Path
    refused_before: Submission | None = None  # the same bytes were refused before: this is a new attempt
    refusal: tuple[str, ...] = ()  # why they were refused (the errors' messages)


@dataclass(frozen=True)
class Known:
    """The same bytes were received before (or earlier in the same batch)."""

    file: Path
    earlier: Submission | None  # None: a copy of another file in the same batch


@dataclass(frozen=True)
class Unfilled:
    """The file is a form exactly as it was sent out: not an answer, not archived or recorded."""

    file: Path
    sent: SentForm


@dataclass(frozen=True)
class Outcome:
    """What recording a read result did."""

    result: FileResult
    skema: str = ""
    respondent: str = ""
    issues: list[Issue] = field(default_factory=list)
    valid: bool = True
    previous: Submission | None = None  # ældre version: the current answer, saved later


def admit(store: Store, file: Path, batch: dict[str, Path] | None = None) -> Admitted | Known | Unfilled:
    """Hash and archive `file` unless its bytes are already stored (or in `batch`, the hashes
    admitted so far in this run, which this call updates) or are a form as it was sent out. Bytes
    that were refused before are admitted again, with the earlier refusal attached."""
    file_hash, data = read_hashed(file)  # the archive gets the very bytes that were hashed
    earlier, sent = store.lookup(file_hash)
    if earlier is not None and not earlier.refused:
        return Known(file, earlier)
    if sent is not None:
        return Unfilled(file, sent)
    if batch is not None:
        if file_hash in batch:
            return Known(file, None)
        batch[file_hash] = file
    refusal = tuple(store.refusal(earlier.id)) if earlier is not None else ()
    return Admitted(file, file_hash, store.archive(file, file_hash, data), earlier, refusal)


def record(
    store: Store,
    admitted: Admitted,
    *,
    skema: str | None,
    aar: int | None,
    respondent_id: str | None,
    respondent_navn: str | None,
    version: int | None,
    status: str,
    refused: bool,
    valid: bool,
    values: list[Any],
    issues: list[Issue],
    saved_at: str | None = None,
    mail_id: int | None = None,
) -> Outcome:
    """Store one read result in one transaction. `saved_at`: when the respondent saved the file
    (sortable UTC text), which decides whether it replaces the current answer. `mail_id`: the saved
    mail the file was attached to (Store.record_mail)."""
    try:
        done = store.record(
            file_hash=admitted.file_hash,
            original_name=admitted.file.name,
            archive_name=admitted.archived.name,
            received_at=dt.datetime.now().isoformat(timespec="seconds"),
            skema=skema,
            aar=aar,
            respondent_id=respondent_id,
            respondent_navn=respondent_navn,
            version=version,
            status=status,
            values=values,
            issues=issues,
            saved_at=saved_at,
            mail_id=mail_id,
        )
    except FileExistsError:  # another run stored the same file meanwhile
        return Outcome(FileResult.ALLEREDE, skema or "", respondent_navn or "")
    if refused:
        result = FileResult.AFVIST
    elif done.previous is None:
        result = FileResult.NY
    else:
        result = FileResult.ERSTATTER if done.current else FileResult.AELDRE
    previous = store.submission(done.previous) if result == FileResult.AELDRE and done.previous else None
    return Outcome(result, skema or "", respondent_navn or "", list(issues), valid, previous)
