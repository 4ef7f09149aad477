"""SQLite store. Every write of one file's result is one transaction (crash-safe). Of the returns
from one respondent to one form for one year, the one the respondent saved last is current (ties:
the one received last); the others are kept as history. A refused file may be received again (after
a fix in stamdata, say) and is then read again. The forms as sent out are recorded too, so a returned
file identical to one of them is recognised as not filled in.

A value's field key is stored twice: as text (`felt`, for display, `skema ret` and export) and as
its structured parts (skema, tilbud_id, nr, ydelse_id, kommune_id, linje, noegle, felt_aar), parsed
once when the value is written. A store made before the parts existed gets them on open."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from toolkit.fieldkeys import KeyParts, key_parts
from toolkit.files import TMP_PREFIX, atomic_path, write_bytes_atomic
from toolkit.problems import Issue

DB_FILE = "skema.sqlite"
ARCHIVE_DIR = "arkiv"
SCHEMA_VERSION = 4  # PRAGMA user_version; 0: before the structured key columns; 1: file_hash unique, no saved_at;
# 2: no mails, sent_mails or submissions.mail_id; 3: vals with a rowid
_KEY_TYPES = {
    "skema": "TEXT",
    "tilbud_id": "TEXT",
    "nr": "TEXT",
    "ydelse_id": "TEXT",
    "kommune_id": "TEXT",
    "linje": "TEXT",
    "noegle": "TEXT",
    "felt_aar": "INTEGER",
}  # KeyParts, as columns
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
    saved_at: str | None = None  # when the respondent last saved the file (UTC, sortable text); None: not known
    mail_id: int | None = None  # the saved mail it was attached to (Store.mail); None: saved by hand

    @property
    def refused(self) -> bool:
        return self.status == "afvist"


class ReceivedIssue(NamedTuple):
    """A stored problem and when its file was received."""

    issue: Issue
    received_at: str


class Recorded(NamedTuple):
    """What `Store.record` did: the new submission's id, the id of the current answer it was
    compared with (None: the first answer), and whether the new one is current now."""

    id: int
    previous: int | None
    current: bool


@dataclass(frozen=True)
class SentForm:
    file_hash: str
    skema: str
    aar: int
    respondent_id: str
    respondent_navn: str
    file_name: str
    created_at: str


@dataclass(frozen=True)
class ReceivedMail:
    """A saved mail that returns were read from; the file itself is in the archive."""

    id: int
    file_hash: str
    original_name: str
    archive_name: str
    sender: str
    subject: str
    sent_at: str | None
    received_at: str


@dataclass(frozen=True)
class SentMail:
    """A mail sent by SMTP: its Message-ID, to whom, which forms, when."""

    message_id: str
    aar: int
    kind: str  # udsendelse | rykker
    recipient: str
    forms: tuple[str, ...]
    subject: str
    sent_at: str


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
        ids = (
            ("tilbud", self.tilbud_id),
            ("nr", self.nr),
            ("ydelse", self.ydelse_id),
            ("kommune", self.kommune_id),
            ("linje", self.linje),
        )
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


# Writing values. Binding None to a statement costs the sqlite3 module several times what a number
# or text costs, and most of a value's 16 columns are NULL (the key parts it lacks, vtext of a
# number, vnum of a text). So a value's row binds only its non-NULL columns: rows are grouped by
# which columns they have (a "shape": the key's parts present, and the value's kind), one INSERT per
# shape, the others left to their default NULL.
_NONE, _NUM, _TEXT = 0, 1, 2  # the value's kind: no value (only raw), a number (vnum), text or date (vtext)
_VALUE_COLUMNS = {_NONE: (), _NUM: ("vtype", "vnum"), _TEXT: ("vtype", "vtext")}


@lru_cache(maxsize=1 << 17)
def _present_parts(key: str) -> tuple[int, tuple]:
    """(the key's shape: a bit per KeyParts field it has, from bit 2 on; those parts' values in field
    order). The same keys recur in every respondent's return of a form: parsed once per key."""
    parts = key_parts(key)
    mask = sum(1 << i for i, p in enumerate(parts) if p is not None)
    return mask << 2, tuple(p for p in parts if p is not None)


