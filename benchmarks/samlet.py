"""Benchmark: the consolidated overview `<år>_samlet.xlsx` of the national set (98 kommunale
indmeldinger, 60 årsrapporter and 103 udmeldinger: 261 files), as `consolidate()` writes it after an
ingest. The returns are ingested once (not measured) into a store in a temporary folder; then the
overview is written `--gentag` times and the median CPU and wall-clock times are printed, with the
CPU of its parts (reading the store, the form tables, the whole). The machine may be shared: the CPU
times are the steadier numbers, and the load average is printed with them.

    python benchmarks/samlet.py [--gentag 3] [--indbakke DIR]

`--indbakke DIR`: the filled returns (made with benchmarks/indlaes.py --indbakke DIR); without it
they are made first (takes minutes, not measured)."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from toolkit.consolidate.tables import form_table
from toolkit.consolidate.year import consolidate, year_data
from toolkit.definitions import load_definitions
from toolkit.fieldkeys import FORMS
from toolkit.returns.ingest import ingest_file
from toolkit.returns.read import read_return
from toolkit.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from indlaes import arguments, inbox_files  # noqa: E402

from national import national_stamdata  # noqa: E402

AAR = 2028


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        text = Path("/proc/cpuinfo").read_text()
        model = next((line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("model name")), "")
    return (
        f"{platform.machine()} {model}".strip()
        + f", {os.cpu_count()} kerner, Python {platform.python_version()}, xlsxwriter {xlsxwriter.__version__}"
    )


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main():
    args = arguments()
    sd, defs = national_stamdata(AAR), load_definitions()
    print(f"Maskine: {machine()}; load før {load()}")
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        files = inbox_files(args.indbakke, sd, defs, d)
        with Store(d / "lager") as store:
            for f in files:
                ingest_file(f, store, sd, defs, read_return)
            walls, cpus, data_cpu, table_cpu = [], [], [], []
            for i in range(args.gentag):
                target = d / f"{AAR}_samlet_{i}.xlsx"
                t, c = time.perf_counter(), time.process_time()
                consolidate(store, sd, defs, AAR, target)
                walls.append(time.perf_counter() - t)
                cpus.append(time.process_time() - c)
                c = time.process_time()
                values, _statuses, _figures = year_data(store, sd, defs, AAR)
                data_cpu.append(time.process_time() - c)
                c = time.process_time()
                for skema in FORMS:
                    if defs[skema].modtager != "sekretariat":
                        form_table(defs[skema], sd, AAR, [v for v in values if v.skema == skema])
                table_cpu.append(time.process_time() - c)
            wb = CalamineWorkbook.from_path(str(target))
            sheets = {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}
            wb.close()
            cells = sum(1 for rows in sheets.values() for row in rows for v in row if v != "")
            size = target.stat().st_size
    med = statistics.median
    print(
        f"{len(files)} filer, {len(values)} værdier; overblikket: {len(sheets)} ark, {cells} udfyldte celler, "
        f"{size / 1e6:.1f} MB; {args.gentag} gentagelser (medianer); load efter {load()}"
    )
    print(f"samlet overblik (consolidate):    {med(walls):5.2f} s væg, CPU {med(cpus):.2f} s")
    print(f"  heraf årets data (year_data):   CPU {med(data_cpu):.2f} s")
    print(f"  heraf tabellerne (form_table):  CPU {med(table_cpu):.2f} s")
    print(f"  resten (skrivning af arkene):   CPU {med(cpus) - med(data_cpu) - med(table_cpu):.2f} s")


if __name__ == "__main__":
    main()
