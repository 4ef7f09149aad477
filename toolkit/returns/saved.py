"""When a returned file was last saved, as the file itself says: `dcterms:modified` in
`docProps/core.xml` (.xlsx/.xlsm; Excel and LibreOffice write it on every save), `dc:date` in
`meta.xml` (.ods) and the last-saved time of the SummaryInformation stream (.xls). Versions of one
answer are ordered by it (the respondent's last save wins), so it is read defensively: a small
capped read, no DTDs, and any doubt falls back to the file's own modification time."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree as SafeET

from toolkit.returns.cfb import MAX_FILE_BYTES, cfb_stream
from toolkit.returns.guards import Package
from toolkit.returns.reader import HostileXml, no_dtd

try:  # zip members may be LZMA-compressed; the module is optional in Python builds
    from lzma import LZMAError as _LZMAError

    LZMAError: type[Exception] = _LZMAError
except ImportError:  # pragma: no cover
    LZMAError = OSError


MAX_META_BYTES = 256 * 1024  # core.xml / meta.xml are a few hundred bytes; refuse anything silly

_DCTERMS_MODIFIED = "{http://purl.org/dc/terms/}modified"
_ODF_META = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}meta"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")

#: where the time came from
FROM_FILE, FROM_MTIME = "dokument", "filtid"


@dataclass(frozen=True)
class SavedTime:
    when: dt.datetime  # timezone-aware, UTC
    source: str  # FROM_FILE or FROM_MTIME

    @property
    def text(self) -> str:
        """Sortable text (UTC, fixed width), as the store keeps it."""
        return self.when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_BAD_CONTENT = (
    OSError,
    ValueError,
    KeyError,
    IndexError,
    struct.error,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    LZMAError,
    SafeET.ParseError,
    RuntimeError,
    NotImplementedError,
    HostileXml,
    EOFError,
    OverflowError,
)  # defusedxml's refusals are ValueErrors; a broken zip or stream is the same as no property


def last_saved(path: Path, mtime: float) -> SavedTime:
    """When `path` was last saved: the document's own property, else `mtime` (the received file's
    modification time, a POSIX timestamp). Never raises for bad content."""
    try:
        package = Package.open(Path(path), MAX_FILE_BYTES)
    except _BAD_CONTENT:
        return saved_time(None, mtime)
    try:
        return saved_time(document_saved(package, Path(path).suffix), mtime)
    finally:
        package.close()


def saved_time(when: dt.datetime | None, mtime: float) -> SavedTime:
    """The document's own last-saved time `when` if it is believable, else the file time `mtime`."""
    if when is not None and when <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1):
        return SavedTime(when, FROM_FILE)  # a save in the future is a wrong clock or a forgery: not believed
    return SavedTime(dt.datetime.fromtimestamp(mtime, dt.timezone.utc), FROM_MTIME)


def document_saved(package: Package, suffix: str) -> dt.datetime | None:
    """The last-saved time the document itself states (read from the file as the guard read it),
    or None. Never raises for bad content."""
    try:
        return _document_time(package, suffix.lower())
    except _BAD_CONTENT:
        return None


def _document_time(package: Package, suffix: str) -> dt.datetime | None:
    if suffix in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        data = package.read("docProps/core.xml", MAX_META_BYTES)
        if data is None:
            return None
        text = _modified_text(data)
        if text is None:  # written some other way: parsed in full
            root = SafeET.fromstring(data, forbid_dtd=True)
            text = root.findtext(_DCTERMS_MODIFIED)
        return parse_time(text)
    if suffix == ".ods":
        root = _zip_xml(package, "meta.xml")
        meta = None if root is None else root.find(_ODF_META)
        return None if meta is None else parse_time(meta.findtext(_DC_DATE))
    if suffix == ".xls":
        return _xls_last_saved(package.data)
    return None


_DCTERMS_PREFIX = re.compile(rb"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']http://purl\.org/dc/terms/["']""")


def _modified_text(core: bytes) -> str | None:
    """The text of `dcterms:modified` in core.xml as Excel and LibreOffice write it (the prefix
    bound to the DC terms namespace, no escaped character in the time), found without parsing the
    part; None when it is not written that way. A DTD is refused (HostileXml) as in a parse."""
    no_dtd(core)
    prefix = _DCTERMS_PREFIX.search(core)
    if prefix is None:
        return None
    m = re.search(rb"<" + re.escape(prefix.group(1)) + rb":modified\b[^>]*>([^<&]*)</", core)
    return None if m is None else m.group(1).decode("utf-8", "replace")


def _zip_xml(package: Package, member: str):
    data = package.read(member, MAX_META_BYTES)
    return None if data is None else SafeET.fromstring(data, forbid_dtd=True)


def parse_time(text: str | None) -> dt.datetime | None:
    """A W3CDTF / ISO time as the formats write it ('2028-03-01T10:15:00Z', LibreOffice's .ods
    '2028-03-01T11:15:00.123456789' in local time) as an aware UTC datetime; None if it is not one."""
    m = _ISO.match((text or "").strip())
    if not m:
        return None
    day, clock, frac, zone = m.groups()
    frac = (frac or "")[:7]  # at most microseconds
    when = dt.datetime.fromisoformat(f"{day}T{clock}{frac}")
    if zone is None:
        when = when.astimezone()  # no zone: the saving machine's local time, taken as ours
    else:
        if zone == "Z":
            zone = "+00:00"
        elif ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        when = dt.datetime.fromisoformat(when.isoformat() + zone)
    if not 1980 <= when.year <= 9000:
        return None
    return when.astimezone(dt.timezone.utc)


# --- .xls: the last-saved time from the OLE2 compound file's SummaryInformation stream -----------
_SUMMARY = "\x05SummaryInformation"
_PID_LASTSAVE_DTM = 13
_VT_FILETIME = 64


def _xls_last_saved(data: bytes) -> dt.datetime | None:
    # only the header, FAT, directory and one small stream are used
    stream = None if len(data) > MAX_FILE_BYTES else cfb_stream(data, (_SUMMARY,))
    return None if stream is None else _lastsave_from_property_set(stream)


def _lastsave_from_property_set(stream: bytes) -> dt.datetime | None:
    """PIDSI_LASTSAVE_DTM of a SummaryInformation property set ([MS-OLEPS])."""
    if len(stream) < 48 or struct.unpack_from("<H", stream, 0)[0] != 0xFFFE:
        return None
    n_sets = struct.unpack_from("<I", stream, 24)[0]
    if n_sets < 1:
        return None
    offset = struct.unpack_from("<I", stream, 44)[0]  # after FMTID (16 bytes) of the first set
    _size, n_props = struct.unpack_from("<II", stream, offset)
    for k in range(min(n_props, 1000)):
        pid, poff = struct.unpack_from("<II", stream, offset + 8 + 8 * k)
        if pid != _PID_LASTSAVE_DTM:
            continue
        (vtype,) = struct.unpack_from("<H", stream, offset + poff)
        if vtype != _VT_FILETIME:
            return None
        (ticks,) = struct.unpack_from("<Q", stream, offset + poff + 4)
        if ticks == 0:
            return None
        when = dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=ticks // 10)
        return when if 1980 <= when.year <= 9000 else None
    return None
