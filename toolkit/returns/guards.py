"""Checks on every received file before any reader parses it. All limits live in LIMITS and are
documented in the README ("Sikkerhed og robusthed"). A check returns an Issue (the file is refused)
or None; warnings (macros) are returned separately.

Every part's sizes and packing ratio (the zip directory) and every XML part's prolog are checked up
front, and so is every visible worksheet (a DTD in its prolog, the extent of its values). A hidden
worksheet (the form's `_skema`, `_felter`, `_lister`, `_status`, or one a respondent hid) is checked
only when the reader is about to load it (`Package.require_sheet`), so the sheets it never loads cost
nothing. python-calamine is never asked to load a worksheet that was not checked."""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolkit.problems import Issue
from toolkit.returns.xls_names import xls_encrypted


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024  # size on disk
    max_entries: int = 1000  # zip entries (Apache POI's number)
    max_part_bytes: int = 100 * 1024 * 1024  # one part, uncompressed
    max_total_bytes: int = 200 * 1024 * 1024  # all parts, uncompressed
    min_inflate_ratio: float = 0.01  # compressed/uncompressed, POI's minimum inflate ratio
    ratio_grace_bytes: int = 100 * 1024  # parts smaller than this are not ratio-checked
    max_rows: int = 100_000  # the last row of a sheet that holds a value
    max_cols: int = 1_000  # the last column of a sheet that holds a value
    # rows × columns up to the last value: the reader (python-calamine) holds that rectangle in
    # memory at about 32 bytes a cell; 20 million cells take ~0.7 GB of the worker's 2 GB
    max_cells: int = 20_000_000
    prolog_bytes: int = 8192  # how much of each XML part is searched for a DTD


LIMITS = Limits()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROW_START = re.compile(rb'<row r="([0-9]{1,7})"[^>]*?(/?)>')
_HAS_VALUE = re.compile(rb"<v>|<v |<is>|<f>|<f ")
_ODS_REPEAT = re.compile(rb'number-(rows|columns)-repeated="([0-9]+)"')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


