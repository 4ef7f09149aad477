"""The fast cell serialiser writes exactly the bytes stock xlsxwriter writes."""
import datetime as dt
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings, strategies as st
from xlsxwriter.worksheet import Worksheet

from toolkit.forms.fast_sheet import FastWorksheet, FastWorkbook

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
VALUE = st.one_of(
    st.tuples(st.just("string"), TEXT),
    st.tuples(st.just("number"), st.one_of(st.integers(-10**15, 10**15),
                                           st.floats(allow_nan=False, allow_infinity=False))),
    st.tuples(st.just("date"), st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1))),
    st.tuples(st.just("blank"), st.none()),
    st.tuples(st.just("boolean"), st.booleans()),
    st.tuples(st.just("formula"), st.one_of(st.integers(0, 99), st.booleans(), TEXT,
                                            st.sampled_from(["#N/A", "#VALUE!", ""]))),
    st.tuples(st.just("rich"), st.tuples(TEXT.filter(bool), TEXT.filter(bool))),
    st.tuples(st.just("array"), st.integers(0, 9)),
)
CELL = st.tuples(st.integers(0, 60), st.integers(0, 30), st.integers(0, 3), VALUE)
ROW = st.tuples(st.integers(0, 70), st.one_of(st.none(), st.floats(5, 80)), st.integers(0, 3),
                st.booleans(), st.integers(0, 2))


TABLE = st.tuples(st.integers(0, 50), st.integers(0, 20), st.integers(0, 30), st.integers(0, 5), st.booleans(),
                  st.sampled_from([{}, {"total_row": True}, {"autofilter": False}, {"header_row": False}]))
MERGE = st.tuples(st.integers(0, 60), st.integers(0, 30), st.integers(0, 3), st.integers(0, 6),
                  st.sampled_from(["", "tekst"]))


def _build(wb_class, path: Path, cells, rows, col_fmt: bool, merges=(), tables=()):
    """Returns what each add_table and merge_range call did (its result or the exception's name)."""
    wb = wb_class(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False, "in_memory": True})
    fmts = [None] + [wb.add_format({"bold": True}), wb.add_format({"num_format": "0.0"}),
                     wb.add_format({"bg_color": "#FFF2CC", "locked": False})]
    ws = wb.add_worksheet("Ark")
    wb.define_name("Navn_1", "=Ark!$A$1")
    wb.define_name("Ark!lokal", "=Ark!$B$2:$C$3")
    if col_fmt:
        ws.set_column(2, 4, 12, fmts[2])
    for r, height, f, hidden, level in rows:
        ws.set_row(r, height, fmts[f], {"hidden": hidden, "level": level})
    outcomes = []
    for i, (r, c, dr, dc, styled, extra) in enumerate(tables):
        opts = {"name": f"T_{i}", "columns": [{"header": f"Kolonne {j}"} for j in range(dc + 1)], **extra}
        if styled:
            opts["style"] = "Table Style Light 9"
        try:
            outcomes.append(ws.add_table(r, c, r + dr, c + dc, opts))
        except Exception as exc:  # noqa: BLE001
            outcomes.append(type(exc).__name__)
    for r, c, dr, dc, data in merges:
        try:
            outcomes.append(ws.merge_range(r, c, r + dr, c + dc, data, fmts[3]))
        except Exception as exc:  # noqa: BLE001 - overlaps must fail the same way in both
            outcomes.append(type(exc).__name__)
    for r, c, f, (kind, v) in cells:
        fmt = fmts[f]
        if kind == "string":
            ws.write_string(r, c, v, fmt)
        elif kind == "number":
            ws.write_number(r, c, v, fmt)
        elif kind == "date":
            ws.write_datetime(r, c, v, fmts[2])
        elif kind == "blank":
            ws.write_blank(r, c, None, fmt or fmts[3])
        elif kind == "boolean":
            ws.write_boolean(r, c, v, fmt)
        elif kind == "formula":
            ws.write_formula(r, c, "=IF(A1<>\"x&y\",SUM(B1:B3),\"<>\")", fmt, v)
        elif kind == "rich":
            ws.write_rich_string(r, c, fmts[1], v[0], v[1], *([fmt] if fmt else []))
        else:
            ws.write_array_formula(r, c, r, c, "{=SUM(A1:A2*B1:B2)}", fmt, v)
    wb.close()
    return outcomes


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # core: timestamps


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(CELL, max_size=80), rows=st.lists(ROW, max_size=10), col_fmt=st.booleans(),
       merges=st.lists(MERGE, max_size=8), tables=st.lists(TABLE, max_size=3))
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_same_bytes_as_xlsxwriter(tmp_path_factory, cells, rows, col_fmt, merges, tables):
    d = tmp_path_factory.mktemp("fast")
    stock = _build(xlsxwriter.Workbook, d / "stock.xlsx", cells, rows, col_fmt, merges, tables)
    fast = _build(FastWorkbook, d / "fast.xlsx", cells, rows, col_fmt, merges, tables)
    assert fast == stock
    assert _parts(d / "fast.xlsx") == _parts(d / "stock.xlsx")


