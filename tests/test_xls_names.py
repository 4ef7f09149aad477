"""Defined names are read from .xls files (BIFF8) as from .xlsx and .ods: a form converted to .xls
by real LibreOffice keeps every field's name and cell, rows inserted above filled fields move the
answers and the names with them, and a deleted row reads as deleted. Broken .xls bytes never make
the names reader raise or hang."""

from __future__ import annotations

import random
import shutil
import struct
from pathlib import Path

import pytest

from tests.conftest import one_form_per_type
from toolkit.returns.read import read_return
from toolkit.returns.reader import _xlsx_names, open_workbook
from toolkit.returns.xls_names import xls_names

from lo_jobs import run_lo_edit

# --- a BIFF8 workbook built by hand, in a minimal compound file ------------------------------------


def _rec(rtype: int, body: bytes) -> bytes:
    return struct.pack("<HH", rtype, len(body)) + body


def _name(name: str, rgce: bytes, itab: int = 0, flags: int = 0) -> bytes:
    wide = any(ord(ch) > 255 for ch in name)
    text = name.encode("utf-16-le" if wide else "latin-1")
    head = struct.pack("<HBBHHHBBBB", flags, 0, len(name), len(rgce), 0, itab, 0, 0, 0, 0)
    return _rec(0x0018, head + bytes([1 if wide else 0]) + text + rgce)


def _ref3d(ixti: int, row: int, col: int, ptg: int = 0x3A) -> bytes:
    return struct.pack("<BHHH", ptg, ixti, row, col | 0xC000)


def _area3d(ixti: int, r1: int, r2: int, c1: int, c2: int, ptg: int = 0x3B) -> bytes:
    return struct.pack("<BHHHHH", ptg, ixti, r1, r2, c1, c2)


def _sheet(name: str) -> bytes:
    wide = any(ord(ch) > 255 for ch in name)
    text = name.encode("utf-16-le" if wide else "latin-1")
    return _rec(0x0085, struct.pack("<IBB", 0, 0, 0) + bytes([len(name), 1 if wide else 0]) + text)


def _workbook_stream() -> bytes:
    xti = [(0, 0, 0), (0, 1, 1), (0, 0xFFFE, 0xFFFE), (1, 0, 0)]  # last: the external book
    externsheet = struct.pack("<H", len(xti)) + b"".join(struct.pack("<HHH", *t) for t in xti)
    split = 2 + 6 * 2  # EXTERNSHEET continued in a CONTINUE record
    parts = [
        _rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)),
        _sheet("Belægning"),
        _sheet("Ydelser"),
        _rec(0x01AE, struct.pack("<H", 2) + b"\x01\x04"),
        _rec(0x01AE, struct.pack("<HH", 1, 3) + b"\x00abc"),
        _rec(0x0017, externsheet[:split]),
        _rec(0x003C, externsheet[split:]),
        _name("S_celle", _ref3d(0, 11, 2)),  # Belægning!C12
        _name("S_omraade_en_celle", _area3d(1, 4, 4, 27, 27)),  # Ydelser!AB5
        _name("S_omraade", _area3d(1, 4, 9, 2, 2)),  # a range: no cell
        _name("S_slettet", struct.pack("<BHHH", 0x3C, 0, 0, 0)),  # ptgRefErr3d
        _name("S_slettet_omraade", struct.pack("<BHHHHH", 0x7D, 0, 0, 0, 0, 0)),  # ptgAreaErr3d
        _name("S_arket_slettet", _ref3d(2, 3, 3)),
        _name("S_fremmed", _ref3d(3, 3, 3)),  # another workbook
        _name("S_formel", _ref3d(0, 1, 1) + b"\x1e\x01\x00\x03"),  # =Belægning!B2+1
        _name("S_lokal", _ref3d(0, 1, 1), itab=1),  # one sheet's name
        _name("\x06", _area3d(0, 0, 9, 0, 3), flags=0x20),  # Print_Area
        _name("S_ÆØÅ_Ω", _ref3d(0, 6, 1, ptg=0x5A)),  # not Latin-1: a UTF-16 name
        _rec(0x000A, b""),
    ]
    return b"".join(parts)