class RefusedSheet(Exception):
    """A worksheet the reader was about to load failed its check: the whole file is refused with
    `issue` (the same code and message as when the guard finds it up front)."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue


class Package:
    """A received workbook read from disk once: its bytes and, for the zip formats (.xlsx, .xlsm,
    .ods), the archive opened once, with the parts the guard already unpacked (worksheets, styles,
    workbook, content) kept for the reader. Nothing here is parsed or trusted yet, except what the
    guard checked: its verdict on each worksheet is kept (`require_sheet`)."""

    def __init__(self, data: bytes, archive: zipfile.ZipFile | None = None, name: str = ""):
        self.data = data
        self.zip = archive
        # the parts by name (zipfile's public infolist; a name given twice is refused by the guard)
        self.members: dict[str, zipfile.ZipInfo] = {i.filename: i for i in archive.infolist()} if archive else {}
        self.name = name
        self.parts: dict[str, bytes] = {}
        self.limits = LIMITS
        # sheet name -> worksheet part, from workbook.xml and its relationships (None: not found,
        # then every worksheet part is checked before the first sheet is loaded)
        self.sheet_parts: dict[str, str] | None = None
        self.checked: dict[str, Issue | None] = {}  # worksheet part -> its refusal or None

    @classmethod
    def open(cls, path: Path, limit: int | None = None) -> Package:
        """`path`'s bytes (at most `limit` + 1 are read) and, if they are a zip archive, the archive.
        Raises zipfile.BadZipFile for a broken archive."""
        with open(path, "rb") as f:
            data = f.read() if limit is None else f.read(limit + 1)
        return cls(data, zipfile.ZipFile(io.BytesIO(data)) if data[:4] == ZIP else None, Path(path).name)

    def read(self, member: str, cap: int | None = None) -> bytes | None:
        """One part of the archive: kept, or unpacked now; None when it is absent or (with `cap`)
        larger than `cap` bytes."""
        data = self.parts.get(member)
        if data is not None or self.zip is None:
            return data if data is None or cap is None or len(data) <= cap else None
        try:
            info = self.zip.getinfo(member)
        except KeyError:
            return None
        if cap is not None and info.file_size > cap:
            return None
        data = self.unpack(info)
        return data if cap is None or len(data) <= cap else None

    def unpack(self, info: zipfile.ZipInfo, prolog: int | None = None) -> bytes:
        """Part `info` unpacked whole (never more than the size the zip directory gives, and its
        checksum checked), or only its first `prolog` bytes. The file is already in memory: a part
        stored or deflated, as every spreadsheet program writes them, is inflated straight from
        `data` (zipfile costs some 20 µs a part more); anything else goes through zipfile. Raises
        zipfile.BadZipFile for a broken part."""
        assert self.zip is not None
        start = self._payload(info)
        if start is None:
            if prolog is None:
                return self.zip.read(info)
            with self.zip.open(info) as f:
                return f.read(prolog)
        raw = memoryview(self.data)[start : start + info.compress_size]
        limit = info.file_size if prolog is None else min(prolog, info.file_size)
        if info.compress_type == zipfile.ZIP_STORED:
            out = bytes(raw[:limit])
        else:
            try:
                out = zlib.decompressobj(-15).decompress(raw, limit + 1)
            except zlib.error:
                raise zipfile.BadZipFile(f"beskadiget del {info.filename}") from None
        if prolog is None and (len(out) != info.file_size or zlib.crc32(out) != info.CRC):
            raise zipfile.BadZipFile(f"beskadiget del {info.filename}")
        return out[:limit]

    def _payload(self, info: zipfile.ZipInfo) -> int | None:
        """Where part `info`'s compressed bytes start in `data`, or None when zipfile must read it
        (compressed otherwise than stored or deflated, encrypted, or a local header that is not
        where the directory says)."""
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            return None
        offset = info.header_offset
        if self.data[offset : offset + 4] != ZIP or len(self.data) < offset + 30:
            return None
        name_length, extra_length = struct.unpack_from("<HH", self.data, offset + 26)
        if self.data[offset + 30 : offset + 30 + name_length] != info.filename.encode(
            "utf-8" if info.flag_bits & 0x800 else "cp437"
        ):
            return None  # zipfile then raises on the mismatch
        return offset + 30 + name_length + extra_length

    def sheet_refusal(self, sheet: str) -> Issue | None:
        """The refusal of the whole file if worksheet `sheet` (by its name in the workbook) fails
        its check (a DTD in its prolog, `xml-entitet`; values too far out, `absurd-omfang`), or
        None. Checked once, when first asked; a sheet the guard could not place in the archive
        makes every worksheet part be checked. Only .xlsx/.xlsm sheets are checked here: an .ods's
        sheets are all checked up front (content.xml), an .xls's not at all (as before)."""
        if self.zip is None:
            return None
        part = self.sheet_parts.get(sheet) if self.sheet_parts is not None else None
        if part is None:  # not placed (or no guard ran): every worksheet part
            parts = sorted({n for n in self.members if _is_worksheet(n)} | set((self.sheet_parts or {}).values()))
        else:
            parts = [part]
        for member in parts:
            if member not in self.checked:
                try:
                    self.checked[member] = _check_sheet(self, member, self.limits)
                except zipfile.BadZipFile:
                    self.checked[member] = Issue("ulaeselig-fil", _broken(self.name), file=self.name)
            refusal = self.checked[member]
            if refusal is not None:
                return refusal
        return None

    def require_sheet(self, sheet: str) -> None:
        """Raises RefusedSheet unless worksheet `sheet` passes its check: called right before the
        reader asks python-calamine to load it."""
        refusal = self.sheet_refusal(sheet)
        if refusal is not None:
            raise RefusedSheet(refusal)

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


#: small parts the reader needs whole; the guard unpacks them whole instead of only their prolog
KEPT_PARTS = frozenset(
    {
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "docProps/core.xml",
        "docProps/custom.xml",
        "content.xml",
        "meta.xml",
        "META-INF/manifest.xml",
    }
)


def check_file(path: Path, limits: Limits = LIMITS, keep: dict | None = None) -> tuple[Issue | None, list[Issue]]:
    """(refusal or None, warnings). `keep`, if given, receives the parts already unpacked."""
    refusal, warnings, package = check_package(path, limits)
    if package is not None:
        if keep is not None:
            keep.update(package.parts)
        package.close()
    return refusal, warnings


