"""The annual cycle is data (skabeloner/skemaer/aarshjul.yaml): the bodies and the activities with their
dates, parity, order and cancellation rule load with positions; a region adds an activity without
code; an order broken by the Frister sheet is a stamdata error naming both rows."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.definitions import load_aarshjul, load_definitions
from toolkit.problems import DefinitionError
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
