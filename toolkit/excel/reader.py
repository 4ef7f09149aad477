"""Read a returned workbook's values fast (python-calamine: xlsx, xlsm, xls, ods) plus what the
values alone cannot tell: the defined names, and which input cells hold formulas or error values.
No validation here; see toolkit.returns."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as ET
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_cell_to_rowcol

from toolkit.excel.meta import MAP_START_ROW, META_KEYS, META_NAMES, META_SHEET

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*?)><f')
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?t="e"[^>]*?>')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_ODS_ADDR = re.compile(r"^\$?'?(.+?)'?\.\$?([A-Z]{1,3})\$?([0-9]+)$")


class UnreadableWorkbook(Exception):
    """The file could not be opened as a workbook by the readers (a file-level problem)."""


@dataclass(frozen=True)
class CellFlag:
    formula: bool
    error: str | None  # e.g. '#VALUE!'
    cached: bool  # a value was saved with the formula


@dataclass
class RawWorkbook:
    path: Path
    fmt: str
    sheet_names: list[str]
    meta: dict[str, Any]
    mapping: list[tuple[str, str, str]]  # (key, sheet, cell)
    names: dict[str, tuple[str, str]]  # defined name -> (sheet, cell), workbook scope
    flags: dict[tuple[str, str], CellFlag] = field(default_factory=dict)
    _wb: Any = None
    _grids: dict[str, list[list[Any]]] = field(default_factory=dict)

    def value(self, sheet: str, cell: str) -> Any:
        grid = self._grids.get(sheet)
        if grid is None:
            grid = self._grids[sheet] = self._wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        r, c = xl_cell_to_rowcol(cell)
        if r < len(grid) and c < len(grid[r]):
            v = grid[r][c]
            return None if v == "" else v
        return None

    def close(self):
        if self._wb is not None:
            self._wb.close()


def open_workbook(path: Path) -> RawWorkbook:
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet_names = list(wb.sheet_names)
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types
        raise UnreadableWorkbook(str(exc)) from None
    raw = RawWorkbook(path, fmt, sheet_names, {}, [], {}, _wb=wb)
    if META_SHEET in sheet_names:
        rows = wb.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
        raw.meta = {str(r[0]): r[1] for r in rows[:len(META_KEYS)] if len(r) > 1 and r[0] != ""}
        raw.mapping = [(str(r[0]), str(r[1]), str(r[2])) for r in rows[MAP_START_ROW + 1:]
                       if len(r) > 2 and r[0] != ""]
    try:
        if fmt in ("xlsx", "xlsm"):
            raw.names, sheet_files = _xlsx_names(path)
            raw.flags = _xlsx_flags(path, sheet_files, {s for _k, s, _c in raw.mapping})
        elif fmt == "ods":
            raw.names = _ods_names(path)
    except (zipfile.BadZipFile, KeyError, ET.ParseError):
        pass  # names are a refinement; the _skema addresses still work
    if not raw.meta and raw.names:
        raw.meta = {k: raw.value(*raw.names[n]) for k, n in META_NAMES.items() if n in raw.names}
    return raw


def _xlsx_names(path: Path) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sheet_files = {}
    for s in root.iter(f"{NS_MAIN}sheet"):
        t = targets.get(s.get(f"{NS_REL}id"), "")
        t = t.lstrip("/")
        sheet_files[s.get("name")] = t if t.startswith("xl/") else f"xl/{t}"
    names = {}
    for dn in root.iter(f"{NS_MAIN}definedName"):
        if dn.get("localSheetId") is not None or not dn.text:
            continue
        target = _parse_ref(dn.text)
        if target:
            names[dn.get("name")] = target
    return names, sheet_files


def _parse_ref(text: str) -> tuple[str, str] | None:
    """"'Belægning'!$C$7" -> ('Belægning', 'C7'); ranges and formulas -> None."""
    if "!" not in text or ":" in text:
        return None
    sheet, ref = text.rsplit("!", 1)
    sheet = sheet.strip("=")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    ref = ref.replace("$", "")
    return (sheet, ref) if re.fullmatch(r"[A-Z]{1,3}[0-9]{1,7}", ref) else None


def _xlsx_flags(path: Path, sheet_files: dict[str, str], sheets: set[str]) -> dict:
    """Cells that hold a formula or an error value, on the sheets that have input cells."""
    flags = {}
    with zipfile.ZipFile(path) as z:
        for sheet in sheets:
            member = sheet_files.get(sheet)
            if not member:
                continue
            data = z.read(member)
            for m in _ERROR_CELL.finditer(data):
                body = data[m.end():data.find(b"</c>", m.end())]
                v = _VALUE.search(body)
                flags[(sheet, m.group(1).decode())] = CellFlag(body.startswith(b"<f"),
                                                               v.group(1).decode() if v else "#FEJL", bool(v))
            for m in _FORMULA_CELL.finditer(data):
                ref = m.group(1).decode()
                if (sheet, ref) in flags:
                    continue
                body = data[m.end():data.find(b"</c>", m.end())]
                v = _VALUE.search(body)
                flags[(sheet, ref)] = CellFlag(True, None, bool(v and v.group(1)))
    return flags


def _ods_names(path: Path) -> dict[str, tuple[str, str]]:
    names = {}
    tag = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}named-range"
    attr_name = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}name"
    attr_addr = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}cell-range-address"
    with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
        for _event, el in ET.iterparse(f, events=("end",)):
            if el.tag == tag:
                m = _ODS_ADDR.match(el.get(attr_addr, ""))
                if m:
                    names[el.get(attr_name)] = (m.group(1).replace("''", "'"), f"{m.group(2)}{m.group(3)}")
            elif el.tag.endswith("}table-row"):
                el.clear()
    return names
