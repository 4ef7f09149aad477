"""Hostile and broken returns: no crash, no hang, nothing lost (issue: guards and crash safety)."""

import multiprocessing as mp
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from corpus.make_corpus import make_corpus

from toolkit.returns.ingest import collect_files
from toolkit.returns.read import read_return

from conftest import EACH_ALONE
from fill import fill_form
from lo_jobs import run_lo_edit

GIB = 1024**3


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def skema(*args, cwd=None, limit=True, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        preexec_fn=_limits if limit else None,
        env={**os.environ, "COLUMNS": "250"},
    )


@pytest.fixture(scope="module")
def good_return(forms_dir, tmp_path_factory):
    src = sorted(forms_dir.glob("*_kommune_laesoe*.xlsx"))[0]
    return fill_form(src, {"kommune.kontaktperson": "Test"}, tmp_path_factory.mktemp("god") / src.name)


@pytest.fixture(scope="module")
def corpus(good_return, tmp_path_factory):
    out = tmp_path_factory.mktemp("korpus")
    return out, make_corpus(out, good_return)


def test_corpus_is_small_on_disk(corpus):
    out, _ = corpus
    assert sum(p.stat().st_size for p in out.iterdir()) < 2_000_000


def _hostile(corpus):
    out, expected = corpus
    return [(out / name, code) for name, code in sorted(expected.items()) if code and not name.startswith("~$")]


def test_each_hostile_file_alone_is_refused_with_its_danish_message(corpus, tmp_path):
    """One process under a 1 GiB address-space limit reads each hostile file into its own working
    folder, as `skema indlaes FILE` would: exit code 1, the issue code, no traceback."""
    files = _hostile(corpus)
    p = subprocess.run(
        [sys.executable, "-c", EACH_ALONE, str(tmp_path), *(str(f) for f, _c in files)],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=_limits,
        env={**os.environ, "COLUMNS": "250"},
    )
    assert p.returncode == 0, p.stderr[-2000:]
    results = dict(zip((f.name for f, _c in files), p.stdout.split("\f\n")[:-1], strict=True))
    for f, code in files:
        exit_code, output = results[f.name].split("\n", 1)
        assert exit_code == "1", (f.name, output[-800:])
        assert "Traceback" not in output, f.name
        assert code in output, (f.name, output[-800:])


def test_a_whole_mail_folder_keeps_the_good_files_and_records_the_refused(corpus, tmp_path):
    out, expected = corpus
    p = skema("indlaes", out, "--mappe", tmp_path)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    con = sqlite3.connect(tmp_path / "skema.sqlite")
    rows = dict(con.execute("SELECT original_name, status FROM submissions").fetchall())
    refused = {n for n, c in expected.items() if c and not n.startswith("~$")}
    assert {n for n, s in rows.items() if s == "afvist"} == refused
    assert rows["god.xlsx"] in ("gyldig", "fejl") and rows["makro.xlsm"] in ("gyldig", "fejl")
    codes = {r[0] for r in con.execute("SELECT code FROM issues")}
    assert {"zip-bombe", "xml-entitet", "adgangskode", "absurd-omfang", "tom-fil", "makro"} <= codes
    # the refused files are archived untouched, so the secretariat can answer the sender
    assert len(list((tmp_path / "arkiv").iterdir())) == len(rows)


def _dying_read(path, name):
    """Stands in for a reader that aborts the process (module level: it is sent to the worker)."""
    import toolkit.returns.isolation as iso

    if name == "crash.xlsx":
        os.kill(os.getpid(), signal.SIGABRT)
    return iso.read_return(Path(path), iso._state["sd"], iso._state["defs"], name)


def test_a_reader_crash_costs_only_that_file(good_return, sd, defs, tmp_path, monkeypatch):
    """Isolation: a file that kills the reader process (as calamine's abort does) is refused."""
    import toolkit.returns.isolation as iso
    from toolkit.returns.isolation import IsolatedReader

    crash = tmp_path / "crash.xlsx"
    shutil.copy(good_return, crash)
    monkeypatch.setattr(iso, "_read", _dying_read)
    with IsolatedReader(sd, defs) as reader:
        bad = reader(crash, sd, defs, "crash.xlsx")
        good = reader(good_return, sd, defs, "god.xlsx")
    assert bad.refused and bad.issues[0].code == "laeser-doede"
    assert not good.refused and good.modtager.id == "K825"


def test_tjek_reports_without_storing(corpus, tmp_path):
    out, _ = corpus
    p = skema("tjek", out / "god.xlsx", out / "adgangskode.xlsx", cwd=tmp_path)
    assert p.returncode == 1
    assert "beskyttet med adgangskode" in p.stdout and "god.xlsx" in p.stdout
    assert not (tmp_path / "skema.sqlite").exists() and not (tmp_path / "arkiv").exists()


