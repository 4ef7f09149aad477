"""Danish presentation and parsing of dates and numbers. Pure functions, no I/O."""
from __future__ import annotations

import datetime as dt
import re

MAANEDER = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]
UGEDAGE = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]


def format_dato(d: dt.date) -> str:
    """26. marts 2027"""
    return f"{d.day}. {MAANEDER[d.month - 1]} {d.year}"


def format_tal(x: float | int, decimaler: int | None = None) -> str:
    """1.234,5 — thousands separator '.', decimal comma. Integers print without decimals."""
    if decimaler is None:
        decimaler = 0 if float(x).is_integer() else 1
    s = f"{abs(x):,.{decimaler}f}"  # 1,234.5
    s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if x < 0 else "") + s


def format_procent(x: float, decimaler: int = 0) -> str:
    return f"{format_tal(x, decimaler)} %"


_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DK = re.compile(r"^\s*(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{2}|\d{4})\s*$")
_DK_LANG = re.compile(r"^\s*(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})\s*$", re.IGNORECASE)


def parse_dato(text: str) -> dt.date | None:
    """Accepts 2027-05-01, 1.5.2027, 01-05-2027, 1/5/27 and '1. maj 2027'. None if unreadable."""
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
