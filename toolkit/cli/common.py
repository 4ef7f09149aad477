"""The Typer app, shared options, the workspace a command works on, and the error handling around
every command. Commands parse options, call one `Workspace` method and print its result."""

from __future__ import annotations

import datetime as dt
import gc
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from toolkit.cli.dansk import DanskTyper, UgyldigVaerdi, parse_aar
from toolkit.cli.dansk import install as _dansk
from toolkit.danish import opremsning, parse_dato
from toolkit.fieldkeys import FORMS
from toolkit.problems import SkemaError, UsageError
from toolkit.workers import GC_THRESHOLDS

_dansk()

app = DanskTyper(
    name="skema",
    help="Skemaer, indlæsning og dokumenter til det forstærkede samarbejde om de mest specialiserede sociale tilbud.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)
STATE = {"debug": False}


FORM_TYPES = FORMS  # toolkit.fieldkeys: light, so `skema --help` does not load the definitions


def choices(what: str, allowed: tuple[str, ...], many: bool = False):
    """A Typer callback that accepts only `allowed` and names them in Danish. `many`: the option may
    be repeated (its value is then always a list, also when it is not given)."""

    def check(value):
        values = list(value or []) if many else [value]
        for v in values:
            if v is not None and v not in allowed:
                raise UgyldigVaerdi(f"Ukendt {what} '{v}'. Brug et af: {', '.join(allowed)}.")
        return values if many else value

    return check


SkemaerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--skema",
        metavar="SKEMA",
        help=f"Kun dette skema: {', '.join(FORM_TYPES)} (kan gentages).",
        callback=choices("skema", FORM_TYPES, many=True),
    ),
]
AarOpt = Annotated[
    int | None,
    typer.Option("--aar", metavar="ÅR", parser=parse_aar, help="Årgang (standard: året for næste udsendelse)."),
]
MappeOpt = Annotated[
    Path,
    typer.Option(
        "--mappe",
        metavar="MAPPE",
        help="Arbejdsmappe med database (skema.sqlite), arkiv/ og output/ (standard: den aktuelle).",
    ),
]
StamdataOpt = Annotated[
    Path | None,
    typer.Option(
        "--stamdata",
        metavar="FIL",
        help="Stamdata-projektmappe (standard: ./stamdata.xlsx, ellers det indbyggede eksempel).",
    ),
]
SkabelonOpt = Annotated[
    Path | None,
    typer.Option(
        "--skemaer",
        metavar="MAPPE",
        help="Mappe med skemadefinitioner (standard: ./skabeloner/skemaer, ellers de indbyggede).",
    ),
]
TemplatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--skabeloner",
        metavar="MAPPE",
        help="Mappe med Word-skabeloner (standard: ./skabeloner, ellers de indbyggede).",
    ),
]
OverskrivOpt = Annotated[bool, typer.Option("--overskriv", metavar="", help="Overskriv filer, der allerede findes.")]
JsonOpt = Annotated[
    bool,
    typer.Option(
        "--json", metavar="", help="Skriv resultatet som JSON på standard-output (til andre programmer; se README)."
    ),
]


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", metavar="", help="Vis tekniske detaljer ved fejl.")] = False):
    STATE["debug"] = debug


def workspace(
    mappe: Path = Path("."),
    stamdata: Path | None = None,
    skemaer: Path | None = None,
    skabeloner: Path | None = None,
    quiet: bool = False,
    needs_store: bool = False,
):
    """The working folder a command works on; says so when the bundled example is used.
    `needs_store`: the command reads answers, so a folder without a database is an error (it is
    never created by reading)."""
    from toolkit.workspace import Workspace

    ws = Workspace(mappe, stamdata=stamdata, definitions=skemaer, templates=skabeloner)
    if needs_store:
        require_store(ws)
    if ws.uses_example and not quiet:
        console.print(
            f"[dim]Bruger det indbyggede eksempel ({ws.sd.region}). Kør 'skema init' for at få "
            "jeres egen stamdata.xlsx.[/dim]"
        )
    return ws


def require_store(ws) -> None:
    """A command that reads answers refuses a folder without a database (reading never creates one)."""
    if not ws.has_store:
        raise UsageError(f"Ingen skema-database i {ws.folder} – kør kommandoen i arbejdsmappen eller brug --mappe.")


def year(aar: int | None, given: dt.date | None = None) -> int:
    """--aar, else the year of a date the user gave (--frist, --moede), else the next cycle's year."""
    from toolkit.workspace import default_year

    return aar or (given.year if given else default_year())


def note_year(ws, aar: int) -> None:
    """Say so when the store holds answers, but none for `aar`."""
    years = ws.data_years()
    if years and aar not in years:
        console.print(
            f"[yellow]Databasen har ingen indlæste svar for {aar}, kun for {opremsning(years)} "
            f"(brug --aar {years[-1]}).[/yellow]"
        )


def dato(text: str | None, what: str, option: str) -> dt.date:
    if text is None:  # Typer < 0.29 lets a required option without a default through as None
        raise UsageError(f"Mangler tilvalget '{option}'.")
    d = parse_dato(text)
    if d is None:
        raise UsageError(f"{what} '{text}' er ikke en dato. Skriv fx 2027-05-01 eller 1.5.2027.")
    return d


def progress():
    """A progress bar on the terminal (none when the output is piped)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


def when(iso: str | None) -> str:
    """'2028-03-02T10:15:00' -> '2028-03-02 10:15'"""
    return (iso or "")[:16].replace("T", " ")


def main():
    # Writing forms and workbooks makes many short-lived cyclic objects (an xlsxwriter Workbook and
    # its Worksheets refer to each other): collect less often. Set once, here, for the whole run.
    gc.set_threshold(*GC_THRESHOLDS)
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
        err_console.print(
            f"[bold red]Uventet fejl:[/bold red] {exc.__class__.__name__}: {exc} (kør igen med --debug for detaljer)",
            highlight=False,
        )
        sys.exit(3)
