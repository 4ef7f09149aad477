"""Benchmark: hearing letters and the DAS appendix at national scale (103 aftaleparter, 60 tilbud),
on a store filled with simulated årsrapporter and kommunale indmeldinger.

    python benchmarks/dokumenter.py
"""

from __future__ import annotations

import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from toolkit.consolidate.year import year_data
from toolkit.definitions import load_definitions
from toolkit.definitions.recipients import recipients
from toolkit.demo.simulate import Simulator, fill_form
from toolkit.documents.context import common
from toolkit.documents.produce import _write, write_bilag
from toolkit.forms.generate import generate_forms
from toolkit.returns.ingest import ingest
from toolkit.returns.read import read_return
from toolkit.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import national_stamdata  # noqa: E402

AAR = 2028


def main():
    sd, defs = national_stamdata(AAR), load_definitions()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        print("Forbereder data (ikke målt) …", flush=True)
        forms, _ = generate_forms(sd, AAR, d / "skemaer", ["aarsrapport", "kommune"])
        sim = Simulator(sd, 3)
        (d / "in").mkdir()
        for g in forms[:20] + [f for f in forms if f.skema == "aarsrapport"]:
            defn = defs[g.skema]
            m = next(r for r in recipients(defn, sd, AAR) if r.id == g.modtager_id)
            fill_form(g.path, sim.answers(defn, m, AAR), d / "in" / g.path.name)
        with Store(d / "w") as store:
            ingest([d / "in"], store, sd, defs, reader=read_return)
            t0 = time.perf_counter()
            _values, _statuses, figures = year_data(store, sd, defs, AAR)
            t_data = time.perf_counter() - t0
            base = {**common(sd, AAR, dt.date.today()), "frist": "1. juni 2028"}
            materiale = [
                {"navn": f.navn, "driftsherre": f.driftsherre, "aarsrapport": "modtaget", "kommuner": "20 af 98"}
                for f in figures
            ]
            per_letter = []
            t0 = time.perf_counter()
            for a in sd.aftaleparter:
                ctx = {
                    **base,
                    "modtager": {"navn": a.navn, "kontaktperson": a.kontaktperson, "email": a.email},
                    "materiale": materiale,
                }
                t = time.perf_counter()
                _write("hoeringsbrev.docx", lambda _t, c=ctx: c, d / "out" / f"{a.id}.docx", True)
                per_letter.append(time.perf_counter() - t)
            t_letters = time.perf_counter() - t0
            t0 = time.perf_counter()
            write_bilag(store, sd, defs, AAR, dt.date(AAR, 5, 20), d, overwrite=True)
            t_bilag = time.perf_counter() - t0
    print(f"Maskine: {platform.machine()}, Python {platform.python_version()}")
    print(
        f"høringsbrev: median {statistics.median(per_letter) * 1000:.1f} ms pr. brev, "
        f"{len(per_letter)} breve i alt {t_letters:.2f} s (nøgletal hentet én gang: {t_data:.2f} s)"
    )
    print(f"Bilag til DAS ({len(figures)} tilbud, {len(figures) + 1} grafer): {t_bilag:.2f} s")
    print(f"landssæt i alt (breve + bilag): {t_letters + t_bilag + t_data:.2f} s")


if __name__ == "__main__":
    main()
