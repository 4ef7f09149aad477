"""The annual cycle is data (skabeloner/skemaer/aarshjul.yaml): the bodies and the activities with their
dates, parity, order and cancellation rule load with positions; a region adds an activity without
code; an order broken by the Frister sheet is a stamdata error naming both rows."""

from __future__ import annotations

import datetime as dt
import html
import os
import subprocess
import sys

import openpyxl
import pytest

from toolkit.definitions import load_aarshjul, load_definitions
from toolkit.problems import DefinitionError, StamdataError
from toolkit.workspace import Workspace, init_workspace

D = dt.date


def edited_copy(tmp_path, old: str, new: str):
    """A workspace whose definitions folder has aarshjul.yaml with `old` replaced by `new`."""
    init_workspace(tmp_path)
    path = tmp_path / "skabeloner" / "skemaer" / "aarshjul.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_bundled_cycle_is_the_nordjylland_model():
    aj = load_aarshjul()
    assert [a.noegle for a in aj.aktiviteter] == [
        "udsendelse",
        "vurdering_fortsat",
        "indmelding",
        "udmelding",
        "kommune",
        "ekspertpanel",
        "aarsrapport",
        "ekspertpanel_status",
        "hoering",
        "das",
        "rammeaftale",
    ]
    assert (aj.organ("das").navn, aj.organ("das").kort) == ("Den Administrative Styregruppe", "DAS")
    assert aj.organ("ekspertpanel").navn == "Ekspertpanelet"
    assert aj.aktivitet("udsendelse").standarddato(2027) == D(2027, 2, 1)  # Monday of week 5
    assert aj.aktivitet("das").standarddato(2027) == D(2027, 5, 20)
    assert aj.aktivitet("rammeaftale").startdato(2027) == D(2027, 8, 1)
    assert aj.tekst(aj.aktivitet("hoering").titel) == "Frist: aftaleparternes høringssvar (før DAS-mødet)"


def test_former_keys_find_the_renamed_activities():
    aj = load_aarshjul()
    assert aj.aktivitet("das_maj").noegle == "das"
    assert aj.aktivitet("ekspertpanel_marts").noegle == "ekspertpanel"
    assert aj.aktivitet("ekspertpanel_april").noegle == "ekspertpanel_status"
    with pytest.raises(KeyError):
        aj.aktivitet("kkr")


def test_init_copies_the_cycle_and_the_workspace_loads_the_copy(tmp_path):
    path = edited_copy(tmp_path, "navn: Den Administrative Styregruppe, kort: DAS", "navn: Styregruppen, kort: SG")
    defs = Workspace(tmp_path).defs
    assert defs.aarshjul.organ("das").kort == "SG"
    assert defs.aarshjul.kilde == "aarshjul.yaml"
    assert defs.aarshjul.linje("das") == line_of(path, '"05-20"')
    assert load_definitions().aarshjul.organ("das").kort == "DAS"  # the bundled file is untouched


def test_a_copy_made_before_the_cycle_file_existed_uses_the_bundled_one(tmp_path):
    init_workspace(tmp_path)
    (tmp_path / "skabeloner" / "skemaer" / "aarshjul.yaml").unlink()
    assert Workspace(tmp_path).defs.aarshjul == load_aarshjul()


@pytest.mark.parametrize(
    "old,new,needle,message",
    [
        ('dato: "05-20"', 'dato: "05-32"', '"05-32"', "'05-32' er ikke en dato som MM-DD"),
        ("paritet: lige\n    efter", "paritet: hvert\n    efter", "paritet: hvert", "forventet 'alle', 'lige' eller"),
        ("organ: das\n", "organ: kkr\n", "organ: kkr", "ukendt organ 'kkr'"),
        ("efter: [hoering, ekspertpanel_status]", "efter: [hoering, dialog]", "efter: [hoering, dialog]", "'dialog'"),
        ("    uge: 5\n", "", "noegle: udsendelse", "angiv enten dato (MM-DD) eller uge"),
        ("skema: kommune", "skema: kommuner", "skema: kommuner", "ukendt skema 'kommuner'"),
        ("{organ.das.kort} beslutter", "{organ.kkr} beslutter", "{organ.kkr} beslutter", "ukendte organ 'kkr'"),
        ('note: "{das_tekst}"', 'note: "{das_tekstt}"', "{das_tekstt}", "ukendt pladsholder {das_tekstt}"),
        ("aliaser: [das_maj]", "aliaser: [ekspertpanel_marts]", "aliaser: [ekspertpanel_marts]", "bruges allerede"),
        ("efter: [das]", "efter: [das]\n    ugedag: fredag", "noegle: rammeaftale", "ugedag kræver uge"),
        ("efter: [indmelding]", "efter: [indmelding, rammeaftale]", "[indmelding, rammeaftale]", "går i ring"),
        ("  - {id: das, navn", "  - {id: dasx, navn", "organer:\n", "organet 'das' mangler"),
    ],
)
def test_a_broken_cycle_file_is_refused_with_file_and_line(tmp_path, old, new, needle, message):
    path = edited_copy(tmp_path, old, new)
    with pytest.raises(DefinitionError) as err:
        load_definitions(path.parent)  # loaded, and refused, with the form definitions
    problem = next(i for i in err.value.issues if message in i.message)
    text = path.read_text(encoding="utf-8")
    expected = text[: text.rindex(needle)].count("\n") + 1  # (the last: a duplicate is reported at the second)
    assert (problem.file, problem.line) == ("aarshjul.yaml", expected)
    assert f"aarshjul.yaml har {len(err.value.issues)} fejl" in str(err.value)


