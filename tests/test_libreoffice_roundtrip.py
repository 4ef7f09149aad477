"""Forms must survive being opened and re-saved by LibreOffice Calc."""

import openpyxl

from toolkit.forms.meta import MAP_SHEET, META_SHEET, defined_name

from conftest import one_form_per_type


def _mapping(wb):
    rows = list(wb[MAP_SHEET].iter_rows(min_row=2, values_only=True))
    used = set()
    return {r[0]: (r[1], r[2], defined_name(r[0], used)) for r in rows if r[0]}


def test_defined_names_and_meta_sheet_survive_libreoffice_resave(forms_dir, libreoffice, tmp_path):
    originals = one_form_per_type(forms_dir)
    resaved = libreoffice(originals, "xlsx", tmp_path)
    for orig, new in zip(originals, resaved, strict=True):
        wb0, wb1 = openpyxl.load_workbook(orig), openpyxl.load_workbook(new)
        m0, m1 = _mapping(wb0), _mapping(wb1)
        assert m0 == m1, orig.name
        for key, (sheet, cell, name) in m1.items():
            ((dest_sheet, ref),) = list(wb1.defined_names[name].destinations)
            assert (dest_sheet, ref.replace("$", "")) == (sheet, cell), (orig.name, key)
            assert wb1[sheet][cell].protection.locked is False
        assert wb1[META_SHEET].sheet_state != "visible" and wb1[MAP_SHEET].sheet_state != "visible"
