"""Benchmark at national scale (98 kommuner, 5 regioner, 60 tilbud with 4 ydelser; benchmarks/national.py):

1. the send-out: every form of the year (364), as `skema generer` writes them (2 worker processes),
   and in one process for comparison;
2. one kommune form (the largest): median time to plan and write it, in this process;
3. `skema samlet`: the consolidated workbook from a store holding the year's 261 returns
   (kommunale indmeldinger, årsrapporter, udmeldinger, simulated answers): time and peak memory.

    python benchmarks/generer.py [--gentag 3] [--uden-samlet]

Timings are wall-clock medians; CPU time is shown next to them, since a busy machine stretches
wall-clock time. Peak memory is what Python allocated during consolidation (tracemalloc, in a
separate run: tracing slows it down) and the process's peak resident size (getrusage).
"""

from __future__ import annotations

import argparse
import gc
import inspect
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from toolkit.definitions import load_definitions  # noqa: E402
from toolkit.definitions.expand import plan_form  # noqa: E402
from toolkit.forms.generate import generate_forms, planned_forms  # noqa: E402
from toolkit.forms.writer import write_form  # noqa: E402

from national import national_stamdata  # noqa: E402

AAR = 2028
# the benchmark's own process-wide setting, as a command-line entry would set it: the cycle
# collector runs rarely and never over the objects that exist before the work starts
from toolkit.workers import GC_THRESHOLDS  # noqa: E402 - as skema sets it


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def send_out(sd, out: Path, workers: int | None):
    kwargs = {"workers": workers} if "workers" in inspect.signature(generate_forms).parameters else {}
    c0, p0 = children_cpu(), time.process_time()
    t = time.perf_counter()
    results, _ = generate_forms(sd, AAR, out, overwrite=True, **kwargs)
    wall = time.perf_counter() - t
    cpu = time.process_time() - p0 + children_cpu() - c0
    return wall, cpu, results


def kommune_form(sd, out: Path, n: int):
    todo, _ = planned_forms(sd, AAR, ["kommune"])
    walls, cpus = [], []
    for defn, m in todo[:n]:
        p0, t = time.process_time(), time.perf_counter()
        plan = plan_form(defn, sd, m, AAR)
        write_form(plan, sd, out / f"{m.id}.xlsx", sd.frist(defn.skema, AAR))
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - p0)
    return statistics.median(walls), statistics.median(cpus), len(walls)


def samlet(sd, forms, d: Path, gentag: int):
    from toolkit.consolidate.year import consolidate
    from toolkit.definitions.recipients import recipients
    from toolkit.demo.simulate import Simulator, fill_form
    from toolkit.returns.ingest import ingest
    from toolkit.store import Store

    defs = load_definitions()
    sim = Simulator(sd, seed=1)
    inbox = d / "indbakke"
    inbox.mkdir()
    n = 0
    for g in forms:
        if g.skema in ("kommune", "aarsrapport", "udmelding"):
            defn = defs[g.skema]
            m = next(r for r in recipients(defn, sd, AAR) if r.id == g.modtager_id)
            fill_form(g.path, sim.answers(defn, m, AAR), inbox / g.path.name)
            n += 1
    walls, cpus = [], []
    with Store(d / "w") as store:
        ingest([inbox], store, sd, defs)
        for _ in range(gentag):
            p0, t = time.process_time(), time.perf_counter()
            path = consolidate(store, sd, defs, AAR, d / "w" / "samlet.xlsx")
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - p0)
        tracemalloc.start()
        consolidate(store, sd, defs, AAR, d / "w" / "samlet.xlsx")
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = _rss_in_child(lambda: consolidate(store, sd, defs, AAR, d / "w" / "samlet.xlsx"))
    rows = _table_rows(path)
    return n, statistics.median(walls), statistics.median(cpus), peak / 2**20, rss, rows


def _rss_in_child(work) -> tuple[float, float]:
    """(resident size when the child starts, its peak) in MiB: `work` runs in a forked child."""
    import multiprocessing as mp

    q = mp.get_context("fork").SimpleQueue()

    def child():
        start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        work()
        q.put((start / 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))

    p = mp.get_context("fork").Process(target=child)
    p.start()
    result = q.get()
    p.join()
    return result


def _table_rows(path: Path) -> int:
    """Rows of the largest sheet (its dimension)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        return max(
            int(m.group(1))
            for name in z.namelist()
            if name.startswith("xl/worksheets/sheet")
            for m in [re.search(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', z.read(name))]
            if m
        )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gentag", type=int, default=3)
    ap.add_argument("--uden-samlet", action="store_true")
    args = ap.parse_args()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    sd = national_stamdata(AAR)
    import toolkit

    print(
        f"Maskine: {cpu_model()}, {os.cpu_count()} kerner (nproc), Python {platform.python_version()}, "
        f"belastning før start {os.getloadavg()[0]:.1f}"
    )
    print(f"toolkit fra {Path(toolkit.__file__).parent}")
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        runs = [send_out(sd, d / "skemaer", None) for _ in range(args.gentag)]
        forms = runs[-1][2]
        wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        print(f"udsendelse, {len(forms)} skemaer (som 'skema generer'):  {wall:6.2f} s  (CPU i alt {cpu:.2f} s)")
        one = [send_out(sd, d / "skemaer1", 1) for _ in range(1)]
        print(f"udsendelse i én proces:                   {one[0][0]:6.2f} s  (CPU {one[0][1]:.2f} s)")
        kw, kc, kn = kommune_form(sd, d / "kommune", 98 if args.gentag > 1 else 30)
        print(f"kommune-skema, median af {kn}:             {kw * 1000:6.1f} ms (CPU {kc * 1000:.1f} ms)")
        if not args.uden_samlet:
            print("Udfylder og indlæser returneringer til 'skema samlet' (ikke målt) …", flush=True)
            n, sw, sc, peak, (rss0, rss1), rows = samlet(sd, forms, d, args.gentag)
            print(f"skema samlet ({n} returneringer; største ark {rows} rækker):")
            print(
                f"    {sw:6.2f} s (CPU {sc:.2f} s); højst {peak:.0f} MiB allokeret af Python undervejs "
                f"(tracemalloc); proces: {rss0:.0f} MiB før, højst {rss1:.0f} MiB RSS (+{rss1 - rss0:.0f} MiB)"
            )


if __name__ == "__main__":
    main()
