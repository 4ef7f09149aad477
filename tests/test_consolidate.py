"""The consolidated workbook: sheets, tables, charts, and text that never becomes a formula."""

import datetime as dt

import openpyxl
import pytest

from toolkit.consolidate.year import consolidate, write_reminder_list, year_data
from toolkit.returns.ingest import ingest
from toolkit.store import Store

from conftest import EVEN_YEAR
from fill import fill_form

EVIL = '=HYPERLINK("http://evil.example.invalid","klik her")'


@pytest.fixture
def workbook(forms_dir, sd, defs, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    a = sorted(forms_dir.glob("*_aarsrapport_center_for_tale*.xlsx"))[0]
    answers = {
        f"aarsrapport.ydelse.T01-Y{i}.belaegning.{y}": b
        for i in (1, 2, 3)
        for y, b in ((2025, 90), (2026, 85), (2027, 80))
    }
    answers.update(
        {"aarsrapport.faglig_udvikling": EVIL, "aarsrapport.metodeudvikling": "@SUM(A1)", "aarsrapport.bekymring": "Ja"}
    )
    fill_form(a, answers, inbox / a.name)
    k = sorted(forms_dir.glob("*_kommune_aalborg*.xlsx"))[0]
    fill_form(
        k,
        {
            "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": 30,
            "kommune.tilbud.T01.forventning_tekst": "-ingen ændringer",
        },
        inbox / k.name,
    )
    (inbox / "fremmed.xlsx").write_bytes(b"PK\x03\x04 broken")
    with Store(tmp_path / "w") as st:
        ingest([inbox], st, sd, defs)
        path = consolidate(st, sd, defs, EVEN_YEAR, tmp_path / "w" / f"{EVEN_YEAR}_samlet.xlsx")
        _v, statuses, _f = year_data(st, sd, defs, EVEN_YEAR)
    return path, statuses


def test_sheets_tables_and_charts(workbook):
    path, _ = workbook
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Overblik",
        "Ekspertpanel",
        "Indmeldinger",
        "Udmeldinger",
        "Årsrapporter",
        "Kommunale indmeldinger",
        "Høringssvar",
        "Fejl og mangler",
        "Status",
    ]
    assert len(wb["Overblik"]._charts) == 2
    ws = wb["Årsrapporter"]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    assert ws["A1"].value == "Respondent-id" and ws["A1"].font.b  # the header row, written first
    for name in ("Ekspertpanel", "Fejl og mangler", "Status"):
        assert wb[name].auto_filter.ref.startswith("A1:"), name


def test_respondent_text_is_never_a_live_formula(workbook):
    wb = openpyxl.load_workbook(workbook[0])
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    evil = [c for c in cells if c.value in (EVIL, "@SUM(A1)", "-ingen ændringer")]
    assert len(evil) == 3 and all(c.data_type == "s" for c in evil)


