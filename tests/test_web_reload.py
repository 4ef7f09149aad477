"""`skema web` notices an edited stamdata.xlsx or definition file on the next request (no restart),
and a file that cannot be read (half edited) gives a Danish page naming it, not a server error."""

from __future__ import annotations

import os
import re
import shutil

import openpyxl

from toolkit import init_workspace

from web_server import AAR, request, running_server


def _text(page: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.decode()))


def _touch_later(path, seconds: int = 10) -> None:
    """A distinct modification time, also on file systems with coarse time stamps (no sleeping)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def test_edited_stamdata_and_definitions_are_read_again_without_restart(tmp_path):
    folder = tmp_path / "mappe"
    init_workspace(folder)
    stamdata = folder / "stamdata.xlsx"
    definition = folder / "skabeloner" / "skemaer" / "kommune.yaml"
    with running_server(folder) as url:
        status, _, page = request(url, "GET", f"/?aar={AAR}")
        assert status == 200 and "Årshjul 2028 Nordjylland" in _text(page)
        status, _, page = request(url, "GET", f"/skemaer?aar={AAR}")
        assert "Kommunal indmelding" in _text(page) and "Kommunal indmelding (ny udgave)" not in _text(page)

        wb = openpyxl.load_workbook(stamdata)
        sheet = wb["Indstillinger"]
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "region")
        row[1].value = "Testregionen"
        wb.save(stamdata)
        _touch_later(stamdata)
        status, _, page = request(url, "GET", f"/?aar={AAR}")
        assert status == 200 and "Årshjul 2028 Testregionen" in _text(page)

        definition.write_text(
            definition.read_text(encoding="utf-8").replace(
                "navn: Kommunal indmelding\n", "navn: Kommunal indmelding (ny udgave)\n"
            ),
            encoding="utf-8",
        )
        _touch_later(definition)
        status, _, page = request(url, "GET", f"/skemaer?aar={AAR}")
        assert status == 200 and "Kommunal indmelding (ny udgave)" in _text(page)

        good = tmp_path / "stamdata_god.xlsx"
        shutil.copy2(stamdata, good)
        stamdata.write_bytes(b"halvt gemt")
        _touch_later(stamdata, 20)
        status, _, page = request(url, "GET", f"/?aar={AAR}")
        text = _text(page)
        assert status == 500 and "Siden kan ikke vises" in text and "stamdata.xlsx" in text, text
        assert "Internal Server Error" not in text and "Traceback" not in text

        shutil.copy2(good, stamdata)
        _touch_later(stamdata, 30)
        status, _, page = request(url, "GET", f"/?aar={AAR}")
        assert status == 200 and "Årshjul 2028 Testregionen" in _text(page)
