"""Load and validate the stamdata workbook. Reports every problem at once, each with sheet,
row and column, in Danish."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from pydantic import ValidationError

from toolkit.problems import StamdataError
from toolkit.stamdata.layout import SETTINGS, SETTINGS_SHEET, TABLES
from toolkit.stamdata.model import Stamdata

_PYDANTIC_DA = {
    "missing": "mangler",
    "string_type": "skal være tekst",
    "int_parsing": "skal være et helt tal",
    "int_from_float": "skal være et helt tal",
    "float_parsing": "skal være et tal",
    "date_from_datetime_parsing": "skal være en dato",
    "date_parsing": "skal være en dato",
    "date_type": "skal være en dato",
    "literal_error": "har en ugyldig værdi",
    "greater_than_equal": "må ikke være negativ",
    "less_than_equal": "er for stor",
    "string_pattern_mismatch": "må kun indeholde bogstaver a-z, tal, '-' og '_'",
}


def default_stamdata_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "stamdata_eksempel.xlsx"


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def load_stamdata(path: Path | None = None) -> Stamdata:
    path = Path(path) if path else default_stamdata_path()
    if not path.exists():
        raise StamdataError(str(path), ["filen findes ikke"])
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise StamdataError(path.name, [f"filen kan ikke læses som Excel-projektmappe ({exc.__class__.__name__})"])
    problems: list[str] = []
    data: dict[str, list] = {}
    try:
        settings = _read_settings(wb, problems)
        for sheet, (model, columns) in TABLES.items():
            data[sheet] = _read_table(wb, sheet, model, columns, problems)
    finally:
        wb.close()
    if problems:
        raise StamdataError(path.name, problems)
    sd = Stamdata(
        indstillinger=settings,
        aftaleparter=data["Aftaleparter"],
        driftsherrer=data["Driftsherrer"],
        tilbud=data["Tilbud"],
        ydelser=data["Ydelser"],
        frister=data["Frister"],
        kilde=str(path),
    )
    problems = check_references(sd)
    if problems:
        raise StamdataError(path.name, problems)
    return sd


def _read_settings(wb, problems: list[str]) -> dict:
    if SETTINGS_SHEET not in wb.sheetnames:
        problems.append(f"arket '{SETTINGS_SHEET}' mangler")
        return {}
    out: dict = {}
    for i, row in enumerate(wb[SETTINGS_SHEET].iter_rows(min_row=2, values_only=True), start=2):
        if not row or _cell(row[0]) is None:
            continue
        key = str(_cell(row[0]))
        value = _cell(row[1]) if len(row) > 1 else None
        if value is not None:
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
    for key, (_desc, required) in SETTINGS.items():
        if required and key not in out:
            problems.append(f"ark {SETTINGS_SHEET}: indstillingen '{key}' mangler en værdi")
    return out


def _read_table(wb, sheet, model, columns, problems: list[str]) -> list:
    if sheet not in wb.sheetnames:
        problems.append(f"arket '{sheet}' mangler")
        return []
    rows = wb[sheet].iter_rows(values_only=True)
    header = [str(_cell(h) or "").lower() for h in next(rows, ())]
    col_index: dict[str, int] = {}
    for field, title, _w in columns:
        if title.lower() in header:
            col_index[field] = header.index(title.lower())
        elif model.model_fields[field].is_required():
            problems.append(f"ark {sheet}: kolonnen '{title}' mangler i første række")
    titles = {field: title for field, title, _w in columns}
    out = []
    for rownum, row in enumerate(rows, start=2):
        values = {f: _cell(row[i]) if i < len(row) else None for f, i in col_index.items()}
        if all(v is None for v in values.values()):
            continue
        values = {k: v for k, v in values.items() if v is not None}
        for k in ("id", "tilbud_id", "driftsherre_id", "aftalepart_id", "telefon"):
            if k in values and not isinstance(values[k], str):
                values[k] = str(values[k])
        try:
            out.append(model.model_validate(values))
        except ValidationError as exc:
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else "?"
                col = col_index.get(field)
                col_txt = f", kolonne {_col_letter(col)}" if col is not None else ""
                what = _PYDANTIC_DA.get(err["type"], err["msg"])
                problems.append(f"ark {sheet}, række {rownum}{col_txt}: '{titles.get(field, field)}' {what}")
    return out


def _col_letter(i: int) -> str:
    return openpyxl.utils.get_column_letter(i + 1)


def check_references(sd: Stamdata) -> list[str]:
    """Cross-sheet checks: unique ids and every reference resolving."""
    problems: list[str] = []

    def unique(sheet, items):
        seen = set()
        for n, item in enumerate(items, start=2):
            if item.id in seen:
                problems.append(f"ark {sheet}: id '{item.id}' står mere end én gang (fx række {n})")
            seen.add(item.id)
        return seen

    parter = unique("Aftaleparter", sd.aftaleparter)
    dh = unique("Driftsherrer", sd.driftsherrer)
    tilbud = unique("Tilbud", sd.tilbud)
    unique("Ydelser", sd.ydelser)
    for n, d in enumerate(sd.driftsherrer, start=2):
        if d.aftalepart_id and d.aftalepart_id not in parter:
            problems.append(f"ark Driftsherrer, række {n}: aftalepart '{d.aftalepart_id}' findes ikke i arket Aftaleparter")
    for n, t in enumerate(sd.tilbud, start=2):
        if t.driftsherre_id not in dh:
            problems.append(f"ark Tilbud, række {n}: driftsherre '{t.driftsherre_id}' findes ikke i arket Driftsherrer")
        if t.omfattet_fra and t.omfattet_til and t.omfattet_til < t.omfattet_fra:
            problems.append(f"ark Tilbud, række {n}: 'Omfattet til' ligger før 'Omfattet fra'")
    for n, y in enumerate(sd.ydelser, start=2):
        if y.tilbud_id not in tilbud:
            problems.append(f"ark Ydelser, række {n}: tilbud '{y.tilbud_id}' findes ikke i arket Tilbud")
    for t in sd.tilbud:
        if t.omfattet_fra and not sd.ydelser_for(t.id):
            problems.append(f"ark Ydelser: tilbud '{t.id}' ({t.navn}) har ingen ydelser")
    return problems
