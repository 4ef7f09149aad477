"""The checks every request passes before a page sees it, because a local server is still a server:

- the Host header must name the address the server serves (a page on another site that rebinds its
  DNS name to 127.0.0.1 sends its own name: refused, 421);
- with a password (a shared machine, `--vaert 0.0.0.0`) every request must carry it (HTTP Basic,
  401 asks the browser for it);
- a request that changes anything is a POST from our own pages: its Origin (or, without one, its
  Referer) must be ours (403), and it must carry the form's CSRF token (checked by the page, 403);
- every response says: no framing, no sniffing, scripts and styles only from this server."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = {"GET", "HEAD"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
ANY_ADDRESS = {"0.0.0.0", "::", ""}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def served_names(host: str) -> set[str]:
    """The host names a browser may use for a server bound to `host`."""
    if host in LOOPBACK:
        return set(LOOPBACK)
    if host not in ANY_ADDRESS:
        return {host.lower()}
    names = set(LOOPBACK)
    try:
        hostname = socket.gethostname()
        names |= {hostname.lower(), socket.getfqdn().lower()}
        names |= set(socket.gethostbyname_ex(hostname)[2])
    except OSError:
        pass
    return names


def _host_port(value: str) -> tuple[str, str]:
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8765
        host, _, rest = value[1:].partition("]")
        return host, rest.removeprefix(":")
    host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    return host, port


class Guard:
    """ASGI middleware: Host, password, same origin; security headers on every response."""

    def __init__(self, app: ASGIApp, names: Iterable[str], port: int, password: str | None = None):
        self.app = app
        self.names = {n.lower() for n in names}
        self.port = str(port)
        self.password = password

    def allowed_host(self, value: str | None) -> bool:
        if not value:
            return False
        host, port = _host_port(value)
        return host in self.names and (port == self.port or (not port and self.port == "80"))

    def authorised(self, headers: Headers) -> bool:
        if self.password is None:
            return True
        scheme, _, data = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            _, _, given = base64.b64decode(data, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return hmac.compare_digest(given.encode(), self.password.encode())

    def same_origin(self, headers: Headers) -> bool:
        source = headers.get("origin") or headers.get("referer")
        if not source or source == "null":
            return False
        parts = urlsplit(source)
        return parts.scheme == "http" and self.allowed_host(parts.netloc) and parts.netloc == headers.get("host")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + HEADERS
            await send(message)

        if not self.allowed_host(headers.get("host")):
            refusal = PlainTextResponse("Ukendt værtsnavn i forespørgslen (Host).", status_code=421)
        elif not self.authorised(headers):
            refusal = PlainTextResponse(
                "Adgangskode kræves.",
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="skema", charset="UTF-8"'},
            )
        elif scope["method"] not in SAFE_METHODS and not self.same_origin(headers):
            refusal = PlainTextResponse("Forespørgslen kom ikke fra denne side.", status_code=403)
        else:
            await self.app(scope, receive, send_secured)
            return
        await refusal(scope, receive, send_secured)
