"""Every generated form honours the fill contract (docs/skemaformat.md)."""

from functools import cache

import openpyxl
import pytest

from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import find_recipient
from toolkit.forms.meta import LIST_SHEET, MAP_HEADER, MAP_SHEET, META_KEYS, META_SHEET, defined_name

from conftest import EVEN_YEAR


@cache
def _load(path):
    """Each generated form is loaded once for this module (the tests only read it)."""
    return openpyxl.load_workbook(path)


def _meta(wb):
    ws = wb[META_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    meta = {r[0]: r[1] for r in rows[: len(META_KEYS)]}
    assert len(rows) == len(META_KEYS)  # the map is on its own sheet
    rows = list(wb[MAP_SHEET].iter_rows(values_only=True))
    assert rows[0][: len(MAP_HEADER)] == MAP_HEADER
    used = set()
    mapping = [(r[0], r[1], r[2], defined_name(r[0], used)) for r in rows[1:] if r[0]]
    return meta, mapping


def _name_target(wb, name):
    dn = wb.defined_names[name]
    ((sheet, ref),) = list(dn.destinations)
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
        # the structure too: hidden sheets cannot be unhidden, sheets not renamed or deleted
        assert wb.security is not None and wb.security.lockStructure, path.name


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
            # every input explains itself; a long question's title ends on a whole word, never mid-word
            assert dv.prompt and len(dv.promptTitle) <= 32, (path.name, key)
            if dv.promptTitle != fi.felt.etiket:
                assert dv.promptTitle.endswith("…") and fi.felt.etiket.startswith(dv.promptTitle[:-1])
                assert fi.felt.etiket[len(dv.promptTitle) - 1] in " ,;:", (key, dv.promptTitle)
                assert dv.prompt.startswith(fi.felt.etiket), key


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
    assert any(
        isinstance(v, str) and v.startswith("=IF(") and '"Mangler: "' in v
        for v in (c.value for row in wb["Tilbud"].iter_rows(max_row=3) for c in row)
    )


def test_print_setup_is_a4_fit_to_width(forms_dir):
    path = sorted(forms_dir.glob("*_aarsrapport_*.xlsx"))[0]
    wb = _load(path)
    for name in wb.sheetnames:
        ws = wb[name]
        if ws.sheet_state != "visible":
            continue
        assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
        # the guide is one sheet of paper (1 is the default); the input sheets run on as long as they need
        assert ws.page_setup.fitToHeight == (None if name == "Vejledning" else 0)
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


# --- only xlsxwriter's public API -------------------------------------------------------------
XLSXWRITER_PUBLIC_MODULES = {"xlsxwriter", "xlsxwriter.utility", "xlsxwriter.exceptions"}
# internals without a leading underscore that a shadow serialiser reaches for (not `defined_names`:
# openpyxl's public name for a workbook's names)
XLSXWRITER_INTERNALS = {
    "str_table",
    "row_info",
    "col_info",
    "merged_cells",
    "table_cells",
    "worksheet_class",
    "dim_rowmin",
    "dim_rowmax",
    "dim_colmax",
    "xls_rowmax",
    "xls_colmax",
    "xls_strmax",
    "default_row_height",
    "original_row_height",
}


def _xlsxwriter_private_names() -> set[str]:
    """Every `_name` (not dunder) that xlsxwriter's modules, classes and objects define."""
    import importlib
    import pkgutil

    import xlsxwriter

    names: set[str] = set()
    for info in pkgutil.iter_modules(xlsxwriter.__path__):
        mod = importlib.import_module(f"xlsxwriter.{info.name}")
        for obj in [mod, *(v for v in vars(mod).values() if isinstance(v, type))]:
            names |= {n for n in dir(obj) if n.startswith("_") and not n.startswith("__")}
    wb = xlsxwriter.Workbook(None, {"in_memory": True})  # instance attributes set in __init__
    for obj in (wb, wb.add_worksheet(), wb.add_format(), wb.add_chart({"type": "column"})):
        names |= {n for n in vars(obj) if n.startswith("_") and not n.startswith("__")}
    return names | XLSXWRITER_INTERNALS


def _private_uses(source: str, private: set[str]) -> list[str]:
    """Uses of xlsxwriter internals in one module's source: private modules, `_names` imported or
    accessed as attributes (or as getattr strings), and subclasses of xlsxwriter's classes."""
    import ast

    tree = ast.parse(source)
    problems, aliases = [], set()
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "xlsxwriter":
                    aliases.add(a.asname or "xlsxwriter")
                    if a.name not in XLSXWRITER_PUBLIC_MODULES:
                        problems.append(f"{line}: import {a.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "xlsxwriter":
            for a in node.names:
                submodule = node.module == "xlsxwriter" and a.name.islower()
                if (
                    node.module not in XLSXWRITER_PUBLIC_MODULES
                    or a.name.startswith("_")
                    or (submodule and f"xlsxwriter.{a.name}" not in XLSXWRITER_PUBLIC_MODULES)
                ):
                    problems.append(f"{line}: from {node.module} import {a.name}")
                else:
                    aliases.add(a.asname or a.name)
        elif isinstance(node, ast.Attribute) and node.attr in private:
            problems.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in private:
            problems.append(f"{line}: {node.value!r}")
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                if ast.unparse(base).split(".")[0] in aliases:
                    problems.append(f"{node.lineno}: class {node.name}({ast.unparse(base)})")
    return problems


def test_toolkit_uses_only_xlsxwriters_public_api():
    """No private module, name or attribute of xlsxwriter anywhere in toolkit/, and no subclass of
    its classes (the way to override its internals): a new xlsxwriter release cannot break us."""
    from pathlib import Path

    import toolkit

    # namedtuple's documented API shares the underscore; it is not xlsxwriter's
    private = _xlsxwriter_private_names() - {"_fields", "_replace", "_asdict", "_make"}
    assert {"_write_rows", "_prepare_formula", "_check_dimensions", "_write_sst_strings"} <= private
    problems = {}
    for path in sorted(Path(toolkit.__file__).parent.rglob("*.py")):
        found = _private_uses(path.read_text(encoding="utf-8"), private)
        if found:
            problems[str(path)] = found
    assert problems == {}


def test_the_scan_catches_a_shadow_serialiser():
    """What the removed toolkit/forms/fast_sheet.py did is caught by the scan above."""
    source = """
import xlsxwriter
from xlsxwriter import worksheet as _xw
from xlsxwriter.packager import Packager
from xlsxwriter.utility import _preserve_whitespace, xl_range

class FastWorkbook(xlsxwriter.Workbook):
    def define_valid_names(self, names):
        self.defined_names.extend(names)
        return getattr(self, "_get_packager")

def rows(ws):
    ws._write_rows()
    return ws.str_table
"""
    found = _private_uses(source, _xlsxwriter_private_names())
    assert sorted(found) == [
        "10: '_get_packager'",
        "13: ._write_rows",
        "14: .str_table",
        "3: from xlsxwriter import worksheet",
        "4: from xlsxwriter.packager import Packager",
        "5: from xlsxwriter.utility import _preserve_whitespace",
        "7: class FastWorkbook(xlsxwriter.Workbook)",
    ]


def test_two_processes_write_the_same_forms_in_plan_order(sd, tmp_path):
    from toolkit.forms.generate import POOL_MIN_FORMS, generate_forms

    seen = []
    one, _ = generate_forms(sd, EVEN_YEAR, tmp_path / "a", ["aarsrapport"], workers=1)
    two, _ = generate_forms(sd, EVEN_YEAR, tmp_path / "b", ["aarsrapport"], workers=2, progress=seen.append)
    assert len(two) >= POOL_MIN_FORMS  # the pool was used
    assert seen == two
    assert [(r.modtager_id, r.path.name, r.status, r.fields) for r in one] == [
        (r.modtager_id, r.path.name, r.status, r.fields) for r in two
    ]
    for r in two:
        assert openpyxl.load_workbook(r.path, read_only=True).sheetnames[0] == "Vejledning"


def test_a_form_that_cannot_be_written_raises_after_the_ones_before_it(sd, tmp_path):
    from toolkit.forms.generate import form_filename, generate_forms, planned_forms

    todo, _ = planned_forms(sd, EVEN_YEAR, ["aarsrapport"])
    defn, m = todo[4]
    (tmp_path / form_filename(EVEN_YEAR, defn.skema, m.filnavn)).mkdir(parents=True)  # not a file
    seen = []
    from toolkit.files import OutputError

    with pytest.raises(OutputError, match="der ligger en mappe med samme navn"):
        generate_forms(sd, EVEN_YEAR, tmp_path, ["aarsrapport"], overwrite=True, workers=2, progress=seen.append)
    assert [r.modtager_id for r in seen] == [m.id for _d, m in todo[:4]]


def test_defined_names_pass_xlsxwriters_own_checks(tmp_path_factory):
    """Every name `defined_name` makes is one xlsxwriter's define_name accepts (it refuses a bad name
    with a warning and leaves it out of the workbook)."""
    import warnings

    import xlsxwriter
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(keys=st.lists(st.text(min_size=1, max_size=400), min_size=1, max_size=5))
    def check(keys):
        used: set[str] = set()
        wb = xlsxwriter.Workbook(str(tmp_path_factory.mktemp("n") / "n.xlsx"))
        wb.add_worksheet("Ark")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for key in keys + keys:  # the repeats must get names of their own
                name = defined_name(key, used)
                assert len(name) <= 255
                assert wb.define_name(name, "=Ark!$A$1") != -1  # -1 (and a warning) is its refusal
        assert len(used) == 2 * len(keys)
        wb.close()

    check()
