"""The criteria set is data (skabeloner/skemaer/kriterier.yaml): a region changes its rule in the
file and the assessment follows without code changes; a broken file is refused with file and line."""

from __future__ import annotations

from typing import NamedTuple

import openpyxl
import pytest

from toolkit.definitions import load_definitions, load_kriterier
from toolkit.demo.simulate import Simulator
from toolkit.fieldkeys import Indmelding
from toolkit.problems import DefinitionError
from toolkit.rules.criteria import DISPENSATION, IKKE, INDSTILLES, assess_all, assess_nomination
from toolkit.workspace import Workspace, init_workspace

from fill import answered_copy, fill_form, plan_for

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
    block |= {Indmelding.opfyldt(c): v for c, v in answers.items()}
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
    assert k.alle_koder() == CRIT
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
        ("{id: B.1, kode: b1,", "{id: B.1, kode: B1,", "id: B.1", "koden 'B1' skal være små bogstaver, tal og _"),
        ("{id: B.1, kode: b1,", "{id: B.1, kode: a1,", "id: B.1", "koden 'a1' står der to gange"),
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


# --- a region with other criteria: D.1 in a new category D, without A.3 (data only) ---------------

D1 = '  - {id: D.1, kode: d1, tekst: "Tilbuddet indgår i et forpligtende samarbejde med kommunerne."}\n'
D_KAT = "  - {id: D, navn: Samarbejdet, kriterier: [D.1], regel: alle}\n"
A3 = (
    '  - {id: A.3, kode: a3, tekst: "Tilbuddet er til målgrupper, som er udmeldt af Socialstyrelsen som '
    'fokusområder."}\n'
)


