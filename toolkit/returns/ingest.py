"""`skema indlaes` and `skema tjek`: collect returned files, read each in an isolated worker and —
for indlaes — hand it to the store (archived untouched, one transaction per file). What was good
is kept when another file is bad.

Versions of one answer are ordered by when the respondent last saved them (returns.saved), not by
when or in which order they arrive: the last save is current, an older save is kept as history and
said so. A file refused before is read again; a form exactly as it was sent out is refused."""

from __future__ import annotations

import datetime as dt
import errno
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.definitions.model import Skemadefinition
from toolkit.problems import FEJL, Issue, UsageError
from toolkit.returns.mail import MailBox, sender_issue
from toolkit.returns.read import ReadResult
from toolkit.returns.saved import SavedTime, saved_time
from toolkit.stamdata.model import Stamdata
from toolkit.statuses import FileResult
from toolkit.store import Store
from toolkit.store.db import Submission
from toolkit.store.receive import Admitted, Known, Unfilled, admit, record

SPREADSHEET_EXT = {".xlsx", ".xlsm", ".xls", ".ods", ".xltx", ".xltm"}  # templates are read as workbooks

#: Version of the JSON written by `--json` (IngestReport.to_json). Bump on any incompatible change.
JSON_SCHEMA_VERSION = 1


@dataclass
class IngestItem:
    file: Path
    status: FileResult
    skema: str = ""
    respondent: str = ""
    issues: list[Issue] = field(default_factory=list)
    valid: bool = True
    aar: int | None = None  # the year the form belongs to (from the form itself)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == FEJL)

    def to_json(self) -> dict:
        return {
            "fil": self.file.name,
            "sti": str(self.file),
            "resultat": self.status.value,
            "skema": self.skema,
            "respondent": self.respondent,
            "aar": self.aar,
            "gyldig": self.valid,
            "fejl": self.errors,
            "problemer": [i.to_json() for i in self.issues],
        }


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # run-level problems, e.g. an overview that could not be written

    @property
    def read_any(self) -> bool:
        """Whether any spreadsheet was found (an empty folder is worth saying)."""
        return any(i.status != FileResult.SPRUNGET_OVER or not i.valid for i in self.items)

    @property
    def ok(self) -> bool:
        return self.read_any and not self.notes and all(i.valid for i in self.items)

    def count(self, result: FileResult) -> int:
        return sum(1 for i in self.items if i.status == result)

    def to_json(self) -> dict:
        """The stable JSON form (documented in README, `--json`)."""
        return {
            "version": JSON_SCHEMA_VERSION,
            "ok": self.ok,
            "bemaerkninger": self.notes,
            "antal": {r.value: self.count(r) for r in FileResult if self.count(r)},
            "filer": [i.to_json() for i in self.items],
        }


OTHER_EXCEL = {
    ".xlsb": "binær Excel-projektmappe (.xlsb)",
    ".xlt": "Excel-skabelon (.xlt)",
}


def collect_files(paths: Iterable[Path], mails: MailBox | None = None) -> tuple[list[Path], list[IngestItem]]:
    """Spreadsheets under `paths` (recursively), oldest first; notes for what is skipped. Only
    regular files are considered: a pipe or device named `x.xlsx` is skipped before anything reads it.
    With `mails`, saved mails (.eml, .msg, .mbox) are unpacked there and their spreadsheet
    attachments collected (returns.mail). Raises UsageError for a path that does not exist."""
    files, skipped = [], []
    for p in map(Path, paths):
        if not p.exists():
            raise UsageError(f"{p} findes ikke. Angiv en fil eller en mappe med returnerede skemaer.")
        candidates = sorted(x for x in p.rglob("*") if not x.is_dir()) if p.is_dir() else [p]
        if mails is not None:  # a saved mail is its attachments
            candidates, unread = mails.expand(candidates)
            skipped += [IngestItem(m, FileResult.SPRUNGET_OVER, issues=[i], valid=False) for m, i in unread]
        for f in candidates:
            suffix = f.suffix.lower()
            if f.name.startswith("~$") or f.name.startswith(".~lock."):
                skipped.append(_skip(f, "laasefil", f"{f.name} er en låsefil fra Excel/LibreOffice og springes over."))
            elif not _regular(f):
                skipped.append(
                    _skip(f, "ulaeselig-fil", f"{f.name} er ikke en almindelig fil og springes over.", valid=False)
                )
            elif suffix in OTHER_EXCEL:
                skipped.append(
                    _skip(
                        f,
                        "ikke-regneark",
                        f"{f.name} er en {OTHER_EXCEL[suffix]}. Åbn den i Excel, "
                        f"gem den som Excel-projektmappe (.xlsx) og send den igen.",
                        valid=False,
                    )
                )
            elif suffix not in SPREADSHEET_EXT:
                skipped.append(
                    _skip(
                        f,
                        "ikke-regneark",
                        f"{f.name} er ikke et regneark (.xlsx, .xlsm, .xltx, .xltm, .xls eller .ods) og springes over.",
                    )
                )
            else:
                files.append(f)
    files.sort(key=_mtime_then_name)
    return files, skipped


