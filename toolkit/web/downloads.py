"""What the pages offer for download: the files a year's run wrote, folder by folder. A download
link names a folder kind and a file name; the file is served only if that name is one of the files
the folder holds now (no path from the request reaches the file system)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from toolkit import Workspace

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".pdf", ".csv", ".json", ".ics"}
MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".ics": "text/calendar; charset=utf-8",
}


@dataclass(frozen=True)
class OutputFile:
    kind: str
    name: str
    size: int
    modified: dt.datetime

    @property
    def url(self) -> str:
        return f"/hent/{self.kind}/{self.name}"

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


def folder_of(ws: Workspace, aar: int, kind: str) -> Path | None:
    """The folder a download kind stands for; None for an unknown kind."""
    base = ws.out(aar)
    return {
        "skemaer": ws.forms_dir(aar),
        "aar": base,
        "hoering": base / "hoering",
        "rykkere": base / "rykkere",
    }.get(kind)


def listing(ws: Workspace, aar: int, kind: str) -> list[OutputFile]:
    folder = folder_of(ws, aar, kind)
    if folder is None or not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$")) and p.is_file():
            st = p.stat()
            out.append(OutputFile(f"{aar}/{kind}", p.name, st.st_size, dt.datetime.fromtimestamp(st.st_mtime)))
    return out


def find(ws: Workspace, aar: int, kind: str, name: str) -> Path | None:
    """The file `name` in the folder of `kind`, if the folder lists exactly that name."""
    folder = folder_of(ws, aar, kind)
    if folder is None or not folder.is_dir():
        return None
    for f in listing(ws, aar, kind):
        if f.name == name:
            path = folder / f.name
            if path.resolve().parent == folder.resolve():  # not a link out of the folder
                return path
    return None
