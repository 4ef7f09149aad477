"""Ingest into the store: archive, idempotence, supersede with history, corrections, export."""

import datetime as dt
import json
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from toolkit.fieldkeys import KINDS, KeyParts, format_key
from toolkit.problems import UsageError
from toolkit.returns.corrections import correct_value
from toolkit.returns.ingest import ingest
from toolkit.returns.read import FieldValue
from toolkit.store import Store
from toolkit.store.db import SCHEMA_VERSION, sha256_file
from toolkit.store.export import export, to_csv

from conftest import EVEN_YEAR
from fill import fill_form


@pytest.fixture
def returns(forms_dir, tmp_path):
    """Two filled kommune forms and one årsrapport in an 'inbox'."""
    inbox = tmp_path / "indbakke"
    inbox.mkdir()
    k = sorted(forms_dir.glob("*_kommune_aalborg*.xlsx"))[0]
    fill_form(
        k,
        {
            "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": 3.5,
            "kommune.tilbud.T01.forventning_tekst": "Stabilt",
        },
        inbox / k.name,
    )
    a = sorted(forms_dir.glob("*_aarsrapport_center_for_tale*.xlsx"))[0]
    fill_form(a, {"aarsrapport.bekymring": "Nej"}, inbox / a.name)
    (inbox / "~$laast.xlsx").write_bytes(b"lock")
    (inbox / "foelgebrev.pdf").write_bytes(b"%PDF-1.4")
    return inbox


def test_ingest_archives_originals_untouched_and_is_idempotent(returns, sd, defs, tmp_path):
    with Store(tmp_path / "w") as st:
        r1 = ingest([returns], st, sd, defs)
        assert r1.count("ny") == 2 and r1.count("sprunget over") == 2
        skipped = {i.file.name: i.issues[0].code for i in r1.items if i.status == "sprunget over"}
        assert skipped == {"~$laast.xlsx": "laasefil", "foelgebrev.pdf": "ikke-regneark"}
        for f in returns.glob("2028_*.xlsx"):
            archived = tmp_path / "w" / "arkiv" / f"{sha256_file(f)}.xlsx"
            assert archived.read_bytes() == f.read_bytes()
        n_values = len(st.current_values())
        r2 = ingest([returns], st, sd, defs)
        assert r2.count("allerede indlæst") == 2 and r2.count("ny") == 0
        assert len(st.current_values()) == n_values and len(st.submissions()) == 2


def test_newer_return_supersedes_and_history_keeps_the_old(returns, forms_dir, sd, defs, tmp_path):
    with Store(tmp_path / "w") as st:
        ingest([returns], st, sd, defs)
        k = sorted(forms_dir.glob("*_kommune_aalborg*.xlsx"))[0]
        v2 = fill_form(k, {"kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": 5}, tmp_path / "v2.xlsx")
        r = ingest([v2], st, sd, defs)
        assert [i.status for i in r.items] == ["erstatter"]
        cur = {v.felt: v.value for v in st.current_values(EVEN_YEAR, "kommune")}
        assert cur["kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029"] == 5
        assert "kommune.tilbud.T01.forventning_tekst" not in cur  # the new file is the whole answer
        hist = st.history("K851")
        assert [h.current for h in hist] == [0, 1] and hist[0].superseded_by == hist[1].id


def test_correction_is_validated_stored_with_reason_and_keeps_the_original(returns, sd, defs, tmp_path):
    key = "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029"
    with Store(tmp_path / "w") as st:
        ingest([returns], st, sd, defs)
        assert correct_value(st, sd, defs, EVEN_YEAR, "K851", key, "4,5", "Telefon med Anne 3/3") == 4.5
        cur = {v.felt: v for v in st.current_values(EVEN_YEAR)}
        assert cur[key].value == 4.5 and cur[key].rettet and "Telefon med Anne" in cur[key].kilde_fil
        raw_vals = st.con.execute("SELECT vnum FROM vals WHERE felt = ?", (key,)).fetchall()
        assert [r[0] for r in raw_vals] == [3.5]  # the original is kept
        with pytest.raises(UsageError, match="kan ikke bruges"):
            correct_value(st, sd, defs, EVEN_YEAR, "K851", key, "mange", "x")
        with pytest.raises(UsageError, match="findes ikke"):
            correct_value(st, sd, defs, EVEN_YEAR, "K851", "kommune.tilbud.T01.nope", "1", "x")


