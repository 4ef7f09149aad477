"""What Danes write and read in cells: dates, numbers and e-mail addresses, formatted and parsed.
Pure functions, no I/O; the stamdata loader and the reader of returned forms share them."""

from __future__ import annotations

import datetime as dt
import re

# The Excel number formats of every workbook we write (forms, overview, reminder list, stamdata): the
# same Danish reading as format_tal/format_dato give in Word and the terminal. Excel and LibreOffice
# show ',' and '.' by the reader's locale; [$-406] is Danish month names.
EXCEL_FORMATER = {
    "heltal": "#,##0",  # 1.234
    "tal": "#,##0.0",  # 1.234,5
    "beloeb": '#,##0" kr."',  # 1.234 kr.
    "procent": '0.0" %"',  # 97,1 %
    "dato": "[$-406]d. mmmm yyyy",  # 1. marts 2028
    "tidspunkt": "[$-406]d. mmm yyyy hh:mm",  # 1. mar 2028 09:30
}

MAANEDER = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


def format_dato(d: dt.date) -> str:
    """26. marts 2027"""
    return f"{d.day}. {MAANEDER[d.month - 1]} {d.year}"


def format_dato_kort(d: dt.date) -> str:
    """1. mar. · 20. maj — a date within a year that is named elsewhere (a table's title)."""
    navn = MAANEDER[d.month - 1]
    return f"{d.day}. {navn}" if len(navn) <= 3 else f"{d.day}. {navn[:3]}."


def format_tal(x: float | int, decimaler: int | None = None) -> str:
    """1.234,5 — thousands separator '.', decimal comma. Integers print without decimals."""
    if decimaler is None:
        decimaler = 0 if float(x).is_integer() else 1
    s = f"{abs(x):,.{decimaler}f}"  # 1,234.5
    s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if x < 0 else "") + s


_NUM = re.compile(r"^([-+−]?)\s*(\d[\d.,\s ]*)\s*([a-zæøå%.]*\.?)$", re.IGNORECASE)


def parse_tal(text: str) -> float | None:
    """'5,5' '1.234' '36.500' '1.234,50 kr.' ' 12 ' '12 pladser' '50 %' -> float; None if unreadable.

    A lone '.' followed by groups of three digits is a thousands separator (1.234 is a thousand,
    as Danes write it) unless the first group is 0 ('0.750' is three quarters); otherwise '.' and ','
    both read as the decimal mark, and when both occur the last one is."""
    if not isinstance(text, str):
        return None
    m = _NUM.match(text.strip().replace("\u00a0", " "))
    if not m:
        return None
    sign, digits, _unit = m.groups()
    d = re.sub(r"[\s ]", "", digits)
    if "," in d and "." in d:
        # 1.234,50 (Danish) or 1,234.50 (English)
        d = d.replace(".", "").replace(",", ".") if d.rfind(",") > d.rfind(".") else d.replace(",", "")
    elif "," in d:
        d = d.replace(",", "") if re.fullmatch(r"[1-9]\d{0,2}(,\d{3}){2,}", d) else d.replace(",", ".")
    elif "." in d and re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+", d):
        d = d.replace(".", "")
    try:
        x = float(d)
    except ValueError:
        return None
    return -x if sign in ("-", "−") else x


_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DK = re.compile(r"^\s*(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{2}|\d{4})\s*$")
_DK_LANG = re.compile(r"^\s*(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})\s*$", re.IGNORECASE)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX = 2958466  # 1 January 10000


def parse_dato(text: str) -> dt.date | None:
    """Accepts 2027-05-01, 1.5.2027, 01-05-2027, 1/5/27, 1/3-2027 and '1. maj 2027'. None if unreadable."""
    if not isinstance(text, str):
        return None
    try:
        if m := _ISO.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DK.match(text):
            year = int(m[3])
            if year < 100:
                year += 2000
            return dt.date(year, int(m[2]), int(m[1]))
        if m := _DK_LANG.match(text):
            name = m[2].lower()
            for i, maaned in enumerate(MAANEDER):
                if maaned.startswith(name) and len(name) >= 3:
                    return dt.date(int(m[3]), i + 1, int(m[1]))
    except ValueError:
        return None
    return None


def excel_dato(serial: float) -> dt.date | None:
    """An Excel serial day number (1900 date system, as Excel and LibreOffice write it) as a date;
    None outside Excel's range. 46447 -> 2027-03-01."""
    if isinstance(serial, bool) or not isinstance(serial, (int, float)) or not 1 <= serial < _EXCEL_MAX:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def dato_fra_celle(v) -> dt.date | None:
    """A cell's value as a date: a date or datetime, an Excel serial number, or ISO/Danish text."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)):
        return excel_dato(v)
    return parse_dato(v)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def ligner_email(text: str) -> bool:
    """A sane shape check, not RFC 5322: something@domain.tld, no spaces, one '@', no empty
    domain labels. 'a@b.dk' yes; 'a@b', 'a b@c.dk', 'a@b..dk', 'a@b.dk; c@d.dk' no."""
    return isinstance(text, str) and bool(_EMAIL.match(text))


def antal(n: int, ental: str, flertal: str, en: str | None = None) -> str:
    """A count with the noun in the right number: antal(1, "ny", "nye") -> "1 ny", antal(2, …) ->
    "2 nye"; `en` spells out one: antal(1, "ønske", "ønsker", en="ét") -> "ét ønske". Thousands
    with a dot ("1.234 filer"). Every count the tool prints goes through here."""
    if n == 1:
        return f"{en or '1'} {ental}"
    return f"{format_tal(n, 0)} {flertal}"


def stort(text: str) -> str:
    """The first letter upper case, the rest untouched ("ét ønske" -> "Ét ønske")."""
    return text[:1].upper() + text[1:]


def opremsning(items, og: str = "og") -> str:
    """'2026', '2026 og 2027', '2025, 2026 og 2027' (`og="eller"`: '… eller 2027')"""
    words = [str(x) for x in items]
    return f" {og} ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)
