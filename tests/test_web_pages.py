"""The pages' actions over HTTP against a running `skema web`: generating forms, the documents with
the same date checks as the commands, a correction refused with `skema ret`'s message, the
downloads, and an upload that waits for another run holding the folder's lock."""

from __future__ import annotations

import io
import json
import re
import zipfile
from urllib.parse import urlencode

import openpyxl
import pytest

from toolkit import Workspace

from web_server import AAR, build_folder, csrf_of, multipart, request, running_server


@pytest.fixture(scope="session")
def site(tmp_path_factory, sd, defs):
    root = tmp_path_factory.mktemp("web_sider")
    folder = root / "mappe"
    returns = build_folder(folder, root / "indbakke", sd, defs)
    with running_server(folder) as url:
        token = csrf_of(request(url, "GET", "/indlaes")[2])
        yield url, folder, returns, token


def _post(site, path, fields):
    url, _, _, token = site
    return request(
        url,
        "POST",
        path,
        urlencode({**fields, "csrf": token}, doseq=True).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": url},
    )


def _job(site, location):
    url = site[0]
    for _ in range(10):
        status, _, page = request(url, "GET", f"{location}&vent=60" if "?" in location else f"{location}?vent=60")
        assert status == 200
        if b'http-equiv="refresh"' not in page:
            return page.decode()
    raise AssertionError("the job did not finish in ten minutes")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_generating_forms_on_the_page_writes_them_and_offers_them_as_zip(site):
    url, folder, _, _ = site
    status, headers, _ = _post(site, f"/skemaer/dan?aar={AAR}", {"skema": ["aarsrapport"]})
    assert status == 303
    page = _text(_job(site, headers["location"]))
    assert "8 skemaer skrevet; 0 fandtes allerede" in page
    made = sorted(p.name for p in (folder / "output" / str(AAR) / "skemaer").glob(f"{AAR}_aarsrapport_*.xlsx"))
    assert len(made) == 8
    status, headers, body = request(url, "GET", f"/skemaer/{AAR}/alle.zip?skema=aarsrapport")
    assert status == 200 and headers["content-disposition"].endswith('"skemaer_2028_aarsrapport.zip"')
    assert sorted(zipfile.ZipFile(io.BytesIO(body)).namelist()) == made
    status, _, page = request(url, "GET", f"/skemaer?aar={AAR}")
    assert "8 af 8 dannet" in _text(page.decode())


def test_a_hearing_deadline_after_the_das_meeting_is_refused_with_the_commands_message(site):
    url, folder, _, _ = site
    # the date field's ISO date, and a date typed the Danish way (a browser without a date field)
    for frist in (f"{AAR}-06-01", f"1. juni {AAR}", f"01.06.{AAR}"):
        status, _, page = _post(site, f"/dokumenter/hoering?aar={AAR}", {"frist": frist})
        assert status == 400
        assert "ligger ikke før DAS-mødet 20. maj 2028" in _text(page.decode()), frist
    status, _, page = _post(site, f"/dokumenter/bilag?aar={AAR}", {"moede": "31.13.2028"})
    text = _text(page.decode())
    assert status == 400 and "Mødedatoen &#39;31.13.2028&#39; er ikke en dato. Skriv fx 10.05.2028" in text, text
    status, _, page = _post(site, f"/dokumenter/bilag?aar={AAR}", {"moede": ""})
    assert status == 400 and "Mødedatoen mangler." in page.decode()
    assert not (folder / "output" / str(AAR) / "hoering").exists()


def test_documents_are_written_and_downloaded(site):
    url, folder, _, _ = site
    status, headers, _ = _post(site, f"/dokumenter/hoering?aar={AAR}", {"frist": f"{AAR}-05-10"})
    assert status == 303
    page = _job(site, headers["location"])
    assert f"{AAR}_hoeringsmateriale.docx" in page
    link = re.search(rf'href="(/hent/{AAR}/hoering/{AAR}_hoeringsmateriale\.docx)"', page).group(1)
    status, headers, body = request(url, "GET", link)
    assert status == 200 and body[:2] == b"PK" and "wordprocessingml" in headers["content-type"]
    status, headers, _ = _post(site, f"/dokumenter/rykkere?aar={AAR}", {})
    assert "rykker" in _job(site, headers["location"])
    assert any((folder / "output" / str(AAR) / "rykkere").glob("*.docx"))
    status, _, page = request(url, "GET", f"/dokumenter?aar={AAR}")
    assert f"{AAR}_hoeringsmateriale.docx" in page.decode()


def test_reminder_list_export_and_calendar_downloads(site):
    url, _, _, _ = site
    status, headers, _ = _post(site, f"/status/rykkerliste?aar={AAR}", {})
    assert status == 303 and headers["location"] == f"/hent/{AAR}/aar/{AAR}_rykkerliste.xlsx"
    status, _, body = request(url, "GET", headers["location"])
    rows = list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    assert status == 200 and len(rows) > 1
    status, _, body = request(url, "GET", f"/eksport.json?aar={AAR}")
    assert status == 200 and isinstance(json.loads(body), list)
    status, _, body = request(url, "GET", f"/aarshjul.ics?aar={AAR}")
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")


def test_a_correction_is_validated_like_skema_ret(site):
    url, folder, returns, _ = site
    felt = "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029"
    path = f"/respondent/{returns.valid_id}/ret?aar={AAR}"
    status, _, page = _post(site, path, {"felt": felt, "vaerdi": "mange", "begrundelse": "Telefon"})
    assert status == 400 and "Værdien kan ikke bruges" in page.decode()
    status, _, page = _post(site, path, {"felt": felt, "vaerdi": "3", "begrundelse": " "})
    assert status == 400 and "Angiv en begrundelse" in page.decode()
    status, _, page = _post(site, path, {"felt": "aarsrapport.noget", "vaerdi": "3", "begrundelse": "x"})
    assert status == 400
    assert Workspace(folder).history(returns.valid_id)[1] == []


def test_an_upload_waits_for_another_run_holding_the_folder_lock(site):
    url, folder, returns, token = site
    body, mtype = multipart({"csrf": token}, [(returns.with_error.name, returns.with_error.read_bytes())])
    with Workspace(folder).writing():  # another run (a command, another tab) is writing
        status, headers, _ = request(url, "POST", f"/indlaes?aar={AAR}", body, {"Content-Type": mtype, "Origin": url})
        assert status == 303
        for _ in range(120):  # ?vent=1: the server answers after a second, the job cannot finish
            page = request(url, "GET", f"{headers['location']}&vent=1")[2].decode()
            if "venter på en anden kørsel" in page:
                break
        assert "venter på en anden kørsel" in page and 'http-equiv="refresh"' in page
        assert Workspace(folder).current_values(AAR) == []
    page = _job(site, headers["location"])
    assert returns.with_error.name in page and "mangler-obligatorisk" in page
    assert Workspace(folder).current_values(AAR)


def test_an_upload_with_nothing_new_says_the_overviews_are_unchanged(site):
    url, _folder, returns, token = site
    body, mtype = multipart({"csrf": token}, [(returns.with_error.name, returns.with_error.read_bytes())])
    for _ in range(2):  # the second time the bytes are known: nothing is stored
        status, headers, _ = request(url, "POST", f"/indlaes?aar={AAR}", body, {"Content-Type": mtype, "Origin": url})
        assert status == 303
        page = _text(_job(site, headers["location"]))
    assert "allerede indlæst" in page
    # the page says either which overview was written (the cycle's current year always is) or that none was
    assert ("Samlet overblik:" in page) != ("Intet nyt gemt – de samlede overblik er uændrede" in page)
