"""Benchmark: ingest the national-scale set of returns (98 kommunale indmeldinger, 60 årsrapporter
and 103 udmeldinger: 261 files) and consolidate; compare with python-calamine reading the same files'
values bare (every sheet, to_python), in the same run.

    python benchmarks/indlaes.py [--gentag 3]
"""

from __future__ import annotations

import argparse
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
from toolkit.returns.ingest import ingest, ingest_file
from toolkit.returns.read import read_return
from toolkit.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import national_stamdata  # noqa: E402

AAR = 2028


def bare_read(path: Path):
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gentag", type=int, default=3)
    args = ap.parse_args()
    sd, defs = national_stamdata(AAR), load_definitions()
    sim = Simulator(sd, seed=1)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        print("Danner og udfylder skemaer (ikke målt) …", flush=True)
        forms, _ = generate_forms(sd, AAR, d / "skemaer", ["kommune", "aarsrapport", "udmelding"])
        inbox = d / "indbakke"
        inbox.mkdir()
        files = []
        for g in forms:
            defn = defs[g.skema]
            m = next(r for r in recipients(defn, sd, AAR) if r.id == g.modtager_id)
            files.append(fill_form(g.path, sim.answers(defn, m, AAR), inbox / g.path.name))
        runs, bare_runs, cons_runs, per_file, real_runs = [], [], [], [], []
        for i in range(args.gentag):
            t = time.perf_counter()
            for f in files:
                bare_read(f)
            bare_runs.append(time.perf_counter() - t)
            with Store(d / f"w{i}") as store:
                t = time.perf_counter()
                for f in files:
                    t1 = time.perf_counter()
                    ingest_file(f, store, sd, defs, read_return)
                    per_file.append(time.perf_counter() - t1)
                runs.append(time.perf_counter() - t)
                t = time.perf_counter()
                consolidate(store, sd, defs, AAR, d / f"w{i}" / "samlet.xlsx")
                cons_runs.append(time.perf_counter() - t)
            with Store(d / f"r{i}") as store:  # as `skema indlaes` runs it: isolated, 2 worker processes
                t = time.perf_counter()
                ingest([inbox], store, sd, defs)
                real_runs.append(time.perf_counter() - t)
    n = len(files)
    ing, bare, cons = statistics.median(runs), statistics.median(bare_runs), statistics.median(cons_runs)
    print(f"Maskine: {platform.machine()}, {platform.python_version()}, {n} filer, {args.gentag} gentagelser")
    print(
        f"indlæsning i én proces (identificér, læs, normalisér, validér, gem): {ing:.2f} s "
        f"(median pr. fil {statistics.median(per_file) * 1000:.1f} ms)"
    )
    print(
        f"calamine bar læsning af samme filer:                         {bare:.2f} s "
        f"(pr. fil {bare / n * 1000:.1f} ms)  faktor {ing / bare:.2f}"
    )
    real = statistics.median(real_runs)
    print(f"indlæsning som 'skema indlaes' (2 isolerede arbejdsprocesser):  {real:.2f} s  faktor {real / bare:.2f}")
    print(f"samlet overblik:                                              {cons:.2f} s")
    print(f"indlæsning ('skema indlaes') + samlet overblik:               {real + cons:.2f} s")


if __name__ == "__main__":
    main()
