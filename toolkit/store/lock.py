"""One writing run per working folder: a second `skema indlaes` (or `ret`) waits for the first, and
gives up with a clear Danish message if it does not finish in time."""
from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from toolkit.problems import SkemaError

LOCK_FILE = ".skema.lock"


class WorkspaceBusy(SkemaError):
    def __init__(self, folder: Path, seconds: float):
        super().__init__(f"En anden kørsel af skema arbejder i {folder} og er ikke færdig efter "
                         f"{seconds:.0f} sekunder. Vent til den er færdig, og prøv igen.")


def _try_lock(fd) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fd) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def workspace_lock(folder: Path, wait_seconds: float = 120.0, on_wait=None):
    """Hold the folder's lock; the OS releases it if the process dies (also on SIGKILL)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        told = False
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise WorkspaceBusy(folder, wait_seconds)
            if on_wait and not told:
                on_wait()
                told = True
            time.sleep(0.2)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