def check_package(path: Path, limits: Limits = LIMITS) -> tuple[Issue | None, list[Issue], Package | None]:
    """(refusal or None, warnings, the file read once or None when refused). Reads the file once,
    its zip directory, small prologs and the worksheet parts (for their real extent)."""
    path = Path(path)
    name = path.name

    def refuse(code, msg):
        return Issue(code, msg, file=name), [], None

    size = path.stat().st_size
    if size == 0:
        return refuse("tom-fil", f"{name} er tom (0 byte). Bed afsenderen sende filen igen.")
    if size > limits.max_file_bytes:
        return refuse("for-stor", _too_big(name, size, limits))
    try:
        package = Package.open(path, limits.max_file_bytes)
    except zipfile.BadZipFile:
        return refuse("ulaeselig-fil", _broken(name))
    data = package.data
    if len(data) > limits.max_file_bytes:  # grew since it was measured
        package.close()
        return refuse("for-stor", _too_big(name, len(data), limits))
    head = data[:8]
    ext = path.suffix.lower()
    if ext == ".xls":
        if head != OLE:
            return refuse("ikke-regneark", _renamed(name, head))
        if xls_encrypted(data):
            return refuse("adgangskode", _password(name))
        return None, [], package
    if head == OLE:
        return refuse("adgangskode", _password(name))
    if package.zip is None:
        return refuse("ikke-regneark", _renamed(name, head))
    try:
        refusal, warnings = _check_zip(package, name, ext, limits)
    except zipfile.BadZipFile:
        refusal, warnings = Issue("ulaeselig-fil", _broken(name), file=name), []
    if refusal is not None:
        package.close()
        return refusal, warnings, None
    return None, warnings, package


def _too_big(name: str, size: int, limits: Limits) -> str:
    return (
        f"{name} fylder {size / 1e6:.0f} MB; højst {limits.max_file_bytes / 1e6:.0f} MB "
        f"tages imod. Bed afsenderen fjerne billeder eller sende skemaet igen."
    )


def _broken(name: str) -> str:
    return f"{name} er ufuldstændig eller beskadiget (fx afbrudt under download). Bed afsenderen sende den igen."


def _password(name: str) -> str:
    return f"{name}: Filen er beskyttet med adgangskode – bed afsenderen sende den uden adgangskode."


def _renamed(name: str, head: bytes) -> str:
    if head.startswith(b"%PDF"):
        what = "en PDF-fil"
    elif head[:4] == ZIP:
        what = "en zip-fil"
    elif all(32 <= b < 127 or b in (9, 10, 13) for b in head) or head.startswith(b"\xef\xbb\xbf"):
        what = "en tekstfil (fx CSV)"
    else:
        what = "ikke et regneark"
    return f"{name} er {what}, selv om navnet slutter på et regnearks endelse. Bed om skemaet som Excel-fil."


def _check_zip(package: Package, name: str, ext: str, limits: Limits):
    z = package.zip
    assert z is not None
    infos = z.infolist()
    warnings: list[Issue] = []

    def refuse(code, msg):
        return Issue(code, f"{name}: {msg}", file=name), warnings

    if len(infos) > limits.max_entries:
        return refuse("zip-bombe", f"filen har {len(infos)} dele; højst {limits.max_entries} tages imod.")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        return refuse("zip-bombe", "filen indeholder dele med samme navn (manipuleret fil).")
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > limits.max_part_bytes:
            return refuse(
                "zip-bombe",
                f"delen {i.filename} pakker sig ud til {i.file_size / 1e6:.0f} MB "
                f"(højst {limits.max_part_bytes / 1e6:.0f} MB).",
            )
        if i.file_size > limits.ratio_grace_bytes and i.compress_size < i.file_size * limits.min_inflate_ratio:
            return refuse(
                "zip-bombe",
                f"delen {i.filename} er pakket mere end {1 / limits.min_inflate_ratio:.0f} "
                f"gange sammen (mistænkelig fil).",
            )
    if total > limits.max_total_bytes:
        return refuse(
            "zip-bombe", f"filen pakker sig ud til {total / 1e6:.0f} MB (højst {limits.max_total_bytes / 1e6:.0f} MB)."
        )
    # the worksheets checked now: the visible ones (all, when the sheet list cannot be read); a
    # hidden one is checked when the reader is about to load it (Package.require_sheet)
    package.limits = limits
    deferred = _hidden_sheet_parts(package)
    for i in infos:
        member = i.filename
        if member in deferred or not member.lower().endswith((".xml", ".rels")):
            continue
        if member in KEPT_PARTS or _is_worksheet(member):
            # needed whole (bounded by the size checks above): unpacked once, kept for the reader
            prolog = package.parts.get(member)
            if prolog is None:
                prolog = package.parts[member] = package.unpack(i)
        else:
            prolog = package.unpack(i, limits.prolog_bytes)
        if _DTD.search(prolog, 0, limits.prolog_bytes):
            return refuse("xml-entitet", _dtd(member))
    if ext in (".xlsm", ".xltm") or any(n.lower().endswith("vbaproject.bin") for n in names):
        warnings.append(Issue("makro", f"{name} indeholder makroer; de køres ikke, kun værdierne læses.", file=name))
    if ext == ".ods" and _ods_encrypted(package.parts.get("META-INF/manifest.xml", b"")):
        return refuse("adgangskode", "Filen er beskyttet med adgangskode – bed afsenderen sende den uden adgangskode.")
    content = package.parts.get("content.xml")
    problem = _ods_extent(content) if content is not None else None
    for member in names:
        if problem is not None:
            break
        if _is_worksheet(member) and member not in deferred:
            problem = _sheet_extent(member, package.parts[member], limits)
            if problem is None:
                package.checked[member] = None
    if problem:
        return refuse("absurd-omfang", problem)
    return None, warnings


