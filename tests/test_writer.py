"""Every generated form honours the fill contract (docs/skemaformat.md)."""
from functools import lru_cache

import openpyxl
import pytest

from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import find_recipient
from toolkit.forms.meta import defined_name, LIST_SHEET, MAP_HEADER, MAP_START_ROW, META_KEYS, META_SHEET

from conftest import EVEN_YEAR


@lru_cache(maxsize=None)
def _load(path):
    """Each generated form is loaded once for this module (the tests only read it)."""
    return openpyxl.load_workbook(path)


def _meta(wb):
    ws = wb[META_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    meta = {r[0]: r[1] for r in rows[:len(META_KEYS)]}
    assert rows[MAP_START_ROW][:len(MAP_HEADER)] == MAP_HEADER
    used = set()
    mapping = [(r[0], r[1], r[2], defined_name(r[0], used)) for r in rows[MAP_START_ROW + 1:] if r[0]]
    return meta, mapping


def _name_target(wb, name):
    dn = wb.defined_names[name]
    (sheet, ref), = list(dn.destinations)
    return sheet, ref.replace("$", "")


def test_every_field_key_resolves_by_name_to_an_unlocked_cell(forms_dir, defs, sd):
    files = sorted(forms_dir.glob("*.xlsx"))
    assert len(files) == 12 + 12 + 8 + 11
    for path in files:
        wb = _load(path)
        meta, mapping = _meta(wb)
        defn = defs[meta["skema"]]
        assert meta["version"] == defn.version and meta["definition_hash"] == defn.hash
        assert meta["aar"] == EVEN_YEAR
        m = find_recipient(defn, sd, EVEN_YEAR, meta["modtager_id"])
        expected = {fi.key: fi for fi in plan_form(defn, sd, m, EVEN_YEAR).fields()}
        assert {row[0] for row in mapping} == set(expected), path.name
        for key, sheet, cell, name in mapping:
            assert _name_target(wb, name) == (sheet, cell), (path.name, key)
            assert expected[key].ark == sheet
            assert wb[sheet][cell].protection.locked is False, (path.name, key)


def test_sheets_are_protected_and_everything_else_is_locked(forms_dir):
    for path in sorted(forms_dir.glob("*.xlsx"))[::5]:
        wb = _load(path)
        _meta_, mapping = _meta(wb)
        inputs = {(sheet, cell) for _k, sheet, cell, *_ in mapping}
        for ws in wb.worksheets:
            assert ws.protection.sheet, (path.name, ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if (ws.title, c.coordinate) in inputs or type(c).__name__ == "MergedCell":
                        continue
                    assert c.protection.locked is not False, (path.name, ws.title, c.coordinate)
        assert wb[META_SHEET].sheet_state == "hidden" and wb[LIST_SHEET].sheet_state == "hidden"
        assert wb.sheetnames[0] == "Vejledning"


def _fields(wb, defs, sd):
    meta, mapping = _meta(wb)
    defn = defs[meta["skema"]]
    m = find_recipient(defn, sd, EVEN_YEAR, meta["modtager_id"])
    by_key = {fi.key: fi for fi in plan_form(defn, sd, m, EVEN_YEAR).fields()}
    return [(by_key[k], s, c) for k, s, c, _n in mapping]


def test_every_input_has_a_validation_and_lists_point_at_the_hidden_sheet(forms_dir, defs, sd):
    for path in sorted(forms_dir.glob("*.xlsx"))[::4]:
        wb = _load(path)
        lists = wb[LIST_SHEET]
        for fi, sheet, cell in _fields(wb, defs, sd):
            key, ftype = fi.key, fi.felt.type
            dvs = [dv for dv in wb[sheet].data_validations.dataValidation if cell in dv.sqref]
            assert len(dvs) == 1, (path.name, key)
            dv = dvs[0]
            assert dv.showErrorMessage and dv.error and dv.promptTitle
            if ftype in ("ja_nej", "valg"):
                assert dv.type == "list" and dv.formula1.startswith(f"{LIST_SHEET}!")
                first = dv.formula1.split("!")[1].split(":")[0].replace("$", "")
                assert lists[first].value
            if ftype == "ja_nej":
                a, b = dv.formula1.split("!")[1].replace("$", "").split(":")
                assert [lists[a].value, lists[b].value] == ["Ja", "Nej"]
            if ftype in ("heltal",):
                assert dv.type == "whole"


def test_prefill_and_context_from_stamdata(forms_dir, sd):
    path = next(forms_dir.glob("*_kommune_laesoe_kommune.xlsx"))
    wb = _load(path)
    _m, mapping = _meta(wb)
    by_key = {k: (s, c) for k, s, c, *_ in mapping}
    s, c = by_key["kommune.kontaktperson"]
    assert wb[s][c].value == sd.aftalepart("K825").kontaktperson
    values = {v for row in wb["Tilbud"].iter_rows(values_only=True) for v in row if v}
    for t in sd.omfattede_tilbud(EVEN_YEAR):
        assert t.navn in values or f"Tilbud: {t.navn}" in values
        assert t.ydelseskatalog_url in values and t.tilsynsrapport_url in values
    assert any(isinstance(v, str) and v.startswith("=IF(") and '"Mangler: "' in v for v in
               (c.value for row in wb["Tilbud"].iter_rows(max_row=3) for c in row))


def test_print_setup_is_a4_fit_to_width(forms_dir):
    path = sorted(forms_dir.glob("*_aarsrapport_*.xlsx"))[0]
    wb = _load(path)
    for name in wb.sheetnames:
        ws = wb[name]
        if ws.sheet_state != "visible":
            continue
        assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "Side &P af &N" in ws.oddFooter.right.text


@pytest.mark.parametrize("form", ["indmelding", "aarsrapport"])
def test_required_cells_are_highlighted_until_filled(forms_dir, form, defs, sd):
    wb = _load(sorted(forms_dir.glob(f"*_{form}_*.xlsx"))[0])
    for fi, sheet, cell in _fields(wb, defs, sd):
        key, aktiv = fi.key, fi.aktiv_key
        if not fi.required:
            continue
        rules = [r for rng in wb[sheet].conditional_formatting for r in rng.rules if cell in rng.sqref]
        assert rules, key
        if aktiv:  # inside an optional block: only once the block's name is filled
            assert rules[0].type == "expression" and "AND(LEN(" in rules[0].formula[0]
        else:
            assert rules[0].type == "containsBlanks"
