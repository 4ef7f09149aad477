"""`skema indlaes` rewrites the consolidated workbooks it made out of date, and only those: a store
with many years is not rewritten whole on every run, and a workbook that is missing or older than
the store's last change is written again."""

import os

from typer.testing import CliRunner

from toolkit import Workspace
from toolkit.cli import app
from toolkit.workspace import default_year

from fill import answered_copy

# two years that are not the cycle's current one (that one is always rewritten)
Y1, Y2 = default_year() + 2, default_year() + 3


def _answer(ws: Workspace, aar: int, index: int, inbox) -> None:
    forms, _skipped, _dir = ws.generate(aar, ["aarsrapport"])
    src = sorted(forms, key=lambda g: g.path.name)[index].path
    answered_copy(src, inbox / src.name, ws.sd, ws.defs, aar)


def _overview(ws: Workspace, aar: int):
    return ws.overview_path(aar)


def _two_years(tmp_path) -> tuple[Workspace, object, list]:
    """A workspace with one answer for each of two years in `ind1`, ingested: (workspace, the
    folder, the overviews the ingest wrote)."""
    ws = Workspace(tmp_path / "w")
    first = tmp_path / "ind1"
    first.mkdir()
    _answer(ws, Y1, 0, first)
    _answer(ws, Y2, 0, first)
    return ws, first, ws.ingest([first])[1]


def test_only_the_years_a_run_changed_are_rewritten(tmp_path):
    ws, first, written = _two_years(tmp_path)
    assert written == [_overview(ws, Y1), _overview(ws, Y2)]
    second = tmp_path / "ind2"
    second.mkdir()
    kept = _overview(ws, Y1).stat().st_mtime_ns  # a rewrite would change it

    _answer(ws, Y2, 1, second)  # one more answer, for the second year only
    report, written = ws.ingest([second])
    assert report.count("ny") == 1
    assert written == [_overview(ws, Y2)]
    assert _overview(ws, Y1).stat().st_mtime_ns == kept

    report, written = ws.ingest([first, second])  # nothing new
    assert report.count("allerede indlæst") == 3
    assert written == []

    _overview(ws, Y1).unlink()  # a missing workbook is written again
    assert ws.ingest([first])[1] == [_overview(ws, Y1)]

    # a workbook older than the store's last change (its write failed, e.g. it was open in Excel)
    os.utime(_overview(ws, Y2), (0, 0))
    assert ws.ingest([first])[1] == [_overview(ws, Y2)]


def test_a_refused_file_that_names_no_year_rewrites_every_year(tmp_path):
    ws, _first, _written = _two_years(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "noget.xlsx").write_bytes(b"PK\x03\x04 ikke en rigtig fil")
    report, written = ws.ingest([bad])
    assert report.count("afvist") == 1
    assert written == [_overview(ws, Y1), _overview(ws, Y2)]  # its error shows in every year's list


def test_the_terminal_says_when_nothing_was_rewritten(tmp_path):
    folder = tmp_path / "w"
    ws = Workspace(folder)
    inbox = tmp_path / "ind"
    inbox.mkdir()
    _answer(ws, Y1, 0, inbox)
    runner = CliRunner()
    first = runner.invoke(app, ["indlaes", str(inbox), "--mappe", str(folder)], env={"COLUMNS": "120"})
    assert first.exit_code == 0, first.output
    assert "Samlet overblik:" in first.output
    again = runner.invoke(app, ["indlaes", str(inbox), "--mappe", str(folder)], env={"COLUMNS": "120"})
    assert again.exit_code == 0, again.output
    assert "Samlet overblik:" not in again.output
    assert "de samlede overblik er uændrede" in " ".join(again.output.split())
