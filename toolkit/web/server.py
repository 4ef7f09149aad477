"""Start the server: bind the socket first (so the address is known, also for port 0, and the page
can be opened at once), then let uvicorn serve it until Ctrl+C."""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn

from toolkit import UsageError, Workspace
from toolkit.web.app import Settings, create_app
from toolkit.web.security import ANY_ADDRESS, LOOPBACK


def check_host(host: str, password: str | None) -> None:
    """Only this machine may reach the page unless a password guards it."""
    if host not in LOOPBACK and not password:
        raise UsageError(
            f"--vaert {host or '0.0.0.0'} gør siden synlig for andre maskiner på netværket. Sæt en adgangskode i "
            "miljøvariablen SKEMA_WEB_ADGANGSKODE først; så beder hver side om den."
        )


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"Kan ikke lytte på {host}:{port} ({exc.strerror or exc}). Er 'skema web' allerede startet? "
            "Vælg en anden port med --port."
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ANY_ADDRESS else host
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"


def serve(
    ws: Workspace,
    host: str = "127.0.0.1",
    port: int = 8765,
    password: str | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve `ws` on host:port until interrupted; `on_ready(url)` once the socket listens."""
    check_host(host, password)
    sock = bind(host, port)
    actual = sock.getsockname()[1]
    app = create_app(ws, Settings(host=host, port=actual, password=password))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    if on_ready:
        on_ready(url_of(host, actual))
    try:
        server.run(sockets=[sock])
    finally:
        app.state.site.jobs.shutdown()
        sock.close()
