"""Commands that write Word documents: hoering, rykker, bilag, skabeloner tjek."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from toolkit.cli.common import (AarOpt, MappeOpt, OverskrivOpt, SkabelonOpt, StamdataOpt, app, console,
                                with_store)
from toolkit.cli.dansk import DanskTyper
from toolkit.danish import parse_dato
from toolkit.problems import UsageError

PdfOpt = Annotated[bool, typer.Option("--pdf", help="Lav også PDF-filer (kræver LibreOffice).")]
TemplatesOpt = Annotated[Optional[Path], typer.Option(
    "--skabeloner", help="Mappe med Word-skabeloner (standard: ./skabeloner, ellers de indbyggede).")]

skabeloner_app = DanskTyper(help="Word-skabelonerne.", no_args_is_help=True)
app.add_typer(skabeloner_app, name="skabeloner")


def dato(text: str, what: str) -> dt.date:
    d = parse_dato(text)
    if d is None:
        raise UsageError(f"{what} '{text}' er ikke en dato. Skriv fx 2027-05-01 eller 1.5.2027.")
    return d


def _report(written, pdf: bool, title: str) -> None:
    from toolkit.documents.pdf import convert

    table = Table(title=title)
    table.add_column("Fil", overflow="fold")
    table.add_column("Status")
    for w in written:
        table.add_row(str(w.path), w.status if w.status == "skrevet" else f"[yellow]{w.status}[/yellow]")
    console.print(table)
    kept = sum(w.status != "skrevet" for w in written)
    if kept:
        console.print(f"{kept} fandtes allerede og er ikke overskrevet (brug --overskriv).")
    if pdf:
        new = [w.path for w in written if w.status == "skrevet"]
        by_dir: dict[Path, list[Path]] = {}
        for p in new:
            by_dir.setdefault(p.parent, []).append(p)
        for d, paths in by_dir.items():
            convert(paths, "pdf", d)
        console.print(f"{len(new)} PDF-filer skrevet.")


@app.command("hoering")
def hoering_cmd(
    frist: Annotated[str, typer.Option("--frist", help="Frist for høringssvar, fx 2028-06-01 eller 1.6.2028.")],
    aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None, skemaer: SkabelonOpt = None,
    skabeloner: TemplatesOpt = None, overskriv: OverskrivOpt = False, pdf: PdfOpt = False,
):
    """Skriv høringsbreve til alle aftaleparter og et samlet høringsmateriale (Word)."""
    from toolkit.documents.produce import write_hoering

    f = dato(frist, "Fristen")
    y, _sd, written = with_store(aar, mappe, stamdata, skemaer, lambda store, y, sd, defs: write_hoering(
        store, sd, defs, y, f, mappe, overskriv, templates=skabeloner))
    _report(written, pdf, f"Høring {y}")


@app.command("rykker")
def rykker_cmd(aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None,
               skemaer: SkabelonOpt = None, skabeloner: TemplatesOpt = None, overskriv: OverskrivOpt = False,
               pdf: PdfOpt = False):
    """Skriv en kort påmindelse til hver respondent, der mangler at svare (Word)."""
    from toolkit.documents.produce import write_rykkere

    y, _sd, written = with_store(aar, mappe, stamdata, skemaer, lambda store, y, sd, defs: write_rykkere(
        store, sd, defs, y, mappe, overskriv, templates=skabeloner))
    if not written:
        console.print("Ingen mangler – der er ikke noget at rykke for.")
        return
    _report(written, pdf, f"Rykkere {y}")


@app.command("bilag")
def bilag_cmd(
    moede: Annotated[str, typer.Option("--moede", help="Mødedato for DAS, fx 2028-05-20 eller 20.5.2028.")],
    aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None, skemaer: SkabelonOpt = None,
    skabeloner: TemplatesOpt = None, overskriv: OverskrivOpt = False, pdf: PdfOpt = False,
):
    """Skriv det samlede 'Bilag til DAS' med indholdsfortegnelse, status pr. tilbud, indmeldinger og udmeldinger."""
    from toolkit.documents.produce import write_bilag

    m = dato(moede, "Mødedatoen")
    _y, _sd, written = with_store(aar, mappe, stamdata, skemaer, lambda store, y, sd, defs: write_bilag(
        store, sd, defs, y, m, mappe, overskriv, templates=skabeloner))
    _report([written], pdf, f"Bilag til DAS {m.isoformat()}")


@skabeloner_app.command("tjek")
def skabeloner_tjek_cmd(skabeloner: TemplatesOpt = None):
    """Vis de felter i Word-skabelonerne, som værktøjet ikke kender."""
    import sys

    from toolkit.documents.render import check_templates

    problems = check_templates(skabeloner)
    for name, unknown in problems.items():
        if unknown:
            console.print(f"[red]{name}[/red]: ukendte felter: {', '.join(unknown)}")
        else:
            console.print(f"[green]{name}[/green]: i orden")
    if any(problems.values()):
        sys.exit(1)