def test_export_long_format_json_and_csv(returns, sd, defs, tmp_path):
    with Store(tmp_path / "w") as st:
        ingest([returns], st, sd, defs)
        rows = json.loads(export(st.current_values(), "json", tmp_path / "e.json"))
    row = next(r for r in rows if r["felt"] == "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029")
    assert row["vaerdi"] == 3.5 and row["tilbud_id"] == "T01" and row["ydelse_id"] == "T01-Y1"
    assert row["kilde_fil"].startswith("2028_kommune_aalborg") and row["ark"] == "Tilbud" and row["celle"]
    assert set(row) == {
        "aar",
        "skema",
        "respondent_id",
        "tilbud_id",
        "ydelse_id",
        "felt",
        "vaerdi",
        "raa_vaerdi",
        "kilde_fil",
        "ark",
        "celle",
        "modtaget",
    }
    a = next(r for r in rows if r["skema"] == "aarsrapport")
    assert a["tilbud_id"] == "T01"  # the årsrapport is per tilbud


@pytest.mark.parametrize(
    "text", ["=1+1", "+45 12", "-3 pladser", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']
)
def test_csv_export_defuses_formula_prefixes(text):
    from types import SimpleNamespace as NS

    v = NS(
        aar=2028,
        skema="kommune",
        respondent_id="K1",
        felt="kommune.x",
        value=text,
        raw=text,
        kilde_fil="f.xlsx",
        ark="A",
        celle="B2",
        modtaget="2028-01-01",
        tilbud_id=None,
        ydelse_id=None,
    )
    import csv
    import io

    from toolkit.store.export import export_rows

    rows = list(csv.DictReader(io.StringIO(to_csv(export_rows([v])).decode("utf-8-sig"), newline="")))
    assert rows[0]["vaerdi"] == "'" + text and rows[0]["raa_vaerdi"] == "'" + text


def test_next_years_aarsrapport_is_prefilled_from_history(forms_dir, sd, defs, tmp_path):
    """Belægning reported for 2026 and 2027 in the 2028 årsrapport prefills those columns in 2029."""
    import openpyxl

    from toolkit.forms.generate import generate_forms, history_prefill

    a = sorted(forms_dir.glob("*_aarsrapport_center_for_tale*.xlsx"))[0]
    (tmp_path / "in").mkdir()
    fill_form(
        a,
        {
            "aarsrapport.ydelse.T01-Y1.belaegning.2026": 91.5,
            "aarsrapport.ydelse.T01-Y1.belaegning.2027": 93,
            "aarsrapport.ydelse.T01-Y1.venteliste": 4,
        },
        tmp_path / "in" / a.name,
    )
    with Store(tmp_path / "w") as st:
        ingest([tmp_path / "in"], st, sd, defs)
        forms, _ = generate_forms(sd, 2029, tmp_path / "2029", ["aarsrapport"], prefill=history_prefill(st, 2029))
    path = next(f.path for f in forms if f.modtager_id == "T01")
    wb = openpyxl.load_workbook(path)

    def cell(name):
        ((s, r),) = list(wb.defined_names[name].destinations)
        return wb[s][r.replace("$", "")].value

    assert cell("S_aarsrapport_ydelse_T01_Y1_belaegning_2026") == 91.5
    assert cell("S_aarsrapport_ydelse_T01_Y1_belaegning_2027") == 93
    assert cell("S_aarsrapport_ydelse_T01_Y1_belaegning_2028") is None  # not reported yet
    assert cell("S_aarsrapport_ydelse_T01_Y1_venteliste") is None  # status fields are not carried over


# --- structured field keys ------------------------------------------------------------------------


_ids = hs.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8)
_noegler = hs.from_regex(r"[a-z][a-z0-9_]{0,14}", fullmatch=True).filter(lambda n: n not in KINDS)
key_parts_strategy = hs.builds(
    KeyParts,
    skema=hs.sampled_from(["indmelding", "udmelding", "aarsrapport", "kommune"]),
    tilbud_id=hs.none() | _ids,
    nr=hs.none() | hs.integers(1, 20).map(str),
    ydelse_id=hs.none() | _ids,
    kommune_id=hs.none() | _ids,
    linje=hs.none() | hs.integers(1, 50).map(str),
    noegle=_noegler,
    felt_aar=hs.none() | hs.integers(1990, 2100),
)


