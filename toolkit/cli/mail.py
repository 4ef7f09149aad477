"""Mail out: udsend (the January send-out). `skema rykker --mail` is in cli/documents.py and shows
its result with `print_mail_report` from here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from toolkit.cli.common import (
    AarOpt,
    MappeOpt,
    SkabelonOpt,
    SkemaerOpt,
    StamdataOpt,
    TemplatesOpt,
    app,
    console,
    workspace,
    year,
)

SendOpt = Annotated[
    bool,
    typer.Option(
        "--send",
        help="Send mailene med det samme (SMTP-indstillinger fra stamdata eller SKEMA_SMTP_*; adgangskoden "
        "i SKEMA_SMTP_ADGANGSKODE). Uden --send skrives kladder (.eml), og intet forlader maskinen.",
    ),
]
IgenOpt = Annotated[
    bool, typer.Option("--igen", help="Send også til modtagere, der allerede har fået de samme skemaer.")
]


@app.command("udsend")
def udsend_cmd(
    aar: AarOpt = None,
    skema: SkemaerOpt = None,
    send: SendOpt = False,
    igen: IgenOpt = False,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    skabeloner: TemplatesOpt = None,
):
    """Én mail pr. modtager med årets skemaer vedhæftet: kladder (.eml) i output/<år>/udsendelse, eller send dem."""
    y = year(aar)
    report = workspace(mappe, stamdata, skemaer, skabeloner).udsend(y, skema or None, send, igen)
    print_mail_report(report, send, f"Udsendelse {y}")


def print_mail_report(report, send: bool, title: str) -> None:
    if not send:
        table = Table(title=title)
        table.add_column("Kladde", overflow="fold")
        for p in report.drafts:
            table.add_row(str(p))
        if report.drafts:
            console.print(table)
        console.print(
            f"{len(report.drafts)} kladder skrevet. Åbn dem i Outlook og tryk Send, eller kør igen med --send."
        )
        return
    table = Table(title=title)
    for col in ("Modtager", "Adresse", "Skemaer", "Resultat"):
        table.add_column(col, overflow="fold")
    rows = [(m, "[green]sendt[/green]") for m in report.sent]
    rows += [(m, "[yellow]sendt før[/yellow]") for m in report.already]
    rows += [(m, f"[red]fejlede: {why}[/red]") for m, why in report.failed]
    for m, result in rows:
        table.add_row(m.navn, m.to, str(len(m.forms)), result)
    if report.sent or report.already or report.failed:
        console.print(table)
    console.print(report.summary() + ".", highlight=False)
    if not report.ok:
        sys.exit(1)
