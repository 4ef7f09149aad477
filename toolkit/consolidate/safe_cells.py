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
    """`write_value` for a whole row starting in column A, with `fmts[c]` per column; empty values
    write no cell. `cleaned`: a dict kept by the caller across rows, remembering cleaned text (ids
    and names repeat a lot)."""
    write_string, write_number = ws.write_string, ws.write_number
    for c, v in enumerate(values):
        if v is None:
            continue
        cls = v.__class__
        if cls is str:
            if not v:
                continue
            text = cleaned.get(v) if cleaned is not None else None
            if text is None:
                text = clean_text(v)[0]
                if cleaned is not None:
                    cleaned[v] = text
            write_string(row, c, text, fmts[c])
        elif cls is int or cls is float:
            write_number(row, c, v, fmts[c])
        else:  # booleans, dates, other types
            write_value(ws, row, c, v, fmts[c], date_fmt)
