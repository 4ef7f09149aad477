"""Long work (generating forms, ingesting many files, documents and PDFs) runs in background threads;
its page shows the progress and reloads itself until the work is done. Other requests are served
meanwhile. Two jobs that write take the folder's lock inside `Workspace`, as two commands do."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from toolkit import SkemaError

KEEP = 100  # finished jobs remembered (their result pages)


@dataclass
class Job:
    id: str
    kind: str  # which result template shows it
    title: str
    aar: int
    total: int = 0
    done: int = 0
    state: str = "venter"  # venter | kører | færdig | fejl
    error: str = ""
    result: Any = None
    started: float = field(default_factory=time.monotonic)
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def running(self) -> bool:
        return self.state in ("venter", "kører")

    def step(self, _item: Any = None) -> None:
        self.done += 1


class Jobs:
    def __init__(self, workers: int = 2):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="skema-web")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, kind: str, title: str, aar: int, work: Callable[[Job], Any], total: int = 0) -> Job:
        """Run `work(job)` in the background; it may set `job.total` and call `job.step()`."""
        job = Job(secrets.token_urlsafe(12), kind, title, aar, total)
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-KEEP]:
                if not self._jobs[old].running:
                    del self._jobs[old]
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: Job, work: Callable[[Job], Any]) -> None:
        job.state = "kører"
        try:
            job.result = work(job)
            job.state = "færdig"
        except SkemaError as exc:
            job.error, job.state = str(exc), "fejl"
        except Exception as exc:  # noqa: BLE001 - the page says what went wrong, as the CLI does
            job.error, job.state = f"Uventet fejl: {exc.__class__.__name__}: {exc}", "fejl"
        finally:
            job.finished.set()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
