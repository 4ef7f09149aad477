"""Levels (Specialiseringsniveau, the 'dynamiske tredeling') and clusters of municipalities: the
stamdata sheets Niveauer, Niveauhistorik and Klynger, forms per level and per cluster, and a change
of level in the consolidated workbook and the bilag."""

import datetime as dt
import shutil
from dataclasses import replace

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.consolidate.niveauer import level_changes
from toolkit.consolidate.year import consolidate
from toolkit.definitions import load_definitions
from toolkit.definitions.expand import plan_form
from toolkit.definitions.load import bundled_definitions_dir
from toolkit.demo.simulate import Simulator
from toolkit.documents.produce import write_bilag
from toolkit.fieldkeys import parse_key
from toolkit.forms.generate import generate_forms, planned_forms
from toolkit.problems import DefinitionError, StamdataError, UsageError
from toolkit.returns.read import read_return
from toolkit.stamdata import load_stamdata, write_stamdata
from toolkit.stamdata.example import example_stamdata
from toolkit.stamdata.model import Klynge, Niveau, Niveauskift
from toolkit.store import Store

from fill import fill_form, plan_for

NIVEAUER = [
    Niveau(id="N1", navn="Mest specialiserede tilbud", beskrivelse="Stærk gensidig forpligtelse"),
    Niveau(id="N2", navn="Specialiserede tilbud", beskrivelse="Klynger af kommuner"),
    Niveau(id="N3", navn="Generelle tilbud"),
]
# T01-T03 on N1; T04 and T05 on N2 (T04 by name, any case); T06-T08 on N3
LEVEL_OF = {"T01": "N1", "T02": "N1", "T03": "N1", "T04": "specialiserede TILBUD", "T05": "N2"}


def levelled_stamdata(aar: int = 2027):
    """The Nordjylland example on three levels: T05 moves down to N3 and T07 up to N2 in 2028, T06's
    history says N3 from 2026 (no change); cluster K1 is four municipalities in the west around T04
    and T07."""
    sd = example_stamdata(aar)
    return sd.model_copy(
        update={
            "tilbud": [t.model_copy(update={"specialiseringsniveau": LEVEL_OF.get(t.id, "N3")}) for t in sd.tilbud],
            "niveauer": NIVEAUER,
            "niveauhistorik": [
                Niveauskift(tilbud_id="T05", aar=2028, niveau="N3"),
                Niveauskift(tilbud_id="T07", aar=2028, niveau="N2"),
                Niveauskift(tilbud_id="T06", aar=2026, niveau="Generelle tilbud"),
            ],
            "klynger": [
                Klynge(
                    id="K1",
                    navn="Klynge Vest",
                    maalgruppe="Børn og unge med autisme",
                    tilbud=["T04", "T07"],
                    kommuner=["K787", "K773", "K820", "K849"],
                    kontaktperson="Pia Testesen",
                    email="pia.testesen@thisted.example.invalid",
                )
            ],
        }
    )


@pytest.fixture
def levelled_file(tmp_path):
    return write_stamdata(levelled_stamdata(), tmp_path / "stamdata.xlsx")


def _edited(path, edit):
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _problems(path) -> list[tuple]:
    with pytest.raises(StamdataError) as exc:
        load_stamdata(path)
    return [(i.sheet, i.row, i.column, i.code, i.message) for i in exc.value.issues]


# --- stamdata -----------------------------------------------------------------------------------


def test_levels_history_and_clusters_survive_write_and_load(levelled_file):
    original, loaded = levelled_stamdata(), load_stamdata(levelled_file)
    for attr in ("tilbud", "niveauer", "niveauhistorik", "klynger"):
        assert getattr(loaded, attr) == getattr(original, attr), attr
    wb = openpyxl.load_workbook(levelled_file, read_only=True)
    assert [c.value for c in next(wb["Klynger"].iter_rows(max_row=1))] == [
        "Id",
        "Navn",
        "Målgruppe",
        "Tilbud",
        "Kommuner",
        "Kontaktperson",
        "E-mail",
    ]
    assert wb["Klynger"]["D2"].value == "T04, T07"


@pytest.mark.parametrize(
    "tilbud_id,aar,niveau",
    [
        ("T01", 2028, "N1"),
        ("T04", 2028, "N2"),  # the Tilbud sheet names the level by name, in another case
        ("T05", 2027, "N2"),  # before its history row: the Tilbud sheet's level
        ("T05", 2028, "N3"),  # from the history row's year on
        ("T05", 2035, "N3"),
        ("T06", 2025, "N3"),
        ("T06", 2026, "N3"),  # history by level name
        ("T07", 2028, "N2"),
    ],
)
def test_a_tilbuds_level_in_a_year_follows_its_history(levelled_file, tilbud_id, aar, niveau):
    assert load_stamdata(levelled_file).niveau(tilbud_id, aar) == niveau


