"""One writing run per working folder: a second `skema indlaes` (or `ret`) waits for the first, and
gives up with a clear Danish message if it does not finish in time. The lock is an OS file lock
(filelock), so it is released when the process dies, also on SIGKILL."""

from __future__ import annotations

import contextlib
from pathlib import Path

from filelock import FileLock, Timeout

from toolkit.problems import SkemaError

LOCK_FILE = ".skema.lock"


class WorkspaceBusy(SkemaError):
    def __init__(self, folder: Path, seconds: float):
        super().__init__(
            f"En anden kørsel af skema arbejder i {folder} og er ikke færdig efter "
            f"{seconds:.0f} sekunder. Vent til den er færdig, og prøv igen."
        )


@contextlib.contextmanager
def workspace_lock(folder: Path, wait_seconds: float = 120.0, on_wait=None):
    """Hold the folder's lock. If another run holds it, call `on_wait()` once and wait up to
    `wait_seconds`; then raise WorkspaceBusy."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait:
            on_wait()
        try:
            lock.acquire(timeout=wait_seconds)
        except Timeout:
            raise WorkspaceBusy(folder, wait_seconds) from None
    try:
        yield
    finally:
        lock.release()
