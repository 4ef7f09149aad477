"""Render the bundled example's outputs to PNG pages for README (issue 13): the demo year in a
temporary folder, every output type printed to PDF by LibreOffice, chosen pages to PNG by
pdftoppm. Run from the project root: `.venv/bin/python docs/billeder/lav_billeder.py`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from toolkit.demo.run import run_demo

HERE = Path(__file__).resolve().parent
AAR = 2028
# (picture name, glob under output/<år>, pages to keep)
PICTURES = [
    ("skema_kommune", "skemaer/*_kommune_aalborg*.xlsx", [1, 3]),
    ("skema_indmelding", "skemaer/*_indmelding_aalborg*.xlsx", [3]),
    ("skema_aarsrapport", "skemaer/*_aarsrapport_center_for_tale*.xlsx", [2]),
    ("samlet", f"{AAR}_samlet.xlsx", [1, 2]),
    ("rykkerliste", f"{AAR}_rykkerliste.xlsx", [1]),
    ("hoeringsbrev", "hoering/*_hoeringsbrev_aalborg*.docx", [1]),
    ("hoeringsmateriale", "hoering/*_hoeringsmateriale.docx", [2]),
    ("rykkerbrev", "rykkere/*.docx", [1]),
    ("bilag_das", f"{AAR}_bilag_das_*.docx", [1, 2, 5]),
]


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        print("Kræver LibreOffice (soffice) og pdftoppm (poppler-utils).", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "demo"
        run_demo(work, AAR)
        out = next(p for p in work.rglob(str(AAR)) if p.is_dir() and (p / "skemaer").exists())
        sources = {name: next(out.glob(pattern)) for name, pattern, _pages in PICTURES}
        pdf_dir = Path(tmp) / "pdf"
        for name, src in sources.items():
            copy = Path(tmp) / "kilder" / f"{name}{src.suffix}"
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(src, copy)
            sources[name] = copy
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, sources.values())],
            check=True,
            capture_output=True,
        )
        for name, _pattern, pages in PICTURES:
            for page in pages:
                stem = HERE / f"{name}_s{page}"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-r",
                        "60",
                        "-png",
                        "-singlefile",
                        "-f",
                        str(page),
                        "-l",
                        str(page),
                        str(pdf_dir / f"{name}.pdf"),
                        str(stem),
                    ],
                    check=True,
                )
                print(stem.with_suffix(".png").relative_to(HERE.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