def _stock(mp):
    """Every fast path replaced by xlsxwriter's own method."""
    for name in ("write_string", "write_blank", "write_number", "merge_range", "_prepare_formula",
                 "_write_rows", "_calculate_spans"):
        mp.setattr(FastWorksheet, name, getattr(Worksheet, name))
    mp.setattr(FastWorkbook, "_get_packager", xlsxwriter.Workbook._get_packager)
    mp.setattr(FastWorkbook, "_write_defined_names", xlsxwriter.Workbook._write_defined_names)
    mp.setattr(FastWorkbook, "define_valid_names",
               lambda self, names: [self.define_name(n, "=" + r) for n, r in names])


def test_generated_forms_same_bytes_as_xlsxwriter(tmp_path, sd, monkeypatch):
    """Every form type of the example, written with and without the fast paths."""
    from toolkit.definitions.expand import plan_form
    from toolkit.forms.writer import write_form
    from toolkit.forms.generate import planned_forms

    when = dt.datetime(2028, 1, 5, 9, 0)
    todo, _ = planned_forms(sd, 2028)
    firsts = {}
    for defn, m in todo:
        firsts.setdefault(defn.skema, (defn, m))
    assert set(firsts) == {"indmelding", "udmelding", "aarsrapport", "kommune"}
    for skema, (defn, m) in firsts.items():
        plan = plan_form(defn, sd, m, 2028)
        write_form(plan, sd, tmp_path / f"{skema}_fast.xlsx", None, when)
        with monkeypatch.context() as mp:
            _stock(mp)
            write_form(plan, sd, tmp_path / f"{skema}_stock.xlsx", None, when)
        fast, stock = _parts(tmp_path / f"{skema}_fast.xlsx"), _parts(tmp_path / f"{skema}_stock.xlsx")
        assert len(fast) >= 5
        assert fast == stock, skema


def test_falls_back_when_internals_differ(tmp_path, monkeypatch):
    """Comments (or unknown xlsxwriter internals) send the sheet through the stock code."""
    calls = []
    original = Worksheet._write_rows

    def spy(self):
        calls.append(self.name)
        return original(self)

    monkeypatch.setattr(Worksheet, "_write_rows", spy)
    wb = FastWorkbook(str(tmp_path / "c.xlsx"))
    ws = wb.add_worksheet("Med kommentar")
    ws.write_string(0, 0, "x")
    ws.write_comment(0, 0, "en kommentar")
    plain = wb.add_worksheet("Uden")
    plain.write_string(0, 0, "y")
    wb.close()
    assert calls == ["Med kommentar"]
    import openpyxl

    wb2 = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert wb2["Med kommentar"]["A1"].value == "x" and wb2["Uden"]["A1"].value == "y"
    assert wb2["Med kommentar"]["A1"].comment.text.startswith("en kommentar")