def _inbox(forms_dir, tmp_path, n=8):
    inbox = tmp_path / "indbakke"
    inbox.mkdir()
    for i, src in enumerate(sorted(forms_dir.glob("*_kommune_*.xlsx"))[:n]):
        fill_form(
            src,
            {
                "kommune.kontaktperson": f"Person {i}",
                "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": i + 0.5,
            },
            inbox / src.name,
        )
    return inbox


def _snapshot(folder: Path):
    con = sqlite3.connect(folder / "skema.sqlite")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    subs = sorted(con.execute("SELECT original_name, status, current FROM submissions").fetchall())
    vals = sorted(
        con.execute(
            "SELECT s.original_name, v.felt, v.vtext, v.vnum FROM vals v JOIN submissions s ON s.id = v.submission_id"
        ).fetchall()
    )
    issues = con.execute("SELECT COUNT(*) FROM issues").fetchone()[0]
    return subs, vals, issues


# `skema indlaes` that kills its own process group with SIGKILL at the n-th call of a store function:
# between archiving files, inside a transaction (once a file's value rows are made), after a commit.
KILL_AT = """
import os, signal, sys
import toolkit.store.db as db
where, n = sys.argv[1], int(sys.argv[2])
calls = 0
original = getattr(db, where) if where == "_value_rows" else getattr(db.Store, where)
def counting(*args, **kwargs):
    global calls
    out = original(*args, **kwargs)
    calls += 1
    if calls == n:
        os.killpg(os.getpgid(0), signal.SIGKILL)
    return out
if where == "_value_rows":
    db._value_rows = counting
else:
    setattr(db.Store, where, counting)
from toolkit.cli import main
sys.argv = ["skema", *sys.argv[3:]]
main()
"""


def test_sigkill_at_any_point_then_rerun_equals_a_clean_run(forms_dir, tmp_path):
    inbox = _inbox(forms_dir, tmp_path)
    clean = tmp_path / "ren"
    assert skema("indlaes", inbox, "--mappe", clean, limit=False).returncode in (0, 1)
    crashed = tmp_path / "afbrudt"
    for where, n in [("archive", 3), ("_value_rows", 3), ("record", 2), ("_value_rows", 2)]:
        proc = subprocess.run(
            [sys.executable, "-c", KILL_AT, where, str(n), "indlaes", str(inbox), "--mappe", str(crashed)],
            capture_output=True,
            text=True,
            timeout=120,
            start_new_session=True,
        )
        assert proc.returncode == -signal.SIGKILL, (where, n, proc.returncode, proc.stderr[-500:])
    assert skema("indlaes", inbox, "--mappe", crashed, limit=False).returncode in (0, 1)
    assert _snapshot(crashed) == _snapshot(clean)


def test_a_second_run_waits_once_then_gives_up_in_danish(tmp_path):
    from toolkit.store.lock import WorkspaceBusy, workspace_lock

    told = []
    busy = "En anden kørsel af skema arbejder i .* og er ikke færdig"
    with (
        workspace_lock(tmp_path),
        pytest.raises(WorkspaceBusy, match=busy),
        workspace_lock(tmp_path, wait_seconds=0.5, on_wait=lambda: told.append(1)),
    ):
        pass
    assert told == [1]
    with workspace_lock(tmp_path, wait_seconds=0, on_wait=lambda: told.append(2)):
        pass  # free again once the first run is done, without waiting
    assert told == [1]


def test_two_concurrent_runs_never_corrupt_the_store(forms_dir, tmp_path):
    inbox = _inbox(forms_dir, tmp_path)
    w = tmp_path / "w"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "toolkit", "indlaes", str(inbox), "--mappe", str(w)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode in (0, 1) for p in procs), outs
    assert all("Traceback" not in o + e for o, e in outs)
    subs, _vals, _ = _snapshot(w)
    assert len(subs) == 8 and len({s[0] for s in subs}) == 8  # each file once


def test_output_open_in_excel_gives_a_danish_line(tmp_path, monkeypatch):
    from toolkit.files import write_bytes_atomic
    from toolkit.problems import OutputLockedError

    def locked(src, dst):
        raise PermissionError(13, "locked")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputLockedError, match="Luk filen .*x.xlsx i Excel og prøv igen"):
        write_bytes_atomic(tmp_path / "x.xlsx", b"data")
    assert not list(tmp_path.glob(".~tmp_*"))  # the temporary file is cleaned up


