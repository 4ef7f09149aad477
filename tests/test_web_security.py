"""`skema web` refuses what a local server must refuse, against the running server: a foreign Host
header (DNS rebinding), a POST without the form's token or from another origin, path traversal in
upload names and download links, an oversized upload and a zip bomb — each with the right status
and nothing stored."""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import zipfile
from urllib.parse import quote

import pytest

from toolkit import Workspace

from web_server import AAR, build_folder, csrf_of, multipart, request, running_server


@pytest.fixture(scope="session")
def site(tmp_path_factory, sd, defs):
    """One server for this file's tests, in a folder with generated forms and no returns."""
    root = tmp_path_factory.mktemp("web_sikkerhed")
    folder = root / "mappe"
    returns = build_folder(folder, root / "indbakke", sd, defs)
    (root / "hemmelig.txt").write_text("uden for mappen", encoding="utf-8")
    with running_server(folder) as url:
        yield url, folder, returns


def _stored(folder) -> tuple:
    """What the folder holds: submissions, current values, corrections and archived files."""
    ws = Workspace(folder)
    with ws.store() as store:
        subs, corrections = len(store.submissions()), len(store.corrections())
    archive = folder / "arkiv"
    archived = sum(p.is_file() for p in archive.rglob("*")) if archive.exists() else 0
    return subs, len(ws.current_values(AAR)), corrections, archived


def _origin(url):
    return {"Origin": url}


def test_a_foreign_host_header_is_refused(site):
    url, folder, _ = site
    status, _, body = request(url, "GET", "/", headers={"Host": "angriber.example:80"})
    assert status == 421 and "Host" in body.decode()
    port = url.rsplit(":", 1)[1]
    status, _, _ = request(url, "GET", "/", headers={"Host": f"rebind.example:{port}"})
    assert status == 421
    status, _, _ = request(url, "GET", "/", headers={"Host": f"127.0.0.1:{int(port) + 1}"})
    assert status == 421
    status, headers, _ = request(url, "GET", "/status?aar=2028")
    assert status == 200 and "frame-ancestors 'none'" in headers["content-security-policy"]


def test_a_post_without_token_or_from_another_origin_changes_nothing(site):
    url, folder, _ = site
    before = _stored(folder)
    _, _, page = request(url, "GET", f"/status?aar={AAR}")
    token = csrf_of(page)
    form = "felt=kommune.kontaktperson&vaerdi=x&begrundelse=y"
    ctype = {"Content-Type": "application/x-www-form-urlencoded"}
    path = f"/respondent/K825/ret?aar={AAR}"
    # no token
    status, _, _ = request(url, "POST", path, form.encode(), {**ctype, **_origin(url)})
    assert status == 403
    # a wrong token
    status, _, _ = request(url, "POST", path, f"{form}&csrf=gaet".encode(), {**ctype, **_origin(url)})
    assert status == 403
    # the right token, but from another site, or with no origin at all
    for headers in ({"Origin": "http://angriber.example"}, {"Referer": "http://angriber.example/side"}, {}):
        status, _, _ = request(url, "POST", path, f"{form}&csrf={token}".encode(), {**ctype, **headers})
        assert status == 403, headers
    # a GET never changes anything: the action is not there
    status, _, _ = request(url, "GET", f"{path}&felt=kommune.kontaktperson&vaerdi=x&begrundelse=y&csrf={token}")
    assert status == 405
    # generating forms and ingesting are refused the same way
    status, _, _ = request(url, "POST", f"/skemaer/dan?aar={AAR}", b"overskriv=ja", {**ctype, **_origin(url)})
    assert status == 403
    body, mtype = multipart({}, [("x.xlsx", b"PK\x03\x04")])
    status, _, _ = request(url, "POST", "/indlaes", body, {"Content-Type": mtype, **_origin(url)})
    assert status == 403
    # a form of our own is small: a huge one is refused before it is read
    big = f"{form}&csrf={token}&fyld={'x' * 100_000}".encode()
    status, _, _ = request(url, "POST", path, big, {**ctype, **_origin(url)})
    assert status == 413
    assert _stored(folder) == before