def _skip(f: Path, code: str, message: str, valid: bool = True) -> IngestItem:
    return IngestItem(f, FileResult.SPRUNGET_OVER, issues=[Issue(code, message, file=f.name)], valid=valid)


def _regular(f: Path) -> bool:
    try:
        return stat.S_ISREG(f.stat().st_mode)
    except OSError:
        return False


def _mtime_then_name(f: Path) -> tuple[float, str]:
    try:
        return f.stat().st_mtime, f.name
    except OSError:  # vanished meanwhile: admitting it reports that
        return 0.0, f.name


def _unreadable(f: Path, exc: OSError) -> IngestItem:
    """A file the tool may not open (permissions, locked by another program, an online-only
    OneDrive file, vanished) is that file's problem; the batch goes on."""
    if isinstance(exc, FileNotFoundError):
        why = "filen forsvandt under indlæsningen"
    elif isinstance(exc, PermissionError):
        why = "adgang nægtet – filen er måske åben i et andet program eller kun gemt online (OneDrive)"
    elif getattr(exc, "errno", None) == errno.ENOSPC:
        why = "disken er fuld, så filen kunne ikke arkiveres"
    else:
        why = f"den kunne ikke åbnes ({exc.strerror or exc.__class__.__name__})"
    return IngestItem(
        f,
        FileResult.AFVIST,
        issues=[
            Issue("ulaeselig-fil", f"{f.name} blev ikke indlæst: {why}. Ret det og kør kommandoen igen.", file=f.name)
        ],
        valid=False,
    )


ReaderFn = Callable[[Path, Stamdata, dict, str], ReadResult]
Progress = Callable[[IngestItem], None]


def _read_all(jobs: list[tuple[Path, str]], sd: Stamdata, defs: dict, reader: ReaderFn | None, workers: int):
    """Yield (index, ReadResult) in order: in isolated worker processes unless `reader` is given."""
    if reader is not None:
        for i, (path, name) in enumerate(jobs):
            yield i, reader(path, sd, defs, name)
        return
    from toolkit.returns.isolation import IsolatedReader

    with IsolatedReader(sd, defs, workers=workers) as isolated:
        yield from isolated.read_many(jobs)


def check_returns(
    paths: Iterable[Path],
    sd: Stamdata,
    defs: dict[str, Skemadefinition],
    progress: Progress | None = None,
    reader: ReaderFn | None = None,
    workers: int = 2,
) -> IngestReport:
    """Guard, identify and validate every spreadsheet under `paths` without storing anything."""
    with MailBox(SPREADSHEET_EXT | OTHER_EXCEL.keys()) as mails:
        return _check(paths, sd, defs, progress, reader, workers, mails)


def _check(paths, sd, defs, progress, reader, workers, mails: MailBox) -> IngestReport:
    files, skipped = collect_files(paths, mails)
    report = IngestReport(list(skipped))
    for i, res in _read_all([(f, f.name) for f in files], sd, defs, reader, workers):
        result = FileResult(res.status.value)  # afvist, gyldig or fejl
        item = IngestItem(
            files[i], result, res.skema or "", res.modtager.navn if res.modtager else "", res.issues, res.valid, res.aar
        )
        report.items.append(item)
        if progress:
            progress(item)
    return report


def ingest(
    paths: Iterable[Path],
    store: Store,
    sd: Stamdata,
    defs: dict[str, Skemadefinition],
    progress: Progress | None = None,
    reader: ReaderFn | None = None,
    workers: int = 2,
) -> IngestReport:
    """Ingest every spreadsheet under `paths`. By default files are read in worker processes
    (returns.isolation), `workers` at a time, so a file that crashes or exhausts the reader is
    refused, not fatal. Results are stored in order, one transaction per file. Saved mails are read
    as their spreadsheet attachments; the store keeps the mail too (returns.mail)."""
    with MailBox(SPREADSHEET_EXT | OTHER_EXCEL.keys()) as mails:
        return _ingest(paths, store, sd, defs, progress, reader, workers, mails)


def _ingest(paths, store, sd, defs, progress, reader, workers, mails: MailBox) -> IngestReport:
    files, skipped = collect_files(paths, mails)
    report = IngestReport(list(skipped))

    def done(item: IngestItem) -> None:
        report.items.append(item)
        if progress:
            progress(item)

    store.remove_unrecorded()  # archive copies a killed run left without a record
    todo: list[tuple[Admitted, float]] = []
    batch: dict[str, Path] = {}
    for f in files:
        try:
            mtime = f.stat().st_mtime
            got = admit(store, f, batch)
        except OSError as exc:
            done(_unreadable(f, exc))
            continue
        if isinstance(got, Known):
            done(_already(got))
        elif isinstance(got, Unfilled):
            done(_unfilled(got))
        else:
            todo.append((got, mtime))
    # Each result is recorded as soon as it is read (the progress bar moves, Ctrl-C keeps what was
    # stored): the store decides by the time each file says it was last saved, whatever the order
    # (a file saved before the stored version goes into the history without replacing it).
    jobs = [(a.archived, a.file.name) for a, _ in todo]
    for i, res in _read_all(jobs, sd, defs, reader, workers):
        admitted, mtime = todo[i]
        mail_id, warnings = _from_mail(store, sd, mails, admitted.file, res)
        res.issues += warnings  # stored with the file's own issues
        done(_record(store, admitted, saved_time(res.saved, mtime), res, mail_id))
    return report


