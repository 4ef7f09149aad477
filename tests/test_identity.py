"""A form is identified by what survives. The identity (type, version, year, respondent, definition
hash) is written three times: on the hidden `_skema` sheet, as workbook-scope defined names holding
constants, and as custom document properties. Deleting `_skema` or renaming or deleting a visible
sheet in real LibreOffice (tests/lo_edit.py, all variants in one soffice run) leaves the form
identified and its values found by their names; a forged copy of the identity is 'manipuleret'."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from toolkit.forms.meta import (
    LAYOUT_CONSTANT,
    MAP_HEADER,
    MAP_SHEET,
    MAP_START_ROW,
    META_CONSTANTS,
    META_PROPERTIES,
    META_SHEET,
)
from toolkit.returns.read import read_return
from toolkit.returns.reader import _constant, _properties, open_workbook

from lo_jobs import run_lo_edit

RENAMED = "Min belægning"


class Form:
    """An aarsrapport form: two Belægning fields to type into, and another input sheet to delete."""

    def __init__(self, path: Path):
        self.path = path
        raw = open_workbook(path)
        self.meta = dict(raw.meta)
        self.identity = {source: dict(meta) for source, meta in raw.identity.items()}
        self.mapping = {k: (s, c) for k, s, c in raw.mapping}
        raw.close()
        ydelser = sorted({k.split(".")[2] for k in self.mapping if k.endswith(".belaegning.2025")})
        self.k1, self.k2 = (f"aarsrapport.ydelse.{y}.belaegning.2025" for y in ydelser[:2])
        self.sheet = self.mapping[self.k1][0]
        others = sorted({s for s, _c in self.mapping.values()} - {self.sheet})
        self.doomed = others[-1]
        self.doomed_keys = {k for k, (s, _c) in self.mapping.items() if s == self.doomed}

    def typed(self) -> list[dict]:
        return [
            {"op": "type", "sheet": self.sheet, "cell": self.mapping[self.k1][1], "text": "95"},
            {"op": "type", "sheet": self.sheet, "cell": self.mapping[self.k2][1], "text": "77"},
        ]


@pytest.fixture(scope="session")
def form(forms_dir) -> Form:
    for path in sorted(forms_dir.glob("*_aarsrapport_*.xlsx")):
        f = Form(path)
        if f.doomed_keys:
            return f
    pytest.skip("intet årsrapportskema i eksemplet")


@pytest.fixture(scope="session")
def lo_forms(form, tmp_path_factory) -> dict[str, Path]:
    """Every LibreOffice-edited variant, made in one soffice run."""
    out = tmp_path_factory.mktemp("lo_identitet")
    source = form.path  # lo_edit.py opens a private copy of each input
    edits = {
        "kun_tastet": [],
        "uden_skema": [{"op": "delete_sheet", "sheet": META_SHEET}],
        "omdoebt": [{"op": "rename_sheet", "sheet": form.sheet, "to": RENAMED}],
        "ark_slettet": [{"op": "delete_sheet", "sheet": form.doomed}],
    }
    first_row = _row(form.mapping[form.k1][1])
    edits["indsat"] = [{"op": "insert_row", "sheet": form.sheet, "row": first_row}]  # every field below moves
    jobs = {
        f"{name}.{fmt}": {
            "input": str(source),
            "output": str(out / f"{name}.{fmt}"),
            "format": fmt,
            "edits": form.typed() + more,
        }
        for name, more in edits.items()
        for fmt in ("xlsx", "ods", "xls")
        if fmt != "xls" or name in ("omdoebt", "kun_tastet")
    }
    return run_lo_edit(jobs, out)


def _values(res) -> dict:
    return {v.key: v.value for v in res.values}


def _codes(res) -> set[str]:
    return {i.code for i in res.issues}


def test_generated_form_holds_its_identity_three_times(form):
    # the properties are only read when `_skema` or the names lost something
    assert set(form.identity) == {"_skema", "navne"}
    by_property = {name: key for key, name in META_PROPERTIES.items()}
    properties = {by_property[n]: v for n, v in _properties(form.path, "xlsx").items() if n in by_property}
    wanted = {k: form.meta[k] for k in ("skema", "definition_hash", "modtager_id", "modtager_navn")}
    for source, got in (("navne", form.identity["navne"]), ("egenskaber", properties)):
        assert {k: got[k] for k in wanted} == wanted, source
        assert got["aar"] == int(form.meta["aar"]) and isinstance(got["aar"], int)
        assert got["version"] == int(form.meta["version"]) and isinstance(got["version"], int)


@pytest.mark.parametrize(
    ("text", "value"),
    [('"kommune"', "kommune"), ('"Bo ""Skovly"""', 'Bo "Skovly"'), ("2028", 2028), ("of:=2028", 2028), ("1.5", 1.5)],
)
def test_constants_are_read_from_the_names_formula(text, value):
    assert _constant(text) == value