def _dtd(member: str) -> str:
    return (
        f"delen {member} indeholder en DTD/entitetserklæring, som "
        f"Excel aldrig skriver (mulig XML-angreb). Filen læses ikke."
    )


def _check_sheet(package: Package, member: str, limits: Limits) -> Issue | None:
    """A worksheet part's check, as the guard makes it up front: no DTD in its prolog, values
    within the extent limits. The part is kept for the reader."""
    data = package.read(member)
    if data is None:
        return None  # absent: python-calamine cannot load it either
    package.parts[member] = data
    name = package.name
    if _DTD.search(data, 0, limits.prolog_bytes):
        return Issue("xml-entitet", f"{name}: {_dtd(member)}", file=name)
    problem = _sheet_extent(member, data, limits)
    return None if problem is None else Issue("absurd-omfang", f"{name}: {problem}", file=name)


_SHEETS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheets\b")
_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(blob: bytes) -> dict[str, str] | None:
    """A start tag's attributes by local name (prefixes dropped), XML-unescaped; None when two
    share a local name (`r:id` and `x:id`: which one a reader takes is not certain)."""
    out = {}
    for key, dq, sq in _ATTR.findall(blob):
        value = (dq or sq).decode("utf-8", "replace")
        local = key.rsplit(b":", 1)[-1].decode()
        if local in out:
            return None
        out[local] = html.unescape(value) if "&" in value else value
    return out


def _hidden_sheet_parts(package: Package) -> set[str]:
    """The parts of the hidden worksheets, whose check waits until the reader loads them. Reads
    the sheet list (xl/workbook.xml and its relationships, which the guard unpacks and keeps for
    the reader anyway) into `package.sheet_parts`. Anything unexpected (no sheet list, a sheet name
    or relationship id twice, an attribute twice, a target outside xl/worksheets/ or missing, a DTD
    in either part) defers nothing: every worksheet is then checked up front."""
    z = package.zip
    assert z is not None
    if "xl/workbook.xml" not in package.members or "xl/_rels/workbook.xml.rels" not in package.members:
        return set()
    workbook = package.parts["xl/workbook.xml"] = package.unpack(z.getinfo("xl/workbook.xml"))
    rels = package.parts["xl/_rels/workbook.xml.rels"] = package.unpack(z.getinfo("xl/_rels/workbook.xml.rels"))
    start = _SHEETS.search(workbook)
    prolog = package.limits.prolog_bytes
    if start is None or _DTD.search(workbook, 0, prolog) or _DTD.search(rels, 0, prolog):
        return set()  # the up-front checks refuse a DTD as before
    end = workbook.find(b"sheets>", start.end())  # the end of the sheet list (found in linear time)
    sheets = _sheet_list(workbook[start.end() : end if end >= 0 else len(workbook)], rels)
    if sheets is None or any(part not in package.members for part in sheets[0].values()):
        return set()
    package.sheet_parts = dict(sheets[0])
    return set(sheets[1])


