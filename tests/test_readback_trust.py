"""A value is stored only when the tool is sure which field it belongs to and what it means.
Forms are edited the way people edit them: typed into, rows deleted and saved in real LibreOffice
(through UNO, tests/lo_edit.py, all variants in one soffice run), and with openpyxl where
LibreOffice cannot make the case. Each case ends with the right values stored, or with a Danish
message and nothing wrong stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from toolkit.forms.meta import defined_name
from toolkit.returns.guards import LIMITS, _value_extent, check_file
from toolkit.returns.isolation import IsolatedReader
from toolkit.returns.read import read_return
from toolkit.returns.reader import open_workbook

from lo_jobs import run_lo_edit


class Form:
    """An aarsrapport form with at least three ydelser, and where its fields are."""

    def __init__(self, path: Path):
        self.path = path
        raw = open_workbook(path)
        self.mapping = {k: (s, c) for k, s, c in raw.mapping}
        raw.close()
        ydelser = sorted({k.split(".")[2] for k in self.mapping if k.endswith(".belaegning.2025")})
        self.y1, self.y2, self.y3 = ydelser[:3]

    def key(self, ydelse: str, year: int = 2025) -> str:
        return f"aarsrapport.ydelse.{ydelse}.belaegning.{year}"

    def cell(self, key: str) -> str:
        return self.mapping[key][1]

    def row(self, key: str) -> int:
        return int("".join(ch for ch in self.cell(key) if ch.isdigit()))


@pytest.fixture(scope="session")
def form(forms_dir) -> Form:
    for path in sorted(forms_dir.glob("*_aarsrapport_*.xlsx")):
        f = Form(path)
        if len({k.split(".")[2] for k in f.mapping if k.endswith(".belaegning.2025")}) >= 3:
            return f
    pytest.skip("intet årsrapportskema med tre ydelser i eksemplet")


def _jobs(form: Form, out: Path) -> dict[str, dict]:
    k1, k1b, k1c = form.key(form.y1), form.key(form.y1, 2026), form.key(form.y1, 2027)
    k2, k3 = form.key(form.y2), form.key(form.y3)
    sheet = form.mapping[k1][0]
    typed = [
        {"op": "type", "sheet": sheet, "cell": form.cell(k1), "text": "95%"},
        {"op": "type", "sheet": sheet, "cell": form.cell(k1b), "text": "95"},
        {"op": "format_percent", "sheet": sheet, "cell": form.cell(k1c)},
        {"op": "type", "sheet": sheet, "cell": form.cell(k1c), "text": "87%"},
    ]
    deleted = [
        {"op": "type", "sheet": sheet, "cell": form.cell(k2), "text": "60"},
        {"op": "type", "sheet": sheet, "cell": form.cell(k3), "text": "77"},
        {"op": "delete_row", "sheet": sheet, "row": form.row(k2)},
    ]
    jobs = {}
    for fmt in ("xlsx", "ods", "xls"):
        jobs[f"procent.{fmt}"] = {"edits": typed, "format": fmt}
    for fmt in ("xlsx", "ods"):
        jobs[f"slettet.{fmt}"] = {"edits": deleted, "format": fmt}
    jobs["uroert.xlsx"] = {"edits": [], "format": "xlsx"}
    # an own copy: LibreOffice locks the file it opens (.~lock), and another worker may have it open
    source = out / form.path.name
    shutil.copyfile(form.path, source)
    return {name: {**job, "input": str(source), "output": str(out / name)} for name, job in jobs.items()}


@pytest.fixture(scope="session")
def lo_forms(form, tmp_path_factory) -> dict[str, Path]:
    """Every LibreOffice-edited variant, made in one soffice run."""
    out = tmp_path_factory.mktemp("lo_redigeret")
    return run_lo_edit(_jobs(form, out), out)


def _values(res) -> dict:
    return {v.key: v.value for v in res.values}


def _codes(res, key: str) -> set[str]:
    return {i.code for i in res.issues if i.key == key}


# 1. "95%" typed into a Belægning (%) cell -----------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_percent_typed_in_libreoffice_is_never_stored_as_a_fraction(lo_forms, form, sd, defs, fmt):
    res = read_return(lo_forms[f"procent.{fmt}"], sd, defs)
    values = _values(res)
    k1, k1b, k1c = form.key(form.y1), form.key(form.y1, 2026), form.key(form.y1, 2027)
    # '95%' in the form's number cell: LibreOffice stores 0,95 and keeps the cell's format, so the
    # file cannot tell it from a typed 0,95: not stored, the raw value kept, the reason in Danish
    assert values[k1] is None
    assert {v.raw for v in res.values if v.key == k1} == {"0.95"}
    assert "tvetydig-procent" in _codes(res, k1)
    [msg] = [i.message for i in res.issues if i.key == k1 and i.code == "tvetydig-procent"]
    assert "kan betyde 95 % eller 0,95 %" in msg
    assert values[k1b] == 95  # '95' typed
    if fmt == "xls":  # python-calamine does not give .xls number formats: ambiguous, reported
        assert values[k1c] is None and "tvetydig-procent" in _codes(res, k1c)
    else:  # '87%' in a cell formatted as a percentage: 0,87 there means 87
        assert values[k1c] == 87 and not _codes(res, k1c)
    assert 0.95 not in values.values() and 0.87 not in values.values()


def test_percent_written_as_text_or_in_a_percent_formatted_cell_is_the_percentage(form, sd, defs, tmp_path):
    k1, k1b, k1c, k2 = (form.key(form.y1), form.key(form.y1, 2026), form.key(form.y1, 2027), form.key(form.y2))
    wb = openpyxl.load_workbook(form.path)
    ws = wb[form.mapping[k1][0]]
    ws[form.cell(k1)] = "95%"
    ws[form.cell(k1b)] = "95 %"
    ws[form.cell(k1c)] = 0.95
    ws[form.cell(k1c)].number_format = "0.0%"
    ws[form.cell(k2)] = 0.95
    ws[form.cell(k2)].number_format = '0.0" %"'  # the form's own format: the '%' is literal text
    path = tmp_path / "tekst.xlsx"
    wb.save(path)
    res = read_return(path, sd, defs)
    values = _values(res)
    assert (values[k1], values[k1b], values[k1c]) == (95, 95, 95)
    assert values[k2] is None and "tvetydig-procent" in _codes(res, k2)


# 2. Deleting a row ---------------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_deleted_row_is_reported_and_no_answer_moves_into_its_fields(lo_forms, form, sd, defs, fmt):
    res = read_return(lo_forms[f"slettet.{fmt}"], sd, defs)
    assert not res.refused  # 3. LibreOffice's empty styled row 1048576 is no absurd extent
    values = _values(res)
    k2, k3 = form.key(form.y2), form.key(form.y3)
    assert values[k3] == 77  # read where its name now points
    assert k2 not in values  # not Y3's number from the old _skema address
    for year in (2025, 2026, 2027):
        key = form.key(form.y2, year)
        assert "felt-slettet" in _codes(res, key)
        assert "mangler-obligatorisk" not in _codes(res, key)
    [msg] = [i.message for i in res.issues if i.key == k2]
    assert msg.startswith("Rækken med feltet") and msg.endswith("er slettet i filen; feltet er tomt.")
    assert 60 not in values.values()


@pytest.mark.libreoffice
def test_lost_name_never_falls_back_to_a_moved_skema_address(lo_forms, form, sd, defs, tmp_path):
    """The names of the deleted row removed altogether (not '#REF!'): the _skema address of Y2
    now holds Y3's answer, and the other names of the sheet show that the cells have moved."""
    wb = openpyxl.load_workbook(lo_forms["slettet.xlsx"])
    for year in (2025, 2026, 2027):
        del wb.defined_names[defined_name(form.key(form.y2, year))]
    path = tmp_path / "uden_navne.xlsx"
    wb.save(path)
    res = read_return(path, sd, defs)
    values = _values(res)
    k2, k3 = form.key(form.y2), form.key(form.y3)
    assert values[k3] == 77 and k2 not in values
    assert "felt-mangler-i-fil" in _codes(res, k2)


