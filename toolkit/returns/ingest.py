"""`skema indlaes`: collect returned files, archive each untouched, read, validate and store it.
One transaction per file; what was good is kept when another file is bad."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from toolkit.definitions.model import Skemadefinition
from toolkit.problems import Issue
from toolkit.returns.read import ReadResult
from toolkit.stamdata.model import Stamdata
from toolkit.store import Store
from toolkit.store.db import sha256_file

SPREADSHEET_EXT = {".xlsx", ".xlsm", ".xls", ".ods"}


@dataclass
class IngestItem:
    file: Path
    status: str  # ny | erstatter | allerede indlæst | afvist | sprunget over
    skema: str = ""
    respondent: str = ""
    issues: list[Issue] = field(default_factory=list)
    valid: bool = True


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(i.valid for i in self.items if i.status != "sprunget over")

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[IngestItem]]:
    """Spreadsheets under `paths` (recursively), oldest first; notes for what is skipped."""
    files, skipped = [], []
    for p in map(Path, paths):
        candidates = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in candidates:
            if f.name.startswith("~$") or f.name.startswith(".~lock."):
                skipped.append(IngestItem(f, "sprunget over", issues=[Issue(
                    "laasefil", f"{f.name} er en låsefil fra Excel/LibreOffice og springes over.", file=f.name)]))
            elif not f.exists():
                skipped.append(IngestItem(f, "sprunget over", valid=False, issues=[Issue(
                    "ulaeselig-fil", f"{f} findes ikke.", file=f.name)]))
            elif f.suffix.lower() not in SPREADSHEET_EXT:
                skipped.append(IngestItem(f, "sprunget over", issues=[Issue(
                    "ikke-regneark", f"{f.name} er ikke et regneark (.xlsx, .xlsm, .xls eller .ods) og springes over.",
                    file=f.name)]))
            else:
                files.append(f)
    files.sort(key=lambda f: (f.stat().st_mtime, f.name))
    return files, skipped


ReaderFn = Callable[[Path, Stamdata, dict, str], ReadResult]


def ingest(paths: Iterable[Path], store: Store, sd: Stamdata, defs: dict[str, Skemadefinition],
           progress: Callable[[IngestItem], None] | None = None, reader: ReaderFn | None = None,
           workers: int = 2) -> IngestReport:
    """Ingest every spreadsheet under `paths`. By default files are read in worker processes
    (toolkit.returns.isolation), `workers` at a time, so a file that crashes or exhausts the reader is
    refused, not fatal. Results are stored in order, one transaction per file."""
    from toolkit.returns.isolation import IsolatedReader

    files, skipped = collect_files(paths)
    report = IngestReport(list(skipped))

    def done(item):
        report.items.append(item)
        if progress:
            progress(item)

    todo = []  # (file, hash, archived copy) still to read
    for f in files:
        file_hash = sha256_file(f)
        known = store.find_by_hash(file_hash)
        if known:
            done(_already(f, known))
        elif any(h == file_hash for _f, h, _a in todo):
            done(IngestItem(f, "allerede indlæst", issues=[Issue(
                "allerede-indlaest", f"{f.name} er en kopi af en anden fil i samme indlæsning – intet ændret.",
                file=f.name)]))
        else:
            todo.append((f, file_hash, store.archive(f, file_hash)))
    if reader is not None:
        results = ((i, reader(a, sd, defs, f.name)) for i, (f, _h, a) in enumerate(todo))
        for i, res in results:
            done(_record(store, todo[i], res))
        return report
    with IsolatedReader(sd, defs, workers=workers) as isolated:
        for i, res in isolated.read_many([(a, f.name) for f, _h, a in todo]):
            done(_record(store, todo[i], res))
    return report


def _already(f: Path, known) -> IngestItem:
    return IngestItem(f, "allerede indlæst", known.skema or "", known.respondent_navn or "", [Issue(
        "allerede-indlaest", f"{f.name} er allerede indlæst ({known.received_at[:16].replace('T', ' ')}) – "
        f"intet ændret.", file=f.name)])


def _record(store: Store, job, res: ReadResult) -> IngestItem:
    f, file_hash, archived = job
    m = res.modtager
    try:
        _sid, previous = store.record(
            file_hash=file_hash, original_name=f.name, archive_name=archived.name,
            received_at=dt.datetime.now().isoformat(timespec="seconds"), skema=res.skema, aar=res.aar,
            respondent_id=m.id if m else None, respondent_navn=m.navn if m else None, version=res.version,
            status=res.status, values=res.values, issues=res.issues)
    except FileExistsError:  # another run stored the same file meanwhile
        return IngestItem(f, "allerede indlæst", res.skema or "", m.navn if m else "")
    status = "afvist" if res.refused else ("erstatter" if previous else "ny")
    return IngestItem(f, status, res.skema or "", m.navn if m else "", res.issues, res.valid)


def ingest_file(f: Path, store: Store, sd: Stamdata, defs, reader: ReaderFn) -> IngestItem:
    """One file, read by `reader` in this process (used by benchmarks and tests)."""
    file_hash = sha256_file(f)
    known = store.find_by_hash(file_hash)
    if known:
        return _already(f, known)
    archived = store.archive(f, file_hash)
    return _record(store, (f, file_hash, archived), reader(archived, sd, defs, f.name))