@lru_cache(maxsize=32)  # forms of one type share their sheet list and its relationships
def _sheet_list(sheets: bytes, rels: bytes) -> tuple[dict[str, str], frozenset[str]] | None:
    """(sheet name -> worksheet part, the parts of only hidden sheets) from the sheet list of
    workbook.xml and its relationships; None for anything unexpected. Shared: not to be changed."""
    targets: dict[str, str] = {}
    for blob in _RELATIONSHIP.findall(rels):
        a = _attrs(blob)
        if a is None or a.get("Id", "") in targets:
            return None
        targets[a.get("Id", "")] = a.get("Target", "")
    mapping: dict[str, str] = {}
    hidden: set[str] = set()
    shown: set[str] = set()
    for blob in _SHEET.findall(sheets):
        a = _attrs(blob)
        if a is None:
            return None
        sheet, part = a.get("name", ""), _part_of(targets.get(a.get("id", ""), ""))
        if part is None or sheet in mapping:
            return None
        mapping[sheet] = part
        (hidden if a.get("state") in ("hidden", "veryHidden") else shown).add(part)
    return mapping, frozenset(hidden - shown)


def _part_of(target: str) -> str | None:
    """A relationship target of xl/workbook.xml as a worksheet part's name: '/xl/worksheets/s1.xml'
    and 'worksheets/s1.xml' are both 'xl/worksheets/s1.xml'; None for anything else (a target
    readers might resolve differently: its sheet is then checked up front, with all the others)."""
    path = target[1:] if target.startswith("/") else "xl/" + target
    if not _is_worksheet(path) or ".." in path or "//" in path or "\\" in path or "/./" in path:
        return None
    return path


@lru_cache(maxsize=16)
def _far_cols(min_col: int) -> re.Pattern:
    """A pattern for only those cell references whose column letters are long enough to possibly
    lie at or beyond column `min_col` (3 letters for 1.000 columns): a normal sheet has none, so
    the scan finds nothing to convert."""
    letters = 1 if min_col <= 26 else (2 if min_col <= 702 else 3)
    return re.compile(rb'<c r="([A-Z]{%d,3})([0-9]{1,7})"[^>]*?(/?)>' % letters)


def _last_value_row(data: bytes) -> int:
    """The number of the last row that holds a value. Rows come in order, so this looks back from
    the end past empty rows (LibreOffice writes an empty styled row 1048576 after a row is deleted)."""
    end = len(data)
    while True:
        start = data.rfind(b"<row ", 0, end)
        if start < 0:
            return 0
        m = _ROW_START.match(data, start)
        if m and not m.group(2):
            close = data.find(b"</row>", m.end(), end)
            if _HAS_VALUE.search(data, m.end(), close if close >= 0 else end):
                return int(m.group(1))
        end = start


def _value_extent(data: bytes, max_cells: int, max_cols: int) -> tuple[int, int]:
    """(last row, last column) of the cells that hold a value; styled empty cells and the declared
    <dimension> are ignored. Columns are only converted where they could exceed a limit (given the
    last row); the column is 0 when none can."""
    rows = _last_value_row(data)
    if rows == 0:
        return 0, 0
    threshold = min(max_cols, max_cells // rows)
    cols = 0
    for m in _far_cols(threshold + 1).finditer(data):
        col = _col_number(m.group(1))
        if col <= max(cols, threshold) or m.group(3):
            continue
        close = data.find(b"</c>", m.end())
        if close >= 0 and _HAS_VALUE.search(data, m.end(), close):
            cols = col
    return rows, cols


def _is_worksheet(member: str) -> bool:
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


def _sheet_extent(member: str, data: bytes, limits: Limits) -> str | None:
    rows, cols = _value_extent(data, limits.max_cells, limits.max_cols)
    if rows > limits.max_rows or cols > limits.max_cols or rows * cols > limits.max_cells:
        return (
            f"arket {member.rsplit('/', 1)[-1]} har værdier til og med række {rows:_}"
            + (f" og kolonne {cols:_}" if cols else "")
            + f" (højst {limits.max_rows:_} rækker, {limits.max_cols:_} kolonner og "
            f"{limits.max_cells:_} celler i alt)."
        ).replace("_", ".")
    return None


def _ods_extent(content: bytes) -> str | None:
    for kind, count in _ODS_REPEAT.findall(content):
        if int(count) > 10_000_000:
            return f"et ark gentager {int(count):,} {kind.decode()} (urimeligt).".replace(",", ".")
    return None


_ODS_ENCRYPTION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?encryption-data\b")


def _ods_encrypted(manifest: bytes) -> bool:
    """An ODF package saved with a password lists `manifest:encryption-data` for its encrypted
    parts in META-INF/manifest.xml (ODF 1.2, 3.8)."""
    return bool(_ODS_ENCRYPTION.search(manifest))
