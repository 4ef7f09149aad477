"""Commands on returned forms and the year: indlaes, tjek, status, samlet, eksport, historik, ret,
rykkerliste, rammeaftale, aarshjul."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from toolkit.cli.common import (
    AarOpt,
    JsonOpt,
    MappeOpt,
    SkabelonOpt,
    StamdataOpt,
    app,
    choices,
    console,
    err_console,
    note_year,
    print_json,
    progress,
    when,
    workspace,
    year,
)
from toolkit.cli.dansk import parse_aar
from toolkit.danish import antal, format_dato, format_dato_kort, format_tal
from toolkit.statuses import AnswerStatus, FileResult

MAX_ROWS = 60
RESULT_COLOR = {
    FileResult.NY: "green",
    FileResult.ERSTATTER: "green",
    FileResult.GYLDIG: "green",
    FileResult.FEJL: "yellow",
    FileResult.ALLEREDE: "yellow",
    FileResult.SPRUNGET_OVER: "yellow",
    FileResult.AFVIST: "red",
    FileResult.AELDRE: "yellow",
}


def _who(it) -> str:
    return it.respondent or it.file.name


def print_issues(items, title: str = "Fejl og mangler") -> None:
    """One group per file (respondent and file name), then code and message; only the message wraps,
    so the table reads in an 80-column terminal."""
    groups = [(it, it.issues) for it in items if it.issues]
    if not groups:
        return
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("Kode", no_wrap=True)
    table.add_column("Besked", overflow="fold", ratio=1)
    shown = 0
    for it, issues in groups:
        if shown >= MAX_ROWS:
            break
        table.add_row("", f"[bold]{escape(_who(it))}[/bold] [dim]{escape(it.file.name)}[/dim]")
        for i in issues[: MAX_ROWS - shown]:
            color = "red" if i.severity == "fejl" else "yellow"
            table.add_row(f"[{color}]{i.code}[/{color}]", escape(i.message))
            shown += 1
    console.print(table)
    total = sum(len(issues) for _it, issues in groups)
    if total > shown:
        console.print(f"… og {total - shown} mere – se arket 'Fejl og mangler' i det samlede overblik.")


def print_files(report, title: str, aar: int | None = None) -> None:
    """One row per file that was read now (by respondent; the file name when the respondent is not
    known); files already read are one line ("28 filer var allerede indlæst"). A form for another
    year than `aar` says so ("svar for 2027")."""
    items = [it for it in report.items if it.status != FileResult.ALLEREDE]
    if items:
        table = Table(title=title)
        table.add_column("Respondent", overflow="fold", ratio=1)
        for col in ("Skema", "Resultat"):
            table.add_column(col, no_wrap=True)
        table.add_column("Fejl", no_wrap=True, justify="right")
        for it in items:
            color = "red" if not it.valid else RESULT_COLOR[it.status]
            skema = (it.skema or "") + (
                f" [yellow](svar for {it.aar})[/yellow]" if aar and it.aar and it.aar != aar else ""
            )
            table.add_row(
                escape(_who(it)), skema, f"[{color}]{it.status}[/{color}]", str(it.errors) if it.errors else ""
            )
        console.print(table)
    already = report.count(FileResult.ALLEREDE)
    if already:
        console.print(f"{antal(already, 'fil', 'filer')} var allerede indlæst.")
    print_issues(items)


@app.command("indlaes")
def indlaes_cmd(
    sti: Annotated[
        list[Path],
        typer.Argument(metavar="STI", help="Filer og mapper med returnerede skemaer (mapper gennemsøges)."),
    ],
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    aar: AarOpt = None,
    som_json: JsonOpt = False,
):
    """Indlæs returnerede skemaer: arkivér, validér, gem og opdatér det samlede overblik."""
    ws = workspace(mappe, stamdata, skemaer, quiet=som_json)
    waiting = lambda: console.print("[yellow]En anden kørsel arbejder i mappen – venter …[/yellow]")  # noqa: E731
    files = ws.collect(sti)
    done = []
    with progress() as bar:
        task = bar.add_task("Indlæser", total=len(files))

        def step(item):
            done.append(item)
            bar.advance(task)

        try:
            report, written = ws.ingest(sti, progress=step, years=None if aar is None else [aar], on_wait=waiting)
        except KeyboardInterrupt:
            stored = sum(
                i.status in (FileResult.NY, FileResult.ERSTATTER, FileResult.AELDRE, FileResult.AFVIST) for i in done
            )
            err_console.print(
                f"[red]Afbrudt – {stored} af {len(files)} filer gemt. Kør kommandoen igen for at fortsætte.[/red]"
            )
            sys.exit(130)
    if som_json:
        print_json({**report.to_json(), "samlet": [str(p) for p in written]})
    else:
        _indlaes_summary(report, written, sti, year(aar))
    if not report.ok:
        sys.exit(1)


def _indlaes_summary(report, written, sti, aar: int) -> None:
    if not report.read_any:
        console.print(f"[yellow]Ingen regneark fundet i {', '.join(map(str, sti))}.[/yellow]")
    if report.items:
        print_files(report, "Indlæste filer", aar)
    console.print(
        f"{antal(report.count(FileResult.NY), 'ny', 'nye')}, {report.count(FileResult.ERSTATTER)} erstatter en "
        f"tidligere, {antal(report.count(FileResult.AELDRE), 'ældre version', 'ældre versioner')}, "
        f"{report.count(FileResult.ALLEREDE)} allerede indlæst, "
        f"{report.count(FileResult.AFVIST)} afvist, {report.count(FileResult.SPRUNGET_OVER)} "
        f"sprunget over."
    )
    for p in written:
        console.print(f"Samlet overblik: {p}")
    if not written and report.read_any and not report.notes:
        console.print("Intet nyt gemt – de samlede overblik er uændrede ('skema samlet' skriver dem igen).")
    for note in report.notes:
        console.print(f"[red]{note}[/red]")


@app.command("tjek")
def tjek_cmd(
    fil: Annotated[list[Path], typer.Argument(metavar="FIL", help="Filer eller mapper at kontrollere.")],
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    som_json: JsonOpt = False,
):
    """Kontrollér filer (sikkerhed, genkendelse, validering) uden at gemme noget."""
    report = workspace(Path("."), stamdata, skemaer, quiet=som_json).check(fil)
    if som_json:
        print_json(report.to_json())
    elif not report.read_any:
        console.print(f"[yellow]Ingen regneark fundet i {', '.join(map(str, fil))}.[/yellow]")
    else:
        print_files(report, "Kontrol")
    if not report.ok:
        sys.exit(1)


def status_json(data) -> dict:
    """The stable JSON form of `skema status --json` (documented in README)."""
    return {
        "version": 1,
        "aar": data.aar,
        "svar": [
            {
                "skema": s.skema,
                "skema_navn": s.skema_navn,
                "respondent_id": s.modtager.id,
                "respondent": s.modtager.navn,
                "status": s.status.value,
                "modtaget": s.modtaget,
                "frist": s.frist.isoformat() if s.frist else None,
                "overskredet": s.overskredet,
                "fil": s.kilde_fil,
            }
            for s in data.statuses
        ],
        "early_warning": [
            {"tilbud_id": f.tilbud_id, "tilbud": f.navn, "signal": sig.text}
            for f in data.figures
            for sig in data.warnings.get(f.tilbud_id, [])
        ],
    }


@app.command("status")
def status_cmd(
    aar: AarOpt = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    som_json: JsonOpt = False,
):
    """Vis pr. skema, hvem der har svaret, hvem der mangler, og om fristen er overskredet."""
    ws = workspace(mappe, stamdata, skemaer, quiet=som_json, needs_store=True)
    if not som_json:
        note_year(ws, year(aar))
    data = ws.year_data(year(aar))
    if som_json:
        print_json(status_json(data))
        return
    for skema in dict.fromkeys(s.skema for s in data.statuses):
        st = [s for s in data.statuses if s.skema == skema]
        got = sum(s.status != AnswerStatus.MANGLER for s in st)
        frist = st[0].frist
        table = Table(
            title=f"{st[0].skema_navn} {data.aar}: {got} af {len(st)} modtaget"
            + (f" · frist {format_dato(frist)}" if frist else "")
        )
        for col in ("Modtager", "Status", "Modtaget"):
            table.add_column(col)
        for s in st:
            label = {
                AnswerStatus.GYLDIG: "[green]modtaget[/green]",
                AnswerStatus.FEJL: "[yellow]modtaget, med fejl[/yellow]",
                AnswerStatus.MANGLER: "[red]mangler – overskredet[/red]" if s.overskredet else "mangler",
            }.get(s.status, str(s.status))
            table.add_row(s.modtager.navn, label, when(s.modtaget))
        console.print(table)
    if any(data.warnings.values()):
        table = Table(title="Early warning")
        table.add_column("Tilbud")
        table.add_column("Signal", overflow="fold")
        for f in data.figures:
            for sig in data.warnings[f.tilbud_id]:
                table.add_row(f.navn, sig.text)
        console.print(table)


@app.command("samlet")
def samlet_cmd(
    aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None, skemaer: SkabelonOpt = None
):
    """Skriv det samlede overblik (Excel) for året."""
    ws = workspace(mappe, stamdata, skemaer, needs_store=True)
    note_year(ws, year(aar))
    path = ws.consolidate(year(aar))
    console.print(f"Samlet overblik skrevet: {path}")


@app.command("eksport")
def eksport_cmd(
    format: Annotated[
        str,
        typer.Option("--format", metavar="FORMAT", help="csv eller json.", callback=choices("format", ("csv", "json"))),
    ] = "csv",
    ud: Annotated[
        Path | None, typer.Option("--ud", metavar="FIL", help="Fil at skrive til (standard: skærmen).")
    ] = None,
    aar: Annotated[
        int | None, typer.Option("--aar", metavar="ÅR", parser=parse_aar, help="Kun dette år (standard: alle år).")
    ] = None,
    mappe: MappeOpt = Path("."),
):
    """Eksportér alle gældende værdier i langt format (UTF-8) til BI-værktøjer."""
    data = workspace(mappe, quiet=True, needs_store=True).export(format, ud, aar)
    if ud:
        console.print(f"Eksporteret til {ud}")
    else:
        sys.stdout.write(data.decode("utf-8-sig"))


@app.command("historik")
def historik_cmd(
    respondent: Annotated[
        str,
        typer.Argument(
            metavar="RESPONDENT",
            help="Respondentens id eller navn, store eller små bogstaver (fx K851, T03 eller Læsø).",
        ),
    ],
    mappe: MappeOpt = Path("."),
):
    """Vis alle modtagne versioner og rettelser for en respondent."""
    ws = workspace(mappe, quiet=True, needs_store=True)
    for who in ws.find_respondents(respondent):
        _history(who, *ws.history(who.id))


def _history(who, subs, corrections) -> None:
    if not subs and not corrections:
        console.print(f"Ingen indlæste skemaer for {who}.")
        return
    table = Table(title=f"Historik for {who}")
    for col in ("År", "Skema", "Modtaget", "Fil", "Status", "Gældende"):
        table.add_column(col)
    for s in subs:
        table.add_row(
            str(s.aar),
            s.skema or "",
            when(s.received_at),
            s.original_name,
            s.status,
            "ja" if s.current else f"erstattet af #{s.superseded_by}" if s.superseded_by else "nej",
        )
    console.print(table)
    for c in corrections:
        console.print(f"Rettelse {when(c['created_at'])}: {c['felt']} = {c['raw']!r} (begrundelse: {c['reason']})")


@app.command("ret")
def ret_cmd(
    respondent: Annotated[str, typer.Argument(metavar="RESPONDENT", help="Respondentens id.")],
    felt: Annotated[
        str, typer.Argument(metavar="FELT", help="Feltnøglen, fx aarsrapport.ydelse.T01-Y1.belaegning.2027.")
    ],
    vaerdi: Annotated[
        str, typer.Argument(metavar="VÆRDI", help="Den rettede værdi, som den ville være skrevet i skemaet.")
    ],
    begrundelse: Annotated[
        str, typer.Option("--begrundelse", metavar="TEKST", help="Hvorfor værdien rettes (fx telefonsamtale).")
    ],
    aar: AarOpt = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
):
    """Ret en værdi efter aftale med respondenten; den oprindelige værdi bevares i historikken."""
    y = year(aar)
    value = workspace(mappe, stamdata, skemaer).correct(y, respondent, felt, vaerdi, begrundelse)
    shown = format_tal(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else f"'{value}'"
    console.print(f"Rettet: {felt} for {respondent} ({y}) = {shown}. Kør 'skema samlet' for at opdatere overblikket.")


@app.command("rykkerliste")
def rykkerliste_cmd(
    aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None, skemaer: SkabelonOpt = None
):
    """Skriv de manglende respondenter med kontaktoplysninger til Excel."""
    ws = workspace(mappe, stamdata, skemaer, needs_store=True)
    note_year(ws, year(aar))
    path, n = ws.reminder_list(year(aar))
    console.print(f"{antal(n, 'manglende skema', 'manglende skemaer')} skrevet til {path}")


@app.command("rammeaftale")
def rammeaftale_cmd(
    aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None, skemaer: SkabelonOpt = None
):
    """Skriv rammeaftalens liste over tilbud fra 1. januar næste år (Ekspertpanelets forslag) til Excel."""
    path = workspace(mappe, stamdata, skemaer).rammeaftale(year(aar))
    console.print(f"Rammeaftalens liste over tilbud skrevet til {path}")


STATE_COLOR = {
    "udført": "green",
    "delvist": "yellow",
    "forfalden": "bold red",
    "nu": "bold yellow",
    "kommende": "white",
    "aflyst": "dim",
}


@app.command("aarshjul")
def aarshjul_cmd(
    aar: AarOpt = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", metavar="FIL", help="Skriv årshjulet som kalenderfil (.ics) til Outlook.")
    ] = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
):
    """Vis årets aktiviteter med datoer, og hvad der er udført, aktuelt eller forfaldent i dag."""
    y = year(aar)
    ws = workspace(mappe, stamdata, skemaer)
    if not ws.has_store:
        console.print(f"[dim]Ingen skema-database i {mappe}: årshjulet vises uden indlæste svar.[/dim]")
    else:
        note_year(ws, y)
    states = ws.cycle(y)
    table = Table(title=f"Årshjul {y} – {ws.sd.region}")
    table.add_column("Dato", no_wrap=True)
    table.add_column("Aktivitet", overflow="fold", ratio=1)
    table.add_column("Status", no_wrap=True)
    table.add_column("Bemærkning", overflow="fold", ratio=1)
    for s in states:
        a = s.activity
        span = (f"{format_dato_kort(a.start)} – " if a.start else "") + format_dato_kort(a.dato)
        if a.dato.year != y:
            span += f" {a.dato.year}"
        c = STATE_COLOR[s.state]
        note = "; ".join(dict.fromkeys(x for x in (s.detail, a.note) if x))
        table.add_row(span, a.titel, f"[{c}]{s.state}[/{c}]", note)
    console.print(table)
    if ics:
        ws.calendar(y, ics)
        console.print(f"Kalenderfil skrevet: {ics}")
