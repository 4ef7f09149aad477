"""Benchmark: ingest the national-scale set of returns (98 kommunale indmeldinger, 60 årsrapporter
and 103 udmeldinger: 261 files) and write the consolidated overview; compare with python-calamine
reading the same files' values bare (every sheet, to_python), in the same run. Reports, per file,
the bare read, the ingest (hash, archive, guard, read, validate, store; in this process, right
after the file's bare read so that both meet the same load) and their ratio, wall and CPU, also by
form; and the national set as `skema indlaes` runs it (2 isolated reader processes) with its
overview, wall-clock and CPU time (this process and its reader processes). The machine may be
shared: the CPU times are the steadier numbers. Also the ingest's CPU by stage, as a multiple of
the bare read: the guard alone, the guard and opening (calamine, `_skema`, names, flags), the whole
read (identify, plan, values, normalise), and the ingest (hash, archive, store besides). Runs with
the GC thresholds `skema` sets at its entry (`--standard-gc`: Python's own).

    python benchmarks/indlaes.py [--gentag 3] [--indbakke DIR] [--standard-gc]

`--indbakke DIR`: use (and on the first run, fill) DIR with the filled returns instead of making
them again (making them takes minutes)."""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from toolkit.consolidate.year import consolidate
from toolkit.definitions import load_definitions
from toolkit.definitions.recipients import recipients
from toolkit.demo.simulate import Simulator, fill_form
from toolkit.forms.generate import generate_forms
from toolkit.returns.guards import check_package
from toolkit.returns.ingest import ingest, ingest_file
from toolkit.returns.read import read_return
from toolkit.returns.reader import open_workbook
from toolkit.store import Store
from toolkit.workers import GC_THRESHOLDS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import national_stamdata  # noqa: E402

AAR = 2028


def bare_read(path: Path):
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()


def guard(path: Path):
    _refusal, _warnings, package = check_package(path)
    if package is not None:
        package.close()


def guard_and_open(path: Path):
    _refusal, _warnings, package = check_package(path)
    if package is not None:
        open_workbook(path, package).close()
        package.close()


def make_returns(sd, defs, work: Path, inbox: Path) -> list[Path]:
    sim = Simulator(sd, seed=1)
    forms, _ = generate_forms(sd, AAR, work / "skemaer", ["kommune", "aarsrapport", "udmelding"])
    inbox.mkdir(parents=True, exist_ok=True)
    files = []
    for g in forms:
        defn = defs[g.skema]
        m = next(r for r in recipients(defn, sd, AAR) if r.id == g.modtager_id)
        files.append(fill_form(g.path, sim.answers(defn, m, AAR), inbox / g.path.name))
    return files


