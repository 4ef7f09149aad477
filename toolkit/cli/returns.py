"""Commands on returned forms: indlaes, status, samlet, eksport, historik, ret, rykkerliste."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from toolkit.cli.common import (AarOpt, MappeOpt, SkabelonOpt, StamdataOpt, app, console, definitions, load_sd,
                                open_store, progress, setup, year_figures)
from toolkit.danish import format_dato
from toolkit.problems import UsageError

MAX_ROWS = 60


def print_issues(items, title: str = "Fejl og mangler") -> None:
    rows = [(it.file.name, i) for it in items for i in it.issues]
    if not rows:
        return
    table = Table(title=title, show_lines=False)
    for col in ("Fil", "Alvor", "Kode", "Besked"):
        table.add_column(col, overflow="fold")
    for name, i in rows[:MAX_ROWS]:
        color = "red" if i.severity == "fejl" else "yellow"
        table.add_row(name, f"[{color}]{i.severity}[/{color}]", i.code, i.message)
    console.print(table)
    if len(rows) > MAX_ROWS:
        console.print(f"… og {len(rows) - MAX_ROWS} mere – se arket 'Fejl og mangler' i det samlede overblik.")


@app.command("indlaes")
def indlaes_cmd(
    sti: Annotated[list[Path], typer.Argument(help="Filer og mapper med returnerede skemaer (mapper gennemsøges).")],
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    aar: AarOpt = None,
):
    """Indlæs returnerede skemaer: arkivér, validér, gem og opdatér det samlede overblik."""
    from toolkit.returns.ingest import collect_files, ingest
    from toolkit.consolidate.year import consolidate

    from toolkit.store.lock import workspace_lock

    sd, defs = load_sd(stamdata), definitions(skemaer)
    files, _ = collect_files(sti)
    waiting = lambda: console.print("[yellow]En anden kørsel arbejder i mappen – venter …[/yellow]")  # noqa: E731
    with workspace_lock(mappe, on_wait=waiting), open_store(mappe) as store, progress() as bar:
        task = bar.add_task("Indlæser", total=len(files))
        report = ingest(sti, store, sd, defs, progress=lambda _i: bar.advance(task))
        years = sorted({s.aar for s in store.submissions() if s.aar}) if aar is None else [aar]
        paths = [consolidate(store, sd, defs, y, mappe) for y in years]
    table = Table(title="Indlæste filer")
    for col in ("Fil", "Skema", "Respondent", "Resultat", "Fejl"):
        table.add_column(col, overflow="fold")
    for it in report.items:
        n = sum(1 for i in it.issues if i.severity == "fejl")
        color = "green" if it.status in ("ny", "erstatter") and it.valid else (
            "red" if it.status == "afvist" or not it.valid else "yellow")
        table.add_row(it.file.name, it.skema, it.respondent, f"[{color}]{it.status}[/{color}]", str(n) if n else "")
    console.print(table)
    print_issues(report.items)
    console.print(f"{report.count('ny')} nye, {report.count('erstatter')} erstatter en tidligere, "
                  f"{report.count('allerede indlæst')} allerede indlæst, {report.count('afvist')} afvist, "
                  f"{report.count('sprunget over')} sprunget over.")
    for p in paths:
        console.print(f"Samlet overblik: {p}")
    if not report.ok:
        sys.exit(1)


@app.command("status")
def status_cmd(aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None,
               skemaer: SkabelonOpt = None):
    """Vis pr. skema, hvem der har svaret, hvem der mangler, og om fristen er overskredet."""
    from toolkit.rules.warnings import early_warnings

    y, sd, statuses, figures = year_figures(aar, mappe, stamdata, skemaer)
    for skema in dict.fromkeys(s.skema for s in statuses):
        st = [s for s in statuses if s.skema == skema]
        got = sum(s.status != "mangler" for s in st)
        frist = st[0].frist
        table = Table(title=f"{st[0].skema_navn} {y}: {got} af {len(st)} modtaget"
                            + (f" · frist {format_dato(frist)}" if frist else ""))
        for col in ("Modtager", "Status", "Modtaget"):
            table.add_column(col)
        for s in st:
            label = {"gyldig": "[green]modtaget[/green]", "fejl": "[yellow]modtaget, med fejl[/yellow]",
                     "mangler": "[red]mangler – overskredet[/red]" if s.overskredet else "mangler"}[s.status]
            table.add_row(s.modtager.navn, label, (s.modtaget or "")[:16].replace("T", " "))
        console.print(table)
    warnings = early_warnings(sd, y, figures)
    if any(warnings.values()):
        table = Table(title="Early warning")
        table.add_column("Tilbud")
        table.add_column("Signal", overflow="fold")
        for f in figures:
            for sig in warnings[f.tilbud_id]:
                table.add_row(f.navn, sig.text)
        console.print(table)


@app.command("samlet")
def samlet_cmd(aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None,
               skemaer: SkabelonOpt = None):
    """Skriv det samlede overblik (Excel) for året."""
    from toolkit.consolidate.year import consolidate

    y, sd, defs = setup(aar, stamdata, skemaer)
    with open_store(mappe) as store:
        path = consolidate(store, sd, defs, y, mappe)
    console.print(f"Samlet overblik skrevet: {path}")


@app.command("eksport")
def eksport_cmd(
    format: Annotated[str, typer.Option("--format", help="csv eller json.")] = "csv",
    ud: Annotated[Optional[Path], typer.Option("--ud", help="Fil at skrive til (standard: skærmen).")] = None,
    aar: Annotated[Optional[int], typer.Option("--aar", help="Kun dette år (standard: alle år).")] = None,
    mappe: MappeOpt = Path("."),
):
    """Eksportér alle gældende værdier i langt format (UTF-8) til BI-værktøjer."""
    from toolkit.store.export import export

    if format not in ("csv", "json"):
        raise UsageError(f"Ukendt format '{format}'. Brug csv eller json.")
    with open_store(mappe) as store:
        data = export(store.current_values(aar), format, ud)
    if ud:
        console.print(f"Eksporteret til {ud}")
    else:
        sys.stdout.write(data.decode("utf-8-sig"))


@app.command("historik")
def historik_cmd(respondent: Annotated[str, typer.Argument(help="Respondentens id (fx K851 eller T03).")],
                 mappe: MappeOpt = Path(".")):
    """Vis alle modtagne versioner og rettelser for en respondent."""
    with open_store(mappe) as store:
        subs = store.history(respondent)
        corrections = store.corrections(respondent)
    if not subs and not corrections:
        console.print(f"Ingen indlæste skemaer for '{respondent}'.")
        return
    table = Table(title=f"Historik for {respondent}")
    for col in ("År", "Skema", "Modtaget", "Fil", "Status", "Gældende"):
        table.add_column(col)
    for s in subs:
        table.add_row(str(s.aar), s.skema or "", s.received_at[:16].replace("T", " "), s.original_name, s.status,
                      "ja" if s.current else f"erstattet af #{s.superseded_by}" if s.superseded_by else "nej")
    console.print(table)
    for c in corrections:
        console.print(f"Rettelse {c['created_at'][:16].replace('T', ' ')}: {c['felt']} = {c['raw']!r} "
                      f"(begrundelse: {c['reason']})")


@app.command("ret")
def ret_cmd(
    respondent: Annotated[str, typer.Argument(help="Respondentens id.")],
    felt: Annotated[str, typer.Argument(help="Feltnøglen, fx aarsrapport.ydelse.T01-Y1.belaegning.2027.")],
    vaerdi: Annotated[str, typer.Argument(help="Den rettede værdi, som den ville være skrevet i skemaet.")],
    begrundelse: Annotated[str, typer.Option("--begrundelse", help="Hvorfor værdien rettes (fx telefonsamtale).")],
    aar: AarOpt = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
):
    """Ret en værdi efter aftale med respondenten; den oprindelige værdi bevares i historikken."""
    from toolkit.returns.corrections import correct_value
    from toolkit.store.lock import workspace_lock

    y, sd, defs = setup(aar, stamdata, skemaer)
    with workspace_lock(mappe), open_store(mappe) as store:
        value = correct_value(store, sd, defs, y, respondent, felt, vaerdi, begrundelse)
    console.print(f"Rettet: {felt} for {respondent} ({y}) = {value!r}. Kør 'skema samlet' for at opdatere overblikket.")


@app.command("rykkerliste")
def rykkerliste_cmd(aar: AarOpt = None, mappe: MappeOpt = Path("."), stamdata: StamdataOpt = None,
                    skemaer: SkabelonOpt = None):
    """Skriv de manglende respondenter med kontaktoplysninger til Excel."""
    from toolkit.consolidate.year import output_dir, write_reminder_list

    y, _sd, statuses, _figures = year_figures(aar, mappe, stamdata, skemaer)
    path, n = write_reminder_list(statuses, output_dir(mappe, y) / f"{y}_rykkerliste.xlsx")
    console.print(f"{n} manglende skemaer skrevet til {path}")


STATE_COLOR = {"udført": "green", "delvist": "yellow", "forfalden": "bold red", "nu": "bold yellow",
               "kommende": "white", "aflyst": "dim"}


@app.command("aarshjul")
def aarshjul_cmd(
    aar: AarOpt = None,
    ics: Annotated[Optional[Path], typer.Option("--ics", help="Skriv årshjulet som kalenderfil (.ics) til Outlook.")] = None,
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
):
    """Vis årets aktiviteter med datoer, og hvad der er udført, aktuelt eller forfaldent i dag."""
    import datetime as dt

    from toolkit.documents.calendar import write_calendar
    from toolkit.consolidate.cycle_state import year_cycle

    y, sd, defs = setup(aar, stamdata, skemaer)
    with open_store(mappe) as store:
        states = year_cycle(store, sd, defs, y, mappe, dt.date.today())
    table = Table(title=f"Årshjul {y} – {sd.region}")
    for col in ("Dato", "Aktivitet", "Status", "Bemærkning"):
        table.add_column(col, overflow="fold")
    for s in states:
        a = s.activity
        when = (f"{format_dato(a.start)} – " if a.start else "") + format_dato(a.dato)
        c = STATE_COLOR[s.state]
        note = "; ".join(dict.fromkeys(x for x in (s.detail, a.note) if x))
        table.add_row(when, a.titel, f"[{c}]{s.state}[/{c}]", note)
    console.print(table)
    if ics:
        write_calendar(ics, [s.activity for s in states], sd.region)
        console.print(f"Kalenderfil skrevet: {ics}")


@app.command("tjek")
def tjek_cmd(
    fil: Annotated[list[Path], typer.Argument(help="Filer eller mapper at kontrollere.")],
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
):
    """Kontrollér filer (sikkerhed, genkendelse, validering) uden at gemme noget."""
    from toolkit.returns.ingest import IngestItem, collect_files
    from toolkit.returns.isolation import IsolatedReader

    sd, defs = load_sd(stamdata), definitions(skemaer)
    files, skipped = collect_files(fil)
    items = list(skipped)
    with IsolatedReader(sd, defs) as reader:
        for f in files:
            res = reader(f, sd, defs, f.name)
            items.append(IngestItem(f, res.status, res.skema or "", res.modtager.navn if res.modtager else "",
                                    res.issues, res.valid))
    table = Table(title="Kontrol")
    for col in ("Fil", "Skema", "Respondent", "Resultat"):
        table.add_column(col, overflow="fold")
    for it in items:
        color = {"gyldig": "green", "fejl": "yellow", "afvist": "red"}.get(it.status, "white")
        table.add_row(it.file.name, it.skema, it.respondent, f"[{color}]{it.status}[/{color}]")
    console.print(table)
    print_issues(items)
    if any(not it.valid for it in items if it.status != "sprunget over"):
        sys.exit(1)
