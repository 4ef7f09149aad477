"""Read a returned workbook's values fast (python-calamine: xlsx, xlsm, xls, ods) plus what the
values alone cannot tell: the defined names, and which input cells hold formulas or error values.
No validation here; see toolkit.returns."""

from __future__ import annotations

import html
import io
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

from toolkit.forms.meta import (
    LAYOUT_CONSTANT,
    MAP_SHEET,
    MAP_START_ROW,
    META_CONSTANTS,
    META_KEYS,
    META_NAMES,
    META_PROPERTIES,
    META_SHEET,
    is_field_name,
    layout_digest,
)
from toolkit.returns.guards import Package
from toolkit.returns.xls_names import xls_names

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_DEFINED_NAME = re.compile(rb"<" + _PREFIX + rb"definedName\b([^>]*)>([^<]*)</" + _PREFIX + rb"definedName>")
_SHEET = re.compile(rb"<" + _PREFIX + rb"sheet\b([^>]*)/?>")
_RELATIONSHIP = re.compile(rb"<" + _PREFIX + rb"Relationship\b([^>]*)/?>")
_NAME_ATTR = re.compile(rb"""(?:^|\s)name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_C_START = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_ODS_ADDR = re.compile(r"^\$?'?(.+?)'?\.\$?([A-Z]{1,3})\$?([0-9]+)$")


#: templates are workbooks: an .xltx is read as an .xlsx, an .xltm as an .xlsm
TEMPLATE_FORMATS = {"xltx": "xlsx", "xltm": "xlsm"}


class UnreadableWorkbook(Exception):
    """The file could not be opened as a workbook by the readers (a file-level problem)."""


@dataclass(frozen=True)
class CellFlag:
    formula: bool
    error: str | None  # e.g. '#VALUE!'
    cached: bool  # a value was saved with the formula
    percent: bool = False  # the number format shows the value as a percentage (0,95 as 95 %); never
    # set for .xls, whose number formats python-calamine does not give


@dataclass
class RawWorkbook:
    path: Path
    fmt: str
    sheet_names: list[str]
    meta: dict[str, Any]
    names: dict[str, tuple[str, str]]  # defined name -> (sheet, cell), workbook scope
    # the identity by where it was found ("_skema", "navne", "egenskaber"); `meta` is their union,
    # the first source that holds a key winning
    identity: dict[str, dict[str, Any]] = field(default_factory=dict)
    flags: dict[tuple[str, str], CellFlag] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)  # defined names whose cells were deleted (#REF!)
    rows_needed: dict[str, int] = field(default_factory=dict)  # per sheet: rows up to the last input cell
    # the input cells' names and addresses are exactly as the form was made (forms.meta.layout_digest):
    # each field is where its name says, nothing moved, and the map in `_felter` need not be read
    layout_intact: bool = False
    _mapping: list[tuple[str, str, str]] | None = None
    _wb: Any = None
    _package: Package | None = None  # its guard checks each sheet before python-calamine loads it
    _own_package: bool = False
    _grids: dict[str, list[list[Any]]] = field(default_factory=dict)
    _partial: set[str] = field(default_factory=set)  # sheets whose grid stops at rows_needed

    @property
    def mapping(self) -> list[tuple[str, str, str]]:
        """The fields' map as the form was made: (key, sheet, cell); read from `_felter` when first
        needed (or from `_skema` in forms made before `_felter`)."""
        if self._mapping is None:
            self._mapping = _map_rows(self._sheet(MAP_SHEET), 1) if MAP_SHEET in self.sheet_names else []
        return self._mapping

    def value(self, sheet: str, cell: str) -> Any:
        grid = self._grids.get(sheet)
        r, c = _rowcol(cell)
        if grid is not None and 0 <= r < len(grid):  # the common case: a row already converted
            row = grid[r]
            v = row[c] if 0 <= c < len(row) else None
            return None if v == "" else v
        if grid is None and sheet not in self.sheet_names:
            return None  # the sheet was deleted
        if grid is None or (r >= len(grid) and sheet in self._partial):
            # only the rows the form's cells lie in: a stray far value costs no Python objects
            ws = self._sheet(sheet)
            need = self.rows_needed.get(sheet, 0) if grid is None else 0
            if r < need and ws.end is not None and ws.end[0] >= need:
                self._partial.add(sheet)
                grid = ws.to_python(skip_empty_area=False, nrows=need)
            else:
                self._partial.discard(sheet)
                grid = ws.to_python(skip_empty_area=False)
            self._grids[sheet] = grid
        if 0 <= r < len(grid) and c < len(grid[r]):
            v = grid[r][c]
            return None if v == "" else v
        return None

    def values_at(self, cells: list[tuple[str, str] | None]) -> list[Any]:
        """`value` of each (sheet, cell), in order (None for None): one pass, without a call per
        cell once a sheet's rows are in."""
        grids, value = self._grids, self.value
        out: list[Any] = []
        append = out.append
        for at in cells:
            if at is None:
                append(None)
                continue
            grid = grids.get(at[0])
            r, c = _rowcol(at[1])
            if grid is not None and 0 <= r < len(grid):
                row = grid[r]
                v = row[c] if 0 <= c < len(row) else None
                append(None if v == "" else v)
            else:
                append(value(*at))
        return out

    def _sheet(self, sheet: str):
        """Worksheet `sheet`, loaded by python-calamine once the guard has passed it (raises
        guards.RefusedSheet otherwise: the whole file is refused)."""
        if self._package is not None:
            self._package.require_sheet(sheet)
        return self._wb.get_sheet_by_name(sheet)

    def close(self):
        if self._wb is not None:
            self._wb.close()
        if self._own_package and self._package is not None:
            self._package.close()


def open_workbook(path: Path, package: Package | None = None) -> RawWorkbook:
    """`package`: the file as the guard read it (its bytes, the open archive and the parts already
    unpacked), so that nothing is read or unpacked twice; without it, the file is read here."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    fmt = TEMPLATE_FORMATS.get(fmt, fmt)
    own = package is None
    try:
        if package is None:
            package = Package.open(path)
        if fmt != path.suffix.lower().lstrip("."):  # a template: calamine chooses its reader by the bytes
            wb = CalamineWorkbook.from_filelike(io.BytesIO(package.data))
        else:
            wb = CalamineWorkbook.from_path(str(path))
        sheet_names = list(wb.sheet_names)
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types
        if own and package is not None:
            package.close()
        raise UnreadableWorkbook(str(exc)) from None
    try:
        raw = _open(path, fmt, wb, sheet_names, package)
    except BaseException:
        wb.close()
        if own:
            package.close()
        raise
    raw._own_package = own  # then closed with the workbook (it checks the sheets as they are loaded)
    return raw


def _map_rows(ws, start: int) -> list[tuple[str, str, str]]:
    rows = ws.to_python(skip_empty_area=False)
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows[start:] if len(r) > 2 and r[0] != ""]


def _open(path: Path, fmt: str, wb, sheet_names: list[str], package: Package) -> RawWorkbook:
    raw = RawWorkbook(path, fmt, sheet_names, {}, {}, _wb=wb, _package=package)
    sheet_meta: dict[str, Any] = {}
    if META_SHEET in sheet_names:
        rows = raw._sheet(META_SHEET).to_python(skip_empty_area=False)
        sheet_meta = {str(r[0]): r[1] for r in rows[: len(META_KEYS)] if len(r) > 1 and r[0] != ""}
        if MAP_SHEET not in sheet_names:  # a form made before `_felter`: its map is in `_skema`
            raw._mapping = [
                (str(r[0]), str(r[1]), str(r[2])) for r in rows[MAP_START_ROW + 1 :] if len(r) > 2 and r[0] != ""
            ]
    constants: dict[str, Any] = {}
    sheet_files: dict[str, str] = {}
    digest: str | None = None
    try:
        if fmt in ("xlsx", "xlsm"):
            raw.names, sheet_files, raw.deleted, constants, digest = _xlsx_names_and_digest(package)
        elif fmt == "ods":
            raw.names, raw.deleted, raw.flags, constants = _ods_names(package)
        elif fmt == "xls":
            raw.names, raw.deleted = xls_names(package.data)
    except HostileXml:
        raise UnreadableWorkbook("filen indeholder en DTD/entitetserklæring, som Excel aldrig skriver") from None
    except (zipfile.BadZipFile, KeyError, ET.ParseError, expat.ExpatError):
        pass  # names are a refinement; the map's addresses still work
    present = set(sheet_names)
    if not {sheet for sheet, _c in raw.names.values()} <= present:
        for name in [n for n, (sheet, _c) in raw.names.items() if sheet not in present]:
            del raw.names[name]  # a name into a deleted sheet that the program did not set to #REF!
            raw.deleted.add(name)
    layout = constants.get(LAYOUT_CONSTANT)
    if layout and not raw.deleted and digest is None:
        digest = _names_digest(raw.names)
    raw.layout_intact = bool(layout) and not raw.deleted and layout == digest
    # where the fields are: by their names; and, unless the names are as the form was made, also
    # by the map (the fallback for a field that lost its name)
    cells = (
        list(raw.names.values()) if raw.layout_intact else [*((s, c) for _k, s, c in raw.mapping), *raw.names.values()]
    )
    if sheet_files:
        raw.flags = _xlsx_flags(package, sheet_files, {s for s, _c in cells})
    need = raw.rows_needed
    for sheet, cell in cells:
        r = _rowcol(cell)[0] + 1
        if r > need.get(sheet, 0):
            need[sheet] = r
    if not sheet_meta and raw.names:  # _skema renamed: its cells still named
        sheet_meta = {k: raw.value(*raw.names[n]) for k, n in META_NAMES.items() if n in raw.names}
    by_key = {name: key for key, name in META_CONSTANTS.items()}
    sources = {
        "_skema": {k: v for k, v in sheet_meta.items() if v not in (None, "")},
        "navne": {by_key[n]: v for n, v in constants.items() if n in by_key and v not in (None, "")},
    }
    if not all(set(META_PROPERTIES) <= set(meta) for meta in sources.values()):
        # the properties, the last fallback, only when `_skema` or the names lost something (a
        # disagreement between those two is already seen): the untouched majority costs nothing
        by_property = {name: key for key, name in META_PROPERTIES.items()}
        try:
            properties = _properties(package, fmt)
        except HostileXml:
            raise UnreadableWorkbook("filen indeholder en DTD/entitetserklæring, som Excel aldrig skriver") from None
        except (zipfile.BadZipFile, KeyError, ET.ParseError, expat.ExpatError):
            properties = {}
        sources["egenskaber"] = {
            by_property[n]: v for n, v in properties.items() if n in by_property and v not in (None, "")
        }
    raw.identity = {source: meta for source, meta in sources.items() if meta}
    for meta in raw.identity.values():
        for k, v in meta.items():
            raw.meta.setdefault(k, v)
    return raw


MAX_PROPERTIES_PART = 1 << 20  # docProps/custom.xml or meta.xml: a form's are a few kB


def _constant(text: str) -> Any:
    """A defined name's formula holding a constant: '"kommune"' -> 'kommune', '2028' -> 2028,
    ODS 'of:=2028' -> 2028; anything else (a reference, a formula) -> None."""
    text = text.strip()
    if text.startswith("of:"):
        text = text[3:]
    text = text.lstrip("=").strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        return None if '"' in inner.replace('""', "") else inner.replace('""', '"')
    return _number(text)


def _number(text: str) -> int | float | None:
    try:
        f = float(text)
    except ValueError:
        return None
    return int(f) if f.is_integer() else f


def _properties(source: Path | Package, fmt: str) -> dict[str, Any]:
    package = source if isinstance(source, Package) else Package.open(source)
    try:
        if fmt in ("xlsx", "xlsm"):
            return _xlsx_properties(package)
        return _ods_properties(package) if fmt == "ods" else {}
    finally:
        if package is not source:
            package.close()


def _xlsx_properties(package: Package) -> dict[str, Any]:
    """Custom document properties (docProps/custom.xml): name -> text or number."""
    data = package.read("docProps/custom.xml", MAX_PROPERTIES_PART)
    if not data:
        return {}
    _expat(data)
    out: dict[str, Any] = {}
    for prop in ET.fromstring(data):
        name = prop.get("name")
        if not name or len(prop) == 0:
            continue
        typed = prop[0]
        kind, text = typed.tag.rsplit("}", 1)[-1], typed.text or ""
        out[name] = _number(text) if kind in ("i1", "i2", "i4", "i8", "int", "r4", "r8", "decimal") else text
    return out


_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


def _ods_properties(package: Package) -> dict[str, Any]:
    """User-defined document properties (meta.xml `meta:user-defined`): name -> text or number."""
    data = package.read("meta.xml", MAX_PROPERTIES_PART)
    if not data:
        return {}
    _expat(data)
    out: dict[str, Any] = {}
    for el in ET.fromstring(data).iter(_META + "user-defined"):
        name, text = el.get(_META + "name"), el.text or ""
        if name:
            out[name] = _number(text) if el.get(_META + "value-type") == "float" else text
    return out


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


def no_dtd(data: bytes) -> None:
    """Raise HostileXml when `data` declares a DTD: a document type declaration can only stand in
    the prolog, before the root element, so the prolog (the XML declaration, processing instructions,
    comments, white space) is walked up to the first element; no entity can be declared after it.
    Much cheaper than parsing the whole part (`_expat`) when only the prolog matters."""
    i = 0
    while True:
        i = data.find(b"<", i)
        if i < 0:
            return  # no element at all: nothing to expand
        if data.startswith(b"<?", i):
            end, step = data.find(b"?>", i + 2), 2
        elif data.startswith(b"<!--", i):
            end, step = data.find(b"-->", i + 4), 3
        elif data.startswith(b"<!", i):
            raise HostileXml("DTD/entitet i XML")  # <!DOCTYPE, <!ENTITY, or any other declaration
        else:
            return  # the root element
        if end < 0:
            return  # an unclosed prolog: no element, nothing to expand
        i = end + step


def _attrs(blob: bytes) -> dict[str, str]:
    """Attributes of a start tag, by local name (prefixes dropped), XML-unescaped."""
    out = {}
    for name, dq, sq in _ATTR.findall(blob):
        value = (dq or sq).decode("utf-8", "replace")
        out[name.rsplit(b":", 1)[-1].decode()] = html.unescape(value) if "&" in value else value
    return out


def _xlsx_names(
    source: Path | Package,
) -> tuple[dict[str, tuple[str, str]], dict[str, str], set[str], dict[str, Any]]:
    """Workbook-scope defined names -> (sheet, cell), sheet name -> part, the names whose cell
    was deleted (they now read '#REF!'), and the identity names' constants, from workbook.xml."""
    names, sheet_files, deleted, constants, _digest = _xlsx_names_and_digest(source)
    return names, sheet_files, deleted, constants


def _xlsx_names_and_digest(
    source: Path | Package,
) -> tuple[dict[str, tuple[str, str]], dict[str, str], set[str], dict[str, Any], str]:
    """`_xlsx_names` and the digest of the input cells' names (`_names_digest`). Each part's
    prolog is checked first (no DTD or entity declaration: nothing is ever expanded, `no_dtd`); the few
    elements needed are then picked out with patterns, which for a form's thousand names is much
    cheaper than a Python callback per element (or a full parse: malformed XML yields no name, and
    python-calamine refuses it anyway). Forms of one type and layout share everything but
    their identity constants: the sheets and names are interpreted once per process and layout."""
    package = source if isinstance(source, Package) else Package.open(source)
    try:
        workbook, rels = package.read("xl/workbook.xml"), package.read("xl/_rels/workbook.xml.rels")
    finally:
        if package is not source:
            package.close()
    if workbook is None or rels is None:
        raise KeyError("xl/workbook.xml")
    no_dtd(rels)
    no_dtd(workbook)
    part = _names_part(workbook)
    if part is None:
        names, sheet_files, deleted, constants = _parse_names(rels, workbook)
        return names, sheet_files, deleted, constants, _names_digest(names)
    identity = _IDENTITY_NAME.findall(part)
    shared = _IDENTITY_NAME.sub(b"", part) if identity else part
    names, sheet_files, deleted, constants, digest = _shared_names(rels, shared)
    names, sheet_files, deleted, constants = dict(names), dict(sheet_files), set(deleted), dict(constants)
    if identity:
        own_names, _files, own_deleted, own_constants = _parse_names(b"", b"".join(identity))
        names.update(own_names)
        deleted |= own_deleted
        constants.update(own_constants)
        if any(is_field_name(n) for n in own_names):
            digest = _names_digest(names)
    return names, sheet_files, deleted, constants, digest


_SHEETS_START = re.compile(rb"<" + _PREFIX + rb"sheets\b")
_NAMES_END = b"definedNames>"


def _names_part(workbook: bytes) -> bytes | None:
    """The part of workbook.xml from its sheet list to the end of its defined names (in that order,
    as the schema has them), found in linear time; None when there is no such part (then the whole
    of workbook.xml is read)."""
    start = _SHEETS_START.search(workbook)
    end = workbook.rfind(_NAMES_END)
    if start is None or end < start.start() or workbook.find(b"definedName", 0, start.start()) >= 0:
        return None
    return workbook[start.start() : end + len(_NAMES_END)]


# the identity constants' elements ('_skema_type', '_skema_modtager', …): what differs between forms
# of one layout. Written as Excel, LibreOffice, openpyxl and xlsxwriter write them (a literal start is
# found fast); an element spelled otherwise stays in the shared part, which is then only shared less.
_IDENTITY_NAME = re.compile(rb'<definedName name="_skema_[A-Za-z_]*"[^>]*>[^<]*</definedName>')


@lru_cache(maxsize=32)  # a run meets a few form types and layouts; results shared, copied before use
def _shared_names(rels: bytes, part: bytes):
    names, sheet_files, deleted, constants = _parse_names(rels, part)
    return names, sheet_files, frozenset(deleted), constants, _names_digest(names)


def _parse_names(
    rels: bytes, workbook: bytes
) -> tuple[dict[str, tuple[str, str]], dict[str, str], set[str], dict[str, Any]]:
    targets: dict[str, str] = {}
    for blob in _RELATIONSHIP.findall(rels):
        a = _attrs(blob)
        targets[a.get("Id") or ""] = a.get("Target") or ""
    sheet_files: dict[str, str] = {}
    for blob in _SHEET.findall(workbook):
        a = _attrs(blob)
        t = targets.get(a.get("id") or "", "").lstrip("/")
        sheet_files[a.get("name") or ""] = t if t.startswith("xl/") else f"xl/{t}"
    names: dict[str, tuple[str, str]] = {}
    deleted: set[str] = set()
    constants: dict[str, Any] = {}
    for s_name, quoted, plain, col, row, blob, text in _NAME_ELEMENT.findall(workbook):
        if s_name:  # the common shape, as the forms are written: picked apart by the pattern itself
            sheet = plain.decode() if plain else quoted.decode().replace("''", "'")
            names[s_name.decode()] = (sheet, (col + row).decode())
            continue
        name = _workbook_name(blob)
        if name is None:
            continue
        target = _ref_of(text)
        if target and name:
            names[name] = target
        elif name and b"#REF!" in text:
            deleted.add(name)
        elif name in _CONSTANT_NAMES:
            value = text.decode("utf-8", "replace")
            constants[name] = _constant(html.unescape(value) if "&" in value else value)
    return names, sheet_files, deleted, constants


_CONSTANT_NAMES = frozenset([*META_CONSTANTS.values(), LAYOUT_CONSTANT])
# a definedName element in the forms' own shape, a workbook-scope name with no other attribute on a
# single cell, no escaped character ('Sheet'!$C$7, 'It''s'!C7, Sheet1!$C$7: groups name, quoted sheet,
# plain sheet, column, row), else any definedName element (groups: its attributes, its text)
_NAME_ELEMENT = re.compile(
    rb'<definedName name="([^"&<>]+)">'
    rb"(?:'([^'&<]*(?:''[^'&<]*)*)'|([A-Za-z_][A-Za-z0-9_.]*))!\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})</definedName>|"
    + _DEFINED_NAME.pattern
)


def _names_digest(names: dict[str, tuple[str, str]]) -> str:
    return layout_digest([(n, *at) for n, at in names.items() if is_field_name(n)])


@lru_cache(maxsize=65536)  # forms of one type share their names
def _workbook_name(blob: bytes) -> str | None:
    """The name of a workbook-scope definedName from its start tag's attributes; None for a
    sheet-scope name (print areas and the like) or a tag without a name."""
    if b"localSheetId" in blob:
        return None
    m = _NAME_ATTR.search(blob)
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("utf-8", "replace")
    return (html.unescape(name) if "&" in name else name) or None


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


def _xlsx_flags(package: Package, sheet_files: dict[str, str], sheets: set[str]) -> dict:
    """Cells that hold a formula or an error value, or whose number format is a percentage, on the
    sheets that have input cells."""
    flags: dict = {}
    percent_styles = _percent_styles(package.read(STYLES_PART) or b"")
    for sheet in sheets:
        data = package.read(sheet_files[sheet]) if sheet_files.get(sheet) else None
        if data is None:
            continue
        _scan_cells(data, sheet, flags)
        if percent_styles:
            _scan_percent(data, sheet, percent_styles, flags)
    return flags


_CELL_XFS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?cellXfs\b.*?</(?:[A-Za-z_][\w.-]*:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?xf\b([^>]*)>")
_NUM_FMT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?numFmt\b([^>]*)>")
_FMT_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
STYLES_PART = "xl/styles.xml"
BUILTIN_PERCENT_FORMATS = {9, 10}  # 0% and 0.00% (ECMA-376 18.8.30)


def is_percent_format(code: str) -> bool:
    """A number format code that multiplies by 100 and shows '%': a '%' outside quoted text,
    escapes (\\%), [colour/condition] sections, and _x / *x fill characters. '0.0" %"' (a literal
    sign after the number, as the generated forms use) is no percent format; '0.0%' is."""
    return "%" in _FMT_LITERAL.sub("", code)


@lru_cache(maxsize=64)  # forms of one type share their styles
def _percent_styles(styles: bytes) -> frozenset[bytes]:
    """The `s` indexes (as bytes) of the cell formats whose number format is a percentage."""
    if not styles or (b"%" not in styles and b'numFmtId="9"' not in styles and b'numFmtId="10"' not in styles):
        return frozenset()
    _expat(styles)
    custom = set()
    for blob in _NUM_FMT.findall(styles):
        a = _attrs(blob)
        if is_percent_format(a.get("formatCode", "")):
            custom.add(a.get("numFmtId"))
    xfs = _CELL_XFS.search(styles)
    out = set()
    for i, blob in enumerate(_XF.findall(xfs.group(0)) if xfs else []):
        fid = _attrs(blob).get("numFmtId", "0")
        if fid in custom or (fid.isdigit() and int(fid) in BUILTIN_PERCENT_FORMATS):
            out.add(str(i).encode())
    return frozenset(out)


def _scan_percent(data: bytes, sheet: str, percent_styles: frozenset[bytes], flags: dict) -> None:
    """Marks the cells whose style is one of `percent_styles` (few, if any: only where a person
    typed '95%' into an unformatted cell or chose a percent format)."""
    for s in percent_styles:
        needle = b' s="' + s + b'"'
        pos = data.find(needle)
        while pos >= 0:
            m = _cell_at(data, pos)
            if m is not None:
                key = (sheet, m.group(1).decode())
                old = flags.get(key)
                flags[key] = (
                    CellFlag(old.formula, old.error, old.cached, True) if old else CellFlag(False, None, False, True)
                )
            pos = data.find(needle, pos + 1)


def _cell_at(data: bytes, pos: int):
    """The `<c …>` start tag that `pos` lies in or directly follows, or None."""
    start = data.rfind(b"<c ", 0, pos)
    m = _C_START.match(data, start) if start >= 0 else None
    return m if m is not None and m.end() >= pos else None


def _scan_cells(data: bytes, sheet: str, flags: dict) -> None:
    """Finds the (few) error and formula cells by searching for `t="e"` and `<f` and looking back
    to their cell, instead of running a pattern over every cell of the sheet. Only the cell data
    is searched (not the validations and links after it)."""
    start, end = _cell_span(data)
    for needle in (b't="e"', b"<f"):
        is_error = needle == b't="e"'
        pos = data.find(needle, start, end)
        while pos >= 0:
            if is_error or data[pos + 2 : pos + 3] in (b">", b" ", b"/"):
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
            pos = data.find(needle, pos + 1, end)


def _cell_span(data: bytes) -> tuple[int, int]:
    """A range of `data` that holds all of a worksheet part's <sheetData> (from the first mention
    of it to the last end of it; the whole part when it has none)."""
    start, end = data.find(b"sheetData"), data.rfind(b"sheetData>")
    return (start, end + 10) if 0 <= start < end else (0, len(data))


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_names(package: Package) -> tuple[dict[str, tuple[str, str]], set[str], dict, dict[str, Any]]:
    """Named ranges -> (sheet, cell), the names whose cell was deleted (#REF!), the cells whose
    value type is a percentage (flags), and the identity names' constants (named expressions).
    Cell positions are only counted when the document holds a percentage at all."""
    names, deleted, flags = {}, set(), {}
    constants: dict[str, Any] = {}
    expression_tag = _TABLE + "named-expression"
    data = package.read("content.xml")  # bounded by the guard's size checks
    if data is None:
        raise KeyError("content.xml")
    track = b'value-type="percentage"' in data
    range_tag, table_tag = _TABLE + "named-range", _TABLE + "table"
    row_tag, cells = _TABLE + "table-row", (_TABLE + "table-cell", _TABLE + "covered-table-cell")
    rows_rep, cols_rep = _TABLE + "number-rows-repeated", _TABLE + "number-columns-repeated"
    sheet, row, col = "", 0, 0
    for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end") if track else ("end",)):
        tag = el.tag
        if event == "start":
            if tag == table_tag:
                sheet, row = el.get(_TABLE + "name", ""), 0
            elif tag == row_tag:
                col = 0
            elif tag in cells:
                if el.get(_OFFICE + "value-type") == "percentage":
                    flags[(sheet, _cell_name(row, col))] = CellFlag(False, None, False, True)
                col += int(el.get(cols_rep, "1"))
        elif tag == range_tag:
            address = el.get(_TABLE + "cell-range-address", "")
            m = _ODS_ADDR.match(address) if ":" not in address else None  # a range (a print area): no field
            if m:
                names[el.get(_TABLE + "name")] = (m.group(1).replace("''", "'"), f"{m.group(2)}{m.group(3)}")
            elif "#REF" in address:
                deleted.add(el.get(_TABLE + "name"))
        elif tag == expression_tag:
            name = el.get(_TABLE + "name", "")
            if name in _CONSTANT_NAMES:
                constants[name] = _constant(el.get(_TABLE + "expression", ""))
        elif tag == row_tag:
            row += int(el.get(rows_rep, "1"))
            el.clear()
    return names, deleted, flags, constants


def _cell_name(row: int, col: int) -> str:
    """(6, 2) -> 'C7'."""
    letters, n = "", col + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row + 1}"
