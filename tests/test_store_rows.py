"""The rows `Store.record` writes: a value's row binds only its non-NULL columns (one INSERT per
shape of row), so every combination of value kind and key shape is checked column by column."""

import datetime as dt
import decimal
import sqlite3

import pytest

from toolkit.fieldkeys import KeyParts, format_key, key_parts
from toolkit.returns.read import FieldValue
from toolkit.store import Store
from toolkit.store.db import encode

SHAPES = [  # keys with different parts present (skema, tilbud, nr, ydelse, kommune, linje, noegle, year)
    KeyParts("kommune", None, None, None, None, None, "kontaktperson", None),
    KeyParts("kommune", "T01", None, None, None, None, "forventning_tekst", None),
    KeyParts("kommune", "T01", None, "T01-Y1", None, None, "forventet_pladser", 2029),
    KeyParts("aarsrapport", None, None, "T00-Y0", None, None, "belaegning", 2025),
    KeyParts("udmelding", None, "7", None, "K101", "3", "pladser", None),
]
VALUES = [95, 0.75, -3.0, True, dt.date(2028, 3, 1), "Ja", "", None, decimal.Decimal("2.5")]
COLUMNS = ("felt", "vtype", "vtext", "vnum", "raw", "ark", "celle", *KeyParts._fields)


def _record(st: Store, file_hash: str, values: list[FieldValue]) -> int:
    return st.record(
        file_hash=file_hash,
        original_name=f"{file_hash}.xlsx",
        archive_name=f"{file_hash}.xlsx",
        received_at="2028-03-01T10:00:00",
        skema="kommune",
        aar=2028,
        respondent_id=file_hash,
        respondent_navn="R",
        version=1,
        status="gyldig",
        values=values,
        issues=[],
    ).id


def test_every_value_kind_under_every_key_shape_fills_exactly_its_columns(tmp_path):
    values = [
        FieldValue(format_key(shape._replace(noegle=f"{shape.noegle}{i}")), value, f"raw {i}", f"Ark {j}", f"B{i + 2}")
        for j, shape in enumerate(SHAPES)
        for i, value in enumerate(VALUES)
    ]
    with Store(tmp_path) as st:
        sid = _record(st, "a", values)
        other = _record(st, "b", values[:3])  # a second file's rows stay its own
        rows = {
            r["felt"]: tuple(r[c] for c in COLUMNS)
            for r in st.con.execute("SELECT * FROM vals WHERE submission_id = ?", (sid,))
        }
        assert st.con.execute("SELECT COUNT(*) FROM vals WHERE submission_id = ?", (other,)).fetchone()[0] == 3
    assert len(rows) == len(values)
    for v in values:
        assert rows[v.key] == (v.key, *encode(v.value), v.raw, v.sheet, v.cell, *key_parts(v.key)), v


def test_a_key_twice_in_one_file_stores_nothing_of_it(tmp_path):
    key = format_key(SHAPES[0])
    values = [FieldValue(key, 1, "1", "Ark", "B2"), FieldValue(key, "to", "to", "Ark", "B3")]
    with Store(tmp_path) as st:
        with pytest.raises(sqlite3.IntegrityError):
            _record(st, "a", values)
        assert st.con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0
        assert st.con.execute("SELECT COUNT(*) FROM vals").fetchone()[0] == 0