@pytest.mark.parametrize("formula_value", [0, "#N/A", True, "tekst & <mere>"])
def test_formula_cell_values(tmp_path, formula_value):
    for cls, name in ((xlsxwriter.Workbook, "s"), (FastWorkbook, "f")):
        wb = cls(str(tmp_path / f"{name}.xlsx"))
        wb.add_worksheet().write_formula(0, 0, "=1+1", None, formula_value)
        wb.close()
    assert _parts(tmp_path / "f.xlsx") == _parts(tmp_path / "s.xlsx")


@settings(max_examples=200, deadline=None)
@given(keys=st.lists(st.text(min_size=1, max_size=400), min_size=1, max_size=5))
def test_defined_names_pass_xlsxwriters_own_checks(tmp_path_factory, keys):
    """`define_valid_names` skips define_name's checks, so every name we make must pass them."""
    import warnings

    from toolkit.forms.meta import defined_name

    used: set[str] = set()
    wb = xlsxwriter.Workbook(str(tmp_path_factory.mktemp("n") / "n.xlsx"))
    wb.add_worksheet("Ark")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for key in keys + keys:  # the repeats must get names of their own
            name = defined_name(key, used)
            assert len(name) <= 255
            assert wb.define_name(name, "=Ark!$A$1") == 0
    assert len(used) == 2 * len(keys)
    wb.close()


ROW_VALUE = st.one_of(st.none(), TEXT, st.integers(-10**12, 10**12), st.booleans(),
                      st.floats(allow_nan=False, allow_infinity=False),
                      st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
                      st.just("x" * 20_000), st.just("=HYPERLINK(\"http://x.example.invalid\")"))


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(ROW_VALUE, max_size=12), max_size=12))
def test_bulk_row_writer_equals_cell_by_cell(tmp_path_factory, rows):
    """safe.write_row_values on a fast sheet == safe.write_value per cell on a stock sheet."""
    from toolkit.consolidate.safe_cells import SAFE_OPTIONS, write_row_values, write_value

    d = tmp_path_factory.mktemp("bulk")
    for cls, name in ((xlsxwriter.Workbook, "stock"), (FastWorkbook, "fast")):
        wb = cls(str(d / f"{name}.xlsx"), {**SAFE_OPTIONS, "in_memory": True})
        ws = wb.add_worksheet("Ark")
        fmts = [wb.add_format({"num_format": "0.0"}) if c % 2 else None for c in range(12)]
        date = wb.add_format({"num_format": "d. mmmm yyyy"})
        cleaned: dict = {}
        for r, values in enumerate(rows):
            if cls is FastWorkbook:
                write_row_values(ws, r + 1, values, fmts, date, cleaned)
            else:
                for c, v in enumerate(values):
                    write_value(ws, r + 1, c, v, fmts[c], date)
        wb.close()
    assert _parts(d / "fast.xlsx") == _parts(d / "stock.xlsx")


def test_big_table_skips_per_cell_bookkeeping_but_still_finds_overlaps(tmp_path):
    from xlsxwriter.exceptions import OverlappingRange

    for cls in (xlsxwriter.Workbook, FastWorkbook):
        wb = cls(str(tmp_path / f"{cls.__name__}.xlsx"))
        ws = wb.add_worksheet()
        ws.add_table(0, 0, 5000, 9, {"name": "T_stor", "columns": [{"header": f"K{j}"} for j in range(10)]})
        if cls is FastWorkbook:
            assert len(ws.table_cells) <= 20  # not 50,010 entries
        with pytest.raises(OverlappingRange):
            ws.merge_range(4000, 3, 4001, 4, "", wb.add_format({"bold": True}))
        with pytest.raises(OverlappingRange):
            ws.add_table(4990, 9, 5010, 12, {"name": "T_andet"})
        ws.add_table(5001, 0, 5003, 2, {"name": "T_under"})  # right below: fine
        wb.close()
    assert _parts(tmp_path / "FastWorkbook.xlsx") == _parts(tmp_path / "Workbook.xlsx")
