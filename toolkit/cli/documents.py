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
    note_year,
    require_store,
    workspace,
    year,
)
from toolkit.cli.dansk import DanskTyper
from toolkit.cli.mail import IgenOpt, SendOpt, print_mail_report
from toolkit.danish import antal, format_dato
from toolkit.statuses import WriteStatus

PdfOpt = Annotated[bool, typer.Option("--pdf", metavar="", help="Lav også PDF-filer (kræver LibreOffice).")]

skabeloner_app = DanskTyper(help="Word-skabelonerne.", no_args_is_help=True)
app.add_typer(skabeloner_app, name="skabeloner")


def _report(written, pdf: bool, title: str) -> None:
    """The files by name under their folder, so that the table fits an 80-column terminal."""
    for folder in dict.fromkeys(w.path.parent for w in written):
        table = Table(title=title)
        table.add_column("Fil", overflow="fold", ratio=1)
        table.add_column("Status", no_wrap=True)
        for w in written:
            if w.path.parent == folder:
                status = w.status if w.status == WriteStatus.SKREVET else f"[yellow]{w.status}[/yellow]"
                table.add_row(w.path.name, status)
        console.print(f"Mappe: {folder}", soft_wrap=True)
        console.print(table)
    kept = sum(w.status != WriteStatus.SKREVET for w in written)
    if kept:
        console.print(f"{antal(kept, 'fil', 'filer')} fandtes allerede og er ikke overskrevet (brug --overskriv).")
    if pdf:  # the Word documents, not the hearing-reply forms
        n = sum(w.status == WriteStatus.SKREVET and w.path.suffix == ".docx" for w in written)
        console.print(f"{antal(n, 'PDF-fil', 'PDF-filer')} skrevet.")


@app.command("hoering")
def hoering_cmd(
    frist: Annotated[
        str,
        typer.Option(
            "--frist", metavar="DATO", help="Frist for høringssvar før DAS-mødet, fx 2028-05-10 eller 10.5.2028."
        ),
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
    f = dato(frist, "Fristen", "--frist")
    y = year(aar, f)
    ws = workspace(mappe, stamdata, skemaer, skabeloner)
    ws.check_hearing_deadline(y, f)  # a wrong date is said first, also in a folder without a database
    require_store(ws)
    note_year(ws, y)
    written = ws.hoering(y, f, overskriv, pdf)
    _report(written, pdf, f"Høring {y}")


@app.command("bemaerkning")
def bemaerkning_cmd(
    part: Annotated[str, typer.Option("--part", metavar="ID", help="Aftalepartens id (fx K851).")],
    tilbud: Annotated[str, typer.Option("--tilbud", metavar="ID", help="Tilbuddets id (fx T01).")],
    begrundelse: Annotated[
        str,
        typer.Option(
            "--begrundelse", metavar="TEKST", help="Hvordan bemærkningen kom ind, fx 'modtaget pr. mail 3. maj'."
        ),
    ],
    tekst: Annotated[str, typer.Option("--tekst", metavar="TEKST", help="Høringsbemærkningen til tilbuddet.")] = "",
    ydelser_matcher: Annotated[
        str | None,
        typer.Option("--ydelser-matcher", metavar="SVAR", help="Matcher ydelserne behovet: Ja, Delvist eller Nej."),
    ] = None,
    aar: AarOpt = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
):
    """Registrér en høringsbemærkning, der er kommet pr. mail, som et høringssvar fra aftaleparten."""
    y = year(aar)
    stored = workspace(mappe, stamdata, skemaer).remark(y, part, tilbud, tekst, ydelser_matcher, begrundelse)
    for felt, value in stored.items():
        console.print(f"Registreret: {felt} for {part} ({y}) = {value!r}.")
    console.print("Kør 'skema samlet' for at opdatere overblikket.")


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
    ws = workspace(mappe, stamdata, skemaer, skabeloner, needs_store=True)
    note_year(ws, y)
    if mail:
        report = ws.rykker_mails(y, send, igen)
        if not (report.drafts or report.sent or report.already or report.failed):
            console.print("Ingen mangler – der er ikke noget at rykke for.")
            return
        print_mail_report(report, send, f"Rykkere {y}")
        return
    written = ws.rykkere(y, overskriv, pdf)
    if not written:
        console.print("Ingen mangler – der er ikke noget at rykke for.")
        return
    _report(written, pdf, f"Rykkere {y}")
    missing = ws.missing(y)
    if missing and not any(s.overskredet for s in missing):
        first = min(s.frist for s in missing if s.frist) if any(s.frist for s in missing) else None
        console.print(
            "Ingen frist er overskredet endnu"
            + (f" (første frist: {format_dato(first)})" if first else "")
            + ": brevene minder venligt om fristen."
        )


@app.command("bilag")
def bilag_cmd(
    moede: Annotated[
        str, typer.Option("--moede", metavar="DATO", help="Mødedato for DAS, fx 2028-05-20 eller 20.5.2028.")
    ],
    aar: AarOpt = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    skabeloner: TemplatesOpt = None,
    overskriv: OverskrivOpt = False,
    pdf: PdfOpt = False,
    punkt: Annotated[
        list[str] | None,
        typer.Option(
            "--punkt",
            metavar="PUNKT",
            help="Mødets dagsordenspunkt: N for alle sektioner, eller SEKTION=N (status, indmelding, udmelding, "
            "indstilling); kan gentages.",
        ),
    ] = None,
    vedlaeg: Annotated[
        list[str] | None,
        typer.Option(
            "--vedlaeg",
            metavar="FIL",
            help="Vedlæg et dokument (.docx eller .pdf), evt. under dagsordenspunkt N: [N=]FIL; kan gentages.",
        ),
    ] = None,
):
    """Skriv det samlede 'Bilag til DAS' med indholdsfortegnelse, status pr. tilbud, indmeldinger og udmeldinger."""
    m = dato(moede, "Mødedatoen", "--moede")
    y = year(aar, m)
    ws = workspace(mappe, stamdata, skemaer, skabeloner, needs_store=True)
    note_year(ws, y)
    written = ws.bilag(y, m, overskriv, pdf, punkt or [], vedlaeg or [])
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
