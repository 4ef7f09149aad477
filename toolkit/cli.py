"""The `skema` command line: parse options, call one library function, show the result."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from toolkit.errors import SkemaError

app = typer.Typer(
    name="skema",
    help="Skemaer, indlæsning og dokumenter til det forstærkede samarbejde om de mest "
         "specialiserede sociale tilbud.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)
STATE = {"debug": False}

AarOpt = Annotated[Optional[int], typer.Option("--aar", help="Årgang (standard: året for næste udsendelse).")]
StamdataOpt = Annotated[Optional[Path], typer.Option(
    "--stamdata", help="Stamdata-projektmappe (standard: ./stamdata.xlsx, ellers det indbyggede eksempel).")]
SkabelonOpt = Annotated[Optional[Path], typer.Option(
    "--skemaer", help="Mappe med skemadefinitioner (standard: ./skabeloner/skemaer, ellers de indbyggede).")]
OverskrivOpt = Annotated[bool, typer.Option("--overskriv", help="Overskriv filer, der allerede findes.")]


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="Vis tekniske detaljer ved fejl.")] = False):
    STATE["debug"] = debug


def _stamdata(path):
    from toolkit.stamdata import load_stamdata
    from toolkit.workspace import resolve_stamdata

    p, example = resolve_stamdata(path)
    if example:
        console.print("[dim]Bruger det indbyggede eksempel (Nordjylland). Kør 'skema init' for at få "
                      "jeres egen stamdata.xlsx.[/dim]")
    return load_stamdata(p)


def _year(aar):
    from toolkit.workspace import default_year

    return aar or default_year()


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
):
    """Dan skemaerne som Excel-filer, én pr. modtager, forudfyldt fra stamdata."""
    from toolkit.definitions.model import FORMS
    from toolkit.errors import UsageError
    from toolkit.generate import generate_forms, planned_forms
    from toolkit.workspace import resolve_definitions

    for s in skema or []:
        if s not in FORMS:
            raise UsageError(f"Ukendt skema '{s}'. Brug et af: {', '.join(FORMS)}.")
    year = _year(aar)
    sd = _stamdata(stamdata)
    defs_dir = resolve_definitions(skemaer)
    out = ud or Path("output") / str(year) / "skemaer"
    todo, _ = planned_forms(sd, year, skema, defs_dir)
    with _progress() as bar:
        task = bar.add_task("Danner skemaer", total=len(todo))
        results, skipped = generate_forms(sd, year, out, skema, overskriv, defs_dir,
                                          progress=lambda r: bar.advance(task))
    table = Table(title=f"Skemaer for {year}", show_lines=False)
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
    ud: Annotated[Path, typer.Option("--ud", help="Mappe til resultaterne.")] = Path("output"),
    aar: Annotated[Optional[int], typer.Option("--aar", help="Årgang for eksemplet (standard 2028).")] = None,
):
    """Kør hele årets gang på det indbyggede eksempel og vis, hvor resultaterne ligger."""
    from toolkit.demo import DEMO_YEAR, run_demo

    console.print(f"[bold]Demo: det forstærkede samarbejde, Nordjylland, {aar or DEMO_YEAR}[/bold]")
    run_demo(ud, aar or DEMO_YEAR,
             say=lambda s: console.print(f"[green]✓[/green] {s.title}: {s.result}" + (f"\n    {s.path}" if s.path else "")))


def _progress():
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal)


def main():
    try:
        app()
    except SkemaError as exc:
        err_console.print(f"[bold red]Fejl:[/bold red] {exc}", highlight=False)
        if STATE["debug"]:
            raise
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("[red]Afbrudt.[/red]")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the user gets one line, --debug gives the traceback
        if STATE["debug"]:
            raise
        err_console.print(f"[bold red]Uventet fejl:[/bold red] {exc.__class__.__name__}: {exc} "
                          f"(kør igen med --debug for detaljer)", highlight=False)
        sys.exit(3)
