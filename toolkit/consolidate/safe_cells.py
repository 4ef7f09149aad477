"""Writing values that came from respondents: a string is always written as a string, so text such
as '=HYPERLINK(...)', '+45…', '-', '@SUM' never becomes a live formula in our outputs."""
from __future__ import annotations

import datetime as dt

from toolkit.returns.normalize import clean_text

SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def write_value(ws, row: int, col: int, value, fmt=None, date_fmt=None, num_fmt=None) -> None:
    if value is None or value == "":
        return  # an empty cell is no cell: big sparse tables stay small and fast
    if isinstance(value, bool):
        ws.write_string(row, col, "Ja" if value else "Nej", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, num_fmt or fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, date_fmt or fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), date_fmt or fmt)
    else:
        text, _code = clean_text(str(value))
        ws.write_string(row, col, text, fmt)


def write_row_values(ws, row: int, values, fmts, date_fmt=None, cleaned: dict | None = None) -> None:
    """`write_value` for a whole row starting in column A, with `fmts[c]` per column: the same cells,
    written in one pass when `ws` offers `write_row_values` (toolkit.forms.fast_sheet). `cleaned`:
    a dict kept by the caller across rows, remembering cleaned text (ids and names repeat a lot)."""
    bulk = getattr(ws, "write_row_values", None)
    if bulk is None:
        for c, v in enumerate(values):
            write_value(ws, row, c, v, fmts[c], date_fmt)
        return
    plain = list(values)
    for c, v in enumerate(plain):
        if v is None:
            continue
        cls = v.__class__
        if cls is str:
            if not v:
                plain[c] = None
                continue
            text = cleaned.get(v) if cleaned is not None else None
            if text is None:
                text = clean_text(v)[0]
                if cleaned is not None:
                    cleaned[v] = text
            plain[c] = text
        elif cls is bool:
            plain[c] = "Ja" if v else "Nej"
        elif cls is not int and cls is not float:  # dates, other types: one by one
            plain[c] = None
            write_value(ws, row, c, v, fmts[c], date_fmt)
    bulk(row, 0, plain, fmts)