@lru_cache(maxsize=1 << 10)
def _vals_insert(shape: int) -> str:
    """The INSERT of a value row of `shape` (key parts present << 2 | value kind): submission_id,
    felt, raw, ark, celle, the kind's value columns, the present key parts, in that order."""
    mask, kind = shape >> 2, shape & 3
    parts = [c for i, c in enumerate(KeyParts._fields) if mask >> i & 1]
    columns = ["submission_id", "felt", "raw", "ark", "celle", *_VALUE_COLUMNS[kind], *parts]
    return f"INSERT INTO vals ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _value_rows(sid: int, values: Iterable) -> dict[int, list[tuple]]:
    """The rows of `values` (FieldValue-like: key, value, raw, sheet, cell) by shape, for `_vals_insert`."""
    shapes: dict[int, list[tuple]] = {}
    row: tuple
    for v in values:
        key, value = v.key, v.value
        shape, parts = _present_parts(key)
        cls = value.__class__
        if cls is float or cls is int:  # most of a return first
            shape |= _NUM
            row = (sid, key, v.raw, v.sheet, v.cell, "tal", float(value))
        elif cls is str:
            shape |= _TEXT
            row = (sid, key, v.raw, v.sheet, v.cell, "tekst", value)
        else:
            vtype, vtext, vnum = encode(value)
            if vtype is None:
                row = (sid, key, v.raw, v.sheet, v.cell)  # shape |= _NONE
            elif vnum is not None:
                shape |= _NUM
                row = (sid, key, v.raw, v.sheet, v.cell, vtype, vnum)
            else:
                shape |= _TEXT
                row = (sid, key, v.raw, v.sheet, v.cell, vtype, vtext)
        rows = shapes.get(shape)
        if rows is None:
            rows = shapes[shape] = []
        rows.append(row + parts)
    return shapes


def _parts(felt: str, table: str) -> tuple:
    """The key's parts as the columns of `table` hold them (corrections has its own skema column)."""
    parts = tuple(key_parts(felt))
    return parts if table == "vals" else parts[1:]


def _create_statement(schema: str, table: str) -> str:
    """The CREATE TABLE statement of `table` in schema.sql (the current definition)."""
    head = f"CREATE TABLE IF NOT EXISTS {table} ("
    start = schema.index(head)
    return schema[start : schema.index(";", schema.index("\n)", start)) + 1]  # up to its options (WITHOUT ROWID)


def _rebuild(con: sqlite3.Connection, create: str, table: str) -> None:
    """Make `table` again by its current CREATE statement (SQLite cannot drop a constraint or add
    WITHOUT ROWID), copying the columns the old one has; its indexes go with it (the schema script
    makes them again). Inside a migration's transaction, foreign keys off."""
    con.execute(create.replace(f"CREATE TABLE IF NOT EXISTS {table} (", f"CREATE TABLE {table}_new (", 1))
    new = [r[1] for r in con.execute(f"PRAGMA table_info({table}_new)")]
    old = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    cols = ", ".join(c for c in new if c in old)
    con.execute(f"INSERT INTO {table}_new ({cols}) SELECT {cols} FROM {table}")
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
    if con.execute("PRAGMA foreign_key_check").fetchone():
        raise sqlite3.IntegrityError("skema.sqlite: henvisninger passer ikke efter opdateringen")


def sha256_file(path: Path) -> str:
    return read_hashed(path, keep=0)[0]


#: a received file up to this size is read once: hashed, and archived from the bytes that were hashed
KEEP_BYTES = 32 * 1024 * 1024