def _upload(url, files, token=None):
    if token is None:
        token = csrf_of(request(url, "GET", "/indlaes")[2])
    body, mtype = multipart({"csrf": token}, files)
    return request(url, "POST", f"/indlaes?aar={AAR}", body, {"Content-Type": mtype, **_origin(url)})


def _finished_job(url, location):
    """The job page once the work is done (it reloads itself while the job runs)."""
    sep = "&" if "?" in location else "?"
    for _ in range(10):
        status, _, page = request(url, "GET", f"{location}{sep}vent=60")  # answers when the job is done
        assert status == 200
        if b'http-equiv="refresh"' not in page:
            return page.decode()
    raise AssertionError("the job did not finish in ten minutes")


def test_an_oversized_upload_is_refused_before_it_is_read(site):
    url, folder, _ = site
    before = _stored(folder)
    token = csrf_of(request(url, "GET", "/indlaes")[2])
    body, mtype = multipart({"csrf": token}, [("stor.xlsx", b"PK\x03\x04")])
    # the declared length is over the limit: refused from the headers alone, the body never sent
    status, _, text = request(
        url,
        "POST",
        "/indlaes",
        b"",
        {"Content-Type": mtype, "Content-Length": str(10**12), **_origin(url)},
    )
    assert status == 413 and "MB" in text.decode()
    assert _stored(folder) == before


def test_path_traversal_in_upload_names_stays_in_the_upload_folder(site, tmp_path):
    url, folder, _ = site
    names = ["../../../udenfor.xlsx", "..\\..\\udenfor2.xlsx", "/etc/udenfor3.xlsx", "....//udenfor4.xlsx"]
    token = csrf_of(request(url, "GET", "/indlaes")[2])
    body, mtype = multipart({"csrf": token}, [(n, b"not a spreadsheet " + n.encode()) for n in names])
    status, headers, _ = request(url, "POST", f"/indlaes?aar={AAR}", body, {"Content-Type": mtype, **_origin(url)})
    assert status == 303
    page = _finished_job(url, headers["location"])
    assert page.count("afvist") >= 4  # each read as a file of its own, refused as not a spreadsheet
    for n in ("udenfor.xlsx", "udenfor2.xlsx", "udenfor3.xlsx", "udenfor4.xlsx"):
        assert n in page
        assert not list(folder.parent.rglob(n)) and not (folder / n).exists()
        assert not list(folder.parent.parent.glob(n))
    assert Workspace(folder).current_values(AAR) == []  # refused files store no value


def test_path_traversal_in_download_links_is_not_found(site):
    url, folder, _ = site
    form = next((folder / "output" / str(AAR) / "skemaer").glob("*.xlsx")).name
    assert request(url, "GET", f"/hent/{AAR}/skemaer/{quote(form)}")[0] == 200
    for path in (
        f"/hent/{AAR}/skemaer/..%2F..%2F..%2Fhemmelig.txt",
        f"/hent/{AAR}/skemaer/../../skema.sqlite",
        f"/hent/{AAR}/skemaer/%2E%2E",
        f"/hent/{AAR}/..%2F..%2F/skema.sqlite",
        f"/hent/{AAR}/skemaer/skema.sqlite",
        f"/hent/{AAR}/aar/..%5C..%5Cskema.sqlite",
        "/static/..%2F..%2Fworkspace.py",
        "/static/",
        f"/hent/{AAR}/skemaer/",
        "/hent/",
    ):
        status, _, body = request(url, "GET", path)
        assert status == 404, path
        assert b"uden for mappen" not in body and b"SQLite" not in body


