"""Texts take names, months and figures from the data (issue 16, item 1): the placeholders in the
definitions' texts are filled when a form is generated for a year — change a date in Frister, a
body's name in aarshjul.yaml, the population or the criteria rule, and the form's text follows; an
unknown placeholder is a definition error with file and line. The Word documents name the bodies
from the same data."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from toolkit.definitions import load_definitions
from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import recipients
from toolkit.definitions.tekster import PLADSHOLDER, ejefald
from toolkit.forms.vejledning import definition_texts
from toolkit.forms.writer import write_form
from toolkit.problems import DefinitionError
from toolkit.stamdata.model import Stamdata
from toolkit.workspace import Workspace, init_workspace

AAR = 2028
HAND_WRITTEN_RULE = (  # the guidance's text before it was written from kriterier.yaml
    "Et tilbud skal opfylde alle tre kategorier A, B og C for at blive indstillet. Kategori A "
    "(målgruppen) er opfyldt, hvis mindst ét af kriterierne A.1, A.2 og A.3 er opfyldt. Kategori B "
    "(tilbuddet) er opfyldt, hvis B.1 er opfyldt. Kategori C (omgivelserne) er opfyldt, hvis både C.1 "
    "og C.2 er opfyldt. Et nyoprettet tilbud kan undtagelsesvis omfattes uden at opfylde alle "
    "kategorier, hvis der er enighed i Den Administrative Styregruppe om behovet."
)


def form_text(path) -> str:
    """Every string in a generated workbook's visible sheets, and the cells' input messages."""
    wb = openpyxl.load_workbook(path)
    parts = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        parts += [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        parts += [dv.prompt or "" for dv in ws.data_validations.dataValidation]
    return "\n".join(parts)


def write_indmelding(tmp_path, sd: Stamdata, defs=None, skema: str = "indmelding"):
    defs = defs or load_definitions()
    defn = defs[skema]
    plan = plan_form(defn, sd, recipients(defn, sd, AAR)[0], AAR)
    target = tmp_path / f"{skema}.xlsx"
    write_form(plan, sd, target, sd.frist(skema, AAR), tekster=definition_texts(sd, defs, AAR))
    return form_text(target)


def changed(sd: Stamdata, **fields) -> Stamdata:
    """A fresh copy of the stamdata with some lists replaced (nothing memoised carried over)."""
    return Stamdata.model_validate({**sd.model_dump(), **fields})


def test_the_bundled_texts_read_as_the_hand_written_ones_did(sd, tmp_path):
    text = write_indmelding(tmp_path, sd)
    assert HAND_WRITTEN_RULE in text
    assert (
        "Ekspertpanelet vurderer indmeldingerne i marts, og Den Administrative Styregruppe beslutter i maj, "
        "hvilke tilbud der omfattes fra 1. januar 2029." in text
    )
    assert "Indikation: ca. 15 tilfælde årligt i regionen (ca. 1 pr. 40.000 indbyggere)." in text
    assert "A.1 Tilbuddet er til små målgrupper med behov for et målgruppespecifikt tilbud (indikation: ca. 15" in text
    assert "Kategori A – målgruppen (mindst ét af A.1, A.2 og A.3)" in text
    assert "Kategori C – omgivelserne (både C.1 og C.2)" in text


def test_no_generated_form_has_a_placeholder_left(forms_dir):
    one_per_form = {p.name.split("_")[1]: p for p in sorted(forms_dir.glob("*.xlsx"))}
    assert set(one_per_form) == {"indmelding", "udmelding", "aarsrapport", "kommune"}
    for path in one_per_form.values():
        assert not PLADSHOLDER.search(form_text(path)), path.name


def test_a_moved_meeting_moves_the_month_in_the_text(sd, tmp_path):
    moved = changed(
        sd,
        frister=[*(f.model_dump() for f in sd.frister), {"skema": "das", "dato": dt.date(AAR, 9, 15)}],
    )
    text = write_indmelding(tmp_path, moved)
    assert "Den Administrative Styregruppe beslutter i september" in text
    assert "beslutter i maj" not in text
    panel = write_indmelding(tmp_path, moved, skema="panel")
    assert "der behandler forslaget den 15. september 2028" in panel


def test_the_indication_follows_the_population(sd, tmp_path):
    sjaelland = [
        {**a.model_dump(), "indbyggere": round(a.indbyggere * 850_000 / 590_000)}
        if a.type == "kommune"
        else a.model_dump()
        for a in sd.aftaleparter
    ]
    text = write_indmelding(tmp_path, changed(sd, aftaleparter=sjaelland))
    assert "Indikation: ca. 21 tilfælde årligt i regionen (ca. 1 pr. 40.000 indbyggere)." in text
    assert "ca. 15 tilfælde" not in text


def _workspace(tmp_path, file: str, old: str, new: str) -> Workspace:
    init_workspace(tmp_path)
    path = tmp_path / "skabeloner" / "skemaer" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return Workspace(tmp_path)


def test_a_renamed_body_is_named_in_every_form_text_and_document(tmp_path):
    ws = _workspace(
        tmp_path,
        "aarshjul.yaml",
        "{id: das, navn: Den Administrative Styregruppe, kort: DAS}",
        "{id: das, navn: Styregruppen for Rammeaftalen, kort: SRA}",
    )
    forms, _skipped, _out = ws.generate(AAR, ["indmelding", "aarsrapport"])
    indmelding = form_text(next(f.path for f in forms if f.skema == "indmelding"))
    assert "Styregruppen for Rammeaftalen beslutter i maj" in indmelding
    assert "hvis der er enighed i Styregruppen for Rammeaftalen om behovet" in indmelding
    aarsrapport = form_text(next(f.path for f in forms if f.skema == "aarsrapport"))
    assert "Ekspertpanelets og Styregruppen for Rammeaftalens årlige dialog" in aarsrapport
    for text in (indmelding, aarsrapport):
        assert "Administrative Styregruppe" not in text
    bilag = ws.bilag(AAR, dt.date(AAR, 5, 20)).path
    from docx import Document

    doc = Document(str(bilag))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Bilag til SRA" in body and "Møde i Styregruppen for Rammeaftalen 20. maj 2028" in body
    assert "Indstilling til SRA" in body
    assert "Administrative Styregruppe" not in body
    assert doc.core_properties.title == f"Bilag til SRA {AAR}"


def test_a_changed_criteria_rule_is_written_into_the_guidance_and_the_titles(tmp_path):
    ws = _workspace(
        tmp_path,
        "kriterier.yaml",
        "{id: C, navn: Omgivelserne, kriterier: [C.1, C.2], regel: alle}",
        "{id: C, navn: Omgivelserne, kriterier: [C.1, C.2], regel: mindst_en}",
    )
    text = write_indmelding(tmp_path, ws.sd, ws.defs)
    assert "Kategori C (omgivelserne) er opfyldt, hvis mindst ét af kriterierne C.1 og C.2 er opfyldt." in text
    assert "Kategori C – omgivelserne (mindst ét af C.1 og C.2)" in text
    assert "både C.1 og C.2" not in text


@pytest.mark.parametrize(
    "kraever,dispensation,expected",
    [
        (
            "[A, C]",
            "dispensation:\n  hvis_nyoprettet: false\n  mangler_hoejst: [C]\n",
            "Et tilbud skal opfylde kategorierne A og C for at blive indstillet. Kategori B vurderes, men er ikke "
            "et krav.",
        ),
        (
            "[A, C]",
            "dispensation:\n  hvis_nyoprettet: false\n  mangler_hoejst: [C]\n",
            "Et tilbud kan undtagelsesvis "
            "omfattes selv om kategori C ikke er opfyldt, hvis der er enighed i Den Administrative Styregruppe",
        ),
        ("[A, B, C]", "", "Der gives ikke dispensation fra kriterierne."),
    ],
)
def test_the_rule_sentence_says_which_categories_are_needed_and_when_a_dispensation_is_offered(
    tmp_path, kraever, dispensation, expected
):
    init_workspace(tmp_path)
    path = tmp_path / "skabeloner" / "skemaer" / "kriterier.yaml"
    text = path.read_text(encoding="utf-8").replace("indstilles_kraever: [A, B, C]", f"indstilles_kraever: {kraever}")
    text = text[: text.index("dispensation:\n")] + dispensation
    path.write_text(text, encoding="utf-8")
    assert expected in definition_texts(Workspace(tmp_path).sd, load_definitions(path.parent), AAR)["kriterier.regel"]


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    "placeholder,message",
    [
        ("{organ.kkr}", "ukendt organ 'kkr'"),
        ("{maaned.dialogforum}", "ukendt aktivitet 'dialogforum'"),
        ("{kategori.D}", "ukendt kategori 'D'"),
        ("{indikation.B.1}", "kriteriet B.1 har ingen 'indikation_pr_indbyggere'"),
        ("{organ.das.flertal}", "skriv {organ.das}"),
        ("{aarstal}", "ukendt pladsholder"),
    ],
)
def test_an_unknown_placeholder_is_refused_with_file_and_line(tmp_path, placeholder, message):
    init_workspace(tmp_path)
    path = tmp_path / "skabeloner" / "skemaer" / "kommune.yaml"
    text = path.read_text(encoding="utf-8")
    old = "før I svarer. Forventningerne"
    assert old in text
    path.write_text(text.replace(old, f"før I svarer ({placeholder}). Forventningerne"), encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_definitions(path.parent)
    issue = err.value.issues[0]
    assert message in issue.message and placeholder in issue.message
    assert (issue.file, issue.line) == ("kommune.yaml", line_of(path, placeholder))


def test_a_placeholder_in_a_label_is_refused(tmp_path):
    init_workspace(tmp_path)
    path = tmp_path / "skabeloner" / "skemaer" / "kommune.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("etiket: Kontaktperson,", 'etiket: "Kontaktperson i {region}",', 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_definitions(path.parent)
    assert "kan ikke bruges her" in str(err.value) and err.value.issues[0].line == line_of(path, "{region}")


@pytest.mark.parametrize(
    "navn,genitive",
    [
        ("Ekspertpanelet", "Ekspertpanelets"),
        ("Den Administrative Styregruppe", "Den Administrative Styregruppes"),
        ("DAS", "DAS'"),
        ("KKR Sjælland", "KKR Sjællands"),
    ],
)
def test_the_genitive_of_a_body(navn, genitive):
    assert ejefald(navn) == genitive
