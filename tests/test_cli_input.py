"""What the user types decides: the year follows a given date, a folder without a database is named
instead of silently filled, respondents are found by name or id, reminders before the deadline are
friendly."""

import subprocess
import sys

import pytest
from docx import Document
from typer.testing import CliRunner

from toolkit import Workspace
from toolkit.cli import app
from toolkit.problems import UsageError

from fill import fill_form

runner = CliRunner()
NO_DB = "Ingen skema-database i"


def flat(text: str) -> str:
    return " ".join(text.split())


def _folder_with(tmp_path, aar: int, who: str = "laesoe"):
    """A working folder whose store holds one kommune return for `aar` (Læsø Kommune, K825)."""
    ws = Workspace(tmp_path / "w")
    forms, _skipped, _dir = ws.generate(aar, ["kommune"])
    inbox = tmp_path / f"in{aar}"
    inbox.mkdir()
    k = next(f.path for f in forms if who in f.path.name)
    fill_form(k, {f"kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.{aar + 1}": 2}, inbox / k.name)
    ws.ingest([inbox], years=[])
    return tmp_path / "w"


@pytest.fixture(scope="module")
def w2026(tmp_path_factory):
    return _folder_with(tmp_path_factory.mktemp("aar2026"), 2026)


def test_the_meeting_date_decides_the_year_when_aar_is_not_given(w2026):
    r = runner.invoke(app, ["bilag", "--moede", "2026-05-20", "--mappe", str(w2026)])
    assert r.exit_code == 0, r.output
    assert (w2026 / "output" / "2026" / "2026_bilag_das_2026-05-20.docx").exists()
    assert not (w2026 / "output" / "2027").exists()


def test_the_hearing_deadline_decides_the_year_and_a_year_without_data_is_said(w2026, tmp_path):
    r = runner.invoke(app, ["hoering", "--frist", "2099-05-10", "--mappe", str(w2026)])
    assert r.exit_code == 0, r.output
    assert (w2026 / "output" / "2099" / "hoering" / "2099_hoeringsmateriale.docx").exists()
    assert "Databasen har ingen indlæste svar for 2099, kun for 2026" in flat(r.output)


def test_status_for_a_year_without_data_names_the_years_that_have_some(w2026):
    r = runner.invoke(app, ["status", "--aar", "2027", "--mappe", str(w2026)])
    assert r.exit_code == 0, r.output
    assert "Databasen har ingen indlæste svar for 2027, kun for 2026 (brug --aar 2026)" in flat(r.output)
    r = runner.invoke(app, ["status", "--aar", "2026", "--mappe", str(w2026)])
    assert "Databasen har ingen" not in flat(r.output)


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--aar", "2028"],
        ["samlet", "--aar", "2028"],
        ["eksport"],
        ["historik", "K825"],
        ["rykkerliste", "--aar", "2028"],
        ["rykker", "--aar", "2028"],
        ["bilag", "--moede", "2028-05-20"],
        ["hoering", "--frist", "2099-05-10"],
    ],
)
def test_read_only_commands_never_create_a_database(tmp_path, command):
    folder = tmp_path / "ikke_arbejdsmappe"
    r = runner.invoke(app, [*command, "--mappe", str(folder)])
    assert isinstance(r.exception, UsageError), r.output
    assert str(r.exception) == (f"{NO_DB} {folder} – kør kommandoen i arbejdsmappen eller brug --mappe.")
    assert not folder.exists()


def test_no_database_is_one_danish_line_and_exit_2(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "toolkit", "status", "--aar", "2028", "--mappe", str(tmp_path / "x")],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and NO_DB in flat(p.stderr) and "Traceback" not in p.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("who", ["K825", "k825", "Læsø Kommune", "læsø kommune", "LÆSØ", " Læsø "])
def test_historik_finds_a_respondent_by_id_or_name_in_any_case(w2026, who):
    r = runner.invoke(app, ["historik", who, "--mappe", str(w2026)])
    assert r.exit_code == 0, r.output
    assert "Historik for Læsø Kommune (K825)" in flat(r.output) and "kommune_laesoe" in flat(r.output)


@pytest.mark.parametrize("typed,suggested", [("Læsø Komune", "Læsø Kommune (K825)"), ("K852", "K851")])
def test_historik_suggests_near_matches_for_an_unknown_respondent(w2026, typed, suggested):
    r = runner.invoke(app, ["historik", typed, "--mappe", str(w2026)])
    assert isinstance(r.exception, UsageError), r.output
    assert f"Ukendt respondent '{typed}'" in str(r.exception) and suggested in str(r.exception)


def test_reminders_before_the_deadline_say_so_and_remind_kindly(tmp_path):
    w = _folder_with(tmp_path, 2099)
    r = runner.invoke(app, ["rykker", "--aar", "2099", "--mappe", str(w)])
    assert r.exit_code == 0, r.output
    assert "Ingen frist er overskredet endnu" in flat(r.output)
    letter = next((w / "output" / "2099" / "rykkere").glob("*.docx"))
    text = "\n".join(p.text for p in Document(str(letter)).paragraphs)
    assert "Husk fristen" in text and "hurtigst muligt" not in text
