"""Read returns in a worker process, so that no single file can take the run down: a reader that
aborts the process (python-calamine does on absurd sheet extents), exhausts memory or hangs only
costs that file, which is refused with 'laeser-doede'. POSIX: the worker's address space is capped."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from toolkit.returns.read import ReadResult, read_return
from toolkit.workers import die_with_parent

WORKER_MEMORY_BYTES = 2 * 1024**3
WORKER_SECONDS = 60

_state: dict = {}


def _init(sd, defs, memory: int, pids):
    die_with_parent()  # a killed run leaves no reader behind holding the folder's lock
    pids.put(os.getpid())  # so that the parent can kill this worker if it hangs
    _state["sd"], _state["defs"] = sd, defs
    # A reader that aborts prints its own panic text; the user gets our one Danish line instead.
    import faulthandler

    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    if memory and sys.platform != "win32":
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _read(path: str, original_name: str) -> ReadResult:
    return read_return(Path(path), _state["sd"], _state["defs"], original_name)


class IsolatedReader:
    """Callable like read_return; use as a context manager around a batch of files."""

    def __init__(self, sd, defs, memory: int = WORKER_MEMORY_BYTES, seconds: int = WORKER_SECONDS, workers: int = 1):
        self.sd, self.defs, self.memory, self.seconds = sd, defs, memory, seconds
        self.workers = max(1, min(workers, os.cpu_count() or 1))
        self.pool: ProcessPoolExecutor | None = None
        self.pids: Any = None  # a SimpleQueue: each worker of the pool puts its process id here when it starts

    def _start(self, workers: int = 1) -> ProcessPoolExecutor:
        ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self.pids = ctx.SimpleQueue()
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init,
            initargs=(self.sd, self.defs, self.memory, self.pids),
        )
        return self.pool

    def _kill(self):
        """Stop the pool now, also a worker that hangs (shutdown alone would wait for it)."""
        if self.pool is None:
            return
        while not self.pids.empty():
            pid = self.pids.get()
            with contextlib.suppress(OSError):  # already gone
                os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))  # SIGTERM: TerminateProcess
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pids.close()
        self.pool = self.pids = None

    def __call__(self, path: Path, sd, defs, original_name: str | None = None) -> ReadResult:
        name = original_name or Path(path).name
        pool = self.pool or self._start()
        try:
            return pool.submit(_read, str(path), name).result(timeout=self.seconds)
        except FutureTimeout:
            self._kill()
            why = f"læsningen tog mere end {self.seconds} sekunder"
        except (BrokenProcessPool, MemoryError, OSError) as exc:
            self._kill()
            why = "læseren stoppede uventet" + (" (for lidt hukommelse)" if isinstance(exc, MemoryError) else "")
        except Exception as exc:  # noqa: BLE001 - a reader bug on one file must not stop the batch
            why = f"uventet fejl i læseren ({exc.__class__.__name__})"
        return ReadResult(Path(path), name).refuse(
            "laeser-doede",
            f"{name} kunne ikke læses: {why}. Bed afsenderen gemme den igen i Excel og sende den på ny.",
        )

    def read_many(self, jobs: list[tuple[Path, str]]):
        """Yield (index, ReadResult) in order, reading up to `workers` files at a time. When a worker
        dies or hangs, the file being waited for is re-read alone (so the culprit is pinned down), and
        the files not yet done are submitted again to a fresh pool."""
        if self.workers == 1 or len(jobs) < 2:
            for i, (path, name) in enumerate(jobs):
                yield i, self(path, self.sd, self.defs, name)
            return
        self._kill()
        pool = self._start(self.workers)
        futures = {i: pool.submit(_read, str(p), n) for i, (p, n) in enumerate(jobs)}
        for i, (path, name) in enumerate(jobs):
            try:
                res = futures[i].result(timeout=self.seconds)
            except (FutureTimeout, BrokenProcessPool, MemoryError, OSError):
                self._kill()
                res = self(path, self.sd, self.defs, name)  # alone, in a single-worker pool
                self._kill()
                pool = self._start(self.workers)
                futures.update({j: pool.submit(_read, str(p), n) for j, (p, n) in enumerate(jobs) if j > i})
            except Exception:  # noqa: BLE001 - e.g. an unpicklable result: read it alone
                res = self(path, self.sd, self.defs, name)
            yield i, res
        self._kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pids.close()
            self.pool = self.pids = None