def read_hashed(path: Path, keep: int = KEEP_BYTES) -> tuple[str, bytes | None]:
    """The SHA-256 of the file's bytes, and the bytes themselves if the file has at most `keep`
    (for `Store.archive`); else None, and the file is read in pieces."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size <= keep:
            data = f.read()
            return hashlib.sha256(data).hexdigest(), data
        h = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
        return h.hexdigest(), None


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
        schema = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")
        old = self.con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION
        if old and self.con.execute("SELECT 1 FROM sqlite_master WHERE name = 'submissions'").fetchone():
            self._migrate(schema)
        self.con.executescript(schema)  # a new store: everything; an old one: what it lacked (tables, indexes)
        if self.con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            self.con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # a new store
        self.con.execute("PRAGMA foreign_keys=ON")

    def _migrate(self, schema: str) -> None:
        """Bring a store from an earlier schema up to date, in one transaction (all steps or none).
        Another process may have done it meanwhile.

        0 → 1: add the structured key columns and fill them from the text keys.
        1 → 2: `submissions` without UNIQUE on file_hash (a refused file may be read again) and with
        `saved_at` (unknown, NULL, for what was received before: a later file replaces those as it
        used to). SQLite cannot drop a constraint, so the table is rebuilt and its rows copied.
        2 → 3: `submissions.mail_id` (NULL: the files received before came by hand); the new tables
        `mails` and `sent_mails` come from the schema script.
        3 → 4: `vals` WITHOUT ROWID: a value is written once, in its primary key's order (the rowid
        table kept a second b-tree for the key), so each stored file writes less. Rebuilt and copied."""
        con = self.con
        con.execute("PRAGMA foreign_keys=OFF")  # the rebuild drops a referenced table; no effect inside a transaction
        con.execute("BEGIN IMMEDIATE")
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version < 1:
                for table, columns in _KEY_COLUMNS.items():
                    have = {r["name"] for r in con.execute(f"PRAGMA table_info({table})")}
                    for c in columns:
                        if c not in have:
                            con.execute(f"ALTER TABLE {table} ADD COLUMN {c} {_KEY_TYPES[c]}")
                    rows = con.execute(f"SELECT rowid, felt FROM {table} WHERE noegle IS NULL").fetchall()
                    parts = [(*_parts(felt, table), rowid) for rowid, felt in rows]
                    con.executemany(
                        f"UPDATE {table} SET " + ", ".join(f"{c} = ?" for c in columns) + " WHERE rowid = ?", parts
                    )
            if version < 2:
                _rebuild(con, _create_statement(schema, "submissions"), "submissions")
            if version < 3 and "mail_id" not in {r["name"] for r in con.execute("PRAGMA table_info(submissions)")}:
                con.execute("ALTER TABLE submissions ADD COLUMN mail_id INTEGER REFERENCES mails(id)")
            if version < 4:
                _rebuild(con, _create_statement(schema, "vals"), "vals")
            if version < SCHEMA_VERSION:
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.execute("PRAGMA foreign_keys=ON")

    def close(self):
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- files ---------------------------------------------------------------------------------
    def archive(self, path: Path, file_hash: str, data: bytes | None = None) -> Path:
        """Copy the received file untouched into the archive (once per content). `data`: its bytes,
        as hashed (`read_hashed`); None: copy the file."""
        target = self.archive_dir / f"{file_hash}{os.path.splitext(path)[1].lower()}"
        if not os.path.exists(target):
            if data is None:
                with atomic_path(target) as tmp:
                    shutil.copyfile(path, tmp)
            else:
                write_bytes_atomic(target, data)  # one open, through the temporary file's descriptor
        return target

    def remove_unrecorded(self) -> list[Path]:
        """Delete archive copies that no submission refers to, and temporary files left in the
        archive: what a run killed between archiving and recording leaves behind. The received
        file itself was never touched, so the next run reads it again. Call it only with the
        folder's lock held (no other run may be between archiving and recording). Returns what
        was removed."""
        if not self.archive_dir.is_dir():
            return []
        known = {
            r[0] for r in self.con.execute("SELECT archive_name FROM submissions UNION SELECT archive_name FROM mails")
        }
        removed = []
        for p in self.archive_dir.iterdir():
            stray = p.name.startswith(TMP_PREFIX) or (
                len(p.stem) == 64 and all(c in "0123456789abcdef" for c in p.stem) and p.name not in known
            )
            if stray and p.is_file():
                try:
                    p.unlink()
                except FileNotFoundError:
                    continue
                removed.append(p)
        return removed

    def find_by_hash(self, file_hash: str) -> Submission | None:
        """The submission of these bytes: the stored one, else the latest refused attempt."""
        row = self.con.execute(
            "SELECT * FROM submissions WHERE file_hash = ? ORDER BY status = 'afvist', id DESC LIMIT 1", (file_hash,)
        ).fetchone()
        return Submission(**row) if row else None

    def lookup(self, file_hash: str) -> tuple[Submission | None, SentForm | None]:
        """`find_by_hash` and `find_sent` together, in one statement for new bytes (neither)."""
        found, sent = self.con.execute(
            "SELECT (SELECT id FROM submissions WHERE file_hash = ?1 ORDER BY status = 'afvist', id DESC LIMIT 1), "
            "EXISTS (SELECT 1 FROM sent_forms WHERE file_hash = ?1)",
            (file_hash,),
        ).fetchone()
        return (
            self.submission(found) if found is not None else None,
            self.find_sent(file_hash) if sent else None,
        )

    def submission(self, submission_id: int) -> Submission | None:
        row = self.con.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return Submission(**row) if row else None

    def refusal(self, submission_id: int) -> list[str]:
        """Why a submission was refused: the messages of its errors."""
        return [
            r[0]
            for r in self.con.execute(
                "SELECT message FROM issues WHERE submission_id = ? AND severity = 'fejl' ORDER BY id", (submission_id,)
            )
        ]

    # --- mails -----------------------------------------------------------------------------------
    def record_mail(self, path: Path, sender: str, subject: str, sent_at: str | None) -> int:
        """Archive a saved mail untouched and remember who sent it, what it was about and when (once
        per content). Returns its id, for `record(mail_id=…)`."""
        file_hash, data = read_hashed(path)
        archived = self.archive(path, file_hash, data)
        now = dt.datetime.now().isoformat(timespec="seconds")
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            self.con.execute(
                "INSERT OR IGNORE INTO mails (file_hash, original_name, archive_name, sender, subject, sent_at, "
                "received_at) VALUES (?,?,?,?,?,?,?)",
                (file_hash, Path(path).name, archived.name, sender, subject, sent_at, now),
            )
            return self.con.execute("SELECT id FROM mails WHERE file_hash = ?", (file_hash,)).fetchone()[0]

    def mail(self, mail_id: int) -> ReceivedMail | None:
        row = self.con.execute("SELECT * FROM mails WHERE id = ?", (mail_id,)).fetchone()
        return ReceivedMail(**row) if row else None

    def record_sent_mail(self, sent: SentMail) -> None:
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            self.con.execute(
                "INSERT INTO sent_mails (message_id, aar, kind, recipient, forms, subject, sent_at) "
                "VALUES (?,?,?,?,?,?,?)",
                (
                    sent.message_id,
                    sent.aar,
                    sent.kind,
                    sent.recipient.lower(),
                    "\n".join(sorted(sent.forms)),
                    sent.subject,
                    sent.sent_at,
                ),
            )

    def sent_mails(self, aar: int, kind: str | None = None) -> list[SentMail]:
        sql, args = "SELECT * FROM sent_mails WHERE aar = ?", list[object]([aar])
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        return [
            SentMail(
                r["message_id"],
                r["aar"],
                r["kind"],
                r["recipient"],
                tuple(f for f in r["forms"].split("\n") if f),
                r["subject"],
                r["sent_at"],
            )
            for r in self.con.execute(sql + " ORDER BY id", args)
        ]

    # --- the forms as sent out ------------------------------------------------------------------
    def record_sent(self, forms: Iterable[tuple[Path, str, int, str, str]]) -> int:
        """Remember generated forms, (path, skema, aar, respondent id, respondent name) each, by the
        hash of their bytes. One transaction; a form written again replaces its entry. Returns how many."""
        now = dt.datetime.now().isoformat(timespec="seconds")
        rows = [(sha256_file(p), skema, aar, rid, navn, Path(p).name, now) for p, skema, aar, rid, navn in forms]
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            self.con.executemany(
                "INSERT OR REPLACE INTO sent_forms (file_hash, skema, aar, respondent_id, "
                "respondent_navn, file_name, created_at) VALUES (?,?,?,?,?,?,?)",
                rows,
            )
        return len(rows)

    def sent_form_types(self, aar: int) -> set[str]:
        """The form types sent out for `aar` (e.g. hoeringssvar only once `skema hoering` has run)."""
        return {r[0] for r in self.con.execute("SELECT DISTINCT skema FROM sent_forms WHERE aar = ?", (aar,))}

    def find_sent(self, file_hash: str) -> SentForm | None:
        row = self.con.execute("SELECT * FROM sent_forms WHERE file_hash = ?", (file_hash,)).fetchone()
        return SentForm(**row) if row else None

    # --- writing one result (one transaction) ---------------------------------------------------
    def record(
        self,
        *,
        file_hash: str,
        original_name: str,
        archive_name: str,
        received_at: str,
        skema: str | None,
        aar: int | None,
        respondent_id: str | None,
        respondent_navn: str | None,
        version: int | None,
        status: str,
        values: Iterable,
        issues: Iterable[Issue],
        saved_at: str | None = None,
        mail_id: int | None = None,
    ) -> Recorded:
        """Store a read result. It becomes the current answer unless the current one was saved later
        (`saved_at`, sortable text; equal or unknown times: the one received last wins); then it is
        stored as history, superseded by the current one. Earlier refused attempts with the same bytes
        are superseded by this one. Raises FileExistsError if these bytes are stored (not refused)."""
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            identified = status != "afvist" and respondent_id is not None
            # One statement asks what the transaction must know: are these bytes stored (by another
            # run, meanwhile), are there refused attempts to supersede, and which answer is current
            stored, retried, previous_id, previous_saved = con.execute(
                "SELECT h.stored, h.retried, p.id, p.saved_at FROM (SELECT max(status != 'afvist') AS stored, "
                "max(status = 'afvist' AND superseded_by IS NULL) AS retried FROM submissions WHERE file_hash = ?) h "
                "LEFT JOIN submissions p ON p.aar = ? AND p.skema = ? AND p.respondent_id = ? AND p.current = 1",
                (file_hash, aar, skema, respondent_id) if identified else (file_hash, None, None, None),
            ).fetchone()
            if stored:
                con.execute("ROLLBACK")
                raise FileExistsError(file_hash)
            older = bool(previous_id is not None and saved_at and previous_saved and saved_at < previous_saved)
            current = identified and not older
            cur = con.execute(
                "INSERT INTO submissions (file_hash, original_name, archive_name, received_at, skema, aar, "
                "respondent_id, respondent_navn, definition_version, status, current, superseded_by, saved_at, "
                "mail_id) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    file_hash,
                    original_name,
                    archive_name,
                    received_at,
                    skema,
                    aar,
                    respondent_id,
                    respondent_navn,
                    version,
                    status,
                    1 if current else 0,
                    previous_id if older else None,
                    saved_at,
                    mail_id,
                ),
            )
            sid = cur.lastrowid
            assert sid is not None  # an INSERT into a rowid table always has one
            if previous_id is not None and current:
                con.execute("UPDATE submissions SET current = 0, superseded_by = ? WHERE id = ?", (sid, previous_id))
            if retried:
                con.execute(
                    "UPDATE submissions SET superseded_by = ? WHERE file_hash = ? AND status = 'afvist' "
                    "AND superseded_by IS NULL AND id != ?",
                    (sid, file_hash, sid),
                )
            for shape, rows in _value_rows(sid, values).items():
                con.executemany(_vals_insert(shape), rows)
            issue_rows = [
                (sid, i.file, i.respondent, i.skema, i.sheet, i.cell, i.key, i.code, i.severity, i.message)
                for i in issues
            ]
            if issue_rows:
                con.executemany(
                    "INSERT INTO issues (submission_id, file, respondent, skema, sheet, cell, felt, code, severity, "
                    "message) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    issue_rows,
                )
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        return Recorded(sid, previous_id, current)

    def correct(self, aar: int, skema: str, respondent_id: str, felt: str, value, raw: str, reason: str) -> None:
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            self.con.execute(
                "INSERT INTO corrections (aar, skema, respondent_id, felt, vtype, vtext, vnum, raw, reason, "
                "created_at, "
                + ", ".join(_KEY_COLUMNS["corrections"])
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    aar,
                    skema,
                    respondent_id,
                    felt,
                    *encode(value),
                    raw,
                    reason,
                    dt.datetime.now().replace(microsecond=0).isoformat(),
                    *_parts(felt, "corrections"),
                ),
            )

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
        return [
            Submission(**r)
            for r in self.con.execute(
                "SELECT * FROM submissions WHERE respondent_id = ? ORDER BY aar, skema, id", (respondent_id,)
            )
        ]

    def current_values(self, aar: int | None = None, skema: str | None = None) -> list[StoredValue]:
        conds, args = ["current = 1"], list[object]()
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
            subs = {
                r[0]: r[1:]
                for r in cur.execute(
                    "SELECT id, aar, skema, respondent_id, original_name, received_at FROM submissions WHERE "
                    + " AND ".join(conds),
                    args,
                )
            }
            rows = cur.execute(
                "SELECT v.submission_id, v.felt, v.vtype, v.vtext, v.vnum, v.raw, v.ark, v.celle, v.tilbud_id, v.nr, "
                "v.ydelse_id, v.kommune_id, v.linje, v.noegle, v.felt_aar FROM vals v "
                "JOIN submissions s ON s.id = v.submission_id WHERE "
                + " AND ".join("s." + c for c in conds)
                + " ORDER BY v.submission_id, v.felt",
                args,
            ).fetchall()  # primary-key order: no sorting
        finally:
            if own:
                cur.execute("COMMIT")
        out = {}
        new, stored, last = tuple.__new__, StoredValue, None
        for row in rows:
            if row[0] != last:  # the rows come grouped by submission
                last = row[0]
                s_aar, s_skema, rid, name, received = subs[last]
            felt, vtype = row[1], row[2]
            value = row[3] if vtype != "tal" and vtype != "dato" else decode(vtype, row[3], row[4])
            # the named tuple made directly (no Python __new__ call per value); row[8:] are the key's parts
            head = (s_aar, s_skema, rid, felt, value, row[5], name, row[6], row[7], received, False)
            out[(s_aar, s_skema, rid, felt)] = new(stored, head + row[8:])
        csql = "SELECT * FROM corrections WHERE 1=1"
        if aar is not None:
            csql += f" AND aar = {int(aar)}"
        for c in self.con.execute(csql + " ORDER BY id"):
            if skema is not None and c["skema"] != skema:
                continue
            k = (c["aar"], c["skema"], c["respondent_id"], c["felt"])
            old = out.get(k)
            out[k] = StoredValue(
                c["aar"],
                c["skema"],
                c["respondent_id"],
                c["felt"],
                decode(c["vtype"], c["vtext"], c["vnum"]),
                c["raw"],
                f"rettelse: {c['reason']}",
                old.ark if old else "",
                old.celle if old else "",
                c["created_at"],
                True,
                *(c[col] for col in _KEY_COLUMNS["corrections"]),
            )
        return list(out.values())

    def corrections(self, respondent_id: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM corrections"
        args: tuple[str, ...] = ()
        if respondent_id:
            sql += " WHERE respondent_id = ?"
            args = (respondent_id,)
        return list(self.con.execute(sql + " ORDER BY id", args))

    def issues(self, aar: int | None = None) -> list[ReceivedIssue]:
        """Issues of current submissions and of refused files (the latest attempt of each), as the
        same `Issue` objects the reader made, each with the time its file was received."""
        sql = (
            "SELECT i.*, s.received_at, s.status FROM issues i JOIN submissions s ON s.id = i.submission_id "
            "WHERE (s.current = 1 OR (s.status = 'afvist' AND s.superseded_by IS NULL))"
        )
        args = []
        if aar is not None:
            sql += " AND (s.aar = ? OR s.aar IS NULL)"
            args.append(aar)
        return [
            ReceivedIssue(
                Issue(
                    r["code"],
                    r["message"],
                    file=r["file"] or "",
                    respondent=r["respondent"] or "",
                    skema=r["skema"] or "",
                    sheet=r["sheet"] or "",
                    cell=r["cell"] or "",
                    key=r["felt"] or "",
                ),
                r["received_at"],
            )
            for r in self.con.execute(sql + " ORDER BY i.id", args)
        ]