@pytest.mark.parametrize("text", ["Belægning!$C$7", '"a"&"b"', "SUM(A1:A2)", ""])
def test_a_name_that_is_no_constant_gives_nothing(text):
    assert _constant(text) is None


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_deleted_skema_sheet_leaves_the_form_identified_and_read(lo_forms, form, sd, defs, fmt):
    path = lo_forms[f"uden_skema.{fmt}"]
    raw = open_workbook(path)
    assert META_SHEET not in raw.sheet_names and set(raw.identity) == {"navne", "egenskaber"}
    raw.close()
    res = read_return(path, sd, defs)
    assert not res.refused, res.issues
    assert (res.skema, res.aar, res.modtager.id) == ("aarsrapport", int(form.meta["aar"]), form.meta["modtager_id"])
    values = _values(res)
    assert values[form.k1] == 95 and values[form.k2] == 77
    assert "manipuleret" not in _codes(res)


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_renamed_sheet_is_read_by_its_names(lo_forms, form, sd, defs, fmt):
    res = read_return(lo_forms[f"omdoebt.{fmt}"], sd, defs)
    assert not res.refused, res.issues
    by_key = {v.key: v for v in res.values}
    assert by_key[form.k1].value == 95 and by_key[form.k2].value == 77
    assert by_key[form.k1].sheet == RENAMED
    assert "manipuleret" not in _codes(res)


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_renamed_sheet_whose_cells_stayed_gives_no_moved_cell_warnings(lo_forms, form, sd, defs, fmt):
    """Renaming a sheet moves no cell: no 'flyttet fra C11 … læst fra C11' for each of its fields."""
    res = read_return(lo_forms[f"omdoebt.{fmt}"], sd, defs)
    assert not res.refused, res.issues
    assert {v.key: v.value for v in res.values}[form.k1] == 95
    assert [i.message for i in res.issues if i.code == "navn-flyttet"] == []


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_cells_moved_by_an_inserted_row_give_one_warning_for_the_sheet(lo_forms, form, sd, defs, fmt):
    res = read_return(lo_forms[f"indsat.{fmt}"], sd, defs)
    assert not res.refused, res.issues
    values = _values(res)
    assert values[form.k1] == 95 and values[form.k2] == 77
    moved = [i for i in res.issues if i.code == "navn-flyttet"]
    assert [i.sheet for i in moved] == [form.sheet]
    below = [k for k, (s, c) in form.mapping.items() if s == form.sheet and _row(c) >= _row(form.mapping[form.k1][1])]
    assert len(below) > 1
    assert f"{len(below)} felter står i andre celler" in moved[0].message, moved[0].message


def _row(cell: str) -> int:
    return int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_deleted_visible_sheet_loses_its_own_fields_not_the_file(lo_forms, form, sd, defs, fmt):
    res = read_return(lo_forms[f"ark_slettet.{fmt}"], sd, defs)
    assert not res.refused, res.issues
    values = _values(res)
    assert values[form.k1] == 95 and values[form.k2] == 77
    assert not form.doomed_keys & set(values)
    reported = {i.key for i in res.issues if i.code in ("felt-slettet", "felt-mangler-i-fil")}
    assert form.doomed_keys <= reported
    assert not reported - form.doomed_keys
    slettet = [i.message for i in res.issues if i.code == "felt-slettet"]
    assert slettet and all(m.startswith("Arket ") and "er slettet i filen" in m for m in slettet)  # not "Rækken"


def _filled(form: Form, tmp_path: Path, name: str, forge: dict[str, str], drop_skema: bool) -> Path:
    """The form with one answer, its constant names changed by `forge`, `_skema` maybe deleted."""
    wb = openpyxl.load_workbook(form.path)
    sheet, cell = form.mapping[form.k1]
    wb[sheet][cell] = 95
    for key, text in forge.items():
        constant = META_CONSTANTS[key]
        del wb.defined_names[constant]
        wb.defined_names[constant] = DefinedName(constant, attr_text=text)
    if drop_skema:
        del wb[META_SHEET]
    path = tmp_path / name
    wb.save(path)
    return path


def _other_recipient(form: Form, forms_dir: Path) -> str:
    for path in sorted(forms_dir.glob("*_aarsrapport_*.xlsx")):
        raw = open_workbook(path)
        other = str(raw.meta["modtager_id"])
        raw.close()
        if other != form.meta["modtager_id"]:
            return other
    pytest.skip("kun én modtager af årsrapporten i eksemplet")


def test_untouched_copies_agree_after_an_openpyxl_save(form, sd, defs, tmp_path):
    res = read_return(_filled(form, tmp_path, "ok.xlsx", {}, drop_skema=True), sd, defs)
    assert not res.refused and _values(res)[form.k1] == 95
    assert "manipuleret" not in _codes(res)


def test_forged_constant_name_does_not_beat_skema_and_stamdata(form, forms_dir, sd, defs, tmp_path):
    other = _other_recipient(form, forms_dir)
    res = read_return(_filled(form, tmp_path, "falsk.xlsx", {"modtager_id": f'"{other}"'}, False), sd, defs)
    assert not res.refused
    assert res.modtager.id == form.meta["modtager_id"]  # `_skema` first, checked against stamdata
    forged = [i for i in res.issues if i.code == "manipuleret"]
    assert forged and "modtager_id" in forged[0].message


