"""`--json` on tjek, indlaes and status: the documented, stable schema."""

import json

from typer.testing import CliRunner

from toolkit.cli import app

from conftest import EVEN_YEAR, one_form_per_type
from fill import answered_copy

runner = CliRunner()
FILE_KEYS = {"fil", "sti", "resultat", "skema", "respondent", "aar", "gyldig", "fejl", "problemer"}
ISSUE_KEYS = {
    "code",
    "severity",
    "title",
    "message",
    "file",
    "respondent",
    "skema",
    "sheet",
    "row",
    "column",
    "cell",
    "line",
    "key",
}


def test_tjek_json_names_each_file_with_its_result_and_problems(forms_dir, tmp_path):
    good = one_form_per_type(forms_dir)[3]  # a kommune form, untouched
    bad = tmp_path / "svar.xlsx"
    bad.write_bytes(b"PK\x03\x04 ikke et rigtigt regneark")
    r = runner.invoke(app, ["tjek", str(good), str(bad), "--json"])
    data = json.loads(r.stdout)
    assert data["version"] == 1 and data["ok"] is False and r.exit_code == 1
    by_name = {f["fil"]: f for f in data["filer"]}
    assert set(by_name) == {good.name, "svar.xlsx"}
    assert all(set(f) == FILE_KEYS for f in data["filer"])
    refused = by_name["svar.xlsx"]
    assert refused["resultat"] == "afvist" and refused["gyldig"] is False
    assert refused["problemer"][0]["code"] == "ulaeselig-fil"
    assert set(refused["problemer"][0]) == ISSUE_KEYS
    assert by_name[good.name]["skema"] == "kommune"


def test_indlaes_and_status_json(forms_dir, tmp_path, sd, defs):
    src = next(p for p in one_form_per_type(forms_dir) if "_kommune_" in p.name)
    inbox = tmp_path / "ind"
    inbox.mkdir()
    answered_copy(src, inbox / src.name, sd, defs, EVEN_YEAR)
    w = str(tmp_path / "w")
    r = runner.invoke(app, ["indlaes", str(inbox), "--mappe", w, "--aar", str(EVEN_YEAR), "--json"])
    data = json.loads(r.stdout)
    assert [f["resultat"] for f in data["filer"]] == ["ny"] and data["antal"] == {"ny": 1}
    assert data["samlet"] and data["samlet"][0].endswith(f"{EVEN_YEAR}_samlet.xlsx")
    r = runner.invoke(app, ["status", "--aar", str(EVEN_YEAR), "--mappe", w, "--json"])
    status = json.loads(r.stdout)
    kommune = [s for s in status["svar"] if s["skema"] == "kommune"]
    answered = [s for s in kommune if s["status"] != "mangler"]
    assert len(answered) == 1 and answered[0]["fil"] == src.name
    assert len(kommune) == 11 and all(s["frist"] for s in kommune)
