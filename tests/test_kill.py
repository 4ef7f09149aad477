"""A killed run leaves nothing behind: `kill -9` of the main process of `skema indlaes` (not its
process group) at several points of a 40-file ingest leaves no reader process alive and no blocked
folder, and the next run stores exactly what a clean run stores (issue 11, item 9)."""

import os
import select
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from test_hostile import _snapshot, skema

from conftest import EVEN_YEAR
from fill import answered_copy

# The main process kills itself (only itself) right after the n-th file is recorded.
KILL_SELF_AT = """
import os, signal, sys
import toolkit.store.db as db
n = int(sys.argv[1])
calls = 0
original = db.Store.record
def counting(*args, **kwargs):
    global calls
    out = original(*args, **kwargs)
    calls += 1
    if calls == n:
        os.kill(os.getpid(), signal.SIGKILL)
    return out
db.Store.record = counting
from toolkit.cli import main
sys.argv = ["skema", *sys.argv[2:]]
main()
"""


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue  # gone, or a zombie
    return found


def _wait_gone(pid: int, seconds: float = 10.0) -> bool:
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], seconds)[0])  # readable once the process has exited
    finally:
        os.close(fd)


def _inbox(forms_dir: Path, tmp_path: Path, sd, defs, n: int = 40) -> Path:
    inbox = tmp_path / "indbakke"
    inbox.mkdir()
    for src in sorted(forms_dir.glob("*.xlsx"))[:n]:
        answered_copy(src, inbox / src.name, sd, defs, EVEN_YEAR)
    assert len(list(inbox.iterdir())) == n
    return inbox


def test_kill_9_of_the_main_process_leaves_no_reader_and_no_blocked_folder(forms_dir, tmp_path, sd, defs):
    inbox = _inbox(forms_dir, tmp_path, sd, defs)
    clean = tmp_path / "ren"
    assert skema("indlaes", inbox, "--mappe", clean, limit=False).returncode in (0, 1)
    crashed = tmp_path / "afbrudt"
    for n in (1, 10, 15):  # counted from where the last killed run stopped: files 1, 11 and 26
        marker = f"SKEMA_KILLTEST={uuid.uuid4().hex}"
        key, value = marker.split("=")
        proc = subprocess.run(
            [sys.executable, "-c", KILL_SELF_AT, str(n), "indlaes", str(inbox), "--mappe", str(crashed)],
            capture_output=True,
            text=True,
            timeout=180,
            env={**os.environ, key: value},
        )
        assert proc.returncode == -signal.SIGKILL, (n, proc.returncode, proc.stderr[-500:])
        left = [pid for pid in _processes_with(marker) if not _wait_gone(pid)]
        assert left == [], f"reader processes still alive after kill -9 at file {n}: {left}"
    rerun = skema("indlaes", inbox, "--mappe", crashed, limit=False, timeout=180)
    assert rerun.returncode in (0, 1) and "arbejder i mappen" not in rerun.stdout  # the folder was not blocked
    assert _snapshot(crashed) == _snapshot(clean)