def test_forged_name_without_skema_is_marked_manipulated(form, forms_dir, sd, defs, tmp_path):
    other = _other_recipient(form, forms_dir)
    path = _filled(form, tmp_path, "falsk_uden_skema.xlsx", {"modtager_id": f'"{other}"'}, drop_skema=True)
    res = read_return(path, sd, defs)
    assert "manipuleret" in _codes(res)  # the properties still name the real respondent


def test_document_properties_identify_the_form_when_skema_and_names_are_gone(form, sd, defs, tmp_path):
    wb = openpyxl.load_workbook(form.path)
    sheet, cell = form.mapping[form.k1]
    wb[sheet][cell] = 95
    for constant in META_CONSTANTS.values():
        del wb.defined_names[constant]
    del wb[META_SHEET]
    path = tmp_path / "kun_egenskaber.xlsx"
    wb.save(path)
    raw = open_workbook(path)
    assert set(raw.identity) == {"egenskaber"}
    raw.close()
    res = read_return(path, sd, defs)
    assert not res.refused, res.issues
    assert (res.skema, res.modtager.id) == ("aarsrapport", form.meta["modtager_id"])
    assert _values(res)[form.k1] == 95 and "manipuleret" not in _codes(res)


# --- the map of the fields (`_felter`) and the layout digest ---------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_form_saved_by_libreoffice_with_its_cells_in_place_is_read_by_its_names_alone(
    lo_forms, form, sd, defs, fmt, tmp_path
):
    """Typing in LibreOffice and saving moves no cell: the names still give the digest the form was
    made with, so the map in `_felter` is not needed — without it, the same values are read."""
    path = lo_forms[f"kun_tastet.{fmt}"]
    raw = open_workbook(path)
    assert raw.layout_intact, fmt
    raw.close()
    res = read_return(path, sd, defs)
    assert not res.refused and _values(res)[form.k1] == 95 and _values(res)[form.k2] == 77
    assert "navn-flyttet" not in _codes(res)
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(path)
        del wb[MAP_SHEET]
        wb.save(tmp_path / "uden_felter.xlsx")
        again = read_return(tmp_path / "uden_felter.xlsx", sd, defs)
        assert _values(again) == _values(res) and _codes(again) == _codes(res)


def test_moved_cells_are_seen_by_the_digest_and_the_map_is_read(lo_forms, form):
    for name in ("indsat.xlsx", "indsat.ods", "omdoebt.xlsx", "ark_slettet.xlsx"):
        raw = open_workbook(lo_forms[name])
        assert not raw.layout_intact, name
        assert {k: (s, c) for k, s, c in raw.mapping} == form.mapping, name
        raw.close()


def test_a_form_made_before_the_map_sheet_is_read_from_its_skema_sheet(form, sd, defs, tmp_path):
    """Forms sent out before `_felter` keep their map in `_skema` from row 12 and have no digest:
    they are read by their names, with the map as the fallback, exactly as before."""
    wb = openpyxl.load_workbook(form.path)
    meta = wb[META_SHEET]
    for c, text in enumerate(MAP_HEADER, start=1):
        meta.cell(MAP_START_ROW + 1, c, text)
    rows = [r for r in wb[MAP_SHEET].iter_rows(min_row=2, values_only=True) if r[0]]
    for i, row in enumerate(rows):
        for c, text in enumerate(row[:3], start=1):
            meta.cell(MAP_START_ROW + 2 + i, c, text)
    del wb[MAP_SHEET]
    del wb.defined_names[LAYOUT_CONSTANT]
    sheet, cell = form.mapping[form.k1]
    wb[sheet][cell] = 95
    wb.save(tmp_path / "gammel.xlsx")
    raw = open_workbook(tmp_path / "gammel.xlsx")
    assert not raw.layout_intact and {k: (s, c) for k, s, c in raw.mapping} == form.mapping
    raw.close()
    res = read_return(tmp_path / "gammel.xlsx", sd, defs)
    assert not res.refused and _values(res)[form.k1] == 95
    assert "manipuleret" not in _codes(res) and "felt-mangler-i-fil" not in _codes(res)


def test_forms_of_one_layout_share_their_names_but_each_keeps_its_own_identity(forms_dir):
    """Kommune forms have the same sheets and names; only the identity constants differ. The names
    are interpreted once per process; each file must still be itself."""
    paths = sorted(forms_dir.glob("*_kommune_*.xlsx"))[:3]
    assert len(paths) == 3
    seen = []
    for path in paths + paths[:1]:
        raw = open_workbook(path)
        seen.append((raw.identity["navne"]["modtager_id"], raw.meta["modtager_id"], raw.layout_intact))
        raw.close()
    assert len({s[0] for s in seen}) == 3 and seen[0] == seen[-1]
    assert all(a == b and intact for a, b, intact in seen)