def test_key_figures_on_the_overview(workbook, sd):
    wb = openpyxl.load_workbook(workbook[0])
    ws = wb["Overblik"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    t01 = rows["Center for Tale og Hjerneskade Nord"]
    assert t01[2] == sum(y.pladstal for y in sd.ydelser_for("T01"))
    assert t01[3:6] == (90, 85, 80)  # weighted belægning for the last three years
    assert t01[8] == 30  # Aalborg's expected use
    assert "Driftsherren melder bekymring" in t01[10] and "Faldende belægning" in t01[10]


def test_issues_and_status_sheets(workbook):
    wb = openpyxl.load_workbook(workbook[0])
    issues = list(wb["Fejl og mangler"].iter_rows(values_only=True))
    assert any(r[0] == "fremmed.xlsx" and r[7] == "fejl" for r in issues)
    status = list(wb["Status"].iter_rows(values_only=True))
    assert sum(1 for r in status if r[4] == "mangler") == 43 - 2


def test_reminder_list_lists_the_missing_with_contacts(workbook, tmp_path, sd):
    _path, statuses = workbook
    path, n = write_reminder_list(statuses, tmp_path / "r.xlsx", "Rykkerliste 2028", dt.date(2028, 3, 2))
    all_rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert all_rows[0][0] == "Rykkerliste 2028" and all_rows[1][0] == "Pr. 2. marts 2028: 41 skemaer mangler"
    rows = all_rows[
        all_rows.index(("Skema", "Modtager", "Kontaktperson", "E-mail", "Telefon", "Frist", "Overskredet")) + 1 :
    ]
    assert n == len(rows) == 41
    assert any(r[1] == "Læsø Kommune" and r[3] == sd.aftalepart("K825").email for r in rows)


def test_reminder_list_prints_on_a4_one_page_wide_with_headers_on_every_page(workbook, tmp_path, libreoffice):
    """41 missing forms: landscape A4, every column on the page, the column headers and the page
    number on every printed page (as LibreOffice prints it)."""
    import subprocess

    _path, statuses = workbook
    path, n = write_reminder_list(statuses, tmp_path / "r.xlsx", "Rykkerliste 2028", dt.date(2028, 3, 2))
    pdf = libreoffice([path], "pdf", tmp_path / "pdf")[0]
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = [p for p in pages.split("\f") if p.strip()]
    assert 1 <= len(pages) <= 3
    for i, page in enumerate(pages, start=1):
        assert "Modtager" in page and "Overskredet" in page, i  # headers repeat, no column cut off
        assert f"Side {i} af {len(pages)}" in page
    assert "Rykkerliste 2028" in pages[0]
    assert sum(p.count("@") for p in pages) == n  # every e-mail printed once


def test_counts_print_without_decimals_and_time_stamps_are_dates(workbook):
    wb = openpyxl.load_workbook(workbook[0])
    ws = wb["Overblik"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Center for Tale og Hjerneskade Nord")
    assert row[2].number_format == "#,##0"  # Pladstal 74, not 74,0
    assert row[9].alignment.vertical == "top"  # every cell of the row aligned alike
    status = wb["Status"]
    received = [r[5].value for r in status.iter_rows(min_row=2) if r[4].value in ("gyldig", "fejl")]
    assert received and all(isinstance(v, dt.datetime) for v in received)
    issues = [r[9].value for r in wb["Fejl og mangler"].iter_rows(min_row=2) if r[0].value]
    assert issues and all(isinstance(v, dt.datetime) for v in issues)


def test_overview_charts_are_never_cut_between_printed_pages(workbook, tmp_path, libreoffice):
    """Each chart starts its own printed page (a manual page break at its anchor row, the next one
    below its end); the wide data tables print in readable groups of columns with the header row and
    the respondent columns repeated on every page (as LibreOffice prints it)."""
    import subprocess

    wb = openpyxl.load_workbook(workbook[0])
    ws = wb["Overblik"]
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    for chart in ws._charts:  # noqa: SLF001 - openpyxl keeps a read chart's anchor only there
        top, bottom = chart.anchor._from.row, chart.anchor.to.row  # noqa: SLF001 - a two-cell anchor
        assert top in breaks and bottom > top
        assert all(b <= top or b > bottom for b in breaks)
    pdf = libreoffice([workbook[0]], "pdf", tmp_path / "pdf")[0]
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    kommune = [p for p in pages if "Kommunale indmeldinger" in p and "Side" in p]
    assert len(kommune) >= 2
    assert all("Respondent" in p for p in kommune)  # header row and id columns on every page


def test_an_empty_nomination_before_the_deadline_does_not_cancel_the_march_panel(sd, tmp_path):
    """Odd year: one driftsherre answers "no nominations" in February. Others may still nominate until
    1 March, so the March panel is not 'aflyst' yet; after the deadline with none nominated it is."""
    from toolkit import Workspace

    ws = Workspace(tmp_path / "w")
    forms, _skipped, _dir = ws.generate(2029, ["indmelding"])
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill_form(forms[0].path, {"indmelding.indmelder": "Nej"}, inbox / forms[0].path.name)
    report, _written = ws.ingest([inbox], years=[])
    assert report.count("ny") == 1
    state = lambda today: {s.activity.key: s for s in ws.cycle(2029, today)}["ekspertpanel"].state  # noqa: E731
    assert state(dt.date(2029, 2, 10)) != "aflyst"
    assert state(dt.date(2029, 3, 2)) == "aflyst"
