"""SQLite store. Every write of one file's result is one transaction (crash-safe); a newer return
from the same respondent for the same form and year supersedes the older one, which is kept.

A value's field key is stored twice: as text (`felt`, for display, `skema ret` and export) and as
its structured parts (skema, tilbud_id, nr, ydelse_id, kommune_id, linje, noegle, felt_aar), parsed
once when the value is written. A store made before the parts existed gets them on open."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from toolkit.fieldkeys import KeyParts, key_parts
from toolkit.files import atomic_path
from toolkit.problems import Issue

DB_FILE = "skema.sqlite"
ARCHIVE_DIR = "arkiv"
SCHEMA_VERSION = 1  # PRAGMA user_version; 0: before the structured key columns
_KEY_TYPES = {"skema": "TEXT", "tilbud_id": "TEXT", "nr": "TEXT", "ydelse_id": "TEXT", "kommune_id": "TEXT",
              "linje": "TEXT", "noegle": "TEXT", "felt_aar": "INTEGER"}  # KeyParts, as columns
_KEY_COLUMNS = {"vals": KeyParts._fields, "corrections": KeyParts._fields[1:]}  # corrections has skema already


@dataclass(frozen=True)
class Submission:
    id: int
    file_hash: str
    original_name: str
    archive_name: str
    received_at: str
    skema: str | None
    aar: int | None
    respondent_id: str | None
    respondent_navn: str | None
    definition_version: int | None
    status: str
    current: int
    superseded_by: int | None


class StoredValue(NamedTuple):  # tens of thousands per consolidation: cheap to make
    """One current value: as stored, or as corrected with `skema ret`. `felt` is the text key; its
    parts are attributes (`tilbud_id`, `ydelse_id`, `noegle`, `felt_aar`, …: None where the key has
    no such part), so no consumer parses keys."""
    aar: int
    skema: str
    respondent_id: str
    felt: str
    value: Any
    raw: str
    kilde_fil: str
    ark: str
    celle: str
    modtaget: str
    rettet: bool
    tilbud_id: str | None
    nr: str | None
    ydelse_id: str | None
    kommune_id: str | None
    linje: str | None
    noegle: str
    felt_aar: int | None  # the year a column asks about (belaegning.2027), not the form year

    @property
    def scope(self) -> tuple[tuple[str, str], ...]:
        """The (kind, id) pairs of the key, in key order, e.g. (('tilbud', 'T01'), ('ydelse', 'T01-Y1'))."""
        ids = (("tilbud", self.tilbud_id), ("nr", self.nr), ("ydelse", self.ydelse_id),
               ("kommune", self.kommune_id), ("linje", self.linje))
        return tuple((kind, i) for kind, i in ids if i is not None)


def encode(value) -> tuple[str | None, str | None, float | None]:
    if value is None:
        return None, None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "tal", None, float(value)
    if isinstance(value, dt.date):
        return "dato", value.isoformat(), None
    return "tekst", str(value), None


def decode(vtype, vtext, vnum):
    if vtype == "tal":
        return int(vnum) if float(vnum).is_integer() else vnum
    if vtype == "dato":
        return dt.date.fromisoformat(vtext)
    return vtext


def _parts(felt: str, table: str) -> tuple:
    """The key's parts as the columns of `table` hold them (corrections has its own skema column)."""
    parts = tuple(key_parts(felt))
    return parts if table == "vals" else parts[1:]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Store:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.archive_dir = self.folder / ARCHIVE_DIR
        self.path = self.folder / DB_FILE
        self.con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self.con.row_factory = sqlite3.Row
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=NORMAL")
        self.con.execute("PRAGMA foreign_keys=ON")
        self.con.executescript((Path(__file__).parent / "schema.sql").read_text(encoding="utf-8"))
        if self.con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            self._migrate()

    def _migrate(self) -> None:
        """Bring a store from an earlier schema up to date, in one transaction: add the structured key
        columns and fill them from the text keys. Another process may have done it meanwhile."""
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                for table, columns in _KEY_COLUMNS.items():
                    have = {r["name"] for r in con.execute(f"PRAGMA table_info({table})")}
                    for c in columns:
                        if c not in have:
                            con.execute(f"ALTER TABLE {table} ADD COLUMN {c} {_KEY_TYPES[c]}")
                    rows = con.execute(f"SELECT rowid, felt FROM {table} WHERE noegle IS NULL").fetchall()
                    parts = [(*_parts(felt, table), rowid) for rowid, felt in rows]
                    con.executemany(f"UPDATE {table} SET " + ", ".join(f"{c} = ?" for c in columns)
                                    + " WHERE rowid = ?", parts)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    def close(self):
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- files ---------------------------------------------------------------------------------
    def archive(self, path: Path, file_hash: str) -> Path:
        """Copy the received file untouched into the archive (once per content)."""
        target = self.archive_dir / f"{file_hash}{Path(path).suffix.lower()}"
        if not target.exists():
            with atomic_path(target) as tmp:
                shutil.copyfile(path, tmp)
        return target

    def find_by_hash(self, file_hash: str) -> Submission | None:
        row = self.con.execute("SELECT * FROM submissions WHERE file_hash = ?", (file_hash,)).fetchone()
        return Submission(**row) if row else None

    # --- writing one result (one transaction) ---------------------------------------------------
    def record(self, *, file_hash: str, original_name: str, archive_name: str, received_at: str,
               skema: str | None, aar: int | None, respondent_id: str | None, respondent_navn: str | None,
               version: int | None, status: str, values: Iterable, issues: Iterable[Issue]) -> tuple[int, int | None]:
        """Store a read result. Returns (submission id, id of the submission it superseded)."""
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            if con.execute("SELECT 1 FROM submissions WHERE file_hash = ?", (file_hash,)).fetchone():
                con.execute("ROLLBACK")
                raise FileExistsError(file_hash)
            identified = status != "afvist" and respondent_id is not None
            previous = None
            if identified:
                previous = con.execute(
                    "SELECT id FROM submissions WHERE aar = ? AND skema = ? AND respondent_id = ? AND current = 1",
                    (aar, skema, respondent_id)).fetchone()
            cur = con.execute(
                "INSERT INTO submissions (file_hash, original_name, archive_name, received_at, skema, aar, "
                "respondent_id, respondent_navn, definition_version, status, current) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (file_hash, original_name, archive_name, received_at, skema, aar, respondent_id, respondent_navn,
                 version, status, 1 if identified else 0))
            sid = cur.lastrowid
            if previous:
                con.execute("UPDATE submissions SET current = 0, superseded_by = ? WHERE id = ?", (sid, previous["id"]))
            con.executemany(
                "INSERT INTO vals (submission_id, felt, vtype, vtext, vnum, raw, ark, celle, "
                + ", ".join(_KEY_COLUMNS["vals"]) + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(sid, v.key, *encode(v.value), v.raw, v.sheet, v.cell, *key_parts(v.key)) for v in values])
            con.executemany(
                "INSERT INTO issues (submission_id, file, respondent, skema, sheet, cell, felt, code, severity, message) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(sid, i.file, i.respondent, i.skema, i.sheet, i.cell, i.key, i.code, i.severity, i.message)
                 for i in issues])
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        return sid, (previous["id"] if previous else None)

    def correct(self, aar: int, skema: str, respondent_id: str, felt: str, value, raw: str, reason: str) -> None:
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            self.con.execute(
                "INSERT INTO corrections (aar, skema, respondent_id, felt, vtype, vtext, vnum, raw, reason, created_at, "
                + ", ".join(_KEY_COLUMNS["corrections"]) + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (aar, skema, respondent_id, felt, *encode(value), raw, reason,
                 dt.datetime.now().replace(microsecond=0).isoformat(), *_parts(felt, "corrections")))

    # --- reading --------------------------------------------------------------------------------
    def submissions(self, aar: int | None = None, current_only: bool = False) -> list[Submission]:
        sql, args = "SELECT * FROM submissions WHERE 1=1", []
        if aar is not None:
            sql += " AND (aar = ? OR aar IS NULL)"
            args.append(aar)
        if current_only:
            sql += " AND current = 1"
        return [Submission(**r) for r in self.con.execute(sql + " ORDER BY id", args)]

    def history(self, respondent_id: str) -> list[Submission]:
        return [Submission(**r) for r in self.con.execute(
            "SELECT * FROM submissions WHERE respondent_id = ? ORDER BY aar, skema, id", (respondent_id,))]

    def current_values(self, aar: int | None = None, skema: str | None = None) -> list[StoredValue]:
        conds, args = ["current = 1"], []
        if aar is not None:
            conds.append("aar = ?")
            args.append(aar)
        if skema is not None:
            conds.append("skema = ?")
            args.append(skema)
        cur = self.con.cursor()
        cur.row_factory = None  # plain tuples: this reads every value of the year
        own = not self.con.in_transaction
        if own:
            cur.execute("BEGIN")  # one snapshot for both reads, even while another run writes
        try:
            # the submission's columns are shared by all its values, so they are read once
            subs = {r[0]: r[1:] for r in cur.execute(
                "SELECT id, aar, skema, respondent_id, original_name, received_at FROM submissions WHERE "
                + " AND ".join(conds), args)}
            rows = cur.execute(
                "SELECT v.submission_id, v.felt, v.vtype, v.vtext, v.vnum, v.raw, v.ark, v.celle, v.tilbud_id, v.nr, "
                "v.ydelse_id, v.kommune_id, v.linje, v.noegle, v.felt_aar FROM vals v "
                "JOIN submissions s ON s.id = v.submission_id WHERE " + " AND ".join("s." + c for c in conds)
                + " ORDER BY v.submission_id, v.felt", args).fetchall()  # primary-key order: no sorting
        finally:
            if own:
                cur.execute("COMMIT")
        out = {}
        for sid, felt, vtype, vtext, vnum, raw, ark, celle, *parts in rows:
            s_aar, s_skema, rid, name, received = subs[sid]
            value = vtext if vtype not in ("tal", "dato") else decode(vtype, vtext, vnum)
            out[(s_aar, s_skema, rid, felt)] = StoredValue(s_aar, s_skema, rid, felt, value, raw, name, ark, celle,
                                                           received, False, *parts)
        csql = "SELECT * FROM corrections WHERE 1=1"
        if aar is not None:
            csql += f" AND aar = {int(aar)}"
        for c in self.con.execute(csql + " ORDER BY id"):
            if skema is not None and c["skema"] != skema:
                continue
            k = (c["aar"], c["skema"], c["respondent_id"], c["felt"])
            old = out.get(k)
            out[k] = StoredValue(c["aar"], c["skema"], c["respondent_id"], c["felt"],
                                 decode(c["vtype"], c["vtext"], c["vnum"]), c["raw"],
                                 f"rettelse: {c['reason']}", old.ark if old else "", old.celle if old else "",
                                 c["created_at"], True, *(c[col] for col in _KEY_COLUMNS["corrections"]))
        return list(out.values())

    def corrections(self, respondent_id: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM corrections"
        args = ()
        if respondent_id:
            sql += " WHERE respondent_id = ?"
            args = (respondent_id,)
        return list(self.con.execute(sql + " ORDER BY id", args))

    def issues(self, aar: int | None = None) -> list[sqlite3.Row]:
        """Issues of current submissions and of refused files."""
        sql = ("SELECT i.*, s.received_at, s.status FROM issues i JOIN submissions s ON s.id = i.submission_id "
               "WHERE (s.current = 1 OR s.status = 'afvist')")
        args = []
        if aar is not None:
            sql += " AND (s.aar = ? OR s.aar IS NULL)"
            args.append(aar)
        return list(self.con.execute(sql + " ORDER BY i.id", args))
