"""The formula/error cell scanner finds exactly what a full regex pass over every cell finds."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.returns.reader import _percent_styles, _rowcol, _scan_cells, _scan_percent, is_percent_format

# the previous implementation: one pattern run over every cell of the sheet (the oracle)
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*?)><f')
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?t="e"[^>]*?>')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def oracle(data: bytes, sheet: str) -> dict:
    flags = {}
    for m in _ERROR_CELL.finditer(data):
        body = data[m.end() : data.find(b"</c>", m.end())]
        v = _VALUE.search(body)
        flags[(sheet, m.group(1).decode())] = (body.startswith(b"<f"), v.group(1).decode() if v else "#FEJL", bool(v))
    for m in _FORMULA_CELL.finditer(data):
        ref = m.group(1).decode()
        if (sheet, ref) in flags:
            continue
        body = data[m.end() : data.find(b"</c>", m.end())]
        v = _VALUE.search(body)
        flags[(sheet, ref)] = (True, None, bool(v and v.group(1)))
    return flags


CELLS = {
    "number": '<c r="{r}" s="3"><v>12.5</v></c>',
    "shared": '<c r="{r}" s="3" t="s"><v>7</v></c>',
    "inline": '<c r="{r}" t="inlineStr"><is><t>skriv t="e" her</t></is></c>',
    "blank": '<c r="{r}" s="4"/>',
    "formula": '<c r="{r}" s="2"><f>SUM(A1:A2)</f><v>3</v></c>',
    "formula_str": '<c r="{r}" t="str"><f>IF(A1="","x","y")</f><v>x</v></c>',
    "formula_nocache": '<c r="{r}"><f>A1*2</f><v></v></c>',
    "formula_novalue": '<c r="{r}"><f>A1*2</f></c>',
    "shared_formula": '<c r="{r}"><f t="shared" ref="B2:B9" si="0">A2*2</f><v>4</v></c>',
    "shared_child": '<c r="{r}"><f t="shared" si="0"/><v>6</v></c>',
    "error": '<c r="{r}" t="e"><v>#VALUE!</v></c>',
    "error_formula": '<c r="{r}" s="1" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    "error_nov": '<c r="{r}" t="e"><f>1/0</f></c>',
    "bool_lo": '<c r="{r}" t="b"><f>TRUE()</f><v>1</v></c>',
}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(CELLS)), st.integers(0, 40), st.integers(1, 300)), max_size=40))
def test_scanner_equals_full_regex_pass(cells):
    seen, rows = set(), {}
    for kind, col, row in cells:
        ref = f"{'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[col % 26] * (1 + col // 26)}{row}"
        if ref in seen:
            continue
        seen.add(ref)
        rows.setdefault(row, []).append(CELLS[kind].format(r=ref))
    body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
    data = (
        '<?xml version="1.0"?><worksheet><sheetData>' + body + "</sheetData>"
        "<dataValidations><dataValidation><formula1>0</formula1></dataValidation></dataValidations>"
        "</worksheet>"
    ).encode()
    got = {}
    _scan_cells(data, "Ark", got)
    assert {k: (f.formula, f.error, f.cached) for k, f in got.items()} == oracle(data, "Ark")


def test_cell_addresses():
    assert _rowcol("A1") == (0, 0)
    assert _rowcol("$AB$12") == (11, 27)
    assert _rowcol("XFD1048576") == (1048575, 16383)
    assert _rowcol("") == (-1, -1) and _rowcol("12") == (-1, -1) and _rowcol("Ark!A1") == (-1, -1)


@pytest.mark.parametrize(
    "code,percent",
    [
        ("0%", True),
        ("0.00%", True),
        ("0.0%;[Red]-0.0%", True),
        ('0.0" %"', False),
        ("0.0\\%", False),
        ("#,##0", False),
        ("General", False),
        ('"%"0', False),
        ("[$%-406]0", False),
        ("0_%", False),
    ],
)
def test_percent_format_is_a_percent_sign_outside_literal_text(code, percent):
    assert is_percent_format(code) is percent


def test_percent_styles_come_from_cellxfs_and_builtin_ids():
    styles = (
        b'<styleSheet><numFmts><numFmt numFmtId="166" formatCode="0.0&quot; %&quot;"/>'
        b'<numFmt numFmtId="170" formatCode="0.0%"/></numFmts>'
        b'<cellStyleXfs><xf numFmtId="9"/></cellStyleXfs>'
        b'<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="166"/><xf numFmtId="170"/>'
        b'<xf numFmtId="9" applyNumberFormat="1"/></cellXfs></styleSheet>'
    )
    assert _percent_styles(styles) == {b"2", b"3"}


def test_percent_cells_are_flagged_alongside_formula_flags():
    data = (
        b'<worksheet><sheetData><row r="7" s="2" customFormat="1"><c r="C7" s="2"><v>0.95</v></c>'
        b'<c r="D7" s="1"><v>0.95</v></c><c r="E7" s="3"><f>C7</f><v>0.95</v></c></row>'
        b"</sheetData></worksheet>"
    )
    flags: dict = {}
    _scan_cells(data, "Belægning", flags)
    _scan_percent(data, "Belægning", {b"2", b"3"}, flags)
    assert {k: (f.formula, f.percent) for k, f in flags.items()} == {
        ("Belægning", "C7"): (False, True),
        ("Belægning", "E7"): (True, True),
    }