# --- a year's activities ------------------------------------------------------------------------
KKR_ORGAN = "  - {id: kkr, navn: KKR Nordjylland, kort: KKR}\n"
KKR = """
  - noegle: kkr
    titel: "{organ.kkr.kort}-møde om {organ.das.kort}-indstillingen"
    organ: kkr
    dato: "06-10"
    paritet: lige
    efter: [das]
"""


def with_kkr(tmp_path):
    """A workspace whose aarshjul.yaml has a KKR meeting in June of even years: data only."""
    path = edited_copy(tmp_path, "organer:\n", "organer:\n" + KKR_ORGAN)
    path.write_text(path.read_text(encoding="utf-8") + KKR, encoding="utf-8")
    return path


def test_a_region_adds_a_kkr_meeting_with_no_code(tmp_path):
    with_kkr(tmp_path)
    ws = Workspace(tmp_path)
    acts = {s.activity.key: s.activity for s in ws.cycle(2028, D(2028, 1, 10))}
    kkr = acts["kkr"]
    assert (kkr.titel, kkr.dato, kkr.organ) == ("KKR-møde om DAS-indstillingen", D(2028, 6, 10), "kkr")
    assert [a.key for a in sorted(acts.values(), key=lambda a: a.dato)][-2:] == ["kkr", "rammeaftale"]
    assert "kkr" not in {s.activity.key for s in ws.cycle(2029, D(2029, 1, 10))}  # paritet: lige
    ics = ws.calendar(2028, tmp_path / "hjul.ics").read_text(encoding="utf-8")
    assert "SUMMARY:KKR-møde om DAS-indstillingen" in ics


def test_skema_aarshjul_shows_the_kkr_meeting(tmp_path):
    with_kkr(tmp_path)
    out = run_skema("aarshjul", "--aar", "2028", "--mappe", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "KKR-møde om DAS-indstillingen" in " ".join(out.stdout.split())
    assert "10. jun." in out.stdout


def test_the_web_page_shows_the_kkr_meeting_and_a_broken_order_as_the_commands_line(tmp_path):
    from web_server import request, running_server

    with_kkr(tmp_path)
    frister_rows(tmp_path, [("ekspertpanel", D(2027, 3, 25))], move={"indmelding": D(2027, 4, 1)})
    with running_server(tmp_path) as url:
        status, _, page = request(url, "GET", "/?aar=2028")
        assert status == 200
        assert "KKR-møde om DAS-indstillingen" in page.decode()
        for path in ("/?aar=2027", "/status?aar=2027"):
            status, _, page = request(url, "GET", path)
            text = html.unescape(page.decode())
            assert status == 500 and "Traceback" not in text
            assert "Årshjulet 2027: Ekspertpanelet vurderer eksisterende og indmeldte tilbud (Frister række" in text


def test_a_frister_row_under_a_former_key_moves_the_renamed_activity(tmp_path):
    sheet = frister_rows(tmp_path, [("das_maj", D(2027, 9, 14)), ("ekspertpanel_april", D(2027, 4, 30))])
    ws = Workspace(tmp_path)
    acts = {s.activity.key: s.activity for s in ws.cycle(2027, D(2027, 1, 10))}
    assert acts["das"].dato == D(2027, 9, 14) and acts["das"].kilde == f"Frister række {sheet['das_maj']}"
    assert acts["ekspertpanel_status"].dato == D(2027, 4, 30)
    assert acts["das"].titel.startswith("DAS beslutter")  # the title names the body, not the month
    assert acts["das"].dato == D(2027, 9, 14) and {a.dato for a in acts.values()} >= {D(2027, 5, 10)}


# --- the order check (issue 16, item 5) ---------------------------------------------------------
def run_skema(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "400", "TERMINAL_WIDTH": "400"}  # the error is one line, not wrapped
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, env=env)


