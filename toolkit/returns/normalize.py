"""Turn what people really type into typed values. Pure: (field, raw cell value) -> Normalized.

A value that cannot be read is kept as text (`raw`) with an issue code, never dropped or guessed."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, NamedTuple

from toolkit.danish import dato_fra_celle, format_tal, ligner_email, parse_tal
from toolkit.definitions.model import Felt

PLACEHOLDERS = {"(venligst udfyld her)", "venligst udfyld her", "(angiv navn på tilbud)", "-", "–"}
JA = {"ja", "j", "x", "yes", "y", "true", "sand", "1", "✓", "✔"}
NEJ = {"nej", "n", "no", "false", "falsk", "0"}
EXCEL_MAX_TEXT = 32767
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Normalized(NamedTuple):  # made for every value read: a named tuple is cheap to make
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


def normalize(felt: Felt, v: Any, percent: bool = False) -> Normalized:
    """`percent`: the cell's number format shows the value as a percentage (Excel and LibreOffice
    store a typed '95%' as 0.95 with such a format); False when the format is not one or unknown."""
    raw = raw_text(v)
    if isinstance(v, str):
        s = v.strip()
        if s.lower() in PLACEHOLDERS or s == "":
            return Normalized(None, raw)
    elif v is None:
        return Normalized(None, raw)
    t = felt.type
    if t in ("tal", "heltal", "beloeb", "procent"):
        return _number(felt, v, raw, percent)
    if t == "dato":
        return _date(v, raw)
    if t == "ja_nej":
        return _choice(felt, v, raw, yes_no=True)
    if t == "valg":
        return _choice(felt, v, raw, yes_no=False)
    return _text(t, v, raw)


def _number(felt: Felt, v, raw: str, percent: bool = False) -> Normalized:
    if isinstance(v, bool):
        return Normalized(None, raw, "ikke-et-tal", "en sandhedsværdi")
    signed = False  # the respondent wrote the '%' sign: the number is the percentage
    if isinstance(v, (int, float)):
        x = float(v)
        if percent:
            if felt.type != "procent":
                return Normalized(
                    None,
                    raw,
                    "tvetydig-procent",
                    f"cellen viser {_shown(x * 100)} %, men feltet er ikke en procent; skriv tallet uden %-tegn",
                )
            x, signed = round(x * 100, 10), True  # 0.95 in a percent-formatted cell is 95 %
    else:
        parsed = parse_tal(str(v))
        if parsed is None:
            return Normalized(None, raw, "ikke-et-tal", f"'{raw}' kan ikke læses som et tal")
        x = parsed
        signed = "%" in str(v)
    if felt.type == "procent" and not signed and _both_readings_fit(felt, x):
        return Normalized(
            None,
            raw,
            "tvetydig-procent",
            f"{_shown(x)} kan betyde {_shown(x * 100)} % eller {_shown(x)} % ('{_shown(x * 100)}%' "
            f"skrevet i en talcelle gemmes som {_shown(x)}); skriv procenten som et tal, "
            f"fx {_shown(x * 100)}",
        )
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


def _shown(x: float) -> str:
    """0.95 -> '0,95', 95.0 -> '95', 12.3456789 -> '12,3457' (Danish, no trailing zeros)."""
    text = format_tal(round(x, 4), 4)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _both_readings_fit(felt: Felt, x: float) -> bool:
    """A number in a percent field whose cell is not percent-formatted: 0,95 may be what was
    typed, or '95%' typed into a number cell (which both Excel and LibreOffice store as 0,95 and
    LibreOffice does not reformat). Ambiguous when both x and 100·x lie within the field's limits
    (0 < x ≤ 2 for 0–200); nothing is guessed from the size, such values are reported."""
    if x == 0:
        return False
    lo = felt.min if felt.min is not None else 0
    hi = felt.max if felt.max is not None else 100
    return lo <= x <= hi and lo <= x * 100 <= hi


def _date(v, raw: str) -> Normalized:
    d = dato_fra_celle(v if isinstance(v, (int, float, dt.date)) else str(v))
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
    hit = _folded_choices(felt.valg).get(_fold(raw_text(v)))
    if hit is None:
        return Normalized(None, raw, "ukendt-valg", f"'{raw}' er ikke en af mulighederne ({', '.join(felt.valg)})")
    return Normalized(hit, raw)


@lru_cache(maxsize=1024)  # a form's few choice lists, met in every return
def _folded_choices(valg: tuple[str, ...]) -> dict[str, str]:
    """The choices by their folded spelling (returned shared: not to be changed)."""
    return {_fold(c): c for c in valg}


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
        detail = (
            "teksten er afkortet til 32.767 tegn" if code == "for-lang-tekst" else "usynlige kontroltegn er fjernet"
        )
        return Normalized(s, raw, code, detail)
    if t == "email" and not ligner_email(s):
        return Normalized(s, raw, "ugyldig-email", f"'{s}' ligner ikke en e-mailadresse")
    if t == "url" and not re.match(r"^(https?://|www\.)\S+$", s, re.IGNORECASE):
        return Normalized(s, raw, "ugyldig-url", f"'{s}' ligner ikke en webadresse")
    return Normalized(s, raw)
