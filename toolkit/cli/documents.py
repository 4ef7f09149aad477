"""Commands that write Word documents: hoering, rykker, bilag, skabeloner tjek."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from toolkit.cli.common import (
    AarOpt,
    MappeOpt,
    OverskrivOpt,
    SkabelonOpt,
    StamdataOpt,
    TemplatesOpt,
    app,
    console,
    dato,
    workspace,
    year,
)
from toolkit.cli.dansk import DanskTyper
from toolkit.cli.mail import IgenOpt, SendOpt, print_mail_report
from toolkit.statuses import WriteStatus

PdfOpt = Annotated[bool, typer.Option("--pdf", help="Lav også PDF-filer (kræver LibreOffice).")]

skabeloner_app = DanskTyper(help="Word-skabelonerne.", no_args_is_help=True)
app.add_typer(skabeloner_app, name="skabeloner")


def _report(written, pdf: bool, title: str) -> None:
    table = Table(title=title)
    table.add_column("Fil", overflow="fold")
    table.add_column("Status")
    for w in written:
        table.add_row(str(w.path), w.status if w.status == WriteStatus.SKREVET else f"[yellow]{w.status}[/yellow]")
    console.print(table)
    kept = sum(w.status != WriteStatus.SKREVET for w in written)
    if kept:
        console.print(f"{kept} fandtes allerede og er ikke overskrevet (brug --overskriv).")
    if pdf:
        console.print(f"{len(written) - kept} PDF-filer skrevet.")


@app.command("hoering")
def hoering_cmd(
    frist: Annotated[
        str, typer.Option("--frist", help="Frist for høringssvar før DAS-mødet, fx 2028-05-10 eller 10.5.2028.")
    ],
    aar: AarOpt = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    skabeloner: TemplatesOpt = None,
    overskriv: OverskrivOpt = False,
    pdf: PdfOpt = False,
):
    """Skriv høringsbreve til alle aftaleparter og et samlet høringsmateriale (Word)."""
    f, y = dato(frist, "Fristen"), year(aar)
    written = workspace(mappe, stamdata, skemaer, skabeloner).hoering(y, f, overskriv, pdf)
    _report(written, pdf, f"Høring {y}")


@app.command("rykker")
def rykker_cmd(
    aar: AarOpt = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    skabeloner: TemplatesOpt = None,
    overskriv: OverskrivOpt = False,
    pdf: PdfOpt = False,
    mail: Annotated[
        bool, typer.Option("--mail", help="Mails i stedet for breve: det tomme skema vedhæftet igen (se skema udsend).")
    ] = False,
    send: SendOpt = False,
    igen: IgenOpt = False,
):
    """Skriv en kort påmindelse til hver respondent, der mangler at svare (Word, eller mail med --mail)."""
    y = year(aar)
    if mail:
        report = workspace(mappe, stamdata, skemaer, skabeloner).rykker_mails(y, send, igen)
        if not (report.drafts or report.sent or report.already or report.failed):
            console.print("Ingen mangler – der er ikke noget at rykke for.")
            return
        print_mail_report(report, send, f"Rykkere {y}")
        return
    written = workspace(mappe, stamdata, skemaer, skabeloner).rykkere(y, overskriv, pdf)
    if not written:
        console.print("Ingen mangler – der er ikke noget at rykke for.")
        return
    _report(written, pdf, f"Rykkere {y}")


@app.command("bilag")
def bilag_cmd(
    moede: Annotated[str, typer.Option("--moede", help="Mødedato for DAS, fx 2028-05-20 eller 20.5.2028.")],
    aar: AarOpt = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    skabeloner: TemplatesOpt = None,
    overskriv: OverskrivOpt = False,
    pdf: PdfOpt = False,
):
    """Skriv det samlede 'Bilag til DAS' med indholdsfortegnelse, status pr. tilbud, indmeldinger og udmeldinger."""
    m, y = dato(moede, "Mødedatoen"), year(aar)
    written = workspace(mappe, stamdata, skemaer, skabeloner).bilag(y, m, overskriv, pdf)
    _report([written], pdf, f"Bilag til DAS {m.isoformat()}")


@skabeloner_app.command("tjek")
def skabeloner_tjek_cmd(skabeloner: TemplatesOpt = None):
    """Vis de felter i Word-skabelonerne, som værktøjet ikke kender."""
    from toolkit.documents.render import check_templates

    problems = check_templates(skabeloner)
    for name, unknown in problems.items():
        if unknown:
            console.print(f"[red]{name}[/red]: ukendte felter: {', '.join(unknown)}")
        else:
            console.print(f"[green]{name}[/green]: i orden")
    if any(problems.values()):
        sys.exit(1)
