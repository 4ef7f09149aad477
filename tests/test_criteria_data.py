"""The criteria set is data (skabeloner/skemaer/kriterier.yaml): a region changes its rule in the
file and the assessment follows without code changes; a broken file is refused with file and line."""

from __future__ import annotations

from typing import NamedTuple

import openpyxl
import pytest

from toolkit.definitions import load_definitions, load_kriterier
from toolkit.fieldkeys import Indmelding
from toolkit.problems import DefinitionError
from toolkit.rules.criteria import DISPENSATION, IKKE, INDSTILLES, assess_all, assess_nomination
from toolkit.workspace import Workspace, init_workspace

from fill import answered_copy

CRIT = ("a1", "a2", "a3", "b1", "c1", "c2")
C_REGEL = "{id: C, navn: Omgivelserne, kriterier: [C.1, C.2], regel: alle}"


class Value(NamedTuple):  # the attributes assess_all reads of a StoredValue
    skema: str
    respondent_id: str
    nr: str | None
    linje: int | None
    noegle: str
    value: object


def nomination(answers: dict[str, str], nyoprettet: str = "Nej") -> list[Value]:
    block = {Indmelding.TILBUDSNAVN: "Bostedet Havgløtten", Indmelding.NYOPRETTET: nyoprettet}
    block |= {Indmelding.OPFYLDT[c]: v for c, v in answers.items()}
    return [Value(Indmelding.SKEMA, "D1", "1", None, k, v) for k, v in block.items()]


def edited_copy(tmp_path, old: str, new: str):
    """A workspace whose definitions folder has kriterier.yaml with `old` replaced by `new`."""
    init_workspace(tmp_path)
    path = tmp_path / "skabeloner" / "skemaer" / "kriterier.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


C1_ONLY = dict(zip(CRIT, ("Ja", "Nej", "Nej", "Ja", "Ja", "Nej"), strict=True))


def test_the_bundled_set_is_table_2_of_the_model():
    k = load_kriterier()
    assert k.alle_koder() == Indmelding.KRITERIER
    assert [(c.id, c.regel, c.kriterier) for c in k.kategorier] == [
        ("A", "mindst_en", ("A.1", "A.2", "A.3")),
        ("B", "alle", ("B.1",)),
        ("C", "alle", ("C.1", "C.2")),
    ]
    assert [k.regel_tekst(c.id) for c in k.kategorier] == ["mindst ét", "B.1", "både C.1 og C.2"]
    res = assess_all(k, nomination(C1_ONLY))[0]
    assert (res.resultat, res.kategorier) == (IKKE, {"A": True, "B": True, "C": False})
    assert "Kategori C er ikke opfyldt (både C.1 og C.2 skal være opfyldt; ikke opfyldt: C.2)." in res.begrundelser


def test_c_needing_only_one_of_c1_c2_follows_from_the_data(tmp_path):
    edited_copy(tmp_path, C_REGEL, C_REGEL.replace("regel: alle", "regel: mindst_en"))
    k = Workspace(tmp_path).defs.kriterier
    res = assess_all(k, nomination(C1_ONLY))[0]
    assert (res.tilbudsnavn, res.resultat, res.kategorier["C"]) == ("Bostedet Havgløtten", INDSTILLES, True)
    assert "Kategori C er opfyldt (C.1)." in res.begrundelser
    none = assess_nomination(k, {**C1_ONLY, "c1": "Nej"}, "Nej")
    assert none.resultat == IKKE
    assert "Kategori C er ikke opfyldt (mindst ét skal være opfyldt; ikke opfyldt: C.1, C.2)." in none.begrundelser


