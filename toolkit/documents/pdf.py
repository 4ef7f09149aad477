"""LibreOffice in headless mode: convert documents (xlsx/ods/xls/pdf). Used for --pdf and tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.problems import SkemaError

INSTALL_HINT = (
    "LibreOffice er ikke installeret. Installér det fra https://da.libreoffice.org "
    "(Windows) eller med 'apt-get install libreoffice-writer libreoffice-calc' (Linux), "
    "og prøv igen."
)


class LibreOfficeMissing(SkemaError):
    def __init__(self):
        super().__init__(INSTALL_HINT)


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        if exe := shutil.which(name):
            return exe
    for candidate in (
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ):
        if os.path.exists(candidate):
            return candidate
    return None


def convert(paths: list[Path], fmt: str, outdir: Path, timeout: int = 300) -> list[Path]:
    """Convert `paths` with LibreOffice to `fmt` ('pdf', 'xlsx', 'ods', 'xls:"MS Excel 97"'...).
    A private profile makes parallel runs safe. Returns the output paths (same stem)."""
    exe = soffice_path()
    if not exe:
        raise LibreOfficeMissing()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="skema_lo_") as profile:
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, paths),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    ext = fmt.split(":")[0]
    out = [outdir / f"{Path(p).stem}.{ext}" for p in paths]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise SkemaError(
            f"LibreOffice kunne ikke konvertere {', '.join(missing)} ({(proc.stderr or proc.stdout).strip()[:200]})"
        )
    return out