def _record(st: Store, keys, n: int = 0, respondent: str = "R1", aar: int = 2028, skema: str = "kommune"):
    return st.record(
        file_hash=f"h{n}",
        original_name=f"f{n}.xlsx",
        archive_name=f"h{n}.xlsx",
        received_at=f"2028-03-0{n % 9 + 1}T10:00:00",
        skema=skema,
        aar=aar,
        respondent_id=respondent,
        respondent_navn="R",
        version=1,
        status="gyldig",
        values=[FieldValue(k, i, str(i), "Ark", f"B{i + 2}") for i, k in enumerate(keys)],
        issues=[],
    )


@settings(max_examples=60, deadline=None)
@given(hs.lists(key_parts_strategy, min_size=1, max_size=6, unique_by=format_key))
def test_structured_columns_reconstruct_the_text_key(parts):
    keys = [format_key(p) for p in parts]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp)) as st:
        _record(st, keys)
        stored = {v.felt: v for v in st.current_values()}
        columns = {r["felt"]: r for r in st.con.execute("SELECT * FROM vals")}
    assert sorted(stored) == sorted(keys)
    for p, key in zip(parts, keys, strict=True):
        v = stored[key]
        as_columns = KeyParts(*(columns[key][c] for c in KeyParts._fields))
        assert as_columns == p and format_key(as_columns) == key
        assert (v.tilbud_id, v.nr, v.ydelse_id, v.kommune_id, v.linje, v.noegle, v.felt_aar) == tuple(p)[1:]


def test_every_value_type_is_stored_and_read_back_as_it_was_read(tmp_path):
    """Numbers (the common case, stored on a fast path), booleans, dates, text and an unreadable
    value (None, only raw) come back from the store with their type."""
    read = {
        "kommune.a": 95,
        "kommune.b": 0.75,
        "kommune.c": -3.0,
        "kommune.d": True,
        "kommune.e": dt.date(2028, 3, 1),
        "kommune.f": "Ja",
        "kommune.g": None,
    }
    with Store(tmp_path) as st:
        st.record(
            file_hash="h",
            original_name="f.xlsx",
            archive_name="h.xlsx",
            received_at="2028-03-01T10:00:00",
            skema="kommune",
            aar=2028,
            respondent_id="R1",
            respondent_navn="R",
            version=1,
            status="gyldig",
            values=[FieldValue(k, v, str(v), "Ark", "B2") for k, v in read.items()],
            issues=[],
        )
        stored = {v.felt: v.value for v in st.current_values()}
        vtypes = dict(st.con.execute("SELECT felt, vtype FROM vals").fetchall())
    assert stored == {**read, "kommune.c": -3, "kommune.d": "True"}  # a boolean is no number
    assert type(stored["kommune.a"]) is int and type(stored["kommune.b"]) is float
    assert vtypes == {
        "kommune.a": "tal",
        "kommune.b": "tal",
        "kommune.c": "tal",
        "kommune.d": "tekst",
        "kommune.e": "dato",
        "kommune.f": "tekst",
        "kommune.g": None,
    }


