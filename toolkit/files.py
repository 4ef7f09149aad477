"""Everything that writes a file goes through here: atomic replace, no silent overwrite,
readable ASCII-safe names, and a Danish error when Windows has the target open."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from toolkit.problems import OutputLockedError, SkemaError

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slug(text: str, max_len: int = 40) -> str:
    """'Center for Tale & Hjerneskade, Aalborg' -> 'center_for_tale_hjerneskade_aalborg'. A longer
    text is cut between words ('Frederikshavn Kommune', 20 -> 'frederikshavn'); only a first word
    longer than `max_len` is cut inside."""
    t = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    t = t.encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"[^a-z0-9]+", "_", t).strip("_")
    if len(t) > max_len:
        cut = t.rfind("_", 0, max_len + 1)  # the last word boundary that fits
        t = t[:cut] if cut > 0 else t[:max_len]
    return t or "uden_navn"


def unique_slugs(names: list[tuple[str, str]]) -> list[str]:
    """[(slug, id)] -> the slugs, each one that occurs more than once made unique with its id's slug:
    two tilbud whose names agree up to the cut get two files."""
    counts: dict[str, int] = {}
    for s, _id in names:
        counts[s] = counts.get(s, 0) + 1
    return [f"{s}_{slug(i)}" if counts[s] > 1 else s for s, i in names]


class OutputError(SkemaError):
    """An output file cannot be written (disk full, read-only folder, a folder in the way)."""

    def __init__(self, target: Path, exc: OSError):
        reasons = {
            errno.ENOSPC: "disken er fuld",
            errno.EROFS: "mappen er skrivebeskyttet",
            errno.EACCES: "der er ikke adgang til at skrive i mappen",
            errno.EISDIR: "der ligger en mappe med samme navn",
            errno.EDQUOT: "diskkvoten er opbrugt",
        }
        self.path = target
        super().__init__(
            f"{target} kunne ikke skrives: {reasons.get(exc.errno or 0, exc.strerror or 'ukendt fejl')}. "
            f"Ret det og kør kommandoen igen; intet eksisterende er overskrevet."
        )


#: the name a temporary file next to its target starts with (a killed run's are swept up by that)
TMP_PREFIX = ".~tmp_"


def _temp_next_to(target: str) -> tuple[int, str]:
    """A new temporary file next to `target` (its folder made if missing): (descriptor, path).
    Failing to make it is one Danish OutputError."""
    folder = os.path.dirname(target) or os.curdir
    suffix = os.path.splitext(target)[1]
    try:
        try:
            return tempfile.mkstemp(prefix=TMP_PREFIX, suffix=suffix, dir=folder)
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
            return tempfile.mkstemp(prefix=TMP_PREFIX, suffix=suffix, dir=folder)
    except OSError as exc:
        raise OutputError(Path(target), exc) from exc


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path next to `target`; on success it replaces `target` in one rename.
    Failures to write become one Danish error; the old file is left as it was."""
    target = Path(target)
    fd, tmp = _temp_next_to(os.fspath(target))
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        replace(tmp_path, target)
    except OSError as exc:
        raise OutputError(target, exc) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def replace(src: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    try:
        os.replace(src, target)
    except PermissionError as exc:  # Windows: target open in Excel/Word
        raise OutputLockedError(Path(target)) from exc


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    """`data` as the new `target`, with `atomic_path`'s guarantees (a temporary file next to it,
    one rename, the Danish errors, no temporary file left behind), written through the temporary
    file's own descriptor: no second open, and the folder is made only if it is missing. With plain
    strings for paths: the archive writes one file per received file."""
    path = os.fspath(target)
    fd, tmp = _temp_next_to(path)
    done = False
    try:
        with open(fd, "wb") as f:  # closes fd
            f.write(data)
        replace(tmp, path)
        done = True
    except OSError as exc:
        raise OutputError(Path(path), exc) from exc
    finally:
        if not done:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
