"""Commands that set up and send out: init, generer, demo."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from toolkit.cli.common import (AarOpt, MappeOpt, OverskrivOpt, SkabelonOpt, StamdataOpt, app, console, load_sd,
                                open_store, progress, year)


@app.command("init")
def init_cmd(mappe: Annotated[Path, typer.Argument(help="Arbejdsmappe (standard: den aktuelle).")] = Path(".")):
    """Kopiér eksempel-stamdata og skemadefinitioner ud, så de kan redigeres."""
    from toolkit.workspace import init_workspace

    for path, status in init_workspace(mappe):
        console.print(f"{status:>16}  {path}")


@app.command("generer")
def generer_cmd(
    aar: AarOpt = None,
    skema: Annotated[Optional[list[str]], typer.Option(
        "--skema", help="Kun dette skema: indmelding, udmelding, aarsrapport eller kommune (kan gentages).")] = None,
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    ud: Annotated[Optional[Path], typer.Option("--ud", help="Mappe til skemaerne (standard: output/<år>/skemaer).")] = None,
    overskriv: OverskrivOpt = False,
    mappe: MappeOpt = Path("."),
):
    """Dan skemaerne som Excel-filer, én pr. modtager, forudfyldt fra stamdata."""
    from toolkit.definitions.model import FORMS
    from toolkit.problems import UsageError
    from toolkit.forms.generate import generate_forms, history_prefill, planned_forms
    from toolkit.store.db import DB_FILE
    from toolkit.workspace import resolve_definitions

    for s in skema or []:
        if s not in FORMS:
            raise UsageError(f"Ukendt skema '{s}'. Brug et af: {', '.join(FORMS)}.")
    y = year(aar)
    sd = load_sd(stamdata)
    defs_dir = resolve_definitions(skemaer)
    out = ud or Path(mappe) / "output" / str(y) / "skemaer"
    todo, _ = planned_forms(sd, y, skema, defs_dir)
    prefill = None
    if (Path(mappe) / DB_FILE).exists():  # earlier years' answers prefill the history columns
        with open_store(mappe) as store:
            prefill = history_prefill(store, y)
    with progress() as bar:
        task = bar.add_task("Danner skemaer", total=len(todo))
        results, skipped = generate_forms(sd, y, out, skema, overskriv, defs_dir,
                                          progress=lambda r: bar.advance(task), prefill=prefill)
    table = Table(title=f"Skemaer for {y}", show_lines=False)
    for col in ("Skema", "Modtager", "Fil", "Status"):
        table.add_column(col)
    for r in results:
        table.add_row(r.skema, r.modtager, r.path.name,
                      r.status if r.status == "skrevet" else f"[yellow]{r.status}[/yellow]")
    if results:
        console.print(table)
    for s in skipped:
        console.print(f"[yellow]Springer over:[/yellow] {s.reason}")
    written = sum(r.status == "skrevet" for r in results)
    kept = len(results) - written
    console.print(f"{written} skemaer skrevet til {out}" +
                  (f"; {kept} fandtes allerede (brug --overskriv for at danne dem igen)." if kept else "."))


@app.command("demo")
def demo_cmd(
    ud: Annotated[Path, typer.Option("--ud", help="Mappe til resultaterne (demoen bruger <ud>/demo).")] = Path("output"),
    aar: Annotated[Optional[int], typer.Option("--aar", help="Årgang for eksemplet (standard 2028).")] = None,
):
    """Kør hele årets gang på det indbyggede eksempel og vis, hvor resultaterne ligger."""
    from toolkit.demo.run import DEMO_YEAR, run_demo

    console.print(f"[bold]Demo: det forstærkede samarbejde, Nordjylland, {aar or DEMO_YEAR}[/bold]")
    run_demo(ud, aar or DEMO_YEAR, pdf=True,
             say=lambda s: console.print(f"[green]✓[/green] {s.title}: {s.result}" + (f"\n    {s.path}" if s.path else "")))