def test_parallel_reading_pins_a_crash_on_the_right_file(good_return, sd, defs, tmp_path, monkeypatch):
    import toolkit.returns.isolation as iso
    from toolkit.returns.isolation import IsolatedReader

    crash = tmp_path / "crash.xlsx"
    shutil.copy(good_return, crash)
    monkeypatch.setattr(iso, "_read", _dying_read)
    jobs = [(good_return, "a.xlsx"), (crash, "crash.xlsx"), (good_return, "b.xlsx"), (good_return, "c.xlsx")]
    with IsolatedReader(sd, defs, workers=2) as reader:
        results = list(reader.read_many(jobs))
    assert [i for i, _r in results] == [0, 1, 2, 3]
    assert [r.refused for _i, r in results] == [False, True, False, False]
    assert results[1][1].issues[0].code == "laeser-doede" and results[1][1].original_name == "crash.xlsx"


def _hanging_read(path, name):
    import toolkit.returns.isolation as iso

    if name == "haenger.xlsx":
        signal.pause()  # a reader that never returns
    return iso.read_return(Path(path), iso._state["sd"], iso._state["defs"], name)


def test_a_hanging_reader_costs_only_that_file_and_its_worker_is_stopped(good_return, sd, defs, tmp_path, monkeypatch):
    import toolkit.returns.isolation as iso
    from toolkit.returns.isolation import IsolatedReader

    monkeypatch.setattr(iso, "_read", _hanging_read)
    before = set(mp.active_children())  # other tests' long-lived workers in this process (chart pools)
    with IsolatedReader(sd, defs, seconds=1) as reader:
        hung = reader(good_return, sd, defs, "haenger.xlsx")
        good = reader(good_return, sd, defs, "god.xlsx")
    assert hung.refused and hung.issues[0].code == "laeser-doede" and "mere end 1 sekunder" in hung.issues[0].message
    assert not good.refused and good.modtager.id == "K825"
    for worker in set(mp.active_children()) - before:  # the hung worker was killed, not left behind
        worker.join(timeout=30)
        assert not worker.is_alive()


def _refusal(res) -> tuple[bool, list[str]]:
    return res.refused, [i.code for i in res.issues]


def test_password_protected_xls_and_ods_are_refused_as_password_protected(tmp_path, sd, defs):
    """Minimal files as the formats encrypt them: an .xls whose workbook globals hold a FILEPASS
    record, an .ods whose manifest lists encryption-data for its (unreadable) content."""
    from test_xls_names import _compound_file, _rec, _workbook_stream

    stream = _workbook_stream()
    bof_end = 4 + 16
    xls = tmp_path / "kodeord.xls"
    xls.write_bytes(
        _compound_file("Workbook", stream[:bof_end] + _rec(0x002F, b"\1\0" + b"\0" * 52) + stream[bof_end:])
    )
    ods = tmp_path / "kodeord.ods"
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="900">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="16" '
        'manifest:iteration-count="1024" manifest:salt="AAAA"/></manifest:encryption-data></manifest:file-entry>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", bytes(range(256)) * 4)  # encrypted: not XML
        z.writestr("META-INF/manifest.xml", manifest)
    for path in (xls, ods):
        res = read_return(path, sd, defs)
        assert _refusal(res) == (True, ["adgangskode"]), (path.name, res.issues)
        assert "beskyttet med adgangskode" in res.issues[0].message and path.name in res.issues[0].message


@pytest.mark.libreoffice
def test_password_protected_files_saved_by_libreoffice_are_refused_as_password_protected(
    good_return, sd, defs, tmp_path
):
    jobs = {
        fmt: {
            "input": str(good_return),
            "output": str(tmp_path / f"kodeord.{fmt}"),
            "format": fmt,
            "password": "hemmelig",
        }
        for fmt in ("xls", "ods")  # LibreOffice's storeToURL ignores Password for .xlsx (the corpus has one)
    }
    saved = run_lo_edit(jobs, tmp_path)
    for fmt, path in saved.items():
        res = read_return(path, sd, defs)
        assert _refusal(res) == (True, ["adgangskode"]), (fmt, res.issues)


def _as_template(src: Path, dst: Path, macros: bool) -> Path:
    kind = "ms-excel.template.macroEnabled" if macros else "openxmlformats-officedocument.spreadsheetml.template"
    with zipfile.ZipFile(src) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            if name == "[Content_Types].xml":
                data = re.sub(
                    rb"application/vnd\.[\w.-]+\.sheet\.main\+xml", f"application/vnd.{kind}.main+xml".encode(), data
                )
            out.writestr(name, data)
    return dst


@pytest.mark.parametrize("suffix", [".xltx", ".xltm"])
def test_an_excel_template_is_read_as_a_workbook(good_return, sd, defs, tmp_path, suffix):
    path = _as_template(good_return, tmp_path / f"skabelon{suffix}", macros=suffix == ".xltm")
    files, skipped = collect_files([tmp_path])
    assert files == [path] and not skipped
    res = read_return(path, sd, defs)
    assert not res.refused, res.issues
    assert {v.key: v.value for v in res.values}["kommune.kontaktperson"] == "Test"
    assert ("makro" in [i.code for i in res.issues]) == (suffix == ".xltm")
