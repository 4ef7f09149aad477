"""Turn what people really type into typed values. Pure: (field, raw cell value) -> Normalized.

A value that cannot be read is kept as text (`raw`) with an issue code, never dropped or guessed."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from toolkit.danish import format_tal, parse_dato
from toolkit.definitions.model import Felt

PLACEHOLDERS = {"(venligst udfyld her)", "venligst udfyld her", "(angiv navn på tilbud)", "-", "–"}
JA = {"ja", "j", "x", "yes", "y", "true", "sand", "1", "✓", "✔"}
NEJ = {"nej", "n", "no", "false", "falsk", "0"}
EXCEL_MAX_TEXT = 32767
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUM = re.compile(r"^([-+−]?)\s*(\d[\d.,\s ]*)\s*([a-zæøå%.]*\.?)$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Normalized:
    value: Any  # str, float, int, date or None
    raw: str  # what was in the cell, as text
    code: str | None = None  # an issue code from toolkit.problems.CODES
    detail: str = ""


def raw_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def parse_number(text: str) -> float | None:
    """'5,5' '1.234' '1.234,50 kr.' ' 12 ' '12 pladser' '50 %' -> float; None if unreadable."""
    m = _NUM.match(text.strip().replace("\u00a0", " "))
    if not m:
        return None
    sign, digits, _unit = m.groups()
    d = re.sub(r"[\s ]", "", digits)
    if "," in d and "." in d:
        if d.rfind(",") > d.rfind("."):
            d = d.replace(".", "").replace(",", ".")  # 1.234,50
        else:
            d = d.replace(",", "")  # 1,234.50
    elif "," in d:
        d = d.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3}){2,}", d) else d.replace(",", ".")
    elif "." in d and re.fullmatch(r"\d{1,3}(\.\d{3})+", d):
        d = d.replace(".", "")  # 1.234 is a thousand, as Danes write it
    try:
        x = float(d)
    except ValueError:
        return None
    return -x if sign in ("-", "−") else x


def normalize(felt: Felt, v: Any) -> Normalized:
    raw = raw_text(v)
    if isinstance(v, str):
        s = v.strip()
        if s.lower() in PLACEHOLDERS or s == "":
            return Normalized(None, raw)
    elif v is None:
        return Normalized(None, raw)
    t = felt.type
    if t in ("tal", "heltal", "beloeb", "procent"):
        return _number(felt, v, raw)
    if t == "dato":
        return _date(v, raw)
    if t == "ja_nej":
        return _choice(felt, v, raw, yes_no=True)
    if t == "valg":
        return _choice(felt, v, raw, yes_no=False)
    return _text(t, v, raw)


def _number(felt: Felt, v, raw: str) -> Normalized:
    if isinstance(v, bool):
        return Normalized(None, raw, "ikke-et-tal", "en sandhedsværdi")
    if isinstance(v, (int, float)):
        x = float(v)
    else:
        x = parse_number(str(v))
        if x is None:
            return Normalized(None, raw, "ikke-et-tal", f"'{raw}' kan ikke læses som et tal")
    if felt.type == "heltal":
        if not x.is_integer():
            return Normalized(x, raw, "ikke-heltal", f"{format_tal(x, 2)} er ikke et helt tal")
        x = int(x)
    elif x.is_integer():
        x = int(x)
    if (felt.min is not None and x < felt.min) or (felt.max is not None and x > felt.max):
        lo = format_tal(felt.min) if felt.min is not None else "…"
        hi = format_tal(felt.max) if felt.max is not None else "…"
        return Normalized(x, raw, "uden-for-interval", f"{format_tal(x)} ligger uden for {lo}–{hi}")
    return Normalized(x, raw)


def _date(v, raw: str) -> Normalized:
    if isinstance(v, dt.datetime):
        return Normalized(v.date(), raw)
    if isinstance(v, dt.date):
        return Normalized(v, raw)
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 1 <= v < 2958466:
        return Normalized(_EXCEL_EPOCH + dt.timedelta(days=int(v)), raw)
    d = parse_dato(str(v))
    if d is None:
        return Normalized(None, raw, "ikke-en-dato", f"'{raw}' kan ikke læses som en dato")
    return Normalized(d, raw)


def _fold(s: str) -> str:
    return " ".join(s.split()).casefold()


def _choice(felt: Felt, v, raw: str, yes_no: bool) -> Normalized:
    if yes_no:
        if isinstance(v, bool):
            return Normalized("Ja" if v else "Nej", raw)
        s = _fold(raw_text(v)).rstrip(".")
        if s in JA:
            return Normalized("Ja", raw)
        if s in NEJ:
            return Normalized("Nej", raw)
        return Normalized(None, raw, "ukendt-valg", f"'{raw}' er hverken Ja eller Nej")
    folded = {_fold(c): c for c in felt.valg}
    hit = folded.get(_fold(raw_text(v)))
    if hit is None:
        return Normalized(None, raw, "ukendt-valg",
                          f"'{raw}' er ikke en af mulighederne ({', '.join(felt.valg)})")
    return Normalized(hit, raw)


def clean_text(s: str) -> tuple[str, str | None]:
    """Remove control characters and cap at Excel's limit; returns (text, issue code or None)."""
    code = None
    if _CONTROL.search(s):
        s, code = _CONTROL.sub("", s), "kontroltegn"
    if len(s) > EXCEL_MAX_TEXT:
        s, code = s[:EXCEL_MAX_TEXT], "for-lang-tekst"
    return s, code


def _text(t: str, v, raw: str) -> Normalized:
    s, code = clean_text(raw.strip())
    if code:
        detail = ("teksten er afkortet til 32.767 tegn" if code == "for-lang-tekst"
                  else "usynlige kontroltegn er fjernet")
        return Normalized(s, raw, code, detail)
    if t == "email" and not _EMAIL.match(s):
        return Normalized(s, raw, "ugyldig-email", f"'{s}' ligner ikke en e-mailadresse")
    if t == "url" and not re.match(r"^(https?://|www\.)\S+$", s, re.IGNORECASE):
        return Normalized(s, raw, "ugyldig-url", f"'{s}' ligner ikke en webadresse")
    return Normalized(s, raw)