def frister_rows(tmp_path, rows: list[tuple[str, dt.date]], move: dict[str, dt.date] | None = None) -> dict[str, int]:
    """Edit the workspace's stamdata.xlsx as a user would: change the date of existing Frister rows
    (`move`: skema -> new date, same year) and add `rows`. Returns skema -> row number."""
    if not (tmp_path / "stamdata.xlsx").exists():
        init_workspace(tmp_path)
    path = tmp_path / "stamdata.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Frister"]
    where = {}
    for r in range(2, ws.max_row + 1):
        skema, dato = ws.cell(r, 1).value, ws.cell(r, 2).value
        if move and skema in move and dato.year == move[skema].year:
            ws.cell(r, 2).value = move[skema]
            where[skema] = r
    for skema, dato in rows:
        ws.append([skema, dato])
        where[skema] = ws.max_row
    wb.save(path)
    return where


def test_an_activity_before_one_it_must_follow_is_a_stamdata_error_naming_both_rows(tmp_path):
    rows = frister_rows(tmp_path, [("ekspertpanel_marts", D(2027, 3, 25))], move={"indmelding": D(2027, 4, 1)})
    with pytest.raises(StamdataError) as err:
        Workspace(tmp_path).cycle(2027, D(2027, 1, 10))
    assert str(err.value) == (
        f"Årshjulet 2027: Ekspertpanelet vurderer eksisterende og indmeldte tilbud (Frister række "
        f"{rows['ekspertpanel_marts']}, 25. marts 2027) ligger før fristen for indmelding af nye tilbud (Frister "
        f"række {rows['indmelding']}, 1. april 2027). Ret datoen i arket Frister i stamdata."
    )
    [issue] = err.value.issues
    assert (issue.code, issue.file, issue.sheet, issue.row) == (
        "stamdata-raekkefoelge",
        "stamdata.xlsx",
        "Frister",
        rows["ekspertpanel_marts"],
    )
    assert [s.activity.key for s in Workspace(tmp_path).cycle(2028, D(2028, 1, 10))]  # other years are fine


def test_a_date_from_the_definition_is_named_by_its_line(tmp_path):
    """The panel keeps the file's 25 March; the Frister sheet moves the nomination deadline past it."""
    rows = frister_rows(tmp_path, [], move={"indmelding": D(2027, 3, 26)})
    line = line_of(tmp_path / "skabeloner" / "skemaer" / "aarshjul.yaml", 'dato: "03-25"')
    with pytest.raises(StamdataError) as err:
        Workspace(tmp_path).cycle(2027, D(2027, 1, 10))
    assert f"(aarshjul.yaml linje {line}, 25. marts 2027) ligger før fristen for indmelding" in str(err.value)
    assert f"(Frister række {rows['indmelding']}, 26. marts 2027)" in str(err.value)


def test_an_order_broken_in_the_definition_alone_names_its_lines(tmp_path):
    path = edited_copy(tmp_path, 'dato: "05-10"', 'dato: "05-25"')
    with pytest.raises(StamdataError) as err:
        Workspace(tmp_path).cycle(2027, D(2027, 1, 10))
    das, hoering = line_of(path, 'dato: "05-20"'), line_of(path, 'dato: "05-25"')
    assert str(err.value) == (
        f"Årshjulet 2027: DAS beslutter, hvilke tilbud der omfattes fra 1. januar; årlig statusdrøftelse "
        f"(aarshjul.yaml linje {das}, 20. maj 2027) ligger før fristen for aftaleparternes høringssvar (før "
        f"DAS-mødet) (aarshjul.yaml linje {hoering}, 25. maj 2027). Ret datoen i aarshjul.yaml."
    )
    assert [(i.file, i.line) for i in err.value.issues] == [("aarshjul.yaml", das)]


@pytest.fixture(scope="module")
def broken_order(tmp_path_factory):
    """A folder with a store whose 2027 Frister put the panel before the nomination deadline."""
    folder = tmp_path_factory.mktemp("raekkefoelge")
    frister_rows(folder, [("ekspertpanel", D(2027, 3, 25))], move={"indmelding": D(2027, 4, 1)})
    with Workspace(folder).writing():
        pass  # an empty store: the commands that read answers run
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["aarshjul"],
        ["generer", "--skema", "indmelding"],
        ["status"],
        ["samlet"],
        ["rykkerliste"],
        ["rykker"],
        ["hoering", "--frist", "2027-05-10"],
        ["bilag", "--moede", "2027-05-20"],
    ],
)
def test_every_command_that_uses_the_cycle_reports_a_broken_order_in_one_line(broken_order, command):
    out = run_skema(*command, "--aar", "2027", "--mappe", str(broken_order))
    assert out.returncode == 2, out.stdout + out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("Fejl: Årshjulet 2027: Ekspertpanelet vurderer")
    assert "ligger før fristen for indmelding af nye tilbud (Frister række" in lines[0]
    assert "Traceback" not in out.stdout + out.stderr
