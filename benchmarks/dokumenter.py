"""Benchmark: the hearing (letters to all 103 aftaleparter + the høringsmateriale) and the DAS appendix
at national scale, on a store filled with simulated årsrapporter for every tilbud and kommunale
indmeldinger from all 98 municipalities (the simulator's answers are normalised and stored as the
reader would store them, without the Excel round trip, which benchmarks/indlaes.py measures).
Runs the national stamdata at 60, 120 and 240 tilbud (1×, 2×, 4×) and reports wall-clock and CPU time
(time.process_time plus the worker processes for letters and charts) per part: on a busy machine the
CPU time is the steadier number. The documents' cost should grow linearly with the tilbud.

    python benchmarks/dokumenter.py            # 1×, 2×, 4×
    python benchmarks/dokumenter.py 1 2        # only 1× and 2×
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from toolkit.consolidate.year import year_data  # noqa: E402
from toolkit.definitions import load_definitions  # noqa: E402
from toolkit.definitions.expand import plan_form  # noqa: E402
from toolkit.definitions.recipients import recipients  # noqa: E402
from toolkit.demo.simulate import Simulator  # noqa: E402
from toolkit.documents.produce import write_bilag, write_hoering  # noqa: E402
from toolkit.returns.ingest import ingest_file  # noqa: E402
from toolkit.returns.normalize import normalize  # noqa: E402
from toolkit.returns.read import FieldValue, ReadResult  # noqa: E402
from toolkit.rules.cycle import activity_date  # noqa: E402
from toolkit.store import Store  # noqa: E402

from national import national_stamdata  # noqa: E402

AAR = 2028
BASE_TILBUD = 60


def _cpu() -> float:
    """This process (time.process_time) plus its finished children (the letter and chart workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Clock:
    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), _cpu()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), _cpu()
        out = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return out


def run(scale: int) -> dict:
    sd, defs = national_stamdata(AAR, BASE_TILBUD * scale), load_definitions()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        print(f"{scale}×: forbereder data for {len(sd.tilbud)} tilbud (ikke målt) …", flush=True)
        sim = Simulator(sd, 3)
        (d / "in").mkdir()
        answered = {}
        for skema in ("aarsrapport", "kommune"):  # every årsrapport and all 98 municipalities
            defn = defs[skema]
            for m in recipients(defn, sd, AAR):
                name = f"{AAR}_{skema}_{m.id}.xlsx"
                (d / "in" / name).write_text(name)  # a distinct file for the store's archive
                answered[name] = (defn, m, sim.answers(defn, m, AAR))

        def simulated_read(archived, sd, defs, name) -> ReadResult:
            defn, m, answers = answered[name]
            felts = {fi.key: fi.felt for fi in plan_form(defn, sd, m, AAR).fields()}
            values = [
                FieldValue(k, n.value, n.raw, "", "")
                for k, v in answers.items()
                for n in [normalize(felts[k], v)]
                if n.value is not None
            ]
            return ReadResult(archived, name, defn.skema, AAR, m, defn.version, values)

        model = defs.aarshjul
        frist, das = activity_date(sd, model, AAR, "hoering"), activity_date(sd, model, AAR, "das")
        today = activity_date(sd, model, AAR, "aarsrapport")
        with Store(d / "w") as store:
            for f in sorted((d / "in").iterdir()):
                ingest_file(f, store, sd, defs, simulated_read)
            n_values = len(year_data(store, sd, defs, AAR, today)[0])
            clock = Clock()
            hoering = write_hoering(store, sd, defs, AAR, frist, d / "out", overwrite=True, today=today)
            t_hoering = clock.lap()
            write_bilag(store, sd, defs, AAR, das, d / "out", overwrite=True, today=today)
            t_bilag = clock.lap()
    return {
        "scale": scale,
        "tilbud": len(sd.tilbud),
        "values": n_values,
        "files": len(hoering),
        "hoering": t_hoering,
        "bilag": t_bilag,
    }


def main(scales: list[int]):
    rows = [run(s) for s in scales]
    print(
        f"\nMaskine: {platform.machine()}, {os.cpu_count()} CPU'er, Python {platform.python_version()}, "
        f"belastning (1 min): {os.getloadavg()[0]:.1f}"
    )
    print(
        "Tider: væg-ur / CPU (time.process_time + afsluttede underprocesser: brev- og graf-arbejderne) i sekunder. "
        "Høring = breve til alle aftaleparter + høringsmateriale."
    )
    print(f"{'skala':>5} {'tilbud':>6} {'værdier':>8} {'høring':>15} {'bilag':>15} {'i alt':>15} {'CPU mod 1×':>10}")
    base = None
    for r in rows:
        total = (r["hoering"][0] + r["bilag"][0], r["hoering"][1] + r["bilag"][1])
        base = base or total[1]
        print(
            f"{r['scale']:>4}× {r['tilbud']:>6} {r['values']:>8} "
            f"{r['hoering'][0]:>6.2f} / {r['hoering'][1]:>6.2f} {r['bilag'][0]:>6.2f} / {r['bilag'][1]:>6.2f} "
            f"{total[0]:>6.2f} / {total[1]:>6.2f} {total[1] / base:>9.2f}×"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 2, 4])
