"""A small reader for OLE2 compound files ([MS-CFB]), the container of .xls workbooks: one stream of
the root storage by name, for the last-saved time (SummaryInformation) and the defined names
(Workbook). Standard library only; every size and chain is bounded by the file itself, and a broken
structure raises ValueError, IndexError or struct.error for the caller to treat as "not there"."""

from __future__ import annotations

import struct
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024  # an .xls larger than this is not looked into (its values are still read)
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_LAST_REGULAR = 0xFFFFFFFA  # sector numbers from here on are markers (end of chain, free, FAT, DIFAT)


def read_compound_file(path: Path) -> bytes | None:
    """The bytes of `path`, or None if it is larger than MAX_FILE_BYTES."""
    with open(path, "rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    return None if len(data) > MAX_FILE_BYTES else data


def cfb_stream(data: bytes, names: tuple[str, ...], max_size: int = 64 * 1024) -> bytes | None:
    """The first of `names` (case-insensitive, in that order of preference) that is a stream of the
    root storage of the compound file `data`, or None if none is, or it is larger than `max_size`."""
    if len(data) < 512 or data[:8] != CFB_MAGIC:
        return None
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if sector_shift not in (9, 12) or mini_shift != 6:
        return None
    size = 1 << sector_shift
    n_fat, first_dir, _tx, mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
        "<IIIIIIII", data, 44
    )
    n_sectors = len(data) // size - 1  # the header fills sector -1 (padded to 4096 bytes in version 4)

    def sector(i: int) -> bytes:
        if i >= n_sectors:
            raise ValueError("sektor uden for filen")
        start = (i + 1) * size
        return data[start : start + size]

    difat = list(struct.unpack_from("<109I", data, 76))
    nxt, seen = first_difat, 0
    while nxt < _LAST_REGULAR and seen < min(n_difat, n_sectors):  # files over ~7 MB continue the FAT list here
        block = sector(nxt)
        entries = struct.unpack(f"<{size // 4}I", block)
        difat.extend(entries[:-1])
        nxt, seen = entries[-1], seen + 1
    fat: list[int] = []
    for s in difat[:n_fat]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(s)))

    def chain(first: int, table: list[int], limit: int) -> list[int]:
        out, cur = [], first
        while cur < _LAST_REGULAR:
            out.append(cur)
            if len(out) > limit or cur >= len(table):
                raise ValueError("ødelagt kæde")
            cur = table[cur]
        return out

    directory = b"".join(sector(s) for s in chain(first_dir, fat, n_sectors))
    wanted = [n.casefold() for n in names]
    root, found, rank = None, None, len(wanted)
    for off in range(0, len(directory) - 127, 128):
        entry = directory[off : off + 128]
        name_len = struct.unpack_from("<H", entry, 64)[0]
        if not 2 <= name_len <= 64:
            continue
        entry_name = entry[: name_len - 2].decode("utf-16-le", "replace").casefold()
        kind = entry[66]
        start, length = struct.unpack_from("<II", entry, 116)
        if kind == 5:
            root = (start, length)
        elif kind == 2 and entry_name in wanted and wanted.index(entry_name) < rank:
            found, rank = (start, length), wanted.index(entry_name)
    if found is None or found[1] > max_size:
        return None
    start, length = found
    if length >= mini_cutoff:
        raw = b"".join(sector(s) for s in chain(start, fat, n_sectors))
        return raw[:length]
    if root is None:
        return None
    minifat: list[int] = []
    if n_minifat:
        for s in chain(first_minifat, fat, n_sectors):
            minifat.extend(struct.unpack(f"<{size // 4}I", sector(s)))
    ministream = b"".join(sector(s) for s in chain(root[0], fat, n_sectors))
    parts = [ministream[m * 64 : (m + 1) * 64] for m in chain(start, minifat, len(ministream) // 64)]
    return b"".join(parts)[:length]
