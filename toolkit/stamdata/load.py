"""Load and validate the stamdata workbook. Every problem comes in one pass (a missing sheet, a
value of the wrong type, an unknown id, a duplicate), each an `Issue` with sheet, real sheet row
and column letter. Numbers and dates are read the Danish way, as in returned forms."""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from dataclasses import dataclass, field, replace
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError

from toolkit.danish import dato_fra_celle, format_tal, ligner_email, parse_tal
from toolkit.problems import Issue, StamdataError
from toolkit.stamdata.layout import OPTIONAL_TABLES, SETTING_RANGES, SETTINGS, SETTINGS_SHEET, TABLES
from toolkit.stamdata.model import Stamdata, Tilbud
from toolkit.stamdata.niveauer import level_and_cluster_issues

_PYDANTIC_DA = {
    "missing": "mangler",
    "string_type": "skal være tekst",
    "greater_than_equal": "må ikke være negativ",
    "less_than_equal": "er for stor",
    "string_pattern_mismatch": "må kun indeholde bogstaver a-z, tal, '-' og '_'",
    "email": "ligner ikke en e-mailadresse",
}
_CODE = {"missing": "stamdata-mangler-vaerdi", "email": "stamdata-ugyldig-email"}

# (sheet, field, referenced sheet, what it is called in a message)
_REFERENCES = [
    ("Driftsherrer", "aftalepart_id", "Aftaleparter", "aftalepart"),
    ("Tilbud", "driftsherre_id", "Driftsherrer", "driftsherre"),
    ("Ydelser", "tilbud_id", "Tilbud", "tilbud"),
]


def default_stamdata_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "stamdata_eksempel.xlsx"


@dataclass
class _Row:
    n: int  # the row number in the sheet, as Excel shows it
    values: dict  # field -> value as read (empty cells left out)
    item: BaseModel | None  # None if the row did not validate


@dataclass
class _Table:
    sheet: str
    present: bool
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column index
    rows: list[_Row] = field(default_factory=list)

    def letter(self, name: str) -> str:
        i = self.columns.get(name)
        return get_column_letter(i + 1) if i is not None else ""