# 3. Sheet extent -----------------------------------------------------------------------------------


def _sheet(rows: str) -> bytes:
    return f'<worksheet><dimension ref="A1:E1048576"/><sheetData>{rows}</sheetData></worksheet>'.encode()


@pytest.mark.parametrize(
    "rows,extent",
    [
        ('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576" ht="12.8"></row>', (1, 0)),
        ('<row r="3"><c r="E3" t="s"><v>0</v></c></row><row r="1048576"><c r="A1048576" s="3"/></row>', (3, 0)),
        ('<row r="2"><c r="A2"><v>1</v></c><c r="ALL2" s="4"/></row>', (2, 0)),
        ('<row r="2"><c r="A2"><v>1</v></c><c r="ALL2" s="4"></c></row>', (2, 0)),
        # column 1.000 × 5 rows is within every limit: columns are only converted where they could exceed
        (
            '<row r="2"><c r="ALL2"><v>1</v></c></row><row r="5"><c r="B5" t="inlineStr"><is><t>x</t></is></c></row>',
            (5, 0),
        ),
        ('<row r="99999"><c r="ALL99999"><v>1</v></c></row>', (99999, 1000)),
    ],
)
def test_extent_counts_cells_with_values_not_styled_empty_rows(rows, extent):
    assert _value_extent(_sheet(rows), LIMITS.max_cells, LIMITS.max_cols) == extent