def test_clusters_and_levels_are_looked_up_by_id(levelled_file):
    sd = load_stamdata(levelled_file)
    assert sd.klynge("K1").tilbud == ["T04", "T07"]
    assert sd.klynge("K1").kommuner == ["K787", "K773", "K820", "K849"]
    assert sd.niveau_navn("N2") == "Specialiserede tilbud"
    assert sd.niveauer_i_brug


def test_without_a_niveauer_sheet_the_level_is_free_text(tmp_path):
    path = write_stamdata(example_stamdata(), tmp_path / "s.xlsx")
    path = _edited(path, lambda wb: [wb.remove(wb[s]) for s in ("Niveauer", "Niveauhistorik", "Klynger")])
    path = _edited(path, lambda wb: wb["Tilbud"].__setitem__("K2", "Noget helt andet"))
    sd = load_stamdata(path)
    assert sd.niveauer == [] and sd.klynger == []
    assert sd.niveau("T01", 2028) == "Noget helt andet"
    assert sd.niveau("T02", 2028) == "Mest specialiseret"
    assert not sd.niveauer_i_brug


def test_the_bundled_example_has_one_level_and_no_clusters(sd):
    assert [n.id for n in sd.niveauer] == ["N1"]
    assert {sd.niveau(t.id, 2028) for t in sd.tilbud} == {"N1"}
    assert sd.klynger == [] and not sd.niveauer_i_brug


def test_unknown_levels_and_ids_are_reported_with_sheet_row_and_column(levelled_file):
    def edit(wb):
        wb["Tilbud"]["K3"] = "N4"
        wb["Niveauhistorik"]["A3"] = "T99"
        wb["Niveauhistorik"]["C2"] = "Mest specialiseret"  # neither an id nor a name
        wb["Klynger"]["D2"] = "T04, T77"
        wb["Klynger"]["E2"] = "K787,K999"

    assert _problems(_edited(levelled_file, edit)) == [
        ("Tilbud", 3, "K", "stamdata-ukendt-id", "niveauet 'N4' findes ikke i arket Niveauer"),
        (
            "Niveauhistorik",
            2,
            "C",
            "stamdata-ukendt-id",
            "niveauet 'Mest specialiseret' findes ikke i arket Niveauer (mente du N1?)",
        ),
        ("Niveauhistorik", 3, "A", "stamdata-ukendt-id", "tilbud 'T99' findes ikke i arket Tilbud"),
        ("Klynger", 2, "D", "stamdata-ukendt-id", "tilbud 'T77' findes ikke i arket Tilbud (mente du T07?)"),
        ("Klynger", 2, "E", "stamdata-ukendt-id", "aftalepart 'K999' findes ikke i arket Aftaleparter"),
    ]


def test_two_levels_for_the_same_tilbud_and_year_is_an_error(levelled_file):
    def edit(wb):
        wb["Niveauhistorik"].append(["T05", 2028, "N1"])

    assert _problems(_edited(levelled_file, edit)) == [
        ("Niveauhistorik", 5, "B", "stamdata-dublet", "tilbud 'T05' har også et niveau for 2028 i række 2"),
    ]


def test_bad_cells_in_the_new_sheets_name_their_position(levelled_file):
    def edit(wb):
        wb["Niveauhistorik"]["B2"] = "i fjor"
        wb["Niveauer"]["B2"] = None
        wb["Klynger"]["G2"] = "ikke en adresse"

    found = [(s, r, c, code) for s, r, c, code, _m in _problems(_edited(levelled_file, edit))]
    assert found == [
        ("Niveauer", 2, "B", "stamdata-mangler-vaerdi"),
        ("Niveauhistorik", 2, "B", "stamdata-ugyldig-vaerdi"),
        ("Klynger", 2, "G", "stamdata-ugyldig-email"),
    ]


# --- forms per level ----------------------------------------------------------------------------


@pytest.fixture
def levelled_definitions(tmp_path):
    """A copy of the bundled definitions: the årsrapport for the most specialised tilbud (N1) only,
    the kommunal indmelding about the specialised ones (N2, named once by id, once by name)."""
    folder = tmp_path / "skemaer"
    shutil.copytree(bundled_definitions_dir(), folder)
    for name, line in (("aarsrapport", "niveauer: [N1]"), ("kommune", "niveauer: [N2, Specialiserede tilbud]")):
        path = folder / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("\nformaal:", f"\n{line}\nformaal:", 1), "utf-8")
    return folder


def _tilbud_blocks(plan) -> list[str]:
    return [b.item.id for s in plan.sheets for b in s.blocks if b.item and b.item.kind == "tilbud"]


