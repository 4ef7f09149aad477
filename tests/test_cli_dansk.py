"""The terminal speaks Danish: Typer's and Click's own words (usage line, placeholders, defaults,
errors) and tables that fit an 80-column terminal."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

# Typer >= 0.29 prints an argument's Python type ("<list[Path]>", "<str>") with no public means to
# rename it; options get our metavars, so their types never show.
ENGLISH = ("Usage:", "[OPTIONS]", "[default:", "[required]", "<bool>", "<path>", "<int>", "COMMAND")


def run(*args: str, columns: int = 100):
    env = {"COLUMNS": str(columns), "TERMINAL_WIDTH": str(columns)}
    return CliRunner().invoke(app, list(args), env=env)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("command", [[], ["bilag"], ["indlaes"], ["status"], ["skabeloner", "tjek"], ["historik"]])
def test_help_pages_have_no_english_chrome(command):
    r = run(*command, "--help")
    assert r.exit_code == 0, r.output
    out = r.output
    for word in ENGLISH:
        assert word not in out, (command, word)
    assert "Brug: skema" in flat(out)


def test_help_shows_danish_placeholders_defaults_and_required():
    out = flat(run("bilag", "--help").output)
    assert "Brug: skema bilag [TILVALG]" in out
    assert "[standard: .]" in out and "[skal angives]" in out
    assert "DATO" in out and "ÅR" in out and "MAPPE" in out
    assert "KOMMANDO" in flat(run("--help").output)


def _error(*args: str) -> str:
    p = subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, env=_env())
    assert p.returncode == 2, p
    return flat(p.stderr)


def _env():
    import os

    return {**os.environ, "COLUMNS": "200", "TERMINAL_WIDTH": "200"}


def test_unknown_command_is_danish_with_a_suggestion():
    err = _error("statsu")
    assert "Ukendt kommando 'statsu'. Mente du status?" in err and "No such command" not in err
    assert "Brug:" in err and "[TILVALG] KOMMANDO" in err and "Usage:" not in err


def test_invalid_year_missing_option_and_unknown_option_are_danish():
    err = _error("status", "--aar", "x")
    assert "Ugyldig værdi for '--aar': 'x' er ikke et årstal (skriv fx 2028)." in err
    assert "Invalid value" not in err and "Input should be" not in err
    err = _error("bilag")
    assert "Mangler tilvalget '--moede'." in err and "Missing option" not in err
    err = _error("status", "--aarr", "2028")
    assert "Ukendt tilvalg '--aarr'" in err and "--aar" in err and "No such option" not in err
