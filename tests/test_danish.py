import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.danish import (
    antal,
    dato_fra_celle,
    excel_dato,
    format_dato,
    format_dato_kort,
    format_tal,
    ligner_email,
    opremsning,
    parse_dato,
    parse_tal,
    stort,
)


@pytest.mark.parametrize(
    "d,expected",
    [
        (dt.date(2027, 3, 26), "26. marts 2027"),
        (dt.date(2027, 5, 1), "1. maj 2027"),
        (dt.date(2028, 12, 31), "31. december 2028"),
    ],
)
def test_format_dato_is_danish(d, expected):
    assert format_dato(d) == expected


@pytest.mark.parametrize(
    "x,dec,expected",
    [
        (1234.5, None, "1.234,5"),
        (1234, None, "1.234"),
        (0.5, 2, "0,50"),
        (-1234567.25, 2, "-1.234.567,25"),
        (12, 1, "12,0"),
    ],
)
def test_format_tal_uses_danish_separators(x, dec, expected):
    assert format_tal(x, dec) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2027-05-01", dt.date(2027, 5, 1)),
        ("1.5.2027", dt.date(2027, 5, 1)),
        ("01-03-2027", dt.date(2027, 3, 1)),
        ("1/3/27", dt.date(2027, 3, 1)),
        ("1/3-2027", dt.date(2027, 3, 1)),
        ("26. marts 2027", dt.date(2027, 3, 26)),
        ("1. maj 2027", dt.date(2027, 5, 1)),
        ("31.2.2027", None),
        ("i morgen", None),
        ("", None),
    ],
)
def test_parse_dato_accepts_iso_and_danish(text, expected):
    assert parse_dato(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("5,5", 5.5),
        ("1.234", 1234),
        ("36.500", 36500),
        ("1.234,5", 1234.5),
        ("1.234,50 kr.", 1234.5),
        (" 12 ", 12),
        ("12 pladser", 12),
        ("50 %", 50),
        ("1 234,5", 1234.5),
        ("5.5", 5.5),
        ("1,234,567", 1234567),
        ("-3", -3),
        ("−3", -3),
        ("0.750", 0.75),
        ("0,750", 0.75),
        ("0.750.000", None),
        ("95%", 95),
        ("95 %", 95),
        ("ca. 5", None),
        ("se bilag", None),
        ("", None),
        ("nan", None),
        ("1e3", None),
    ],
)
def test_parse_tal_reads_what_danes_type(text, expected):
    assert parse_tal(text) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (46447, dt.date(2027, 3, 1)),
        (46447.75, dt.date(2027, 3, 1)),
        (dt.datetime(2027, 3, 1, 12), dt.date(2027, 3, 1)),
        (dt.date(2027, 3, 1), dt.date(2027, 3, 1)),
        ("1.3.2027", dt.date(2027, 3, 1)),
        ("2027-03-01", dt.date(2027, 3, 1)),
        (0, None),
        (-5, None),
        (True, None),
        (None, None),
        ("snart", None),
    ],
)
def test_dato_fra_celle_takes_dates_excel_serials_and_text(value, expected):
    assert dato_fra_celle(value) == expected


def test_excel_dato_range():
    assert excel_dato(1) == dt.date(1899, 12, 31) and excel_dato(2958465) == dt.date(9999, 12, 31)
    assert excel_dato(2958466) is None


@pytest.mark.parametrize(
    "text,ok",
    [
        ("a@b.dk", True),
        ("anne.testesen@aalborg.example.invalid", True),
        ("ikke en mail", False),
        ("a@b", False),
        ("a b@c.dk", False),
        ("a@b..dk", False),
        ("a@@b.dk", False),
        ("a@b.dk; c@d.dk", False),
        ("", False),
        (None, False),
    ],
)
def test_ligner_email(text, ok):
    assert ligner_email(text) is ok


@given(n=st.integers(min_value=-(10**12), max_value=10**12), decimaler=st.integers(min_value=0, max_value=3))
def test_format_tal_then_parse_tal_gives_the_same_number(n, decimaler):
    x = n / 10**decimaler
    assert parse_tal(format_tal(x, decimaler)) == x


@given(n=st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_round_trip_without_decimals(n):
    assert parse_tal(format_tal(n)) == n


@pytest.mark.parametrize(
    "n,ental,flertal,en,expected",
    [
        (1, "ny", "nye", None, "1 ny"),
        (2, "ny", "nye", None, "2 nye"),
        (0, "ny", "nye", None, "0 nye"),
        (1, "PDF-fil", "PDF-filer", None, "1 PDF-fil"),
        (3, "PDF-fil", "PDF-filer", None, "3 PDF-filer"),
        (1, "ønske", "ønsker", "ét", "ét ønske"),
        (2, "ønske", "ønsker", "ét", "2 ønsker"),
        (1, "skema", "skemaer", "ét", "ét skema"),
        (1234, "fil", "filer", None, "1.234 filer"),
    ],
)
def test_antal_uses_the_singular_for_one_and_danish_thousands(n, ental, flertal, en, expected):
    assert antal(n, ental, flertal, en=en) == expected


def test_stort_capitalises_only_the_first_letter():
    assert stort(antal(1, "ønske", "ønsker", en="ét")) == "Ét ønske"
    assert stort("2 PDF-filer") == "2 PDF-filer"


@pytest.mark.parametrize(
    "items,og,expected",
    [
        ([2026], "og", "2026"),
        ([2026, 2027], "og", "2026 og 2027"),
        (["a", "b", "c"], "eller", "a, b eller c"),
        ([], "og", ""),
    ],
)
def test_opremsning_joins_the_danish_way(items, og, expected):
    assert opremsning(items, og) == expected


@pytest.mark.parametrize(
    "d,expected",
    [(dt.date(2028, 3, 1), "1. mar."), (dt.date(2028, 5, 20), "20. maj"), (dt.date(2028, 12, 31), "31. dec.")],
)
def test_format_dato_kort_without_year(d, expected):
    assert format_dato_kort(d) == expected


def test_every_workbook_we_write_takes_its_number_formats_from_one_table():
    """One Danish formatter (issue 13): the forms' input cells, the overview and the reminder list
    use toolkit.danish.EXCEL_FORMATER, and no module writes its own date or number format string."""
    import pathlib

    from toolkit.consolidate.workbook import NUM_FMT
    from toolkit.danish import EXCEL_FORMATER
    from toolkit.forms.styles import NUM_FORMATS

    assert all(NUM_FMT[t] == EXCEL_FORMATER[t] for t in NUM_FMT)
    assert all(NUM_FORMATS[t] == EXCEL_FORMATER[t] for t in NUM_FORMATS if t != "tal")
    root = pathlib.Path(__file__).resolve().parent.parent / "toolkit"
    own = [p for p in root.rglob("*.py") if p.name != "danish.py" and "[$-406]" in p.read_text(encoding="utf-8")]
    assert own == []