def test_a_definition_for_some_levels_leaves_the_other_tilbud_out(levelled_definitions):
    sd, defs = levelled_stamdata(), load_definitions(levelled_definitions)
    assert defs["aarsrapport"].niveauer == ("N1",)
    todo, _ = planned_forms(sd, 2028, ["aarsrapport", "kommune"], levelled_definitions)
    assert [m.id for d, m in todo if d.skema == "aarsrapport"] == ["T01", "T02", "T03"]
    kommune = [(d, m) for d, m in todo if d.skema == "kommune"]
    assert len(kommune) == 11  # every municipality still gets the form, about fewer tilbud
    # in 2028 T05 has moved down to N3 and T07 up to N2
    assert _tilbud_blocks(plan_form(*kommune[0][:1], sd, kommune[0][1], 2028)) == ["T04", "T07"]
    assert _tilbud_blocks(plan_form(*kommune[0][:1], sd, kommune[0][1], 2027)) == ["T04", "T05"]
    # the bundled definitions name no levels: every tilbud
    full = load_definitions()["kommune"]
    assert len(_tilbud_blocks(plan_form(full, sd, kommune[0][1], 2028))) == 8


def test_a_level_the_stamdata_does_not_know_is_a_definition_error(levelled_definitions):
    path = levelled_definitions / "aarsrapport.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("niveauer: [N1]", "niveauer: [N1, N4]"), "utf-8")
    with pytest.raises(DefinitionError) as exc:
        planned_forms(levelled_stamdata(), 2028, ["aarsrapport"], levelled_definitions)
    assert [i.message for i in exc.value.issues] == [
        "niveauer: 'N4' findes ikke i stamdata-arket Niveauer (mulige: N1, N2, N3)"
    ]


# --- forms per cluster --------------------------------------------------------------------------


def test_a_clusters_forms_go_to_its_municipalities_about_its_tilbud(tmp_path):
    sd = levelled_stamdata()
    results, skipped = generate_forms(sd, 2028, tmp_path, ["kommune", "aarsrapport", "indmelding"], klynge="K1")
    assert not skipped
    got = sorted((r.skema, r.modtager_id) for r in results)
    assert got == sorted(
        [("kommune", k) for k in ("K787", "K773", "K820", "K849")]
        + [("aarsrapport", "T04"), ("aarsrapport", "T07")]
        + [("indmelding", "DH-JAM"), ("indmelding", "DH-FRE")]  # the driftsherrer of T04 and T07
    )
    assert all(r.path.name.endswith("_klynge_vest.xlsx") for r in results)
    thisted = next(r.path for r in results if r.modtager_id == "K787")
    assert thisted.name == "2028_kommune_thisted_kommune_klynge_vest.xlsx"
    text = _all_text(thisted)
    assert "Autismecenter Kærvang" in text and "Børnehuset Fjordglimt" in text
    assert "Døvblindecenter Nordjylland" not in text and "Synscenter Limfjord" not in text


def _all_text(path) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    return " ".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )


def test_an_unknown_cluster_is_a_usage_error_naming_the_known_ones(tmp_path):
    with pytest.raises(UsageError, match=r"Klyngen 'K9' findes ikke i stamdata \(arket Klynger har K1\)"):
        generate_forms(levelled_stamdata(), 2028, tmp_path, ["kommune"], klynge="K9")


def test_skema_generer_klynge_writes_only_the_clusters_forms(tmp_path):
    write_stamdata(levelled_stamdata(), tmp_path / "stamdata.xlsx")
    out = tmp_path / "ud"
    args = [
        "generer",
        "--aar",
        "2028",
        "--skema",
        "kommune",
        "--klynge",
        "K1",
        "--ud",
        str(out),
        "--mappe",
        str(tmp_path),
    ]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.glob("*.xlsx")) == [
        "2028_kommune_jammerbugt_kommune_klynge_vest.xlsx",
        "2028_kommune_morsoe_kommune_klynge_vest.xlsx",
        "2028_kommune_thisted_kommune_klynge_vest.xlsx",
        "2028_kommune_vesthimmerland_kommune_klynge_vest.xlsx",
    ]
    r = CliRunner().invoke(app, [a if a != "K1" else "K2" for a in args])
    # the CLI's entry point turns this into one red line with exit code 2 (tests/test_cli.py)
    assert isinstance(r.exception, UsageError) and "Klyngen 'K2' findes ikke" in str(r.exception)


# --- a change of level in the consolidated workbook and the bilag -------------------------------


def test_level_changes_of_the_year(sd):
    changes = level_changes(levelled_stamdata(), 2028)
    assert [(c.tilbud_id, c.foer, c.nu) for c in changes] == [
        ("T05", "Specialiserede tilbud", "Generelle tilbud"),
        ("T07", "Generelle tilbud", "Specialiserede tilbud"),
    ]
    assert level_changes(levelled_stamdata(), 2029) == []
    assert level_changes(sd, 2028) == []


