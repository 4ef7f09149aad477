import datetime as dt

import pytest

from toolkit.definitions.model import Felt
from toolkit.returns.normalize import normalize


def felt(type_, **kw):
    if type_ == "valg":
        kw.setdefault("valg", ("Målgrupper", "Ydelser", "Forholdet mellem indhold og pris"))
    return Felt(noegle="x", etiket="X", type=type_, **kw)


@pytest.mark.parametrize(
    "type_,raw,value,code",
    [
        ("tal", "5,5", 5.5, None),
        ("tal", 12.0, 12, None),
        ("beloeb", "1.234,50 kr.", 1234.5, None),
        ("procent", "50 %", 50, None),
        ("heltal", "12 pladser", 12, None),
        ("heltal", "2,5", 2.5, "ikke-heltal"),
        ("tal", "ca. 5", None, "ikke-et-tal"),
        ("tal", "se bilag", None, "ikke-et-tal"),
        ("tal", "(venligst udfyld her)", None, None),
        ("tal", True, None, "ikke-et-tal"),
        ("ja_nej", "ja", "Ja", None),
        ("ja_nej", "Ja", "Ja", None),
        ("ja_nej", "x", "Ja", None),
        ("ja_nej", "X", "Ja", None),
        ("ja_nej", "nej", "Nej", None),
        ("ja_nej", True, "Ja", None),
        ("ja_nej", False, "Nej", None),
        ("ja_nej", "måske", None, "ukendt-valg"),
        ("valg", "  ydelser ", "Ydelser", None),
        ("valg", "FORHOLDET MELLEM  indhold og pris", "Forholdet mellem indhold og pris", None),
        ("valg", "Økonomi", None, "ukendt-valg"),
        ("dato", "1.3.2027", dt.date(2027, 3, 1), None),
        ("dato", "01-03-2027", dt.date(2027, 3, 1), None),
        ("dato", 46447.0, dt.date(2027, 3, 1), None),
        ("dato", dt.datetime(2027, 3, 1, 0, 0), dt.date(2027, 3, 1), None),
        ("dato", "snart", None, "ikke-en-dato"),
        ("dato", "1/3-2027", dt.date(2027, 3, 1), None),
        ("dato", 0, None, "ikke-en-dato"),
        ("dato", True, None, "ikke-en-dato"),
        ("tal", "36.500", 36500, None),
        ("beloeb", "1.234,5", 1234.5, None),
        ("email", "a@b.dk", "a@b.dk", None),
        ("email", "ikke en mail", "ikke en mail", "ugyldig-email"),
        ("email", "a@b..dk", "a@b..dk", "ugyldig-email"),
        ("tekst", 12345678.0, "12345678", None),
        ("tekst", '=HYPERLINK("http://x")', '=HYPERLINK("http://x")', None),
        ("tekst", "linje\x07 med klokke", "linje med klokke", "kontroltegn"),
        ("langtekst", "x" * 40000, "x" * 32767, "for-lang-tekst"),
    ],
)
def test_normalize_rules(type_, raw, value, code):
    n = normalize(felt(type_), raw)
    assert (n.value, n.code) == (value, code)
    if raw not in (None, ""):
        assert n.raw != ""  # the original is always kept


def test_range_is_checked_but_value_kept():
    n = normalize(felt("procent", min=0, max=200), "250")
    assert n.value == 250 and n.code == "uden-for-interval" and "0–200" in n.detail


BELAEGNING = felt("procent", min=0, max=200)


@pytest.mark.parametrize(
    "raw,percent_format,value,code",
    [
        (95, False, 95, None),
        ("95", False, 95, None),
        ("95 %", False, 95, None),
        ("95%", False, 95, None),
        (95.0, False, 95, None),
        (0.95, True, 95, None),
        (1.5, True, 150, None),
        (0.955, True, 95.5, None),
        (0, False, 0, None),
        (0.0, True, 0, None),
        ("0,95 %", False, 0.95, None),
        # '95%' typed into one of the form's number cells: LibreOffice keeps the cell's format, so 0,95
        # can mean 95 % or 0,95 %: nothing is stored, the raw value is kept and reported
        (0.95, False, None, "tvetydig-procent"),
        ("0,95", False, None, "tvetydig-procent"),
        (1, False, None, "tvetydig-procent"),
        (2, False, None, "tvetydig-procent"),
        (2.5, False, 2.5, None),  # 250 % is outside 0–200: only one reading fits
        (3.0, True, 300, "uden-for-interval"),
    ],
)
def test_percent_fields_read_the_cells_number_format_not_the_size(raw, percent_format, value, code):
    n = normalize(BELAEGNING, raw, percent=percent_format)
    assert (n.value, n.code) == (value, code)
    assert n.raw != ""


def test_ambiguous_percent_message_is_danish_and_names_both_readings():
    n = normalize(BELAEGNING, 0.95)
    assert n.raw == "0.95"
    assert "0,95 kan betyde 95 % eller 0,95 %" in n.detail and "fx 95" in n.detail


def test_percent_format_on_a_field_that_is_no_percentage_is_reported():
    n = normalize(felt("tal", min=0), 0.12, percent=True)
    assert (n.value, n.code) == (None, "tvetydig-procent") and "12 %" in n.detail