def test_correction_carries_the_structured_key(tmp_path):
    key = "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029"
    with Store(tmp_path) as st:
        _record(st, [key], respondent="K851")
        st.correct(2028, "kommune", "K851", key, 4.5, "4,5", "Telefon")
        (v,) = st.current_values()
    assert v.rettet and v.value == 4.5
    assert (v.tilbud_id, v.ydelse_id, v.noegle, v.felt_aar, v.nr, v.kommune_id) == (
        "T01",
        "T01-Y1",
        "forventet_pladser",
        2029,
        None,
        None,
    )
    assert v.scope == (("tilbud", "T01"), ("ydelse", "T01-Y1"))


# The schema before the structured key columns (toolkit/store/schema.sql at commit 28c11c4), verbatim.
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    file_hash TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    archive_name TEXT NOT NULL,
    received_at TEXT NOT NULL,
    skema TEXT,
    aar INTEGER,
    respondent_id TEXT,
    respondent_navn TEXT,
    definition_version INTEGER,
    status TEXT NOT NULL,          -- gyldig | fejl | afvist
    current INTEGER NOT NULL DEFAULT 0,
    superseded_by INTEGER REFERENCES submissions(id)
);
CREATE INDEX IF NOT EXISTS submissions_current ON submissions(aar, skema, respondent_id, current);

CREATE TABLE IF NOT EXISTS vals (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    felt TEXT NOT NULL,
    vtype TEXT,                    -- tal | dato | tekst | NULL (unreadable: only raw)
    vtext TEXT,
    vnum REAL,
    raw TEXT NOT NULL,
    ark TEXT NOT NULL,
    celle TEXT NOT NULL,
    PRIMARY KEY (submission_id, felt)
);

