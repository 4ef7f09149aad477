from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


def flat(text: str) -> str:
    """Rich wraps lines at the terminal width; compare on words."""
    return " ".join(text.split())


def test_generer_writes_forms_and_never_overwrites(tmp_path):
    out = tmp_path / "ud"
    r = runner.invoke(
        app, ["generer", "--aar", "2028", "--skema", "aarsrapport", "--ud", str(out), "--mappe", str(tmp_path)]
    )
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in out.glob("*.xlsx"))
    assert len(files) == 8 and all(f.startswith("2028_aarsrapport_") for f in files)
    assert "2028_aarsrapport_center_for_tale_og_hjerneskade_nord_aalborg_kommune.xlsx" in files
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.xlsx")}
    r = runner.invoke(
        app, ["generer", "--aar", "2028", "--skema", "aarsrapport", "--ud", str(out), "--mappe", str(tmp_path)]
    )
    assert r.exit_code == 0 and "8 fandtes allerede" in flat(r.output)
    assert before == {p: p.stat().st_mtime_ns for p in out.glob("*.xlsx")}
    assert not list(out.glob(".~tmp_*"))


def test_udmelding_is_skipped_in_odd_years_with_a_reason(tmp_path):
    r = runner.invoke(app, ["generer", "--aar", "2027", "--skema", "udmelding", "--ud", str(tmp_path)])
    assert r.exit_code == 0
    assert "kun i lige år" in flat(r.output) and not list(tmp_path.glob("*.xlsx"))


def test_unknown_form_is_a_usage_error_in_danish(tmp_path):
    import subprocess
    import sys

    p = subprocess.run(
        [sys.executable, "-m", "toolkit", "generer", "--skema", "foo", "--ud", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2
    assert "Ukendt skema 'foo'" in flat(p.stderr) and "Traceback" not in p.stderr


def test_broken_stamdata_gives_one_danish_error_not_a_traceback(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "stamdata.xlsx"
    bad.write_bytes(b"not a workbook")
    p = subprocess.run(
        [sys.executable, "-m", "toolkit", "generer", "--stamdata", str(bad), "--ud", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and "Stamdata i stamdata.xlsx" in flat(p.stderr) and "Traceback" not in p.stderr


def test_init_copies_stamdata_and_definitions_once(tmp_path):
    r = runner.invoke(app, ["init", str(tmp_path)])
    assert r.exit_code == 0
    assert (tmp_path / "stamdata.xlsx").exists()
    assert (tmp_path / "skabeloner" / "skemaer" / "kommune.yaml").exists()
    assert (tmp_path / "skabeloner" / "bilag_das.docx").exists()
    (tmp_path / "stamdata.xlsx").write_bytes(b"mine")
    r = runner.invoke(app, ["init", str(tmp_path)])
    assert "findes allerede" in flat(r.output) and (tmp_path / "stamdata.xlsx").read_bytes() == b"mine"


def test_every_command_has_danish_help_and_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    import typer.main

    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():
        assert cmd.help, name
        assert f"skema {name}" in readme, f"README mangler 'skema {name}'"


def test_indlaes_status_eksport_historik_ret_rykkerliste(forms_dir, tmp_path):
    import json

    from fill import fill_form

    inbox = tmp_path / "in"
    inbox.mkdir()
    k = sorted(forms_dir.glob("*_kommune_laesoe*.xlsx"))[0]
    fill_form(k, {"kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": "2,5"}, inbox / k.name)
    w = str(tmp_path / "w")
    r = runner.invoke(app, ["indlaes", str(inbox), "--mappe", w])
    assert r.exit_code == 1, r.output  # the return lacks required answers: reported, exit 1
    out = flat(r.output)
    assert "1 ny," in out and "mangler-obligatorisk" in out and "2028_samlet.xlsx" in out.replace(" ", "")
    assert (tmp_path / "w" / "output" / "2028" / "2028_samlet.xlsx").exists()
    r = runner.invoke(app, ["status", "--aar", "2028", "--mappe", w])
    assert r.exit_code == 0 and "1 af 11 modtaget" in flat(r.output)
    r = runner.invoke(
        app,
        [
            "ret",
            "K825",
            "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029",
            "4,5",
            "--begrundelse",
            "Telefon",
            "--aar",
            "2028",
            "--mappe",
            w,
        ],
    )
    assert r.exit_code == 0, r.output
    assert "T01-Y1.forventet_pladser.2029 for K825 (2028) = 4,5." in flat(r.output)  # Danish, not Python's repr
    r = runner.invoke(app, ["eksport", "--format", "json", "--ud", str(tmp_path / "e.json"), "--mappe", w])
    rows = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert [x["vaerdi"] for x in rows if x["felt"].endswith("T01-Y1.forventet_pladser.2029")] == [4.5]
    r = runner.invoke(app, ["historik", "K825", "--mappe", w])
    assert k.name in flat(r.output).replace(" ", "") and "Telefon" in flat(r.output)
    r = runner.invoke(app, ["rykkerliste", "--aar", "2028", "--mappe", w])
    assert r.exit_code == 0 and "42 manglende" in flat(r.output)
    r = runner.invoke(app, ["indlaes", str(inbox), "--mappe", w])
    assert "allerede indlæst" in flat(r.output)


def test_eksport_rejects_unknown_format(tmp_path):
    import subprocess
    import sys

    p = subprocess.run(
        [sys.executable, "-m", "toolkit", "eksport", "--format", "xml", "--mappe", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and "Ukendt format 'xml'" in flat(p.stderr)


def test_help_chrome_is_danish():
    r = runner.invoke(app, ["--help"])
    out = flat(r.output)
    assert "Vis denne hjælp og afslut." in out and "Kommandoer" in out and "Tilvalg" in out
    assert "Show this message" not in out and "Options" not in out and "Commands" not in out
    for command in (["indlaes"], ["skabeloner", "tjek"]):
        r = runner.invoke(app, [*command, "--help"])
        out = flat(r.output)
        assert r.exit_code == 0 and "Vis denne hjælp og afslut." in out and "Tilvalg" in out, command
        assert "Show this message" not in out and "Options" not in out, command
    assert "Argumenter" in flat(runner.invoke(app, ["indlaes", "--help"]).output)
