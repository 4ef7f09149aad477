"""Read a returned workbook's values fast (python-calamine: xlsx, xlsm, xls, ods) plus what the
values alone cannot tell: the defined names, and which input cells hold formulas or error values.
No validation here; see toolkit.returns."""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.parsers import expat

from defusedxml import ElementTree as ET
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException
from python_calamine import CalamineWorkbook

from toolkit.forms.meta import MAP_START_ROW, META_KEYS, META_NAMES, META_SHEET

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_DEFINED_NAME = re.compile(rb"<" + _PREFIX + rb"definedName\b([^>]*)>([^<]*)</" + _PREFIX + rb"definedName>")
_SHEET = re.compile(rb"<" + _PREFIX + rb"sheet\b([^>]*)/?>")
_RELATIONSHIP = re.compile(rb"<" + _PREFIX + rb"Relationship\b([^>]*)/?>")
_NAME_ATTR = re.compile(rb"""(?:^|\s)name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_C_START = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>')
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
        r, c = _rowcol(cell)
        if 0 <= r < len(grid) and c < len(grid[r]):
            v = grid[r][c]
            return None if v == "" else v
        return None

    def close(self):
        if self._wb is not None:
            self._wb.close()


def open_workbook(path: Path, parts: dict[str, bytes] | None = None) -> RawWorkbook:
    """`parts`: worksheet parts already unpacked (by the guard), by zip member name."""
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
        raw.meta = {str(r[0]): r[1] for r in rows[: len(META_KEYS)] if len(r) > 1 and r[0] != ""}
        raw.mapping = [
            (str(r[0]), str(r[1]), str(r[2])) for r in rows[MAP_START_ROW + 1 :] if len(r) > 2 and r[0] != ""
        ]
    try:
        if fmt in ("xlsx", "xlsm"):
            raw.names, sheet_files = _xlsx_names(path)
            raw.flags = _xlsx_flags(path, sheet_files, {s for _k, s, _c in raw.mapping}, parts or {})
        elif fmt == "ods":
            raw.names = _ods_names(path)
    except HostileXml:
        wb.close()
        raise UnreadableWorkbook("filen indeholder en DTD/entitetserklæring, som Excel aldrig skriver") from None
    except (zipfile.BadZipFile, KeyError, ET.ParseError, expat.ExpatError):
        pass  # names are a refinement; the _skema addresses still work
    if not raw.meta and raw.names:
        raw.meta = {k: raw.value(*raw.names[n]) for k, n in META_NAMES.items() if n in raw.names}
    return raw


class HostileXml(ValueError):
    """A DTD or entity declaration in a workbook part (Excel never writes one)."""


def _expat(data: bytes) -> None:
    """Check that `data` is well-formed XML without any DTD or entity declaration (refused: no
    entity is ever expanded, nothing external is loaded). Raises HostileXml or ExpatError."""

    def refuse(*_args):
        raise HostileXml("DTD/entitet i XML")

    p = expat.ParserCreate(namespace_separator="}")
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.ExternalEntityRefHandler = refuse
    p.Parse(data, True)


def _attrs(blob: bytes) -> dict[str, str]:
    """Attributes of a start tag, by local name (prefixes dropped), XML-unescaped."""
    out = {}
    for name, dq, sq in _ATTR.findall(blob):
        value = (dq or sq).decode("utf-8", "replace")
        out[name.rsplit(b":", 1)[-1].decode()] = html.unescape(value) if "&" in value else value
    return out


def _xlsx_names(path: Path) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Workbook-scope defined names -> (sheet, cell), and sheet name -> part, from workbook.xml.
    Expat checks each part first (well-formed, no DTD or entity declaration: nothing is ever
    expanded); the few elements needed are then picked out with patterns, which for a form's
    thousand names is much cheaper than a Python callback per element."""
    with zipfile.ZipFile(path) as z:
        workbook, rels = z.read("xl/workbook.xml"), z.read("xl/_rels/workbook.xml.rels")
    _expat(rels)
    _expat(workbook)
    targets = {}
    for blob in _RELATIONSHIP.findall(rels):
        a = _attrs(blob)
        targets[a.get("Id")] = a.get("Target") or ""
    sheet_files = {}
    for blob in _SHEET.findall(workbook):
        a = _attrs(blob)
        t = targets.get(a.get("id"), "").lstrip("/")
        sheet_files[a.get("name")] = t if t.startswith("xl/") else f"xl/{t}"
    names = {}
    for blob, text in _DEFINED_NAME.findall(workbook):
        if b"localSheetId" in blob:
            continue  # a sheet-scope name (print areas and the like)
        m = _NAME_ATTR.search(blob)
        if not m:
            continue
        name = (m.group(1) or m.group(2)).decode("utf-8", "replace")
        target = _ref_of(text)
        if target and name:
            names[html.unescape(name) if "&" in name else name] = target
    return names, sheet_files


@lru_cache(maxsize=65536)  # forms of one type share their names' targets
def _ref_of(text: bytes) -> tuple[str, str] | None:
    ref = text.decode("utf-8", "replace")
    return _parse_ref(html.unescape(ref) if "&" in ref else ref)


@lru_cache(maxsize=65536)
def _cell(ref: str) -> tuple[str, int] | None:
    """'$ab$12' -> ('AB', 12); anything that is not a single cell address -> None."""
    try:
        col, row = coordinate_from_string(ref)
    except CellCoordinatesException:
        return None
    return col.upper(), row


@lru_cache(maxsize=65536)
def _rowcol(cell: str) -> tuple[int, int]:
    """'AB12' or '$AB$12' -> (11, 27), zero-based; anything that is not a cell address -> (-1, -1)."""
    parsed = _cell(cell)
    if parsed is None:
        return -1, -1
    return parsed[1] - 1, column_index_from_string(parsed[0]) - 1


def _parse_ref(text: str) -> tuple[str, str] | None:
    """ "'Belægning'!$C$7" -> ('Belægning', 'C7'); ranges and formulas -> None."""
    if "!" not in text or ":" in text:
        return None
    sheet, ref = text.rsplit("!", 1)
    sheet = sheet.strip("=")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    parsed = _cell(ref)
    return (sheet, f"{parsed[0]}{parsed[1]}") if parsed else None


def _xlsx_flags(path: Path, sheet_files: dict[str, str], sheets: set[str], parts: dict[str, bytes]) -> dict:
    """Cells that hold a formula or an error value, on the sheets that have input cells."""
    flags: dict = {}
    members = {s: sheet_files[s] for s in sheets if sheet_files.get(s)}
    missing = [m for m in members.values() if m not in parts]
    if missing:
        with zipfile.ZipFile(path) as z:
            parts = {**parts, **{m: z.read(m) for m in missing}}
    for sheet, member in members.items():
        _scan_cells(parts[member], sheet, flags)
    return flags


def _cell_at(data: bytes, pos: int):
    """The `<c …>` start tag that `pos` lies in or directly follows, or None."""
    start = data.rfind(b"<c ", 0, pos)
    m = _C_START.match(data, start) if start >= 0 else None
    return m if m is not None and m.end() >= pos else None


def _scan_cells(data: bytes, sheet: str, flags: dict) -> None:
    """Finds the (few) error and formula cells by searching for `t="e"` and `<f` and looking back
    to their cell, instead of running a pattern over every cell of the sheet."""
    for needle in (b't="e"', b"<f>", b"<f ", b"<f/"):
        is_error = needle == b't="e"'
        pos = data.find(needle)
        while pos >= 0:
            m = _cell_at(data, pos)
            if m is not None and (is_error or (m.end() == pos and (sheet, m.group(1).decode()) not in flags)):
                closed = m.group(2).endswith(b"/")
                body = b"" if closed else data[m.end() : data.find(b"</c>", m.end())]
                v = _VALUE.search(body)
                ref = m.group(1).decode()
                if is_error:
                    flags[(sheet, ref)] = CellFlag(
                        body.startswith(b"<f"), v.group(1).decode() if v else "#FEJL", bool(v)
                    )
                elif not closed:
                    flags[(sheet, ref)] = CellFlag(True, None, bool(v and v.group(1)))
            pos = data.find(needle, pos + 1)


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