CREATE TABLE IF NOT EXISTS issues (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER REFERENCES submissions(id),
    file TEXT, respondent TEXT, skema TEXT, sheet TEXT, cell TEXT, felt TEXT,
    code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    aar INTEGER NOT NULL, skema TEXT NOT NULL, respondent_id TEXT NOT NULL, felt TEXT NOT NULL,
    vtype TEXT, vtext TEXT, vnum REAL, raw TEXT NOT NULL,
    reason TEXT NOT NULL, created_at TEXT NOT NULL
);
"""
OLD_KEYS = [
    "aarsrapport.ydelse.T01-Y1.belaegning.2027",
    "aarsrapport.bekymring",
    "indmelding.nr.2.linje.3.pladser",
    "kommune.tilbud.T03.ydelse.T03-Y2.forventet_pladser.2029",
]


def _old_store(folder: Path) -> None:
    """A skema.sqlite as the previous release wrote it: a submission per form, its values, one correction."""
    folder.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(folder / "skema.sqlite")
    con.executescript(OLD_SCHEMA)
    forms = sorted({k.split(".")[0] for k in OLD_KEYS})
    for sid, skema in enumerate(forms, start=1):
        con.execute(
            "INSERT INTO submissions (id, file_hash, original_name, archive_name, received_at, skema, aar, "
            "respondent_id, respondent_navn, definition_version, status, current) "
            "VALUES (?, ?, 'f.xlsx', 'h.xlsx', '2028-03-01T10:00:00', ?, 2028, ?, 'T', 1, 'gyldig', 1)",
            (sid, f"h{sid}", skema, "T01" if skema == "aarsrapport" else f"R{sid}"),
        )
    con.executemany(
        "INSERT INTO vals (submission_id, felt, vtype, vtext, vnum, raw, ark, celle) "
        "VALUES (?, ?, 'tal', NULL, ?, ?, 'Ark', 'B2')",
        [(forms.index(k.split(".")[0]) + 1, k, i, str(i)) for i, k in enumerate(OLD_KEYS)],
    )
    con.execute(
        "INSERT INTO corrections (aar, skema, respondent_id, felt, vtype, vnum, raw, reason, created_at) "
        "VALUES (2028, 'aarsrapport', 'T01', 'aarsrapport.ydelse.T01-Y1.belaegning.2027', 'tal', 97, '97', "
        "'Telefon', '2028-03-02T09:00:00')"
    )
    con.commit()
    con.close()


def test_store_from_the_previous_schema_opens_with_the_key_parts_filled_in(tmp_path):
    _old_store(tmp_path)
    with Store(tmp_path) as st:
        assert st.con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        values = {v.felt: v for v in st.current_values(2028)}
        assert sorted(values) == sorted(OLD_KEYS)
        for key, v in values.items():
            assert (
                format_key(
                    KeyParts(v.skema, v.tilbud_id, v.nr, v.ydelse_id, v.kommune_id, v.linje, v.noegle, v.felt_aar)
                )
                == key
            )
        bel = values["aarsrapport.ydelse.T01-Y1.belaegning.2027"]
        assert (bel.value, bel.rettet, bel.ydelse_id, bel.noegle, bel.felt_aar) == (
            97,
            True,
            "T01-Y1",
            "belaegning",
            2027,
        )
        assert (values["indmelding.nr.2.linje.3.pladser"].nr, values["indmelding.nr.2.linje.3.pladser"].linje) == (
            "2",
            "3",
        )
        _record(st, ["aarsrapport.ydelse.T02-Y1.venteliste"], n=5, respondent="T02", skema="aarsrapport")
        new = next(v for v in st.current_values(2028) if v.respondent_id == "T02")
        assert (new.ydelse_id, new.noegle, new.felt_aar) == ("T02-Y1", "venteliste", None)
    with Store(tmp_path) as st:  # a second open has nothing to do and changes nothing
        assert len(st.current_values(2028)) == len(OLD_KEYS) + 1


def test_a_failed_migration_leaves_the_old_store_as_it_was(tmp_path, monkeypatch):
    import toolkit.store.db as db

    _old_store(tmp_path)
    calls = []

    def failing(felt):
        calls.append(felt)
        if len(calls) == 3:
            raise RuntimeError("afbrudt midt i opdateringen")
        return real(felt)

    real = db.key_parts
    monkeypatch.setattr(db, "key_parts", failing)
    with pytest.raises(RuntimeError, match="afbrudt"):
        Store(tmp_path)
    monkeypatch.undo()
    con = sqlite3.connect(tmp_path / "skema.sqlite")
    assert con.execute("PRAGMA user_version").fetchone()[0] == 0
    assert "noegle" not in {r[1] for r in con.execute("PRAGMA table_info(vals)")}
    con.close()
    with Store(tmp_path) as st:  # and the next open migrates it
        assert {v.noegle for v in st.current_values()} == {"belaegning", "bekymring", "pladser", "forventet_pladser"}


# The schema of user_version 1 (toolkit/store/schema.sql at commit c4656cc), verbatim: file_hash UNIQUE, no saved_at.
V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    file_hash TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    archive_name TEXT NOT NULL,
    received_at TEXT NOT NULL,
    skema TEXT,
    aar INTEGER,
    respondent_id TEXT,
    respondent_navn TEXT,
    definition_version INTEGER,
    status TEXT NOT NULL,          -- gyldig | fejl | afvist
    current INTEGER NOT NULL DEFAULT 0,
    superseded_by INTEGER REFERENCES submissions(id)
);
CREATE INDEX IF NOT EXISTS submissions_current ON submissions(aar, skema, respondent_id, current);

CREATE TABLE IF NOT EXISTS vals (
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
);

CREATE TABLE IF NOT EXISTS issues (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER REFERENCES submissions(id),
    file TEXT, respondent TEXT, skema TEXT, sheet TEXT, cell TEXT, felt TEXT,
    code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    aar INTEGER NOT NULL, skema TEXT NOT NULL, respondent_id TEXT NOT NULL, felt TEXT NOT NULL,
    vtype TEXT, vtext TEXT, vnum REAL, raw TEXT NOT NULL,
    reason TEXT NOT NULL, created_at TEXT NOT NULL,
    tilbud_id TEXT, nr TEXT, ydelse_id TEXT, kommune_id TEXT, linje TEXT, noegle TEXT, felt_aar INTEGER
);
"""


