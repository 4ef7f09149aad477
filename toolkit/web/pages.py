"""The pages (GET): each reads through `Workspace` and renders one template. Nothing here writes."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response

from toolkit import AnswerStatus, FileResult
from toolkit.web.downloads import MEDIA, find, listing

if TYPE_CHECKING:
    from toolkit.web.app import Site

# the next thing to do: activity key -> (button, page)
NEXT = {
    "udsendelse": ("Dan skemaer", "/skemaer"),
    "vurdering_fortsat": ("Se status", "/status"),
    "indmelding": ("Indlæs svar", "/indlaes"),
    "udmelding": ("Indlæs svar", "/indlaes"),
    "kommune": ("Indlæs svar", "/indlaes"),
    "aarsrapport": ("Indlæs svar", "/indlaes"),
    "ekspertpanel": ("Se status og early warning", "/status"),
    "ekspertpanel_status": ("Se status og early warning", "/status"),
    "hoering": ("Skriv høringsbreve", "/dokumenter#hoering"),
    "das": ("Skriv bilag til DAS", "/dokumenter#bilag"),
    "rammeaftale": ("Se dokumenter", "/dokumenter"),
}  # the start of an agreement period is news, not a task
URGENT = ("forfalden", "nu", "delvist")
FORM_RESULT_CLASS = {
    FileResult.NY: "ok",
    FileResult.ERSTATTER: "ok",
    FileResult.GYLDIG: "ok",
    FileResult.AELDRE: "advarsel",
    FileResult.ALLEREDE: "advarsel",
    FileResult.FEJL: "advarsel",
    FileResult.SPRUNGET_OVER: "advarsel",
    FileResult.AFVIST: "fejl",
}


def not_found(text: str = "Siden findes ikke.") -> Response:
    return PlainTextResponse(text, status_code=404)


def aarshjul(site: Site, request: Request) -> Response:
    aar = site.year(request)
    states = site.ws.cycle(aar, site.today)
    actionable = [s for s in states if s.activity.key in NEXT]
    todo = next((s for s in actionable if s.state in URGENT), None) or next(
        (s for s in actionable if s.state == "kommende"), None
    )
    action = NEXT.get(todo.activity.key) if todo else None
    return site.render(
        request, "aarshjul.html", aar=aar, states=states, todo=todo, action=action, region=site.ws.sd.region
    )


def calendar(site: Site, request: Request) -> Response:
    aar = site.year(request)
    with tempfile.TemporaryDirectory() as d:
        data = site.ws.calendar(aar, Path(d) / f"aarshjul_{aar}.ics").read_bytes()
    return Response(data, media_type=MEDIA[".ics"], headers=_attachment(f"aarshjul_{aar}.ics"))


def skemaer(site: Site, request: Request) -> Response:
    aar = site.year(request)
    planned, skipped = site.ws.planned_forms(aar)
    counts: dict[str, int] = defaultdict(int)
    names = {}
    for defn, _m in planned:
        names[defn.skema] = defn.navn
        counts[defn.skema] += 1
    files = listing(site.ws, aar, "skemaer")
    made: dict[str, list] = defaultdict(list)
    for f in files:
        parts = f.name.split("_")
        made[parts[1] if len(parts) > 2 else ""].append(f)
    types = [(t, names[t], counts[t], made.get(t, [])) for t in names]
    return site.render(request, "skemaer.html", aar=aar, types=types, skipped=skipped, files=files)


def forms_zip(site: Site, request: Request) -> Response:
    aar = request.path_params["aar"]
    only = request.query_params.get("skema")
    files = [f for f in listing(site.ws, aar, "skemaer") if not only or f.name.split("_")[1:2] == [only]]
    if not files:
        return not_found("Der er ingen dannede skemaer at hente.")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            path = find(site.ws, aar, "skemaer", f.name)
            if path is not None:
                z.write(path, f.name)
    name = f"skemaer_{aar}{'_' + only if only else ''}.zip"
    return Response(buf.getvalue(), media_type="application/zip", headers=_attachment(name))


def indlaes(site: Site, request: Request) -> Response:
    return site.render(request, "indlaes.html", limit_mb=site.settings.max_upload_bytes // (1024 * 1024))


def status(site: Site, request: Request) -> Response:
    aar = site.year(request)
    data = site.year_data(aar)
    forms = []
    by_form: dict[str, list] = defaultdict(list)
    for s in data.statuses:
        by_form[s.skema].append(s)
    for skema, rows in by_form.items():
        got = sum(s.status != AnswerStatus.MANGLER for s in rows)
        errors = sum(s.status == AnswerStatus.FEJL for s in rows)
        forms.append((skema, rows[0].skema_navn, rows[0].frist, got, errors, len(rows), rows))
    signals = [(f, sig) for f in data.figures for sig in data.warnings.get(f.tilbud_id, [])]
    return site.render(
        request,
        "status.html",
        aar=aar,
        forms=forms,
        signals=signals,
        today=site.today,
    )


def respondent(site: Site, request: Request, error: str = "", status_code: int = 200, form=None) -> Response:
    aar = site.year(request)
    rid = request.path_params["rid"]
    subs, corrections = site.ws.history(rid)
    this_year = [s for s in subs if s.aar == aar]
    # the year's values are read once for Status and every respondent (cached until the store changes)
    values = [v for v in site.year_data(aar).values if v.respondent_id == rid] if this_year else []
    navn = next((s.respondent_navn for s in reversed(subs) if s.respondent_navn), rid)
    return site.render(
        request,
        "respondent.html",
        status_code=status_code,
        aar=aar,
        rid=rid,
        navn=navn,
        subs=subs,
        corrections=[c for c in corrections if c["aar"] == aar],
        values=values,
        error=error,
        form=form or {},
        rettet=request.query_params.get("rettet", ""),
    )


def dokumenter(site: Site, request: Request, error: str = "", status_code: int = 200) -> Response:
    aar = site.year(request)
    dates = {s.activity.key: s.activity.dato for s in site.ws.cycle(aar, site.today)}
    year_files = listing(site.ws, aar, "aar")
    return site.render(
        request,
        "dokumenter.html",
        status_code=status_code,
        aar=aar,
        error=error,
        hoering_frist=dates.get("hoering"),
        das=dates.get("das"),
        hoering=listing(site.ws, aar, "hoering"),
        rykkere=listing(site.ws, aar, "rykkere"),
        bilag=[f for f in year_files if "_bilag_das_" in f.name],
        samlet=next((f for f in year_files if f.name == f"{aar}_samlet.xlsx"), None),
        rykkerliste=next((f for f in year_files if f.name == f"{aar}_rykkerliste.xlsx"), None),
        has_libreoffice=site.has_libreoffice,
    )


def export(site: Site, request: Request) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        return not_found()
    aar = site.year(request)
    data = site.ws.export(fmt, None, aar)
    return Response(data, media_type=MEDIA[f".{fmt}"], headers=_attachment(f"skema_{aar}.{fmt}"))


def job(site: Site, request: Request) -> Response:
    j = site.jobs.get(request.path_params["job_id"])
    if j is None:
        return not_found("Opgaven findes ikke (serveren er måske startet igen).")
    wait = request.query_params.get("vent", "")
    if wait.isdigit():  # ?vent=N: answer when the job is done, or after N seconds (at most a minute)
        j.finished.wait(min(int(wait), 60))
    state = j.state  # read once: the worker may finish while the page is drawn (a page without its report)
    extra = {}
    if j.kind == "indlaes" and state == "færdig":
        extra = ingest_view(site, j.result)
    return site.render(request, "job.html", aar=j.aar, job=j, state=state, classes=FORM_RESULT_CLASS, **extra)


def ingest_view(site: Site, result) -> dict:
    """The per-file report and the respondents it changed, with links to their pages."""
    report, written = result
    ids = {}
    for y in sorted({it.aar for it in report.items if it.aar}):
        for s in site.year_data(y).statuses:
            ids[(y, s.skema, s.modtager.navn)] = s.modtager.id
    changed = {FileResult.NY, FileResult.ERSTATTER, FileResult.AELDRE}
    links = {it.file.name: ids.get((it.aar, it.skema, it.respondent)) for it in report.items if it.status in changed}
    issues = [(it.file.name, i) for it in report.items for i in it.issues]
    c = report.count
    summary = (  # the sentence `skema indlaes` ends with
        f"{c(FileResult.NY)} nye, {c(FileResult.ERSTATTER)} erstatter en tidligere, {c(FileResult.AELDRE)} ældre "
        f"version, {c(FileResult.ALLEREDE)} allerede indlæst, {c(FileResult.AFVIST)} afvist, "
        f"{c(FileResult.SPRUNGET_OVER)} sprunget over."
    )
    if not report.read_any:
        summary = "Ingen regneark fundet blandt filerne. " + summary
    return {"report": report, "written": written, "links": links, "issues": issues, "summary": summary}


def download(site: Site, request: Request) -> Response:
    p = request.path_params
    path = find(site.ws, p["aar"], p["kind"], p["name"])
    if path is None:
        return not_found("Filen findes ikke.")
    return FileResponse(path, media_type=MEDIA.get(path.suffix.lower()), filename=path.name)


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