def _stray(form: Form, tmp_path: Path, cell: str, value=5) -> Path:
    wb = openpyxl.load_workbook(form.path)
    ws = wb[form.mapping[form.key(form.y1)][0]]
    ws[form.cell(form.key(form.y1))] = 90
    if value is None:
        ws[cell].number_format = "0.0"  # a styled, empty cell
    else:
        ws[cell] = value
    path = tmp_path / f"{cell}.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("cell", ["ALL99999", "ALL40000", "A100001"])
def test_stray_values_beyond_what_the_reader_survives_are_refused(form, tmp_path, cell):
    refusal, _warnings = check_file(_stray(form, tmp_path, cell))
    assert refusal is not None and refusal.code == "absurd-omfang"
    assert "celler i alt" in refusal.message


def test_styled_empty_cell_far_away_is_no_extent(form, sd, defs, tmp_path):
    res = read_return(_stray(form, tmp_path, "ALL99999", value=None), sd, defs)
    assert not res.refused and _values(res)[form.key(form.y1)] == 90


def test_stray_value_within_the_limits_is_read_within_the_workers_memory(form, sd, defs, tmp_path):
    path = _stray(form, tmp_path, "ALL19000")  # 19 million cells: about 0.6 GB in calamine
    assert check_file(path)[0] is None
    with IsolatedReader(sd, defs) as reader:
        res = reader(path, sd, defs)
    assert not res.refused, [i.message for i in res.issues]
    assert _values(res)[form.key(form.y1)] == 90


# 6. The untouched outgoing form ---------------------------------------------------------------------


def test_untouched_form_is_refused_as_not_filled_in(form, sd, defs):
    res = read_return(form.path, sd, defs)
    assert res.refused and [i.code for i in res.issues] == ["ikke-udfyldt"]
    assert "Skemaet er ikke udfyldt – er det det udsendte skema?" in res.issues[0].message
    assert res.values == []


@pytest.mark.libreoffice
def test_untouched_form_saved_again_in_libreoffice_is_refused_as_not_filled_in(lo_forms, sd, defs):
    res = read_return(lo_forms["uroert.xlsx"], sd, defs)
    assert res.refused and [i.code for i in res.issues] == ["ikke-udfyldt"]


def test_one_answer_makes_a_form_filled_in(form, sd, defs, tmp_path):
    wb = openpyxl.load_workbook(form.path)
    key = form.key(form.y1)
    wb[form.mapping[key][0]][form.cell(key)] = 88
    path = tmp_path / "et_svar.xlsx"
    wb.save(path)
    res = read_return(path, sd, defs)
    assert not res.refused and _values(res)[key] == 88
    assert "ikke-udfyldt" not in {i.code for i in res.issues}
