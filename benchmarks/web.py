"""Benchmark: the response time of each page of `skema web` with the national example loaded (98
kommuner + 5 regioner, 60 tilbud, a year of returns: 261 filled forms ingested). Goal: under 200 ms
at the 95th percentile. The server runs as `skema web` does (uvicorn, one process); requests go one
at a time over HTTP from this process.

    python benchmarks/web.py [--gentag 30] [--mappe M]   (--mappe: reuse a folder built before)
"""

from __future__ import annotations

import argparse
import http.client
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

from toolkit import Workspace, load_definitions, write_stamdata
from toolkit.definitions.recipients import recipients
from toolkit.demo.simulate import Simulator, fill_form
from toolkit.web import Settings, create_app
from toolkit.web.server import bind

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import national_stamdata  # noqa: E402

AAR = 2028


def build(folder: Path) -> None:
    """The national example as a working folder: stamdata, this year's forms and their returns."""
    sd = national_stamdata(AAR)
    folder.mkdir(parents=True, exist_ok=True)
    write_stamdata(sd, folder / "stamdata.xlsx")
    ws = Workspace(folder)
    print("Danner, udfylder og indlæser skemaer (ikke målt) …", flush=True)
    results, _, _ = ws.generate(AAR, ["kommune", "aarsrapport", "udmelding"])
    defs, sim = load_definitions(), Simulator(sd, seed=1)
    inbox = folder.parent / "indbakke"
    inbox.mkdir(exist_ok=True)
    for g in results:
        m = next(r for r in recipients(defs[g.skema], sd, AAR) if r.id == g.modtager_id)
        fill_form(g.path, sim.answers(defs[g.skema], m, AAR), inbox / g.path.name)
    report, _ = ws.ingest([inbox])
    print(f"{len(report.items)} filer indlæst.", flush=True)


def get(port: int, path: str) -> float:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t = time.perf_counter()
    con.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
    resp = con.getresponse()
    resp.read()
    elapsed = time.perf_counter() - t
    con.close()
    if resp.status != 200:
        raise SystemExit(f"{path}: HTTP {resp.status}")
    return elapsed


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[18] if len(xs) > 1 else xs[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gentag", type=int, default=30)
    ap.add_argument("--mappe", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        folder = args.mappe or Path(d) / "mappe"
        if not (folder / "skema.sqlite").exists():
            build(folder)
        ws = Workspace(folder)
        kommune = "K000"
        pages = {
            "Årshjul": f"/?aar={AAR}",
            "Skemaer": f"/skemaer?aar={AAR}",
            "Indlæs": f"/indlaes?aar={AAR}",
            "Status": f"/status?aar={AAR}",
            "Respondent (kommune)": f"/respondent/{kommune}?aar={AAR}",
            "Respondent (tilbud)": f"/respondent/T00?aar={AAR}",
            "Dokumenter": f"/dokumenter?aar={AAR}",
        }
        sock = bind("127.0.0.1", 0)
        port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(ws, Settings(port=port)), log_level="warning", lifespan="off")
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            # the first request of each page: the stamdata and definitions load (once), the year's
            # values are read from the store (again after every change)
            first = {name: get(port, path) for name, path in pages.items()}
            times = {name: [get(port, path) for _ in range(args.gentag)] for name, path in pages.items()}
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            sock.close()
    print(f"Maskine: {platform.machine()}, Python {platform.python_version()}, {args.gentag} forespørgsler pr. side")
    print(f"{'side':<24}{'første':>10}{'median':>10}{'p95':>10}{'maks':>10}")
    for name, xs in times.items():
        flag = "" if p95(xs) < 0.2 else "  over 200 ms"
        cols = [first[name], statistics.median(xs), p95(xs), max(xs)]
        print(f"{name:<24}" + "".join(f"{x * 1000:>7.0f} ms" for x in cols) + flag)


if __name__ == "__main__":
    main()