def _zip_bomb() -> bytes:
    """A small .xlsx whose one part unpacks to 20 MB of zeros (packed about 1:1000)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(20):
                part.write(chunk)
    return buf.getvalue()


def test_a_zip_bomb_upload_is_refused_and_no_value_stored(site):
    url, folder, _ = site
    subs, values, corrections, _archived = _stored(folder)
    bomb = _zip_bomb()
    assert len(bomb) < 1024 * 1024
    status, headers, _ = _upload(url, [("bombe.xlsx", bomb)])
    assert status == 303
    page = _finished_job(url, headers["location"])
    assert re.search(r"bombe\.xlsx.*afvist", page, re.S) and "zip-bombe" in page
    # no value, no answer: the refused file is recorded as refused (the audit trail), as from disk
    assert _stored(folder)[:3] == (subs + 1, values, corrections)
    with Workspace(folder).store() as store:
        assert store.submissions()[-1].refused and store.submissions()[-1].original_name == "bombe.xlsx"


def test_a_password_is_asked_on_every_page_and_needed_for_other_addresses(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "toolkit", "web", "--uden-browser", "--vaert", "0.0.0.0", "--mappe", str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "SKEMA_WEB_ADGANGSKODE": ""},
        timeout=120,
    )
    assert r.returncode == 2 and "SKEMA_WEB_ADGANGSKODE" in r.stderr
    with running_server(tmp_path, "--vaert", "0.0.0.0", env={"SKEMA_WEB_ADGANGSKODE": "hemmelig æble"}) as url:
        for path in ("/", "/status", "/static/skema.css", "/hent/2028/aar/x.xlsx"):
            status, headers, _ = request(url, "GET", path)
            assert status == 401 and headers["www-authenticate"].startswith("Basic"), path
        wrong = base64.b64encode(b"x:forkert").decode()
        assert request(url, "GET", "/", headers={"Authorization": f"Basic {wrong}"})[0] == 401
        right = base64.b64encode("x:hemmelig æble".encode()).decode()
        assert request(url, "GET", "/?aar=2028", headers={"Authorization": f"Basic {right}"})[0] == 200


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("2028_kommune_aalborg.xlsx", "2028_kommune_aalborg.xlsx"),
        ("../../../etc/passwd.xlsx", "passwd.xlsx"),
        ("..\\..\\Windows\\svar.xlsx", "svar.xlsx"),
        ("C:\\Users\\sekr\\Skrivebord\\svar æøå.xlsx", "svar æøå.xlsx"),
        ("..", "fil7"),
        (".skjult.xlsx", "skjult.xlsx"),
        ("svar\x00.xlsx", "svar.xlsx"),
        ('a<b>c:"d|e?f*.xlsx', "abcdef.xlsx"),
        ("", "fil7"),
        (None, "fil7"),
        ("x" * 300 + ".xlsx", "x" * 115 + ".xlsx"),
    ],
)
def test_an_upload_name_becomes_one_clean_file_name(sent, kept):
    from toolkit.web.uploads import clean_name

    assert clean_name(sent, 7) == kept


@pytest.mark.parametrize(
    "bound, host, ok",
    [
        ("127.0.0.1", "127.0.0.1:8765", True),
        ("127.0.0.1", "localhost:8765", True),
        ("127.0.0.1", "[::1]:8765", True),
        ("127.0.0.1", "LOCALHOST:8765", True),
        ("127.0.0.1", "127.0.0.1:8766", False),
        ("127.0.0.1", "127.0.0.1", False),
        ("127.0.0.1", "angriber.example:8765", False),
        ("127.0.0.1", "127.0.0.1.nip.io:8765", False),
        ("127.0.0.1", "", False),
        ("192.168.1.20", "192.168.1.20:8765", True),
        ("192.168.1.20", "localhost:8765", False),
    ],
)
def test_the_host_header_must_name_the_address_served(bound, host, ok):
    from toolkit.web.security import Guard, served_names

    assert Guard(None, served_names(bound), 8765).allowed_host(host) is ok
