"""Helpers for the web tests: a working folder with generated forms and filled returns, `skema web`
started on a free port in it, and raw HTTP requests (every header under the test's control)."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from toolkit import Workspace

from fill import answered_copy, fill_form

AAR = 2028
SCRIPT = "<script>alert('skema')</script>"
URL_LINE = re.compile(r"skema web kører på (http://[^ ]+)")


@dataclass
class Returns:
    valid: Path  # a complete kommune return
    script: Path  # complete, with a <script> text as the contact person
    with_error: Path  # lacks required answers
    valid_id: str
    script_id: str


def build_folder(folder: Path, inbox: Path, sd, defs) -> Returns:
    """A working folder with this year's kommune forms generated (recorded as sent), and three
    filled returns in `inbox`."""
    results, _skipped, out = Workspace(folder).generate(AAR, ["kommune"])
    forms = sorted(results, key=lambda r: r.modtager_id)
    inbox.mkdir(parents=True, exist_ok=True)
    a, b, c = forms[0], forms[1], forms[2]
    valid = answered_copy(a.path, inbox / a.path.name, sd, defs, AAR)
    script = answered_copy(b.path, inbox / b.path.name, sd, defs, AAR)
    fill_form(script, {"kommune.kontaktperson": SCRIPT})
    with_error = fill_form(
        c.path, {"kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": "2,5"}, inbox / c.path.name
    )
    return Returns(valid, script, with_error, a.modtager_id, b.modtager_id)


@contextmanager
def running_server(folder: Path, *args: str, env: dict | None = None):
    """`skema web --uden-browser --port 0` in `folder`; yields its address once it listens."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "web", "--uden-browser", "--port", "0", "--mappe", str(folder), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    drain = None
    try:
        url, seen = None, []
        for line in proc.stdout:  # the address is printed once the socket listens
            seen.append(line)
            if m := URL_LINE.search(line):
                url = m.group(1).rstrip("/")
                break
        assert url, "".join(seen)
        # keep reading what the server prints, so that a full pipe never stops it
        drain = threading.Thread(target=proc.stdout.read, daemon=True)
        drain.start()
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if drain is not None:
            drain.join(timeout=30)
        proc.stdout.close()


def request(url: str, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    """(status, headers, body) of one request with exactly the headers given (plus Host unless
    given)."""
    parts = urlsplit(url)
    con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        con.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        hdrs = {"Host": parts.netloc, **(headers or {})}
        if body or method == "POST":
            hdrs.setdefault("Content-Length", str(len(body)))
        for k, v in hdrs.items():
            con.putheader(k, v)
        con.endheaders()
        if body:
            con.send(body)
        resp = con.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        con.close()


def multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body with `fields` and `files` (name, bytes) under the field 'filer'."""
    boundary = uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for name, data in files:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="filer"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def csrf_of(html: bytes) -> str:
    return re.search(rb'name="csrf" value="([^"]+)"', html).group(1).decode()
