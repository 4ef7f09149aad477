"""One file never stops the others; exit codes and messages for odd paths (issue 11, items 10–15)."""

import os

import pytest
from typer.testing import CliRunner

from toolkit import FileResult, Workspace
from toolkit.cli import app
from toolkit.files import OutputError, write_bytes_atomic
from toolkit.returns.ingest import collect_files

from conftest import EVEN_YEAR, one_form_per_type
from fill import answered_copy

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def inbox(forms_dir, tmp_path, sd, defs):
    d = tmp_path / "ind"
    d.mkdir()
    for p in one_form_per_type(forms_dir)[2:]:
        answered_copy(p, d / p.name, sd, defs, EVEN_YEAR)
    return d


def test_a_pipe_named_xlsx_is_skipped_before_anything_reads_it(inbox):
    os.mkfifo(inbox / "roer.xlsx")
    files, skipped = collect_files([inbox])
    assert "roer.xlsx" not in {f.name for f in files}
    assert [(s.file.name, s.issues[0].code) for s in skipped] == [("roer.xlsx", "ulaeselig-fil")]


def test_a_file_that_cannot_be_opened_is_refused_and_the_rest_is_stored(inbox, tmp_path, monkeypatch):
    import toolkit.store.receive as receive

    real = receive.read_hashed
    locked = sorted(inbox.iterdir())[0]

    def sha(path):  # as opening a locked file fails (Windows, OneDrive): the first thing admit does
        if path.name == locked.name:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(receive, "read_hashed", sha)
    report, _ = Workspace(tmp_path / "w").ingest([inbox], years=[])
    by = {i.file.name: i for i in report.items}
    assert by[locked.name].status == FileResult.AFVIST and "adgang nægtet" in by[locked.name].issues[0].message
    assert sorted(i.status for n, i in by.items() if n != locked.name) == [FileResult.NY]
    assert not report.ok


def test_missing_path_is_a_usage_error_and_empty_folder_says_so(tmp_path):
    import subprocess
    import sys

    p = subprocess.run(
        [sys.executable, "-m", "toolkit", "indlaes", str(tmp_path / "findes-ikke"), "--mappe", str(tmp_path / "w")],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and "findes ikke" in flat(p.stderr) and "Traceback" not in p.stderr
    (tmp_path / "tom").mkdir()
    r = runner.invoke(app, ["indlaes", str(tmp_path / "tom"), "--mappe", str(tmp_path / "w")])
    assert r.exit_code == 1 and "Ingen regneark fundet i" in flat(r.output)


def test_xlsb_is_named_and_the_sender_told_to_save_as_xlsx(tmp_path):
    (tmp_path / "svar.xlsb").write_bytes(b"PK\x03\x04binary")
    r = runner.invoke(app, ["tjek", str(tmp_path / "svar.xlsb")])
    assert r.exit_code == 1 and "gem den som Excel-projektmappe (.xlsx)" in flat(r.output)


def test_overview_that_cannot_be_written_still_reports_every_file(inbox, tmp_path):
    w = tmp_path / "w"
    (w / "output" / str(EVEN_YEAR) / f"{EVEN_YEAR}_samlet.xlsx").mkdir(parents=True)  # a folder in the way
    r = runner.invoke(app, ["indlaes", str(inbox), "--mappe", str(w), "--aar", str(EVEN_YEAR)])
    out = flat(r.output)
    assert r.exit_code == 1
    assert "2 nye" in out and "blev ikke skrevet" in out and f"skema samlet --aar {EVEN_YEAR}" in out


def test_a_write_that_fails_gives_a_danish_error_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "x.bin"
    target.write_bytes(b"gammel")
    (tmp_path / "d.bin").mkdir()
    with pytest.raises(OutputError, match="der ligger en mappe med samme navn"):
        write_bytes_atomic(tmp_path / "d.bin", b"ny")
    assert target.read_bytes() == b"gammel" and not list(tmp_path.glob(".~tmp_*"))


def test_danish_errors_survive_the_trip_from_a_worker_process(tmp_path):
    import pickle

    from toolkit.problems import OutputLockedError

    for err in (
        OutputError(tmp_path / "x.xlsx", IsADirectoryError(21, "Is a directory")),
        OutputLockedError(tmp_path / "y.xlsx"),
    ):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and str(back) == str(err) and back.path == err.path
