import datetime as dt

import pytest

from toolkit.danish import format_dato, format_tal, parse_dato


@pytest.mark.parametrize("d,expected", [
    (dt.date(2027, 3, 26), "26. marts 2027"),
    (dt.date(2027, 5, 1), "1. maj 2027"),
    (dt.date(2028, 12, 31), "31. december 2028"),
])
def test_format_dato_is_danish(d, expected):
    assert format_dato(d) == expected


@pytest.mark.parametrize("x,dec,expected", [
    (1234.5, None, "1.234,5"), (1234, None, "1.234"), (0.5, 2, "0,50"),
    (-1234567.25, 2, "-1.234.567,25"), (12, 1, "12,0"),
])
def test_format_tal_uses_danish_separators(x, dec, expected):
    assert format_tal(x, dec) == expected


@pytest.mark.parametrize("text,expected", [
    ("2027-05-01", dt.date(2027, 5, 1)), ("1.5.2027", dt.date(2027, 5, 1)),
    ("01-03-2027", dt.date(2027, 3, 1)), ("1/3/27", dt.date(2027, 3, 1)),
    ("26. marts 2027", dt.date(2027, 3, 26)), ("1. maj 2027", dt.date(2027, 5, 1)),
    ("31.2.2027", None), ("i morgen", None), ("", None),
])
def test_parse_dato_accepts_iso_and_danish(text, expected):
    assert parse_dato(text) == expected
