"""The store's cheaper per-file work keeps its answers: `vals` WITHOUT ROWID (and a store of schema 3
upgraded to it), the one-statement lookups of admit and record, and the archive write through the
temporary file's descriptor."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from toolkit.files import OutputError, write_bytes_atomic
from toolkit.problems import Issue
from toolkit.returns.read import FieldValue
from toolkit.store import Store
from toolkit.store.db import SCHEMA_VERSION
from toolkit.store.receive import Admitted, Known, Unfilled, admit, record

KEYS = [
    "kommune.kontaktperson",
    "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029",
    "kommune.tilbud.T01.ingen_brug",
]


def _record(st: Store, n: int, respondent: str | None = "K851", status: str = "gyldig", saved_at=None, issues=()):
    return st.record(
        file_hash=f"h{n}",
        original_name=f"f{n}.xlsx",
        archive_name=f"h{n}.xlsx",
        received_at=f"2028-03-0{n}T10:00:00",
        skema="kommune",
        aar=2028,
        respondent_id=respondent,
        respondent_navn="Aalborg",
        version=1,
        status=status,
        values=[FieldValue(KEYS[0], "Kontakt", "Kontakt", "Kontakt", "B6"), FieldValue(KEYS[1], n, str(n), "T", "C9")]
        + [FieldValue(KEYS[2], None, "?", "T", "D9")],
        issues=list(issues),
        saved_at=saved_at,
    )


def _vals_sql(con) -> str:
    return con.execute("SELECT sql FROM sqlite_master WHERE name = 'vals'").fetchone()[0]


# vals as schema 3 made it (toolkit/store/schema.sql before WITHOUT ROWID), verbatim
V3_VALS = """CREATE TABLE vals (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    felt TEXT NOT NULL,
    vtype TEXT,                    -- tal | dato | tekst | NULL (unreadable: only raw)
    vtext TEXT,
    vnum REAL,
    raw TEXT NOT NULL,
    ark TEXT NOT NULL,
    celle TEXT NOT NULL,
    -- the key's structured parts (toolkit.fieldkeys.KeyParts); felt stays the full text key
    skema TEXT, tilbud_id TEXT, nr TEXT, ydelse_id TEXT, kommune_id TEXT, linje TEXT, noegle TEXT, felt_aar INTEGER,
    PRIMARY KEY (submission_id, felt)
)"""


def _v3_store(folder: Path) -> list:
    """A store of schema 3: two answers (the second current) and a refused file; returns its current values."""
    with Store(folder) as st:
        _record(st, 1)
        _record(st, 2)
        _record(st, 3, respondent=None, status="afvist", issues=[Issue("ukendt-modtager", "Ukendt", file="f3.xlsx")])
        before = st.current_values(2028)
    con = sqlite3.connect(folder / "skema.sqlite")
    con.executescript(
        "PRAGMA foreign_keys=OFF; BEGIN; ALTER TABLE vals RENAME TO vals4; "
        + V3_VALS
        + "; INSERT INTO vals SELECT * FROM vals4; DROP TABLE vals4; PRAGMA user_version = 3; COMMIT;"
    )
    assert "WITHOUT ROWID" not in _vals_sql(con)
    con.close()
    return before


def test_store_from_schema_3_gets_vals_without_rowid_and_keeps_every_value(tmp_path):
    before = _v3_store(tmp_path)
    with Store(tmp_path) as st:
        assert st.con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "WITHOUT ROWID" in _vals_sql(st.con)
        assert st.current_values(2028) == before
        assert sorted((v.felt, v.value) for v in before) == sorted(
            [(KEYS[0], "Kontakt"), (KEYS[1], 2), (KEYS[2], None)]
        )
        assert st.con.execute("SELECT count(*) FROM vals").fetchone()[0] == 9
        assert not st.con.execute("PRAGMA foreign_key_check").fetchall()
        assert [i.issue.code for i in st.issues()] == ["ukendt-modtager"]
        done = _record(st, 4)  # and it takes new answers
        assert done.previous == 2 and done.current
        assert {v.value for v in st.current_values(2028) if v.felt == KEYS[1]} == {4}
        with pytest.raises(sqlite3.IntegrityError):  # the key is still the primary key
            st.con.execute(
                "INSERT INTO vals (submission_id, felt, raw, ark, celle) VALUES (4, ?, '', '', '')", (KEYS[0],)
            )
    with Store(tmp_path) as st:  # a second open has nothing to do
        assert len(st.current_values(2028)) == 3


def test_a_new_store_has_vals_without_rowid(tmp_path):
    with Store(tmp_path) as st:
        assert "WITHOUT ROWID" in _vals_sql(st.con)
        assert st.con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_record_refuses_bytes_another_run_stored_meanwhile_and_supersedes_refused_attempts(tmp_path):
    with Store(tmp_path) as st, Store(tmp_path) as other:
        refused = st.record(
            file_hash="same",
            original_name="a.xlsx",
            archive_name="same.xlsx",
            received_at="2028-03-01T10:00:00",
            skema=None,
            aar=None,
            respondent_id=None,
            respondent_navn=None,
            version=None,
            status="afvist",
            values=[],
            issues=[Issue("ukendt-modtager", "Ukendt modtager", file="a.xlsx")],
        )
        kwargs = dict(
            file_hash="same",
            original_name="a.xlsx",
            archive_name="same.xlsx",
            received_at="2028-03-02T10:00:00",
            skema="kommune",
            aar=2028,
            respondent_id="K851",
            respondent_navn="Aalborg",
            version=1,
            status="gyldig",
            values=[FieldValue(KEYS[1], 7, "7", "T", "C9")],
            issues=[],
        )
        good = other.record(**kwargs)  # the fixed file, stored by another run
        assert st.submission(refused.id).superseded_by == good.id
        assert st.issues() == []  # the refusal is history now
        with pytest.raises(FileExistsError):
            st.record(**kwargs)
        assert st.con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 2
        assert not st.con.in_transaction


def test_admit_tells_new_known_refused_and_unfilled_bytes_apart(tmp_path):
    inbox = tmp_path / "ind"
    inbox.mkdir()
    new, sent, refused = (inbox / n for n in ("ny.xlsx", "udsendt.xlsx", "afvist.xlsx"))
    new.write_bytes(b"PK ny")
    sent.write_bytes(b"PK udsendt")
    refused.write_bytes(b"PK afvist")
    with Store(tmp_path / "w") as st:
        st.record_sent([(sent, "kommune", 2028, "K851", "Aalborg")])
        assert isinstance(got := admit(st, sent), Unfilled) and got.sent.respondent_id == "K851"
        got = admit(st, refused)
        assert isinstance(got, Admitted) and got.refused_before is None
        record(
            st,
            got,
            skema=None,
            aar=None,
            respondent_id=None,
            respondent_navn=None,
            version=None,
            status="afvist",
            refused=True,
            valid=False,
            values=[],
            issues=[Issue("ukendt-modtager", "Ukendt modtager", file="afvist.xlsx")],
        )
        again = admit(st, refused)
        assert isinstance(again, Admitted) and again.refused_before is not None
        assert again.refusal == ("Ukendt modtager",)
        got = admit(st, new)
        assert isinstance(got, Admitted) and got.archived.read_bytes() == b"PK ny"
        record(
            st,
            got,
            skema="kommune",
            aar=2028,
            respondent_id="K851",
            respondent_navn="Aalborg",
            version=1,
            status="gyldig",
            refused=False,
            valid=True,
            values=[FieldValue(KEYS[1], 3, "3", "T", "C9")],
            issues=[],
        )
        known = admit(st, new)
        assert isinstance(known, Known) and known.earlier is not None and known.earlier.original_name == "ny.xlsx"


def test_write_bytes_atomic_makes_a_missing_folder_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "a" / "b" / "x.bin"
    write_bytes_atomic(target, b"first")
    write_bytes_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["x.bin"]


def test_write_bytes_atomic_where_a_file_blocks_the_folder_gives_the_danish_error(tmp_path):
    (tmp_path / "a").write_bytes(b"a file, not a folder")
    with pytest.raises(OutputError, match="kunne ikke skrives"):
        write_bytes_atomic(tmp_path / "a" / "x.bin", b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
