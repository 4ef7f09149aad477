"""Benchmark: the store's share of ingesting one returned file — `admit` (hash, look up, archive
copy) and `record` (one transaction: the submission, its values, its issues) — against a bare
python-calamine read of the same file. The files are read once (not measured); then, per
repetition, every file is admitted into and recorded in a fresh store in this process, as
`skema indlaes` does it in its main process. CPU time (time.process_time) per file, median of the
repetitions, because the machine may be shared; wall-clock too. Of admit, the archive copy is also
shown alone ("heraf arkiv": making the temporary file, writing, renaming): creating a file costs
what the file system asks, and on a busy machine that varies more than anything else here.

    python benchmarks/lager.py [--gentag 3] [--indbakke DIR]

`--indbakke DIR`: the filled returns (e.g. made by benchmarks/indlaes.py --indbakke DIR); without
it they are made first (minutes, not measured)."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from toolkit.definitions import load_definitions
from toolkit.returns.ingest import _record
from toolkit.returns.read import read_return
from toolkit.returns.saved import saved_time
from toolkit.store import Store
from toolkit.store.receive import Admitted, admit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from indlaes import AAR, arguments, bare_read, inbox_files  # noqa: E402

from national import national_stamdata  # noqa: E402


def form_type(f: Path) -> str:
    name = f.name.removeprefix(f"{AAR}_")
    return name.split("_", 1)[0]


def main():
    args = arguments()
    sd, defs = national_stamdata(AAR), load_definitions()
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        files = inbox_files(args.indbakke, sd, defs, d)
        results = {f: read_return(f, sd, defs, f.name) for f in files}  # not measured
        mtimes = {f: f.stat().st_mtime for f in files}
        bare: dict[Path, list[float]] = {f: [] for f in files}
        adm: dict[Path, list[float]] = {f: [] for f in files}
        rec: dict[Path, list[float]] = {f: [] for f in files}
        arc: dict[Path, list[float]] = {f: [] for f in files}
        wall: list[float] = []
        for i in range(args.gentag):
            for f in files:
                c = time.process_time()
                bare_read(f)
                bare[f].append(time.process_time() - c)
            with Store(d / f"s{i}") as store:
                archive, spent = store.archive, [0.0]

                def timed_archive(*a, archive=archive, spent=spent):
                    c = time.process_time()
                    try:
                        return archive(*a)
                    finally:
                        spent[0] += time.process_time() - c

                store.archive = timed_archive  # type: ignore[method-assign]
                t = time.perf_counter()
                for f in files:
                    res = results[f]
                    spent[0] = 0.0
                    c = time.process_time()
                    got = admit(store, f)
                    c2 = time.process_time()
                    assert isinstance(got, Admitted), got
                    _record(store, got, saved_time(res.saved, mtimes[f]), res)  # as `skema indlaes` records
                    c3 = time.process_time()
                    adm[f].append(c2 - c)
                    arc[f].append(spent[0])
                    rec[f].append(c3 - c2)
                wall.append(time.perf_counter() - t)
                stored = store.con.execute("SELECT count(*) FROM vals").fetchone()[0]
    med = statistics.median

    def ms(d: dict[Path, list[float]], of: list[Path]) -> float:
        return sum(med(d[f]) for f in of) / len(of) * 1000

    n = len(files)
    print(
        f"Maskine: {platform.machine()}, {platform.processor() or '?'}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} kerner; {n} filer, {stored} værdier, "
        f"{args.gentag} gentagelser (median pr. fil); load {load_start:.1f} ved start, "
        f"{os.getloadavg()[0]:.1f} ved slut"
    )
    print("CPU pr. fil (gennemsnit af medianer), ms:")
    print(
        f"  {'':14} {'filer':>5} {'værdier':>8} {'bar læsning':>12} {'admit':>7} {'heraf arkiv':>12} {'record':>7} "
        f"{'faktor':>7}"
    )
    groups = {"alle": files} | {
        t: [f for f in files if form_type(f) == t] for t in sorted({form_type(f) for f in files})
    }
    for name, of in groups.items():
        b, a, k, r = ms(bare, of), ms(adm, of), ms(arc, of), ms(rec, of)
        vals = sum(len(results[f].values) for f in of) / len(of)
        print(f"  {name:14} {len(of):5} {vals:8.0f} {b:12.2f} {a:7.2f} {k:12.2f} {r:7.2f} {(a + r) / b:7.2f}")
    print(f"væg for admit + record af alle {n} filer: {med(wall):.2f} s (median)")


if __name__ == "__main__":
    main()