def _already(known: Known) -> IngestItem:
    f, k = known.file, known.earlier
    if k is None:
        return IngestItem(
            f,
            FileResult.ALLEREDE,
            issues=[
                Issue(
                    "allerede-indlaest",
                    f"{f.name} er en kopi af en anden fil i samme indlæsning – intet ændret.",
                    file=f.name,
                )
            ],
        )
    return IngestItem(
        f,
        FileResult.ALLEREDE,
        k.skema or "",
        k.respondent_navn or "",
        aar=k.aar,
        issues=[
            Issue(
                "allerede-indlaest",
                f"{f.name} er allerede indlæst ({k.received_at[:16].replace('T', ' ')}) – intet ændret.",
                file=f.name,
            )
        ],
    )


def _unfilled(u: Unfilled) -> IngestItem:
    s = u.sent
    return IngestItem(
        u.file,
        FileResult.AFVIST,
        s.skema,
        s.respondent_navn,
        [
            Issue(
                "ikke-udfyldt",
                f"Skemaet er ikke udfyldt – er det det udsendte skema? {u.file.name} er præcis det skema, "
                f"der blev dannet til {s.respondent_navn} ({s.file_name}); det er ikke gemt.",
                file=u.file.name,
                respondent=s.respondent_navn,
                skema=s.skema,
            )
        ],
        valid=False,
        aar=s.aar,
    )


def _local(when: dt.datetime | str | None) -> str:
    """A stored or read UTC time as the user's local 'dd.mm.åååå tt:mm'."""
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    return when.astimezone().strftime("%d.%m.%Y %H:%M") if when else "ukendt"


def _from_mail(store: Store, sd: Stamdata, mails: MailBox, f: Path, res: ReadResult) -> tuple[int | None, list]:
    """(the stored mail's id, a warning if its sender is none of the respondent's contacts) for a
    file unpacked from a saved mail; (None, []) for a file saved by hand."""
    src = mails.source(f)
    if src is None:
        return None, []
    warning = sender_issue(sd, src, res.modtager, f.name)
    return store.record_mail(src.file, src.sender, src.subject, src.date), [warning] if warning else []


def _record(
    store: Store, admitted: Admitted, saved: SavedTime, res: ReadResult, mail_id: int | None = None
) -> IngestItem:
    m = res.modtager
    out = record(
        store,
        admitted,
        skema=res.skema,
        aar=res.aar,
        respondent_id=m.id if m else None,
        respondent_navn=m.navn if m else None,
        version=res.version,
        status=res.status,
        refused=res.refused,
        valid=res.valid,
        values=res.values,
        issues=res.issues,
        saved_at=saved.text,
        mail_id=mail_id,
    )
    name = admitted.file.name
    notes = []
    if admitted.refused_before is not None:
        notes.append(_retried(name, admitted.refused_before, admitted.refusal))
    if out.result == FileResult.AELDRE and out.previous is not None:
        notes.append(_older(name, saved, out.previous))
    return IngestItem(admitted.file, out.result, out.skema, out.respondent, notes + out.issues, out.valid, res.aar)


def _retried(name: str, before: Submission, why: tuple[str, ...]) -> Issue:
    reason = why[0].rstrip(". ") if why else "ukendt årsag"
    more = f" (og {len(why) - 1} fejl mere)" if len(why) > 1 else ""
    return Issue(
        "tidligere-afvist",
        f"{name} blev afvist ved indlæsningen {_local_received(before.received_at)}: "
        f"{reason}{more}. Filen er læst igen.",
        file=name,
    )


def _local_received(received_at: str) -> str:
    """received_at is stored as local time without a zone."""
    return received_at[:16].replace("T", " ")


def _older(name: str, saved: SavedTime, current: Submission) -> Issue:
    return Issue(
        "aeldre-version",
        f"{name} er gemt {_local(saved.when)}, før det svar, der allerede er indlæst "
        f"({current.original_name}, gemt {_local(current.saved_at)}); det gemmes i historikken men "
        f"erstatter ikke.",
        file=name,
    )


def ingest_file(f: Path, store: Store, sd: Stamdata, defs, reader: ReaderFn) -> IngestItem:
    """One file, read by `reader` in this process (used by benchmarks and tests)."""
    mtime = f.stat().st_mtime
    got = admit(store, f)
    if isinstance(got, Known):
        return _already(got)
    if isinstance(got, Unfilled):
        return _unfilled(got)
    res = reader(got.archived, sd, defs, f.name)
    return _record(store, got, saved_time(res.saved, mtime), res)
