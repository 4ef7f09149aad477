"""The terminal speaks Danish: Typer's and Click's own words (usage line, placeholders, defaults,
errors) and tables that fit an 80-column terminal."""

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

# Typer's and Click's own words and Python's type names, as they show when Typer draws the page itself
ENGLISH = re.compile(
    r"Usage|OPTIONS|Options|Arguments|Commands|COMMAND|ARGS|default|required|Show this message|env var"
    r"|\b(TEXT|INTEGER|PATH|BOOLEAN|FLOAT|FILENAME|DIRECTORY|None)\b"
    r"|<(bool|int|str|float|path|Path|list\[[^>]*\])>|list\[|\{[A-ZÆØÅ]+\}"
)


def run(*args: str, columns: int = 100):
    env = {"COLUMNS": str(columns), "TERMINAL_WIDTH": str(columns)}
    return CliRunner().invoke(app, list(args), env=env)


def flat(text: str) -> str:
    return " ".join(text.split())


def _all_commands() -> list[list[str]]:
    """Every command path of `skema`, the group itself first, found from the app (a new command is walked too)."""
    import click
    import typer.main

    root = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(command, path: list[str]) -> None:
        found.append(path)
        if isinstance(command, click.Group) or hasattr(command, "list_commands"):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), [*path, name])

    walk(root, [])
    return found


def test_walk_finds_every_command():
    paths = {" ".join(p) for p in _all_commands()}
    assert {"", "indlaes", "bilag", "web", "skabeloner", "skabeloner tjek"} <= paths and len(paths) >= 20


@pytest.mark.parametrize("columns", [80, 120])
def test_every_help_page_is_danish_and_fits(columns):
    """Every command's --help, at 80 and 120 columns: no English chrome word, no Python type name, no
    line wider than the terminal, and the usage line in Danish."""
    for command in _all_commands():
        r = run(*command, "--help", columns=columns)
        assert r.exit_code == 0, (command, r.output)
        out = r.output
        hit = ENGLISH.search(out)
        assert hit is None, (command, columns, hit and hit.group(0), out)
        assert "Brug: skema" in flat(out) and "[TILVALG]" in out, command
        assert max(len(line) for line in out.splitlines()) <= columns, (command, out)


def test_arguments_read_as_danish_placeholders():
    """Positional arguments show our names (STI..., [MAPPE]), in the usage line and in the table."""
    out = flat(run("indlaes", "--help").output)
    assert "Brug: skema indlaes [TILVALG] STI..." in out and "* STI..." in out
    assert "Brug: skema init [TILVALG] [MAPPE]" in flat(run("init", "--help").output)
    assert "Brug: skema ret [TILVALG] RESPONDENT FELT VÆRDI" in flat(run("ret", "--help").output)
    web = flat(run("web", "--help").output)
    assert "--port PORT" in web and "[standard: 8765]" in web and "--vaert ADRESSE" in web


def test_help_shows_danish_placeholders_defaults_and_required():
    out = flat(run("bilag", "--help").output)
    assert "Brug: skema bilag [TILVALG]" in out
    assert "[skal angives]" in out
    assert "[standard: .]" not in out  # the help text says "(standard: den aktuelle)" in words
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


def test_indlaes_fits_80_columns_and_folds_files_already_read(forms_dir, tmp_path):
    """In an 80-column terminal no line is wider than 80 and no file name or respondent is split
    mid-word; a second run says "N filer var allerede indlæst" once instead of a row per file."""
    from fill import fill_form

    inbox = tmp_path / "in"
    inbox.mkdir()
    for pattern, answers in (
        ("*_kommune_frederikshavn*", {"kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": 2}),
        ("*_aarsrapport_enheden_for_svaere*", {"aarsrapport.bekymring": "Nej"}),
        ("*_indmelding_region_nordjylland*", {"indmelding.indmelder": "Nej"}),
    ):
        src = sorted(forms_dir.glob(pattern + ".xlsx"))[0]
        fill_form(src, answers, inbox / src.name)
    env = {**_env(), "COLUMNS": "80", "TERMINAL_WIDTH": "80"}
    cmd = [sys.executable, "-m", "toolkit", "indlaes", str(inbox), "--mappe", str(tmp_path / "w"), "--aar", "2028"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env).stdout
    assert max(len(line) for line in first.splitlines()) <= 80, first
    assert "Frederikshavn Kommune" in first and "Enheden for Svære" in first  # names whole on one line
    assert "Besked" in first and "mangler-obligatorisk" in first
    second = subprocess.run(cmd, capture_output=True, text=True, env=env).stdout
    assert "3 filer var allerede indlæst" in flat(second)
    assert second.count("allerede indlæst") == 2, second  # the folded line and the summary
    assert max(len(line) for line in second.splitlines()) <= 80, second


def test_aarshjul_fits_80_columns_with_dates_on_one_line(tmp_path):
    env = {**_env(), "COLUMNS": "80", "TERMINAL_WIDTH": "80"}
    p = subprocess.run(
        [sys.executable, "-m", "toolkit", "aarshjul", "--aar", "2028", "--mappe", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    assert max(len(line) for line in p.stdout.splitlines()) <= 80, p.stdout
    assert "15. jan. – 1. mar." in p.stdout and "20. maj" in p.stdout  # the year is in the title
    assert not (tmp_path / "skema.sqlite").exists()


def test_written_documents_are_listed_by_name_under_their_folder_in_80_columns(tmp_path):
    from toolkit import Workspace

    from fill import fill_form

    ws = Workspace(tmp_path / "w")
    forms, _skipped, _dir = ws.generate(2099, ["kommune"])
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill_form(forms[0].path, {"kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2100": 1}, inbox / forms[0].path.name)
    ws.ingest([inbox], years=[])
    env = {**_env(), "COLUMNS": "80", "TERMINAL_WIDTH": "80"}
    p = subprocess.run(
        [sys.executable, "-m", "toolkit", "rykker", "--aar", "2099", "--mappe", str(tmp_path / "w")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    table = [line for line in p.stdout.splitlines() if not line.startswith("Mappe: ")]  # a path is not cut
    assert max(len(line) for line in table) <= 80, p.stdout
    letters = sorted((tmp_path / "w" / "output" / "2099" / "rykkere").glob("*.docx"))
    assert len(letters) >= 10
    for letter in letters:
        if len(letter.name) <= 58:  # what fits beside the status column; longer names fold
            assert letter.name in p.stdout, letter.name  # whole, on one line
    assert f"Mappe: {tmp_path / 'w' / 'output' / '2099' / 'rykkere'}" in p.stdout