def _replace(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _drop_lines(path, needle: str, count: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if needle not in line]
    assert len(lines) - len(kept) == count, (path.name, needle)
    path.write_text("".join(kept), encoding="utf-8")


def _d_section(indent: str, begrundelse: str) -> str:
    return (
        f"{indent}- titel: Kategori D – samarbejdet\n"
        f"{indent}  felter:\n"
        f'{indent}    - {{noegle: d1_opfyldt, etiket: "D.1 Forpligtende samarbejde – opfyldt?", type: ja_nej, '
        "obligatorisk: true}\n"
        f"{indent}    - {{noegle: d1_begrundelse, etiket: D.1 {begrundelse}, type: langtekst, obligatorisk: true}}\n"
    )


def region_criteria(folder, forms: bool = True, kriterier: bool = True) -> None:
    """The region's edits to a definitions folder: kriterier.yaml gets D.1 in category D and loses A.3;
    with `forms`, indmelding.yaml and panel.yaml get the fields d1_* and lose a3_*."""
    if kriterier:
        k = folder / "kriterier.yaml"
        _replace(k, A3, "")
        _replace(k, "kriterier: [A.1, A.2, A.3], regel: mindst_en}\n", "kriterier: [A.1, A.2], regel: mindst_en}\n")
        _replace(k, "kategorier:\n", D1 + "kategorier:\n")
        _replace(k, "indstilles_kraever: [A, B, C]", "indstilles_kraever: [A, B, C, D]")
        _replace(k, "regel: alle}\n# Kategorier", "regel: alle}\n" + D_KAT + "# Kategorier")
    if forms:
        ind, panel = folder / "indmelding.yaml", folder / "panel.yaml"
        _drop_lines(ind, "{noegle: a3_", 2)
        _drop_lines(panel, "{noegle: a3_", 4)
        forpligtelser = "      - titel: Forpligtelser for et udvalgt tilbud"
        _replace(ind, forpligtelser, _d_section("      ", "Begrundelse") + forpligtelser)
        indstilling = "      - titel: Panelets indstilling\n"
        _replace(panel, indstilling, _d_section("      ", "Panelets begrundelse") + indstilling, count=2)


def test_a_region_adds_d1_and_drops_a3_by_editing_data_only(tmp_path):
    init_workspace(tmp_path)
    region_criteria(tmp_path / "skabeloner" / "skemaer")
    ws = Workspace(tmp_path)
    k = ws.defs.kriterier
    assert k.alle_koder() == ("a1", "a2", "b1", "c1", "c2", "d1")
    assert k.betingelse("A") == "mindst ét af A.1 og A.2"
    forms, _skipped, _out = ws.generate(2028, ["indmelding"])
    inbox = tmp_path / "ind"
    inbox.mkdir()
    filled = []
    # DH-AAL meets A, B, C and D; DH-RN (nyoprettet) meets A only through A.3, which the region dropped
    extra = {
        "DH-AAL": {"d1_opfyldt": "Ja"},
        "DH-RN": {"a2_opfyldt": "Nej", "c2_opfyldt": "Ja", "d1_opfyldt": "Ja"},
    }
    for f in forms:
        if f.modtager_id not in extra:
            continue
        defn, plan = plan_for(f.path, ws.defs, ws.sd, 2028)
        answers = Simulator(ws.sd).answers(defn, plan.modtager, 2028)
        assert not any("a3_" in key for key in answers)  # the region's form has no A.3
        answers |= {f"indmelding.nr.1.{n}": v for n, v in extra[f.modtager_id].items()}
        answers["indmelding.nr.1.d1_begrundelse"] = "Tilbuddet har en samarbejdsaftale med alle kommuner."
        filled.append(fill_form(f.path, answers, inbox / f.path.name))
    ws.ingest(filled, years=[2028])
    values = ws.year_data(2028).values
    read = {(v.respondent_id, v.noegle): v.value for v in values if v.skema == "indmelding" and v.nr == "1"}
    assert read[("DH-AAL", "d1_opfyldt")] == "Ja"
    assert read[("DH-RN", "d1_begrundelse")] == "Tilbuddet har en samarbejdsaftale med alle kommuner."
    assert not any(noegle.startswith("a3_") for _rid, noegle in read)
    by_rid = {a.respondent_id: a for a in assess_all(k, values)}
    assert (by_rid["DH-AAL"].resultat, by_rid["DH-AAL"].kategorier) == (
        INDSTILLES,
        {"A": True, "B": True, "C": True, "D": True},
    )
    assert "Kategori D er opfyldt (D.1)." in by_rid["DH-AAL"].begrundelser
    rn = by_rid["DH-RN"]
    assert (rn.resultat, rn.kategorier["A"]) == (DISPENSATION, False)
    assert "Kategori A er ikke opfyldt (mindst ét skal være opfyldt; ikke opfyldt: A.1, A.2)." in rn.begrundelser
    sheet = openpyxl.load_workbook(ws.consolidate(2028), read_only=True)["Ekspertpanel"]
    results = {r[2]: r[4] for r in sheet.iter_rows(min_row=2, values_only=True) if r[2]}
    assert results[by_rid["DH-AAL"].tilbudsnavn] == INDSTILLES
    assert results[rn.tilbudsnavn] == DISPENSATION
    (panel,), _skipped, _out = ws.generate(2028, ["panel"], overwrite=True)
    names = list(openpyxl.load_workbook(panel.path).defined_names)
    assert any(n.endswith("_d1_opfyldt") for n in names)
    assert not any("_a3_" in n for n in names)


def test_a_criterion_without_its_fields_is_refused_naming_the_form_and_the_criterion(tmp_path):
    init_workspace(tmp_path)
    folder = tmp_path / "skabeloner" / "skemaer"
    region_criteria(folder)
    _replace(folder / "indmelding.yaml", _d_section("      ", "Begrundelse"), "")  # forgot the indmelding's fields
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    d1_line = line_of(folder / "kriterier.yaml", "id: D.1")
    assert [(i.file, i.key) for i in err.value.issues] == [
        ("indmelding.yaml", "d1_opfyldt"),
        ("indmelding.yaml", "d1_begrundelse"),
    ]
    problem = err.value.issues[0]
    assert problem.message.startswith("feltet med noeglen 'd1_opfyldt' mangler; det bruges til vurderingen")
    assert f"(D.1; kriteriet står i kriterier.yaml, linje {d1_line})" in problem.message
    assert "Mente du" not in problem.message  # a1_opfyldt is A.1's own field, not a likely rename
    assert "Skemadefinitionen indmelding.yaml har 2 fejl" in str(err.value)


def test_a_criterion_field_without_a_criterion_is_refused_with_file_and_line(tmp_path):
    init_workspace(tmp_path)
    folder = tmp_path / "skabeloner" / "skemaer"
    region_criteria(folder, forms=False)  # kriterier.yaml without A.3 and with D.1, the forms unchanged
    for form in ("indmelding", "panel"):
        _replace(
            folder / f"{form}.yaml",
            "      - titel: Kategori B",
            _d_section("      ", "B") + "      - titel: Kategori B",
            count=1 if form == "indmelding" else 2,
        )
    with pytest.raises(DefinitionError) as err:
        load_definitions(folder)
    stray = [(i.file, i.key, i.line) for i in err.value.issues]
    assert stray == [
        ("indmelding.yaml", "a3_opfyldt", line_of(folder / "indmelding.yaml", "{noegle: a3_opfyldt")),
        ("panel.yaml", "a3_opfyldt", line_of(folder / "panel.yaml", "{noegle: a3_opfyldt")),
    ]
    assert err.value.issues[0].message.startswith(
        "feltet 'a3_opfyldt' (ark 'Indmeldte tilbud') hører ikke til noget kriterium: kriterier.yaml har intet "
        "kriterium med 'kode: a3' (kendte: a1, a2, b1, c1, c2, d1)."
    )
    assert f"indmelding.yaml, linje {stray[0][2]}: feltet 'a3_opfyldt'" in str(err.value)
