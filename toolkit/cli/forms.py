"""Commands that set up and send out: init, generer, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from toolkit.cli.common import (
    AarOpt,
    MappeOpt,
    OverskrivOpt,
    SkabelonOpt,
    SkemaerOpt,
    StamdataOpt,
    app,
    choices,
    console,
    progress,
    workspace,
    year,
)
from toolkit.cli.dansk import parse_aar
from toolkit.danish import antal
from toolkit.statuses import WriteStatus

# the bundled examples of toolkit.stamdata.examples, named here so that `skema --help` does not load
# stamdata (tests/test_eksempel_sjaelland.py checks that the two agree)
EKSEMPLER = ("nordjylland", "sjaelland")
STANDARD_EKSEMPEL = "nordjylland"
EksempelOpt = Annotated[
    str,
    typer.Option(
        "--eksempel",
        metavar="NAVN",
        help=f"Det indbyggede eksempel: {', '.join(EKSEMPLER)} (standard: {STANDARD_EKSEMPEL}).",
        callback=choices("eksempel", EKSEMPLER),
    ),
]


@app.command("init")
def init_cmd(
    mappe: Annotated[Path, typer.Argument(metavar="MAPPE", help="Arbejdsmappe (standard: den aktuelle).")] = Path("."),
    eksempel: EksempelOpt = STANDARD_EKSEMPEL,
):
    """Kopiér eksempel-stamdata og skemadefinitioner ud, så de kan redigeres."""
    from toolkit.workspace import init_workspace

    for path, status in init_workspace(mappe, eksempel):
        console.print(f"{status:>16}  {path}")


@app.command("generer")
def generer_cmd(
    aar: AarOpt = None,
    skema: SkemaerOpt = None,
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    ud: Annotated[
        Path | None, typer.Option("--ud", metavar="MAPPE", help="Mappe til skemaerne (standard: output/<år>/skemaer).")
    ] = None,
    overskriv: OverskrivOpt = False,
    klynge: Annotated[
        str | None,
        typer.Option(
            "--klynge",
            metavar="ID",
            help="Kun klyngens skemaer (arket Klynger i stamdata): dens kommuner og tilbud, klyngens navn i filnavnet.",
        ),
    ] = None,
    mappe: MappeOpt = Path("."),
):
    """Dan skemaerne som Excel-filer, én pr. modtager, forudfyldt fra stamdata."""
    y = year(aar)
    ws = workspace(mappe, stamdata, skemaer)
    only = skema or None
    todo, _ = ws.planned_forms(y, only, klynge)
    with progress() as bar:
        task = bar.add_task("Danner skemaer", total=len(todo))
        results, skipped, out = ws.generate(y, only, ud, overskriv, progress=lambda r: bar.advance(task), klynge=klynge)
    title = f"Skemaer for {y}" + (f", klynge {klynge}" if klynge else "")
    table = Table(title=title, show_lines=False)
    for col in ("Skema", "Modtager", "Fil", "Status"):
        table.add_column(col)
    for r in results:
        table.add_row(
            r.skema,
            r.modtager,
            r.path.name,
            r.status if r.status == WriteStatus.SKREVET else f"[yellow]{r.status}[/yellow]",
        )
    if results:
        console.print(table)
    for s in skipped:
        console.print(f"[yellow]Springer over:[/yellow] {s.reason}")
    written = sum(r.status == WriteStatus.SKREVET for r in results)
    kept = len(results) - written
    console.print(
        f"{antal(written, 'skema', 'skemaer')} skrevet til {out}"
        + (f"; {kept} fandtes allerede (brug --overskriv for at danne dem igen)." if kept else ".")
    )


@app.command("demo")
def demo_cmd(
    ud: Annotated[
        Path, typer.Option("--ud", metavar="MAPPE", help="Mappe til resultaterne (demoen bruger <ud>/demo).")
    ] = Path("output"),
    aar: Annotated[
        int | None, typer.Option("--aar", metavar="ÅR", parser=parse_aar, help="Årgang for eksemplet (standard 2028).")
    ] = None,
    eksempel: EksempelOpt = STANDARD_EKSEMPEL,
):
    """Kør hele årets gang på et indbygget eksempel og vis, hvor resultaterne ligger."""
    from toolkit.demo.run import DEMO_YEAR, run_demo
    from toolkit.stamdata import load_stamdata
    from toolkit.stamdata.examples import EKSEMPLER as BUNDLED

    region = load_stamdata(BUNDLED[eksempel].stamdata).region
    console.print(f"[bold]Demo: det forstærkede samarbejde, {region}, {aar or DEMO_YEAR}[/bold]")
    run_demo(
        ud,
        aar or DEMO_YEAR,
        eksempel=eksempel,
        pdf=True,
        say=lambda s: console.print(f"[green]✓[/green] {s.title}: {s.result}" + (f"\n    {s.path}" if s.path else "")),
    )
