"""The read-back's short cuts give exactly what the general path gives: defined names in the
forms' own shape are picked apart directly (the general path is the oracle), a part's DTD is found
by walking its prolog instead of parsing it whole, and the last-saved time is found in core.xml
without a parse when it is written as Excel and LibreOffice write it."""

import datetime as dt
import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.returns.reader import HostileXml, _parse_names, _parse_ref, _workbook_name, no_dtd
from toolkit.returns.saved import _modified_text, parse_time

# sheet names as people type them: letters (also æøå), digits, spaces, quotes, dots
SHEET = st.text(alphabet="abcxyzæøåABCÆØÅ019 .'-&_", min_size=1, max_size=20).filter(lambda s: s.strip() == s)
CELL = st.tuples(st.sampled_from(["A", "C", "Z", "AB", "XFD", "b"]), st.integers(1, 1_048_576))
NAME = st.text(alphabet="S_abcæø019.&", min_size=1, max_size=15)
ATTRS = st.sampled_from(["", ' hidden="1"', ' localSheetId="0"', ' comment="x"'])


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


@st.composite
def defined_names(draw):
    out = []
    for _ in range(draw(st.integers(1, 6))):
        name, sheet, (col, row), attrs = draw(NAME), draw(SHEET), draw(CELL), draw(ATTRS)
        quote = draw(st.booleans()) or not sheet.replace("_", "a").isalnum()
        dollars = draw(st.booleans())
        ref = f"{_quoted(sheet) if quote else sheet}!" + (f"${col}${row}" if dollars else f"{col}{row}")
        out.append((name, attrs, ref))
    return out


def _general(workbook: bytes) -> dict:
    """The general path alone, element by element (the oracle)."""
    import re

    out = {}
    for blob, text in re.findall(rb"<definedName\b([^>]*)>([^<]*)</definedName>", workbook):
        name = _workbook_name(blob)
        ref = text.decode()
        target = _parse_ref(html.unescape(ref))
        if name and target:
            out[name] = target
    return out


@settings(max_examples=300, deadline=None)
@given(defined_names())
def test_names_in_the_forms_shape_read_as_the_general_path_reads_them(items):
    workbook = (
        "<workbook><definedNames>"
        + "".join(f'<definedName name="{_escape(n)}"{a}>{_escape(r)}</definedName>' for n, a, r in items)
        + "</definedNames></workbook>"
    )
    names, _files, _deleted, _constants = _parse_names(b"", workbook.encode())
    assert names == _general(workbook.encode())


def test_a_name_in_the_forms_shape_gives_its_sheet_and_cell():
    workbook = (
        "<workbook><definedNames>"
        "<definedName name=\"S_a\">'Afsnit 2 Kommune'!$C$7</definedName>"
        "<definedName name=\"S_b\">'It''s'!D12</definedName>"
        '<definedName name="S_c">Ark1!$AB$3</definedName>'
        "<definedName name=\"S_d\">'Belægning'!$C$9</definedName>"
        "</definedNames></workbook>"
    ).encode()
    names, *_ = _parse_names(b"", workbook)
    assert names == {
        "S_a": ("Afsnit 2 Kommune", "C7"),
        "S_b": ("It's", "D12"),
        "S_c": ("Ark1", "AB3"),
        "S_d": ("Belægning", "C9"),
    }


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>',
        b'<?xml version="1.0"?>\n<!-- ' + b"x" * 20_000 + b' --><!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>',
        b"<?xml version='1.0'?><?pi data?>\n\n<!ENTITY a 'b'><x/>",
        b'\xef\xbb\xbf<?xml version="1.0"?><!doctype x><x/>',
    ],
)
def test_a_dtd_anywhere_in_the_prolog_is_refused(prolog):
    with pytest.raises(HostileXml):
        no_dtd(prolog)


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook><x>&lt;!DOCTYPE</x></workbook>',
        b"<!-- a comment --><workbook/>",
        b"<workbook><!-- <!DOCTYPE in a comment after the root --></workbook>",
        b"",
        b"not xml at all",
    ],
)
def test_no_dtd_passes_what_declares_none(xml):
    no_dtd(xml)


EXCEL_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    b'<dc:creator>Sekretariatet</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2028-01-10T08:00:00Z'
    b'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2028-03-01T10:15:00Z</dcterms:modified>'
    b"</cp:coreProperties>"
)


def test_the_last_save_is_found_in_core_xml_without_a_parse():
    assert _modified_text(EXCEL_CORE) == "2028-03-01T10:15:00Z"
    assert parse_time(_modified_text(EXCEL_CORE)) == dt.datetime(2028, 3, 1, 10, 15, tzinfo=dt.timezone.utc)
    other_prefix = EXCEL_CORE.replace(b"dcterms:", b"t:").replace(b"xmlns:dcterms=", b"xmlns:t=")
    assert _modified_text(other_prefix) == "2028-03-01T10:15:00Z"


def test_core_xml_written_otherwise_is_left_to_the_parser():
    default_ns = (
        b'<coreProperties xmlns="http://purl.org/dc/terms/"><modified>2028-03-01T10:15:00Z</modified></coreProperties>'
    )
    assert _modified_text(default_ns) is None
    with pytest.raises(HostileXml):
        _modified_text(b'<!DOCTYPE x [<!ENTITY t "2099-01-01T00:00:00Z">]>' + EXCEL_CORE[EXCEL_CORE.index(b"<cp:") :])


def test_a_long_sheet_name_in_a_range_is_read_in_linear_time():
    """A print area on a sheet with a long quoted name is no single cell: the form's own pattern
    must fail on it at once (a nested repetition would try every split of the name, forever)."""
    sheet = "Afsnit 2 Kommune " * 30
    workbook = (
        f"<workbook><definedNames><definedName name=\"Område\">'{sheet}'!$A$1:$F$72</definedName>"
        f"<definedName name=\"S_x\">'{sheet}'!$C$7</definedName></definedNames></workbook>"
    ).encode()
    names, *_ = _parse_names(b"", workbook)
    assert names == {"S_x": (sheet, "C7")}