def load_stamdata(path: Path | None = None) -> Stamdata:
    path = Path(path) if path else default_stamdata_path()
    if not path.exists():
        raise StamdataError(str(path), [Issue("stamdata-mangler-fil", "filen findes ikke", file=path.name)])
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise StamdataError(
            path.name,
            [
                Issue(
                    "stamdata-ulaeselig",
                    f"filen kan ikke læses som Excel-projektmappe ({exc.__class__.__name__})",
                    file=path.name,
                )
            ],
        ) from None
    try:
        settings, issues = _read_settings(wb)
        tables: dict[str, _Table] = {}
        for sheet, (model, columns) in TABLES.items():
            tables[sheet], found = _read_table(wb, sheet, model, columns)
            issues += found
        for sheet, (model, columns) in OPTIONAL_TABLES.items():
            tables[sheet], found = (
                _read_table(wb, sheet, model, columns) if sheet in wb.sheetnames else (_Table(sheet, False), [])
            )
            issues += found
    finally:
        wb.close()
    issues += _cross_checks(tables)
    issues += level_and_cluster_issues(tables, _guess)
    if issues:
        raise StamdataError(path.name, [replace(i, file=path.name) for i in issues])
    # each sheet's rows are instances of its model in TABLES (Aftalepart, Tilbud, ...)
    items: dict[str, list[typing.Any]] = {sheet: [r.item for r in t.rows] for sheet, t in tables.items()}
    return Stamdata(
        indstillinger=settings,
        aftaleparter=items["Aftaleparter"],
        driftsherrer=items["Driftsherrer"],
        tilbud=items["Tilbud"],
        ydelser=items["Ydelser"],
        frister=items["Frister"],
        niveauer=items["Niveauer"],
        niveauhistorik=items["Niveauhistorik"],
        klynger=items["Klynger"],
        kilde=str(path),
        frist_raekker={(f.skema, f.dato): r.n for r, f in zip(tables["Frister"].rows, items["Frister"], strict=True)},
    )


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _shown(value) -> str:
    """A cell value as the user would recognise it: 36.500, 2,25, text as typed."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_tal(value)
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def _convert(kind, value) -> tuple[object, str]:
    """A cell value for a field of type `kind`, read the Danish way: ('36.500', int) -> 36500,
    ('1/3-2027', date) -> 2027-03-01, an Excel serial day for a date. Returns (value, '') or
    (None, what is wrong)."""
    if kind is str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value), ""  # an id or phone number Excel stored as a number
        return value, ""
    if kind in (int, float):
        x = None
        if isinstance(value, str):
            x = parse_tal(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            x = float(value)
        if x is None or (kind is int and not x.is_integer()):
            return None, f"skal være {'et helt tal' if kind is int else 'et tal'} (der står '{_shown(value)}')"
        return (int(x) if x.is_integer() else x), ""
    if kind is dt.date:
        d = dato_fra_celle(value)
        return (d, "") if d else (None, f"skal være en dato, fx 1.3.2027 (der står '{_shown(value)}')")
    return value, ""


def _read_settings(wb) -> tuple[dict, list[Issue]]:
    if SETTINGS_SHEET not in wb.sheetnames:
        return {}, [Issue("stamdata-mangler-ark", f"arket '{SETTINGS_SHEET}' mangler")]
    issues: list[Issue] = []
    out: dict = {}
    row_of: dict[str, int] = {}
    for n, row in enumerate(wb[SETTINGS_SHEET].iter_rows(min_row=2, values_only=True), start=2):
        if not row or _cell(row[0]) is None:
            continue
        key = str(_cell(row[0]))
        row_of[key] = n
        value = _cell(row[1]) if len(row) > 1 else None
        if value is None:
            continue
        kind = SETTINGS.get(key, ("", False, "tekst"))[2]
        here: dict[str, typing.Any] = {"sheet": SETTINGS_SHEET, "row": n, "column": "B"}
        if kind in ("tal", "heltal"):
            value, wrong = _convert(int if kind == "heltal" else float, value)
            limits = SETTING_RANGES.get(key)
            if not wrong and limits and isinstance(value, (int, float)) and not limits[0] <= value <= limits[1]:
                wrong = f"skal ligge mellem {limits[0]} og {limits[1]} (der står {format_tal(value)})"
            if wrong:
                issues.append(Issue("stamdata-ugyldig-vaerdi", f"indstillingen '{key}' {wrong}", **here))
                continue
        elif kind == "email" and not ligner_email(str(value)):
            issues.append(
                Issue(
                    "stamdata-ugyldig-email",
                    f"indstillingen '{key}' ligner ikke en e-mailadresse (der står '{value}')",
                    **here,
                )
            )
        out[key] = value.isoformat() if isinstance(value, dt.date) else value
    for key, (_desc, required, _kind) in SETTINGS.items():
        if required and key not in out:
            where: dict[str, typing.Any] = {"row": row_of[key], "column": "B"} if key in row_of else {}
            issues.append(
                Issue(
                    "stamdata-mangler-indstilling",
                    f"indstillingen '{key}' mangler en værdi",
                    sheet=SETTINGS_SHEET,
                    **where,
                )
            )
    return out, issues


def _kind(model: type[BaseModel], name: str):
    """int, float, dt.date or str for a model field (from its annotation), else None."""
    annotation = model.model_fields[name].annotation
    args = typing.get_args(annotation) or (annotation,)
    return next((k for k in (dt.date, int, float, str) if k in args), None)


def _read_table(wb, sheet: str, model: type[BaseModel], columns) -> tuple[_Table, list[Issue]]:
    if sheet not in wb.sheetnames:
        return _Table(sheet, present=False), [Issue("stamdata-mangler-ark", f"arket '{sheet}' mangler")]
    issues: list[Issue] = []
    table = _Table(sheet, present=True)
    rows = wb[sheet].iter_rows(values_only=True)  # read-only mode yields empty rows for gaps too
    header = [str(_cell(h) or "").lower() for h in next(rows, ())]
    titles = {name: title for name, title, _w in columns}
    for name, title, _w in columns:
        if title.lower() in header:
            table.columns[name] = header.index(title.lower())
        elif model.model_fields[name].is_required():
            issues.append(
                Issue("stamdata-mangler-kolonne", f"kolonnen '{title}' mangler i første række", sheet=sheet, row=1)
            )
    kinds = {name: _kind(model, name) for name in table.columns}
    for n, row in enumerate(rows, start=2):
        values = {name: _cell(row[i]) if i < len(row) else None for name, i in table.columns.items()}
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            continue
        unreadable = set()
        for name, v in list(values.items()):
            values[name], wrong = _convert(kinds[name], v)
            if wrong:
                unreadable.add(name)
                issues.append(
                    Issue(
                        "stamdata-ugyldig-vaerdi",
                        f"'{titles[name]}' {wrong}",
                        sheet=sheet,
                        row=n,
                        column=table.letter(name),
                    )
                )
        try:
            item = model.model_validate({k: v for k, v in values.items() if k not in unreadable})
        except ValidationError as exc:
            item = None
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else ""
                if name in unreadable or name not in table.columns:
                    continue  # already reported: in the words above, or once as a missing column
                issues.append(
                    Issue(
                        _CODE.get(err["type"], "stamdata-ugyldig-vaerdi"),
                        f"'{titles.get(name, name)}' {_explain(err)}",
                        sheet=sheet,
                        row=n,
                        column=table.letter(name),
                    )
                )
        if unreadable:
            item = None
        table.rows.append(_Row(n, values, item))
    return table, issues


def _explain(err: typing.Mapping[str, typing.Any]) -> str:
    if err["type"] == "literal_error":
        what = f"skal være {err.get('ctx', {}).get('expected', '').replace(' or ', ' eller ')}"
    else:
        what = _PYDANTIC_DA.get(err["type"], err["msg"])
    value = err.get("input")
    if err["type"] != "missing" and isinstance(value, (str, int, float, dt.date)):
        what += f" (der står '{_shown(value)}')"
    return what


def _guess(value: str, target: _Table) -> str:
    """' (mente du DH-RN?)' for the closest known id, or the id whose name is closest; '' if none."""
    ids = {str(r.values["id"]).casefold(): str(r.values["id"]) for r in target.rows if "id" in r.values}
    hit = difflib.get_close_matches(value.casefold(), ids, n=1)
    if hit:
        return f" (mente du {ids[hit[0]]}?)"
    names = {
        str(r.values["navn"]).casefold(): r.values["id"] for r in target.rows if "navn" in r.values and "id" in r.values
    }
    hit = difflib.get_close_matches(value.casefold(), names, n=1)
    if hit:
        return f" (mente du {names[hit[0]]}?)"
    return ""


def _cross_checks(tables: dict[str, _Table]) -> list[Issue]:
    """Cross-sheet checks on what was read, valid rows or not: unique ids, every reference
    resolving (with a suggestion), periods in order, every included tilbud having ydelser."""
    issues: list[Issue] = []
    for t in tables.values():
        first: dict[str, int] = {}
        for r in t.rows:
            id_ = r.values.get("id")
            if id_ is None:
                continue
            if id_ in first:
                issues.append(
                    Issue(
                        "stamdata-dublet",
                        f"id '{id_}' står også i række {first[id_]}",
                        sheet=t.sheet,
                        row=r.n,
                        column=t.letter("id"),
                    )
                )
            first.setdefault(id_, r.n)
    for sheet, name, target_sheet, noun in _REFERENCES:
        t, target = tables[sheet], tables[target_sheet]
        if not target.present or "id" not in target.columns:
            continue  # reported as a missing sheet or column; every reference would be noise
        known = {r.values.get("id") for r in target.rows}
        for r in t.rows:
            v = r.values.get(name)
            if v is not None and v not in known:
                issues.append(
                    Issue(
                        "stamdata-ukendt-id",
                        f"{noun} '{v}' findes ikke i arket {target_sheet}{_guess(str(v), target)}",
                        sheet=sheet,
                        row=r.n,
                        column=t.letter(name),
                    )
                )
    tilbud, ydelser = tables["Tilbud"], tables["Ydelser"]
    for r in tilbud.rows:
        item = r.item
        if (
            isinstance(item, Tilbud)
            and item.omfattet_fra
            and item.omfattet_til
            and item.omfattet_til < item.omfattet_fra
        ):
            issues.append(
                Issue(
                    "stamdata-ugyldig-periode",
                    "'Omfattet til (år)' ligger før 'Omfattet fra (år)'",
                    sheet="Tilbud",
                    row=r.n,
                    column=tilbud.letter("omfattet_til"),
                )
            )
    if ydelser.present and "tilbud_id" in ydelser.columns:
        med_ydelser = {r.values.get("tilbud_id") for r in ydelser.rows}
        for r in tilbud.rows:
            id_ = r.values.get("id")
            if r.values.get("omfattet_fra") is not None and id_ is not None and id_ not in med_ydelser:
                issues.append(
                    Issue(
                        "stamdata-ingen-ydelser",
                        f"tilbud '{id_}' ({r.values.get('navn', '')}) har ingen ydelser i arket Ydelser",
                        sheet="Tilbud",
                        row=r.n,
                        column=tilbud.letter("id"),
                    )
                )
    return issues
