"""The web application: its settings, the site every page renders with, and the routes."""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from toolkit import SkemaError, Workspace, YearData, default_year
from toolkit.danish import format_dato
from toolkit.web import actions, pages
from toolkit.web.jobs import Jobs
from toolkit.web.security import Guard, new_token, same_token, served_names
from toolkit.web.uploads import MAX_UPLOAD_BYTES

HERE = Path(__file__).parent
NAV = [
    ("Årshjul", "/"),
    ("Skemaer", "/skemaer"),
    ("Indlæs", "/indlaes"),
    ("Status", "/status"),
    ("Dokumenter", "/dokumenter"),
]
STATIC = {"skema.css": "text/css; charset=utf-8"}
MAX_FORM_BYTES = 64 * 1024  # a form of our own pages (the uploads have their own limit)


@dataclass
class Settings:
    """Where the server listens and what it guards with."""

    host: str = "127.0.0.1"
    port: int = 8765
    password: str | None = None
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    csrf: str = field(default_factory=new_token)
    today: dt.date | None = None  # for tests and the benchmark; None: the real today


class Site:
    """What every page needs: the workspace, the jobs, the templates and the CSRF token."""

    def __init__(self, ws: Workspace, settings: Settings):
        self.ws = ws
        self.settings = settings
        self.jobs = Jobs()
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
        )
        self.env.filters["dato"] = lambda d: format_dato(d) if d else ""
        self.env.filters["tid"] = lambda s: (s or "")[:16].replace("T", " ")
        self.env.filters["kb"] = lambda n: f"{max(1, round(n / 1024))} kB"
        self.env.filters["vaerdi"] = _value_text
        self.has_libreoffice = bool(shutil.which("soffice") or shutil.which("libreoffice"))
        self._cache: dict[tuple, tuple[tuple, Any]] = {}
        self._cache_lock = threading.Lock()

    def year_data(self, aar: int) -> YearData:
        return self._cached(("year_data", aar, self.today), lambda: self.ws.year_data(aar, self.today))

    def _cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """Reading a year's values takes a second at national scale; pages read them again only when
        the store has changed since (any run that writes — a tab, a command — changes the database
        file or its write-ahead log)."""
        stamp = self._store_stamp()
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == stamp:
                return hit[1]
        value = compute()
        with self._cache_lock:
            if any(old != stamp for old, _ in self._cache.values()):
                self._cache.clear()
            self._cache[key] = (stamp, value)
        return value

    def _store_stamp(self) -> tuple:
        out: list[tuple[int, int] | None] = []
        db = self.ws.store_file
        for path in (db, db.with_name(db.name + "-wal")):
            try:
                st = path.stat()
                out.append((st.st_mtime_ns, st.st_size) if st.st_size else None)  # an empty log: nothing new
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

    @property
    def today(self) -> dt.date:
        return self.settings.today or dt.date.today()

    def year(self, request: Request) -> int:
        text = request.query_params.get("aar", "")
        if text.isdigit() and 2000 <= int(text) <= 2100:
            return int(text)
        return default_year(self.today)

    def render(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        aar = context.setdefault("aar", self.year(request))
        base = default_year(self.today)
        html = self.env.get_template(name).render(
            request=request,
            nav=NAV,
            path=request.url.path,
            csrf=self.settings.csrf,
            years=list(range(base - 3, base + 2)) if aar in range(base - 3, base + 2) else sorted({aar, base}),
            folder=self.ws.folder.resolve(),
            example=self.ws.uses_example,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def token_ok(self, fields: Any) -> bool:
        return same_token(fields.get("csrf"), self.settings.csrf)


def _value_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.strftime("%d.%m.%Y")
    if isinstance(v, bool):
        return "Ja" if v else "Nej"
    if isinstance(v, (int, float)):  # Danish digits, every decimal the value has: 1.234,25
        return f"{v:,.12g}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return str(v)


def create_app(ws: Workspace, settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    site = Site(ws, settings)

    def bind(handler):
        """Pages read the store and write files: they run in the thread pool, never on the event
        loop, so one slow page does not hold up the others. The upload reads its body first."""

        async def endpoint(request: Request) -> Response:
            if inspect.iscoroutinefunction(handler):
                return await handler(site, request)
            return await run_in_threadpool(handler, site, request)

        return endpoint

    def action(handler):
        """A POST from one of our forms: the (small, urlencoded) form is read here, the work runs
        in the thread pool."""

        async def endpoint(request: Request) -> Response:
            length = request.headers.get("content-length", "")
            if not length.isdigit() or int(length) > MAX_FORM_BYTES:
                return PlainTextResponse("Formularen er for stor.", status_code=413)
            form = await request.form(max_files=0, max_fields=50)
            return await run_in_threadpool(handler, site, request, form)

        return endpoint

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("Findes ikke.", status_code=404)
        return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])

    async def skema_error(request: Request, exc: Exception) -> Response:
        """A problem in stamdata or the definitions met while making a page (an årshjul out of order):
        the commands' one Danish line, on a page."""
        return site.render(request, "fejl.html", status_code=500, error=str(exc))

    routes = [
        Route("/", bind(pages.aarshjul)),
        Route("/aarshjul.ics", bind(pages.calendar)),
        Route("/skemaer", bind(pages.skemaer)),
        Route("/skemaer/dan", action(actions.generate), methods=["POST"]),
        Route("/skemaer/{aar:int}/alle.zip", bind(pages.forms_zip)),
        Route("/indlaes", bind(pages.indlaes)),
        Route("/indlaes", bind(actions.ingest), methods=["POST"]),
        Route("/status", bind(pages.status)),
        Route("/status/rykkerliste", action(actions.reminder_list), methods=["POST"]),
        Route("/respondent/{rid}", bind(pages.respondent)),
        Route("/respondent/{rid}/ret", action(actions.correct), methods=["POST"]),
        Route("/dokumenter", bind(pages.dokumenter)),
        Route("/dokumenter/{what}", action(actions.document), methods=["POST"]),
        Route("/eksport.{fmt}", bind(pages.export)),
        Route("/job/{job_id}", bind(pages.job)),
        Route("/hent/{aar:int}/{kind}/{name}", bind(pages.download)),
        Route("/static/{name}", static),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={SkemaError: skema_error},
        middleware=[
            Middleware(Guard, names=served_names(settings.host), port=settings.port, password=settings.password)
        ],
    )
    app.state.site = site
    return app
