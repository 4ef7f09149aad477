"""Worker processes that end with their parent. A run that is killed (kill -9, "Afslut opgave", a
closed terminal) must not leave readers or writers behind holding the working folder's lock.

`die_with_parent()` is called first in a worker's initializer (the worker process's own entry):
on Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); elsewhere a small
daemon thread notices that the parent is gone (its pid changes) and ends the worker."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# The cycle collector's thresholds for a whole run of `skema`, set once at the program's entry
# (cli.common.main) and in the form writers' worker processes, never inside a library function:
# writing workbooks makes many objects that refer to each other (an xlsxwriter Workbook and its
# Worksheets, a cell record per cell), which the default thresholds walk again and again.
GC_THRESHOLDS = (50_000, 20, 20)


def die_with_parent() -> None:
    parent = os.getppid()
    if sys.platform.startswith("linux") and _prctl_pdeathsig():
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="skema-forælder").start()


def _prctl_pdeathsig() -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    stop = threading.Event()
    while not stop.wait(0.5):
        if os.getppid() != parent:
            os._exit(1)
