"""The defined names of an .xls workbook (BIFF8), which python-calamine does not give: each
workbook-scope name that refers to one cell -> (sheet, cell), and the names whose cell was deleted
(#REF!). A respondent who inserts rows and saves as .xls moves the fields; the names move with them.

Standard library only: the compound file's Workbook stream (toolkit.returns.cfb), then the BIFF
records of its workbook globals ([MS-XLS] 2.4): BOUNDSHEET (sheet names in order), SUPBOOK and
EXTERNSHEET (which sheet a 3-D reference means) and NAME (the name and its formula's one token).
Defensive throughout: the file and each record are size-capped, every loop advances, and a
malformed structure ends the walk with what was read so far; nothing is raised."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import cast

from toolkit.returns.cfb import MAX_FILE_BYTES, cfb_stream, read_compound_file

MAX_RECORD_BYTES = 1024 * 1024  # one record with its CONTINUE records (BIFF8 writes at most 8224 per record)
MAX_NAMES = 200_000

_BOF, _EOF, _CONTINUE, _FILEPASS = 0x0809, 0x000A, 0x003C, 0x002F
_BOUNDSHEET, _SUPBOOK, _EXTERNSHEET, _NAME = 0x0085, 0x01AE, 0x0017, 0x0018
_BIFF8 = 0x0600
_BUILTIN = 0x0020  # NAME flags: fBuiltin (Print_Area and the like, a one-character code as name)
_INTERNAL_SUPBOOK = b"\x01\x04"  # SUPBOOK cch marker: references within this workbook
_DELETED_SHEET = 0xFFFE  # EXTERNSHEET itab of a sheet that was deleted

# the first token of a name's formula (ptg), by its type without the class bits (0x20/0x40/0x60)
_REF3D, _AREA3D, _REFERR3D, _AREAERR3D = 0x1A, 0x1B, 0x1C, 0x1D
_REFERR, _AREAERR, _ERR = 0x0A, 0x0B, 0x1C  # _ERR only without class bits: ptgErr
_ERR_REF = b"\x17"  # #REF!


def xls_names(path: Path | bytes) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """Workbook-scope names -> (sheet, cell like 'C12'), and the names whose cell or sheet was
    deleted. Empty for anything that is not a readable BIFF8 workbook (BIFF5 'Book' streams
    included: the map's addresses are then used)."""
    names: dict[str, tuple[str, str]] = {}
    deleted: set[str] = set()
    try:
        data = path if isinstance(path, bytes) else read_compound_file(path)
        if data is not None and len(data) > MAX_FILE_BYTES:
            data = None
        stream = None if data is None else cfb_stream(data, ("Workbook", "Book"), max_size=MAX_FILE_BYTES)
        if stream is not None:
            _walk(stream, names, deleted)
    except (OSError, ValueError, IndexError, KeyError, struct.error, OverflowError):
        pass  # names are a refinement: what was read so far, else the map's addresses
    return names, deleted


def xls_encrypted(data: bytes) -> bool:
    """Whether the .xls workbook `data` (a compound file's bytes) is protected with a password to
    open: its workbook globals hold a FILEPASS record ([MS-XLS] 2.4.117), before which nothing else
    may be encrypted. False for anything that cannot be read as such."""
    try:
        stream = cfb_stream(data, ("Workbook", "Book"), max_size=MAX_FILE_BYTES)
        return stream is not None and any(rtype == _FILEPASS for rtype, _body in _records(stream))
    except (ValueError, IndexError, KeyError, struct.error, OverflowError):
        return False


def _records(stream: bytes) -> Iterator[tuple[int, bytes]]:
    """(type, data) of each record of the workbook globals, CONTINUE records joined to theirs."""
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        rtype, size = struct.unpack_from("<HH", stream, pos)
        body, pos = stream[pos + 4 : pos + 4 + size], pos + 4 + size
        if len(body) < size:
            return  # cut off
        parts, total = [body], size
        while pos + 4 <= end and struct.unpack_from("<H", stream, pos)[0] == _CONTINUE:
            (size,) = struct.unpack_from("<H", stream, pos + 2)
            total += size
            if total > MAX_RECORD_BYTES:
                return
            parts.append(stream[pos + 4 : pos + 4 + size])
            pos += 4 + size
        yield rtype, b"".join(parts) if len(parts) > 1 else body
        if rtype == _EOF:
            return


def _walk(stream: bytes, names: dict[str, tuple[str, str]], deleted: set[str]) -> None:
    records = _records(stream)
    first = next(records, None)
    if first is None or first[0] != _BOF or len(first[1]) < 2 or struct.unpack_from("<H", first[1])[0] != _BIFF8:
        return
    sheets: list[str] = []
    supbooks: list[bool] = []  # per SUPBOOK: does it refer to this workbook
    xti: list[tuple[int, int, int]] = []  # EXTERNSHEET: (iSupBook, itabFirst, itabLast)
    for rtype, body in records:
        if rtype == _FILEPASS:
            return  # encrypted: the rest is not readable without the password
        if rtype == _BOUNDSHEET:
            sheets.append(_short_string(body, 6))
        elif rtype == _SUPBOOK:
            supbooks.append(body[2:4] == _INTERNAL_SUPBOOK)
        elif rtype == _EXTERNSHEET:
            (count,) = struct.unpack_from("<H", body)
            count = min(count, (len(body) - 2) // 6)
            xti = [cast(tuple[int, int, int], struct.unpack_from("<HHH", body, 2 + 6 * k)) for k in range(count)]
        elif rtype == _NAME and len(names) + len(deleted) < MAX_NAMES:
            _name(body, sheets, supbooks, xti, names, deleted)


def _name(
    body: bytes,
    sheets: list[str],
    supbooks: list[bool],
    xti: list[tuple[int, int, int]],
    names: dict[str, tuple[str, str]],
    deleted: set[str],
) -> None:
    """One NAME record ([MS-XLS] 2.4.150): flags, cch, cce, itab, the name, then the formula."""
    flags, _key, cch, cce, _ixals, itab = struct.unpack_from("<HBBHHH", body)
    if flags & _BUILTIN or itab != 0 or cch == 0:
        return  # built-in names, and names of one sheet (print areas and the like)
    pos = 14  # after the four lengths of menu, description, help and status texts
    high = body[pos] & 0x01
    pos += 1
    raw = body[pos : pos + cch * (2 if high else 1)]
    if len(raw) < cch * (2 if high else 1):
        return
    name = raw.decode("utf-16-le" if high else "latin-1")
    rgce = body[pos + len(raw) : pos + len(raw) + cce]
    if len(rgce) < cce or not rgce:
        return
    ptg = rgce[0]
    kind, classed = ptg & 0x1F, bool(ptg & 0x60)  # the token's type without its class bits
    if (classed and kind in (_REFERR3D, _AREAERR3D, _REFERR, _AREAERR)) or (ptg == _ERR and rgce[1:2] == _ERR_REF):
        deleted.add(name)
    elif classed and kind in (_REF3D, _AREA3D):
        if kind == _REF3D and cce == 7:
            ixti, row, col = struct.unpack_from("<HHH", rgce, 1)
        elif kind == _AREA3D and cce == 11:
            ixti, row, row2, col, col2 = struct.unpack_from("<HHHHH", rgce, 1)
            if (row, col & 0x3FFF) != (row2, col2 & 0x3FFF):
                return  # a range, not one cell
        else:
            return  # a formula of more than one reference
        if ixti >= len(xti):
            return
        book, first, last = xti[ixti]
        if supbooks and (book >= len(supbooks) or not supbooks[book]):
            return  # another workbook
        if first == _DELETED_SHEET:
            deleted.add(name)
        elif first == last and first < len(sheets):
            names[name] = (sheets[first], _cell_name(row, col & 0x3FFF))


def _short_string(body: bytes, pos: int) -> str:
    """A ShortXLUnicodeString: cch (1 byte), flags (1 byte), then the characters."""
    cch, high = body[pos], body[pos + 1] & 0x01
    raw = body[pos + 2 : pos + 2 + cch * (2 if high else 1)]
    return raw.decode("utf-16-le" if high else "latin-1")


@lru_cache(maxsize=65536)  # forms of one type share their cells
def _cell_name(row: int, col: int) -> str:
    """(6, 2) -> 'C7'."""
    letters, n = "", col + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row + 1}"
