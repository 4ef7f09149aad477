"""Where things are: the working folder's stamdata, definitions and output; `skema init`."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from toolkit.definitions.load import bundled_definitions_dir
from toolkit.stamdata.load import default_stamdata_path

STAMDATA_FILE = "stamdata.xlsx"


def default_year(today: dt.date | None = None) -> int:
    """The cycle year: forms go out in January, so from September on we prepare next year."""
    today = today or dt.date.today()
    return today.year + 1 if today.month >= 9 else today.year


def resolve_stamdata(path: Path | None, cwd: Path | None = None) -> tuple[Path, bool]:
    """(path, is_example): the given file, ./stamdata.xlsx, or the bundled example."""
    if path:
        return Path(path), False
    local = (cwd or Path.cwd()) / STAMDATA_FILE
    if local.exists():
        return local, False
    return default_stamdata_path(), True


def resolve_definitions(path: Path | None, cwd: Path | None = None) -> Path:
    if path:
        return Path(path)
    local = (cwd or Path.cwd()) / "skabeloner" / "skemaer"
    return local if (local / "aarsrapport.yaml").exists() else bundled_definitions_dir()


def init_workspace(folder: Path) -> list[tuple[Path, str]]:
    """Copy the example stamdata, the form definitions and the Word templates into `folder` for editing.
    Existing files are left alone. Returns (path, 'kopieret' | 'findes allerede')."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pairs = [(default_stamdata_path(), folder / STAMDATA_FILE)]
    pairs += [(p, folder / "skabeloner" / "skemaer" / p.name)
              for p in sorted(bundled_definitions_dir().glob("*.yaml"))]
    pairs += [(p, folder / "skabeloner" / p.name) for p in sorted(bundled_definitions_dir().parent.glob("*.docx"))]
    done = []
    for src, dst in pairs:
        if dst.exists():
            done.append((dst, "findes allerede"))
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        done.append((dst, "kopieret"))
    return done