def _compound_file(stream_name: str, stream: bytes) -> bytes:
    """A version 3 compound file: FAT in sector 0, directory in sector 1, the stream from sector 2
    (at least 4096 bytes, so it lies in regular sectors)."""
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\0")
    n = len(stream) // 512
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + list(range(3, 2 + n)) + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
    header += struct.pack("<HHHHH6xI", 0x3E, 3, 0xFFFE, 9, 6, 0)
    header += struct.pack("<IIIIIIII", 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<109I", 0, *[0xFFFFFFFF] * 108)

    def entry(name: str, kind: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + b"\xff" * 12
            + b"\0" * 36
            + (struct.pack("<III", start, size, 0))
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0) + entry(stream_name, 2, 2, len(stream))
    directory = directory.ljust(512, b"\0")
    return header + struct.pack("<128I", *fat) + directory + stream


@pytest.fixture
def built_xls(tmp_path) -> Path:
    path = tmp_path / "bygget.xls"
    path.write_bytes(_compound_file("Workbook", _workbook_stream()))
    return path


def test_names_of_a_biff8_workbook_are_read_by_sheet_and_cell(built_xls):
    names, deleted = xls_names(built_xls)
    assert names == {
        "S_celle": ("Belægning", "C12"),
        "S_omraade_en_celle": ("Ydelser", "AB5"),
        "S_ÆØÅ_Ω": ("Belægning", "B7"),
    }
    assert deleted == {"S_slettet", "S_slettet_omraade", "S_arket_slettet"}


def test_a_biff5_book_stream_gives_no_names(tmp_path):
    stream = _workbook_stream().replace(struct.pack("<H", 0x0600), struct.pack("<H", 0x0500), 1)
    path = tmp_path / "biff5.xls"
    path.write_bytes(_compound_file("Book", stream))
    assert xls_names(path) == ({}, set())


def test_an_encrypted_workbook_gives_no_names(tmp_path):
    stream = _workbook_stream()
    bof_end = 4 + 16
    path = tmp_path / "kodeord.xls"
    path.write_bytes(
        _compound_file("Workbook", stream[:bof_end] + _rec(0x002F, b"\1\0" + b"\0" * 52) + stream[bof_end:])
    )
    assert xls_names(path) == ({}, set())


def test_truncated_or_mutated_xls_bytes_never_raise(built_xls, tmp_path):
    data = built_xls.read_bytes()
    rnd = random.Random(11)
    path = tmp_path / "skadet.xls"
    variants = [data[:n] for n in range(0, len(data), 97)]
    for _ in range(300):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 8)):
            pos = rnd.randrange(len(b))
            b[pos] = rnd.choice([0, 0xFF, 0xFE, rnd.randrange(256)])
        variants.append(bytes(b))
    variants.append(data[:512] + b"\xff" * (len(data) - 512))  # every sector number a marker
    for variant in variants:
        path.write_bytes(variant)
        names, deleted = xls_names(path)
        assert isinstance(names, dict) and isinstance(deleted, set)
        assert all(isinstance(s, str) and isinstance(c, str) for s, c in names.values())


def test_not_a_compound_file_gives_no_names(tmp_path):
    path = tmp_path / "tekst.xls"
    path.write_text("ikke et regneark", encoding="utf-8")
    assert xls_names(path) == ({}, set())
    assert xls_names(tmp_path / "findes_ikke.xls") == ({}, set())


# --- real LibreOffice: conversion, inserted and deleted rows ---------------------------------------


def _aarsrapport(forms_dir: Path) -> tuple[Path, dict[str, tuple[str, str]], list[str]]:
    """An aarsrapport form with at least three ydelser, its mapping and three belægning keys."""
    for path in sorted(forms_dir.glob("*_aarsrapport_*.xlsx")):
        raw = open_workbook(path)
        mapping = {k: (s, c) for k, s, c in raw.mapping}
        raw.close()
        keys = sorted(k for k in mapping if k.endswith(".belaegning.2025"))
        if len(keys) >= 3:
            return path, mapping, keys[:3]
    pytest.skip("intet årsrapportskema med tre ydelser i eksemplet")


def _row(cell: str) -> int:
    return int("".join(ch for ch in cell if ch.isdigit()))


