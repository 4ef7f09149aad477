"""`skema web`: the year in a local browser page."""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.common import MappeOpt, SkabelonOpt, StamdataOpt, TemplatesOpt, app, console, workspace

PASSWORD_ENV = "SKEMA_WEB_ADGANGSKODE"


@app.command("web")
def web_cmd(
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", help="Porten siden lytter på (0: en ledig port).")
    ] = 8765,
    uden_browser: Annotated[
        bool, typer.Option("--uden-browser", help="Åbn ikke siden i browseren (adressen skrives på skærmen).")
    ] = False,
    vaert: Annotated[
        str,
        typer.Option(
            "--vaert",
            metavar="ADRESSE",
            help="Adressen siden lytter på (standard 127.0.0.1: kun denne maskine). Andre adresser, fx 0.0.0.0, "
            f"kræver en adgangskode i miljøvariablen {PASSWORD_ENV}; så beder hver side om den.",
        ),
    ] = "127.0.0.1",
    mappe: MappeOpt = Path("."),
    stamdata: StamdataOpt = None,
    skemaer: SkabelonOpt = None,
    skabeloner: TemplatesOpt = None,
):
    """Start en lokal webside med hele årets gang: årshjul, skemaer, indlæsning, status og dokumenter."""
    from toolkit.web import serve

    ws = workspace(mappe, stamdata, skemaer, skabeloner)

    def ready(url: str) -> None:
        console.print(f"skema web kører på {url}  (stop med Ctrl+C)", highlight=False, soft_wrap=True)
        if not uden_browser:
            webbrowser.open(url)

    serve(ws, vaert, port, os.environ.get(PASSWORD_ENV) or None, on_ready=ready)