def _consolidated(tmp_path, stamdata) -> openpyxl.Workbook:
    with Store(tmp_path) as store:
        path = consolidate(store, stamdata, load_definitions(), 2028, tmp_path / "samlet.xlsx")
    return openpyxl.load_workbook(path, read_only=True)


def test_the_consolidated_workbook_shows_each_tilbuds_level_last_year_and_this(tmp_path):
    wb = _consolidated(tmp_path, levelled_stamdata())
    rows = [list(r) for r in wb["Specialiseringsniveau"].iter_rows(values_only=True)]
    assert rows[0] == ["Tilbud", "Driftsherre", "Niveau 2027", "Niveau 2028", "Ændret"]
    by_name = {r[0]: r[1:] for r in rows[1:]}
    assert len(by_name) == 8
    assert by_name["Bo- og Udviklingscenter Skovly"] == (
        ["Hjørring Kommune", "Specialiserede tilbud", "Generelle tilbud", "Ændret"]
    )
    assert by_name["Synscenter Limfjord"] == ["Thisted Kommune", "Generelle tilbud", "Generelle tilbud", None]


def test_one_level_and_no_history_adds_no_sheet(tmp_path, sd):
    assert "Specialiseringsniveau" not in _consolidated(tmp_path, sd).sheetnames


def _bilag_text(tmp_path, stamdata, aar=2028) -> str:
    with Store(tmp_path) as store:
        written = write_bilag(store, stamdata, load_definitions(), aar, dt.date(aar, 5, 20), tmp_path)
    d = Document(str(written.path))
    return "\n".join(p.text for p in d.paragraphs)


def test_the_bilag_lists_the_years_level_changes(tmp_path):
    text = _bilag_text(tmp_path, levelled_stamdata())
    assert "Specialiseringsniveau\n2 tilbud skifter specialiseringsniveau i 2028:" in text
    assert "Bo- og Udviklingscenter Skovly (Hjørring Kommune): Specialiserede tilbud → Generelle tilbud" in text
    assert "Børnehuset Fjordglimt (Frederikshavn Kommune): Generelle tilbud → Specialiserede tilbud" in text
    assert text.count("Specialiseringsniveau") == 1  # in the overview only, not in every tilbud's bilag


def test_the_bilag_says_when_no_tilbud_changes_level_and_is_silent_without_levels(tmp_path, sd):
    assert "Ingen tilbud skifter niveau i 2029." in _bilag_text(tmp_path / "a", levelled_stamdata(), 2029)
    text = _bilag_text(tmp_path / "b", sd)
    assert "Specialiseringsniveau" not in text and "skifter niveau" not in text


def test_a_clusters_form_reads_back_with_only_its_tilbud(tmp_path, defs):
    sd = levelled_stamdata()
    results, _ = generate_forms(sd, 2028, tmp_path, ["kommune"], klynge="K1")
    sent = next(r.path for r in results if r.modtager_id == "K787")
    defn, plan = plan_for(sent, defs, sd, 2028)
    assert plan.modtager.klynge is None  # the plain recipient: every tilbud of the year
    answers = Simulator(sd).answers(defn, replace(plan.modtager, klynge="K1"), 2028)
    assert answers and {parse_key(k).get("tilbud") for k in answers} <= {"T04", "T07", None}
    res = read_return(fill_form(sent, answers, tmp_path / "svar.xlsx"), sd, defs)
    assert res.status == "gyldig", [i.message for i in res.issues]
    assert res.modtager.id == "K787"
    assert {v.key: v.value for v in res.values if v.key in answers} == answers  # besides the prefilled contact
    # the same file read against stamdata without the cluster misses the other tilbud's fields
    plain = sd.model_copy(update={"klynger": []})
    assert "felt-mangler-i-fil" in {i.code for i in read_return(tmp_path / "svar.xlsx", plain, defs).issues}


def test_skema_init_gives_the_new_sheets_with_their_headers(tmp_path):
    assert CliRunner().invoke(app, ["init", str(tmp_path)]).exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "stamdata.xlsx", read_only=True)
    heads = {s: [c.value for c in next(wb[s].iter_rows(max_row=1))] for s in ("Niveauer", "Niveauhistorik")}
    assert heads == {"Niveauer": ["Id", "Navn", "Beskrivelse"], "Niveauhistorik": ["Tilbud-id", "År", "Niveau"]}
    assert "Klynger" in wb.sheetnames
    assert [r for r in wb["Niveauer"].iter_rows(min_row=2, values_only=True)][0][:2] == ("N1", "Mest specialiseret")