@pytest.fixture(scope="session")
def xls_forms(forms_dir, tmp_path_factory) -> dict[str, Path]:
    """One form of each type converted to .xls, and an aarsrapport with answers typed, then rows
    inserted above / a row deleted, saved as .xls: all in one LibreOffice run."""
    out = tmp_path_factory.mktemp("xls_navne")
    (out / "ind").mkdir()
    for p in {*one_form_per_type(forms_dir), _aarsrapport(forms_dir)[0]}:  # LibreOffice's lock files stay here,
        shutil.copy(p, out / "ind" / p.name)  # not in the folder every xdist worker shares
    path, mapping, (k1, k2, k3) = _aarsrapport(out / "ind")
    sheet = mapping[k2][0]
    typed = [
        {"op": "type", "sheet": mapping[k][0], "cell": mapping[k][1], "text": t}
        for k, t in ((k1, "50"), (k2, "60"), (k3, "77"))
    ]
    jobs = {f"uroert_{p.stem}.xls": {"input": str(p), "edits": []} for p in one_form_per_type(out / "ind")}
    jobs["indsat.xls"] = {
        "input": str(path),
        "edits": typed + [{"op": "insert_row", "sheet": sheet, "row": _row(mapping[k2][1])}] * 2,
    }
    jobs["slettet.xls"] = {
        "input": str(path),
        "edits": typed + [{"op": "delete_row", "sheet": sheet, "row": _row(mapping[k2][1])}],
    }
    return run_lo_edit({name: {**job, "output": str(out / name), "format": "xls"} for name, job in jobs.items()}, out)


@pytest.mark.libreoffice
def test_every_field_name_survives_conversion_to_xls(xls_forms, forms_dir):
    for original in one_form_per_type(forms_dir):
        expected, _files, _deleted, _constants = _xlsx_names(original)
        fields = {n: loc for n, loc in expected.items() if n.startswith("S_")}
        assert len(fields) > 10
        names, deleted = xls_names(xls_forms[f"uroert_{original.stem}.xls"])
        assert {n: loc for n, loc in names.items() if n.startswith("S_")} == fields
        assert not deleted


@pytest.mark.libreoffice
def test_answers_moved_by_inserted_rows_are_read_from_their_new_cells(xls_forms, forms_dir, sd, defs):
    _path, mapping, (k1, k2, k3) = _aarsrapport(forms_dir)
    res = read_return(xls_forms["indsat.xls"], sd, defs)
    assert not res.refused
    values = {v.key: v.value for v in res.values}
    assert (values[k1], values[k2], values[k3]) == (50, 60, 77)
    for key in (k1, k2, k3):
        assert "mangler-obligatorisk" not in {i.code for i in res.issues if i.key == key}
    # every field below the inserted rows moved: one warning for the sheet, not one per field
    sheet = mapping[k2][0]
    moved = [i for i in res.issues if i.code == "navn-flyttet"]
    assert [i.sheet for i in moved] == [sheet]
    assert "felter står i andre celler" in moved[0].message and "kontrollér dem" in moved[0].message


@pytest.mark.libreoffice
def test_a_row_deleted_in_xls_is_reported_and_no_answer_moves(xls_forms, forms_dir, sd, defs):
    _path, _mapping, (k1, k2, k3) = _aarsrapport(forms_dir)
    res = read_return(xls_forms["slettet.xls"], sd, defs)
    values = {v.key: v.value for v in res.values}
    assert values[k1] == 50 and values[k3] == 77
    assert k2 not in values and 60 not in values.values()
    assert "felt-slettet" in {i.code for i in res.issues if i.key == k2}


@pytest.mark.libreoffice
def test_truncated_or_mutated_libreoffice_xls_never_raises(xls_forms, tmp_path):
    data = xls_forms["indsat.xls"].read_bytes()
    full, gone = xls_names(xls_forms["indsat.xls"])
    assert len(full) > 10
    rnd = random.Random(7)
    path = tmp_path / "skadet.xls"
    variants = [data[:n] for n in range(0, len(data), max(1, len(data) // 150))]
    for _ in range(200):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 16)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        variants.append(bytes(b))
    for variant in variants:
        path.write_bytes(variant)
        names, deleted = xls_names(path)
        assert len(names) + len(deleted) <= len(full) + len(gone) + 16  # nothing invented in bulk


def test_the_names_part_of_workbook_xml_is_found_in_linear_time_or_not_at_all():
    from toolkit.returns.reader import _names_part

    ok = (
        b'<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets>'
        b'<definedNames><definedName name="S_x">A!$B$2</definedName></definedNames></workbook>'
    )
    part = _names_part(ok)
    assert part is not None and part.startswith(b"<sheets>") and part.endswith(b"</definedNames>")
    names_first = (
        b'<workbook><definedNames><definedName name="S_x">A!$B$2</definedName></definedNames><sheets/></workbook>'
    )
    assert _names_part(names_first) is None  # read whole instead
    assert _names_part(b"<workbook><sheets/></workbook>") is None
    hostile = b"<workbook>" + b"<sheets/>" * 200_000 + b"</workbook>"  # quadratic search would not finish
    assert _names_part(hostile) is None
