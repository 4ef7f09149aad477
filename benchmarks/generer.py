"""Benchmark: generate every form for a national-scale stamdata and compare with xlsxwriter alone
writing the same cells (same values, no layout, validation, names or protection) in the same run.

    python benchmarks/generer.py [--gentag 3]
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import national_stamdata  # noqa: E402

from toolkit.forms.generate import form_filename, planned_forms  # noqa: E402
from toolkit.definitions.expand import plan_form  # noqa: E402
from toolkit.forms.writer import write_form  # noqa: E402


def same_cells(path):
    """Every cell record of a generated workbook: its value, or None for a styled blank cell."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [[(c.row - 1, c.column - 1, c.value) for c in row
                          if c.value is not None or getattr(c, "style_id", 0)] for row in ws.iter_rows()]
    wb.close()
    return out


def bare(cells, path):
    """xlsxwriter alone writing the same cells (values, one format for the styled blanks), with no
    layout logic, validation, highlighting, names, print setup or protection."""
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    fmt = wb.add_format({"border": 1})
    for name, rows in cells.items():
        ws = wb.add_worksheet(name)
        for row in rows:
            for r, c, v in row:
                if v is None:
                    ws.write_blank(r, c, None, fmt)
                else:
                    ws.write(r, c, v)
    wb.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gentag", type=int, default=3)
    args = ap.parse_args()
    sd = national_stamdata()
    todo, _ = planned_forms(sd, 2028)
    per_form: dict[str, list[float]] = {}
    per_bare: dict[str, list[float]] = {}
    totals, bare_totals = [], []
    with tempfile.TemporaryDirectory() as d:
        for _ in range(args.gentag):
            t_all = b_all = 0.0
            for defn, m in todo:
                t = time.perf_counter()
                plan = plan_form(defn, sd, m, 2028)
                path = Path(d) / form_filename(2028, defn.skema, m.filnavn)
                write_form(plan, sd, path, sd.frist(defn.skema, 2028))
                el = time.perf_counter() - t
                cells = same_cells(path)
                per_form.setdefault(defn.skema, []).append(el)
                t_all += el
                t = time.perf_counter()
                bare(cells, Path(d) / "bare.xlsx")
                el = time.perf_counter() - t
                per_bare.setdefault(defn.skema, []).append(el)
                b_all += el
            totals.append(t_all)
            bare_totals.append(b_all)
    print(f"Maskine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{len(todo)} skemaer, {args.gentag} gentagelser")
    print(f"{'skema':<12} {'antal':>6} {'median ms':>10} {'bar xlsxwriter ms':>18} {'faktor':>7}")
    for skema, times in per_form.items():
        n = len(times) // args.gentag
        med, bmed = statistics.median(times) * 1000, statistics.median(per_bare[skema]) * 1000
        print(f"{skema:<12} {n:>6} {med:>10.1f} {bmed:>18.1f} {med / bmed:>7.2f}")
    tot, btot = statistics.median(totals), statistics.median(bare_totals)
    print(f"{'i alt':<12} {len(todo):>6} {tot:>9.2f}s {btot:>17.2f}s {tot / btot:>7.2f}")


if __name__ == "__main__":
    main()