def arguments() -> argparse.Namespace:
    """The options the read-back benchmarks share; sets the GC thresholds as `skema` does."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--gentag", type=int, default=3)
    ap.add_argument("--indbakke", type=Path, default=None)
    ap.add_argument("--standard-gc", action="store_true", help="Pythons egne GC-tærskler i stedet for skemas")
    args = ap.parse_args()
    if not args.standard_gc:
        gc.set_threshold(*GC_THRESHOLDS)  # as `skema` sets it at its entry (cli.common.main)
    return args


def inbox_files(indbakke: Path | None, sd, defs, work: Path) -> list[Path]:
    """The filled returns in `indbakke` (made there, or in `work`, when there are none yet)."""
    inbox = indbakke or work / "indbakke"
    files = sorted(inbox.glob("*.xlsx")) if inbox.is_dir() else []
    if not files:
        print("Danner og udfylder skemaer (ikke målt) …", flush=True)
        files = make_returns(sd, defs, work, inbox)
    return files


def _form_type(f: Path) -> str:
    """'2028_kommune_Aalborg.xlsx' -> 'kommune'."""
    parts = f.stem.split("_")
    return parts[1] if len(parts) > 2 else "?"


def cpu() -> float:
    """CPU seconds (user + system) of this process and of its finished child processes."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main():
    args = arguments()
    sd, defs = national_stamdata(AAR), load_definitions()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        inbox = args.indbakke or d / "indbakke"
        files = inbox_files(args.indbakke, sd, defs, d)
        bare_ms: dict[Path, list[float]] = {f: [] for f in files}
        ingest_ms: dict[Path, list[float]] = {f: [] for f in files}
        bare_cpu_ms: dict[Path, list[float]] = {f: [] for f in files}
        ingest_cpu_ms: dict[Path, list[float]] = {f: [] for f in files}
        bare_cpu, ingest_cpu, real_wall, real_cpu, cons_wall, cons_cpu = [], [], [], [], [], []
        stage_cpu: dict[str, list[float]] = {"vagt": [], "vagt + åbning": [], "læsning": []}
        for i in range(args.gentag):
            for stage, step in zip(stage_cpu, (guard, guard_and_open, lambda f: read_return(f, sd, defs)), strict=True):
                c = time.process_time()
                for f in files:
                    step(f)
                stage_cpu[stage].append(time.process_time() - c)
            # each file's bare read and ingest back to back, so that both meet the same load
            b_cpu = i_cpu = 0.0
            with Store(d / f"w{i}") as store:
                for f in files:
                    t, c = time.perf_counter(), time.process_time()
                    bare_read(f)
                    t2, c2 = time.perf_counter(), time.process_time()
                    ingest_file(f, store, sd, defs, read_return)
                    t3, c3 = time.perf_counter(), time.process_time()
                    bare_ms[f].append((t2 - t) * 1000)
                    ingest_ms[f].append((t3 - t2) * 1000)
                    bare_cpu_ms[f].append((c2 - c) * 1000)
                    ingest_cpu_ms[f].append((c3 - c2) * 1000)
                    b_cpu += c2 - c
                    i_cpu += c3 - c2
            bare_cpu.append(b_cpu)
            ingest_cpu.append(i_cpu)
            with Store(d / f"r{i}") as store:  # as `skema indlaes` runs it: isolated, 2 worker processes
                t, c = time.perf_counter(), cpu()
                ingest([inbox], store, sd, defs)
                real_wall.append(time.perf_counter() - t)
                for worker in multiprocessing.active_children():  # reaped, so that their CPU is counted here
                    worker.join()
                real_cpu.append(cpu() - c)
                t, c = time.perf_counter(), cpu()
                consolidate(store, sd, defs, AAR, d / f"r{i}" / "samlet.xlsx")
                cons_wall.append(time.perf_counter() - t)
                cons_cpu.append(cpu() - c)
    n = len(files)
    med = statistics.median
    bare_f = {f: med(v) for f, v in bare_ms.items()}
    ing_f = {f: med(v) for f, v in ingest_ms.items()}
    ratios = [ing_f[f] / bare_f[f] for f in files]
    cpu_ratios = [med(ingest_cpu_ms[f]) / med(bare_cpu_ms[f]) for f in files]
    print(
        f"Maskine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} kerner; {n} filer, "
        f"{args.gentag} gentagelser (medianer); load {os.getloadavg()[0]:.1f} ved slut"
    )
    print(
        f"bar calamine-læsning pr. fil:     {med(bare_f.values()):6.2f} ms (i alt {sum(bare_f.values()) / 1000:.2f} s, "
        f"CPU {med(bare_cpu):.2f} s)"
    )
    print(
        f"indlæsning pr. fil (én proces):   {med(ing_f.values()):6.2f} ms (i alt {sum(ing_f.values()) / 1000:.2f} s, "
        f"CPU {med(ingest_cpu):.2f} s)"
    )
    print(
        f"faktor pr. fil (median):          {med(ratios):6.2f}   "
        f"(i alt {sum(ing_f.values()) / sum(bare_f.values()):.2f}, "
        f"CPU {med(ingest_cpu) / med(bare_cpu):.2f})"
    )
    print(f"faktor pr. fil, CPU (median):     {med(cpu_ratios):6.2f}")
    by_form: dict[str, list[tuple[float, float]]] = {}
    for f, r, rc in zip(files, ratios, cpu_ratios, strict=True):
        by_form.setdefault(_form_type(f), []).append((r, rc))
    print(
        "faktor pr. fil efter skema (median væg / CPU): "
        + ", ".join(
            f"{k} {med(x for x, _ in v):.2f} / {med(y for _, y in v):.2f} ({len(v)} filer)"
            for k, v in sorted(by_form.items())
        )
    )
    print(
        "CPU pr. trin i forhold til bar læsning: "
        + ", ".join(f"{stage} {med(v) / med(bare_cpu):.2f}" for stage, v in stage_cpu.items())
        + f", indlæsning {med(ingest_cpu) / med(bare_cpu):.2f}"
    )
    rw, rc, cw, cc = med(real_wall), med(real_cpu), med(cons_wall), med(cons_cpu)
    print(f"'skema indlaes' (2 læseprocesser): {rw:6.2f} s væg, CPU {rc:.2f} s")
    print(f"samlet overblik:                  {cw:6.2f} s væg, CPU {cc:.2f} s")
    print(f"indlæsning + samlet overblik:     {rw + cw:6.2f} s væg, CPU {rc + cc:.2f} s")
    # the "marginal cost of one more form" counts the overview too: it grows with every form's cells
    per_file = cc / n * 1000
    print(
        f"overblikkets CPU pr. fil:          {per_file:6.2f} ms ({per_file / (med(bare_cpu) / n * 1000):.2f} × bar "
        f"læsning); indlæsning + overblik pr. fil i forhold til bar læsning (CPU): "
        f"{(med(ingest_cpu) + cc) / med(bare_cpu):.2f}"
    )


if __name__ == "__main__":
    main()