def test_categories_needed_and_dispensation_come_from_the_data(tmp_path):
    path = edited_copy(tmp_path, "indstilles_kraever: [A, B, C]", "indstilles_kraever: [A, C]")
    text = path.read_text(encoding="utf-8").replace("mangler_hoejst: [A, B, C]", "mangler_hoejst: [C]")
    path.write_text(text, encoding="utf-8")
    k = load_definitions(path.parent).kriterier
    no_b = {**dict.fromkeys(CRIT, "Ja"), "b1": "Nej"}
    res = assess_nomination(k, no_b, "Nej")
    assert (res.resultat, res.kategorier["B"]) == (INDSTILLES, False)  # B is assessed, not needed
    assert assess_nomination(k, {**no_b, "c2": "Nej"}, "Ja").resultat == DISPENSATION  # only C unmet
    no_a = {**dict.fromkeys(CRIT, "Ja"), "a1": "Nej", "a2": "Nej", "a3": "Nej"}
    assert assess_nomination(k, no_a, "Ja").resultat == IKKE  # A may not be dispensed from


def test_a_set_without_dispensation_never_offers_one(tmp_path):
    path = edited_copy(tmp_path, "dispensation:\n  hvis_nyoprettet: true\n  mangler_hoejst: [A, B, C]\n", "")
    k = load_kriterier(path.parent)
    assert assess_nomination(k, {**dict.fromkeys(CRIT, "Ja"), "b1": "Nej"}, "Ja").resultat == IKKE


@pytest.mark.parametrize(
    "old,new,needle,message",
    [
        (
            C_REGEL,
            C_REGEL.replace("regel: alle", "regel: begge"),
            "id: C,",
            "ugyldig værdi, forventet 'mindst_en' eller 'alle'",
        ),
        (C_REGEL, C_REGEL.replace("C.2]", "C.3]"), "id: C,", "kategori C nævner det ukendte kriterium 'C.3'"),
        ("{id: B.1, kode: b1,", "{id: B.1, kode: d1,", "id: B.1", "koden 'd1' har ingen felter i skemaerne"),
        ("mangler_hoejst: [A, B, C]", "mangler_hoejst: [A, D]", "mangler_hoejst: [A, D]", "ukendt kategori 'D'"),
        ("\n  - {id: B.1", "\n  - {id: A.1", "- {id: A.1, kode: b1", "kriteriet 'A.1' står der to gange"),
    ],
)
def test_a_broken_criteria_file_is_refused_with_file_and_line(tmp_path, old, new, needle, message):
    path = edited_copy(tmp_path, old, new)
    with pytest.raises(DefinitionError) as err:
        load_definitions(path.parent)  # loaded, and refused, with the form definitions
    problem = next(i for i in err.value.issues if message in i.message)
    assert (problem.file, problem.line) == ("kriterier.yaml", line_of(path, needle))
    assert f"kriterier.yaml har {len(err.value.issues)} fejl" in str(err.value)
    assert f"linje {problem.line}: " in str(err.value)


def test_a_copy_made_before_the_criteria_file_existed_uses_the_bundled_set(tmp_path):
    init_workspace(tmp_path)
    (tmp_path / "skabeloner" / "skemaer" / "kriterier.yaml").unlink()
    assert Workspace(tmp_path).defs.kriterier == load_kriterier()


def test_the_consolidated_workbook_follows_a_changed_set(tmp_path):
    """A returned indmelding whose driftsherre answers B.1 'Nej' (Bostedet Lindely in the example):
    'indstilles ikke' under the bundled set, 'indstilles' when the folder's set needs only A and C."""
    edited_copy(tmp_path, "indstilles_kraever: [A, B, C]", "indstilles_kraever: [A, C]")
    ws = Workspace(tmp_path)
    assert ws.defs.kriterier.kraevede() == ("A", "C")
    forms, _skipped, _out = ws.generate(2028, ["indmelding"])
    src = next(f.path for f in forms if f.modtager_id == "DH-HJO")
    (tmp_path / "ind").mkdir()
    ws.ingest([answered_copy(src, tmp_path / "ind" / src.name, ws.sd, ws.defs, 2028)], years=[2028])
    sheet = openpyxl.load_workbook(ws.consolidate(2028), read_only=True)["Ekspertpanel"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] and "Lindely" in str(r[2])]
    assert [r[4] for r in rows] == [INDSTILLES]
    bundled = assess_all(load_kriterier(), ws.year_data(2028).values)
    assert [a.resultat for a in bundled if "Lindely" in a.tilbudsnavn] == [IKKE]
