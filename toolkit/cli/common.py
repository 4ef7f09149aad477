"""The Typer app, shared options and helpers, and the error handling around every command."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from toolkit.cli.dansk import DanskTyper, install as _dansk
from toolkit.problems import SkemaError

_dansk()

app = DanskTyper(
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
MappeOpt = Annotated[Path, typer.Option(
    "--mappe", help="Arbejdsmappe med database (skema.sqlite), arkiv/ og output/ (standard: den aktuelle).")]
StamdataOpt = Annotated[Optional[Path], typer.Option(
    "--stamdata", help="Stamdata-projektmappe (standard: ./stamdata.xlsx, ellers det indbyggede eksempel).")]
SkabelonOpt = Annotated[Optional[Path], typer.Option(
    "--skemaer", help="Mappe med skemadefinitioner (standard: ./skabeloner/skemaer, ellers de indbyggede).")]
OverskrivOpt = Annotated[bool, typer.Option("--overskriv", help="Overskriv filer, der allerede findes.")]


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="Vis tekniske detaljer ved fejl.")] = False):
    STATE["debug"] = debug


def load_sd(path):
    from toolkit.stamdata import load_stamdata
    from toolkit.workspace import resolve_stamdata

    p, example = resolve_stamdata(path)
    if example:
        console.print("[dim]Bruger det indbyggede eksempel (Nordjylland). Kør 'skema init' for at få "
                      "jeres egen stamdata.xlsx.[/dim]")
    return load_stamdata(p)


def year(aar):
    from toolkit.workspace import default_year

    return aar or default_year()


def progress():
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal)


def setup(aar, stamdata, skemaer):
    """The year, stamdata and form definitions a command works with."""
    return year(aar), load_sd(stamdata), definitions(skemaer)


def with_store(aar, mappe, stamdata, skemaer, work):
    """Set up, open the working folder's store and run `work(store, y, sd, defs)`; returns (y, sd, result)."""
    y, sd, defs = setup(aar, stamdata, skemaer)
    with open_store(mappe) as store:
        return y, sd, work(store, y, sd, defs)


def year_figures(aar, mappe, stamdata, skemaer):
    """(year, stamdata, statuses, key figures) for the commands that report on a year."""
    from toolkit.consolidate.year import year_data

    y, sd, (_values, statuses, figures) = with_store(
        aar, mappe, stamdata, skemaer, lambda store, y, sd, defs: year_data(store, sd, defs, y))
    return y, sd, statuses, figures


def open_store(mappe: Path):
    from toolkit.store import Store

    return Store(mappe)


def definitions(skemaer=None):
    from toolkit.definitions import load_definitions
    from toolkit.workspace import resolve_definitions

    return load_definitions(resolve_definitions(skemaer))


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
