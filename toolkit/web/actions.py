"""The actions (POST): each checks the form's CSRF token (the origin is checked by web.security),
calls one `Workspace` method — in the background when it takes long — and redirects to the result."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from toolkit import SkemaError
from toolkit.danish import parse_dato
from toolkit.fieldkeys import FORMS
from toolkit.web import pages
from toolkit.web.uploads import BadUpload, TooLarge, receive_upload

if TYPE_CHECKING:
    from toolkit.web.app import Site
    from toolkit.web.jobs import Job

DOCUMENTS = {"hoering", "rykkere", "bilag", "samlet"}


def forbidden() -> Response:
    return PlainTextResponse("Formularen er udløbet eller kom ikke fra denne side. Genindlæs siden.", status_code=403)


def generate(site: Site, request: Request, form: FormData) -> Response:
    if not site.token_ok(form):
        return forbidden()
    aar = site.year(request)
    only = [s for s in form.getlist("skema") if s in FORMS] or None
    overwrite = form.get("overskriv") == "ja"
    todo, _ = site.ws.planned_forms(aar, only)

    def work(job: Job):
        return site.ws.generate(aar, only, None, overwrite, progress=job.step)

    job = site.jobs.start("skemaer", f"Skemaer for {aar}", aar, work, total=len(todo))
    return pages.redirect(f"/job/{job.id}")


async def ingest(site: Site, request: Request) -> Response:
    try:
        upload = await receive_upload(request, site.settings.max_upload_bytes)
    except TooLarge:
        mb = site.settings.max_upload_bytes // (1024 * 1024)
        return PlainTextResponse(f"For meget på én gang: højst {mb} MB pr. indlæsning.", status_code=413)
    except BadUpload:
        return PlainTextResponse("Forespørgslen indeholdt ingen filer.", status_code=400)
    if not site.token_ok(upload.fields):
        upload.discard()
        return forbidden()
    if not upload.files:
        upload.discard()
        return site.render(request, "indlaes.html", status_code=400, error="Vælg en eller flere filer først.")
    aar = site.year(request)

    def work(job: Job):
        try:
            return site.ws.ingest(upload.files, progress=job.step, on_wait=lambda: _waiting(job))
        finally:
            upload.discard()

    job = site.jobs.start("indlaes", f"Indlæsning af {len(upload.files)} filer", aar, work, total=len(upload.files))
    return pages.redirect(f"/job/{job.id}?aar={aar}")


def _waiting(job: Job) -> None:
    job.title += " – venter på en anden kørsel i mappen"


def reminder_list(site: Site, request: Request, form: FormData) -> Response:
    if not site.token_ok(form):
        return forbidden()
    aar = site.year(request)
    path, _n = site.ws.reminder_list(aar, site.today)
    return pages.redirect(f"/hent/{aar}/aar/{quote(path.name)}")


def correct(site: Site, request: Request, form: FormData) -> Response:
    if not site.token_ok(form):
        return forbidden()
    aar = site.year(request)
    rid = request.path_params["rid"]
    felt, text, reason = (str(form.get(k, "")) for k in ("felt", "vaerdi", "begrundelse"))
    try:
        site.ws.correct(aar, rid, felt, text, reason)
    except SkemaError as exc:
        return pages.respondent(site, request, error=str(exc), status_code=400, form=dict(form))
    return pages.redirect(f"/respondent/{quote(rid)}?aar={aar}&rettet={quote(felt)}")


def document(site: Site, request: Request, form: FormData) -> Response:
    what = request.path_params["what"]
    if what not in DOCUMENTS:
        return pages.not_found()
    if not site.token_ok(form):
        return forbidden()
    aar = site.year(request)
    overwrite, pdf = form.get("overskriv") == "ja", form.get("pdf") == "ja" and site.has_libreoffice
    ws, today = site.ws, site.today
    if what == "samlet":
        job = site.jobs.start("dokumenter", f"Samlet overblik {aar}", aar, lambda j: [ws.consolidate(aar, today)])
        return pages.redirect(f"/job/{job.id}?aar={aar}")
    if what == "rykkere":
        job = site.jobs.start(
            "dokumenter", f"Rykkere {aar}", aar, lambda j: _paths(ws.rykkere(aar, overwrite, pdf, today))
        )
        return pages.redirect(f"/job/{job.id}?aar={aar}")
    key = "frist" if what == "hoering" else "moede"
    # the browser's date field sends 2028-05-10; a browser without one sends what the user typed
    text = str(form.get(key, "")).strip()
    day = parse_dato(text)
    if day is None:
        what_date = "Fristen" if what == "hoering" else "Mødedatoen"
        said = f"'{text}' er ikke en dato" if text else "mangler"
        return pages.dokumenter(
            site, request, error=f"{what_date} {said}. Skriv fx 10.05.2028 eller 10. maj 2028.", status_code=400
        )
    if what == "hoering":
        try:  # the date checks before the work starts: the message belongs on this page
            site.ws.check_hearing_deadline(aar, day, today)
        except SkemaError as exc:
            return pages.dokumenter(site, request, error=str(exc), status_code=400)
        job = site.jobs.start(
            "dokumenter",
            f"Høringsbreve {aar}",
            aar,
            lambda j: _paths(ws.hoering(aar, day, overwrite, pdf, today)),
        )
    else:
        job = site.jobs.start(
            "dokumenter", f"Bilag til DAS {aar}", aar, lambda j: _paths([ws.bilag(aar, day, overwrite, pdf)])
        )
    return pages.redirect(f"/job/{job.id}?aar={aar}")


def _paths(written) -> list:
    """Each written document, and its PDF beside it when one was made."""
    out = []
    for w in written:
        out.append(w.path)
        if w.path.with_suffix(".pdf").exists():
            out.append(w.path.with_suffix(".pdf"))
    return out