def _v1_store(folder: Path) -> None:
    """A skema.sqlite as the release with structured keys wrote it: an answer that replaced an
    earlier one, a refused file with its issue, values and a correction."""
    folder.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(folder / "skema.sqlite")
    con.executescript(V1_SCHEMA)
    sub = (
        "INSERT INTO submissions (id, file_hash, original_name, archive_name, received_at, skema, aar, respondent_id, "
        "respondent_navn, definition_version, status, current, superseded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    con.execute(
        sub,
        (1, "h1", "v1.xlsx", "h1.xlsx", "2028-03-01T10:00:00", "kommune", 2028, "K851", "Aalborg", 1, "gyldig", 0, 2),
    )
    con.execute(
        sub,
        (
            2,
            "h2",
            "v2.xlsx",
            "h2.xlsx",
            "2028-03-02T10:00:00",
            "kommune",
            2028,
            "K851",
            "Aalborg",
            1,
            "gyldig",
            1,
            None,
        ),
    )
    con.execute(
        sub, (3, "h3", "x.xlsx", "h3.xlsx", "2028-03-03T10:00:00", None, None, None, None, None, "afvist", 0, None)
    )
    key = "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029"
    for sid, n in ((1, 3), (2, 5)):
        con.execute(
            "INSERT INTO vals (submission_id, felt, vtype, vnum, raw, ark, celle, skema, tilbud_id, ydelse_id, "
            "noegle, felt_aar) VALUES (?, ?, 'tal', ?, ?, 'Tilbud', 'C12', 'kommune', 'T01', 'T01-Y1', "
            "'forventet_pladser', 2029)",
            (sid, key, n, str(n)),
        )
    con.execute(
        "INSERT INTO issues (submission_id, file, code, severity, message) VALUES "
        "(3, 'x.xlsx', 'ukendt-modtager', 'fejl', 'Ukendt modtager')"
    )
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()


def test_store_from_schema_1_opens_keeps_everything_and_lets_a_refused_file_be_read_again(tmp_path):
    _v1_store(tmp_path)
    with Store(tmp_path) as st:
        assert st.con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        subs = st.submissions()
        assert [(s.id, s.original_name, s.current, s.superseded_by, s.saved_at) for s in subs] == [
            (1, "v1.xlsx", 0, 2, None),
            (2, "v2.xlsx", 1, None, None),
            (3, "x.xlsx", 0, None, None),
        ]
        (v,) = st.current_values(2028)
        assert (v.value, v.kilde_fil, v.ydelse_id) == (5, "v2.xlsx", "T01-Y1")
        assert [i.issue.code for i in st.issues()] == ["ukendt-modtager"]
        assert not st.con.execute("PRAGMA foreign_key_check").fetchall()
        assert st.con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        indexes = {r[0] for r in st.con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"submissions_current", "submissions_hash"} <= indexes
        assert st.find_by_hash("h3").refused and st.find_by_hash("h2").current
        # the refused bytes may be recorded again; the stored ones may not
        again = st.record(
            file_hash="h3",
            original_name="x.xlsx",
            archive_name="h3.xlsx",
            received_at="2028-03-04T10:00:00",
            skema="kommune",
            aar=2028,
            respondent_id="K852",
            respondent_navn="B",
            version=1,
            status="gyldig",
            values=[],
            issues=[],
            saved_at="2028-03-04T09:00:00.000000Z",
        )
        assert again.current and again.previous is None
        assert st.submission(3).superseded_by == again.id and not st.issues()
        with pytest.raises(FileExistsError):
            _record(st, [], n=2, respondent="K851")
        # an answer with a known save time replaces one received before save times were kept
        later = st.record(
            file_hash="h9",
            original_name="v3.xlsx",
            archive_name="h9.xlsx",
            received_at="2028-03-05T10:00:00",
            skema="kommune",
            aar=2028,
            respondent_id="K851",
            respondent_navn="Aalborg",
            version=1,
            status="gyldig",
            values=[],
            issues=[],
            saved_at="2028-01-01T00:00:00.000000Z",
        )
        assert later.current and later.previous == 2
    with Store(tmp_path) as st:  # a second open changes nothing
        assert len(st.submissions()) == 5
