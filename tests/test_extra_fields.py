"""Fields reach the documents (issue 16, item 3): a field whose definition says `i_dokumenter` is
shown, with its label and the respondent's value formatted the Danish way, in the per-tilbud table
"Øvrige oplysninger" of the hearing material and the DAS appendix — added in YAML, no code."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from toolkit.definitions import parse_definition
from toolkit.documents.oevrige import extra_rows, format_value
from toolkit.problems import DefinitionError
from toolkit.workspace import Workspace, init_workspace

from fill import fill_form, plan_for


def body_text(path) -> str:
    """The document's paragraphs and table rows in reading order (a table's cells joined by ' | ')."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    out = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append(Paragraph(el, doc).text)
        elif el.tag == qn("w:tbl"):
            out += [" | ".join(c.text for c in row.cells) for row in Table(el, doc).rows]
    return "\n".join(out)


AAR = 2028
TILBUD = "T01"

# a new section in the årsrapport's sheet 'Udvikling' and a new question in the kommune form's
# per-tilbud block: the Sjælland paper's effect measures and package prices
AARSRAPPORT_SECTION = """
      - titel: Effekt og pris
        felter:
          - noegle: effektmaal
            etiket: Effekt- og progressionsmål
            type: langtekst
            i_dokumenter: [bilag, hoeringsmateriale]
          - noegle: pakkepris
            etiket: Pakkepris pr. forløb (kr.)
            type: beloeb
            i_dokumenter: [bilag]
          - {noegle: maalt_dato, etiket: Effekten senest målt, type: dato, i_dokumenter: [hoeringsmateriale]}
          - {noegle: intern_note, etiket: Intern note, type: tekst}
"""
ANCHOR = "      - titel: Early warning\n"
KOMMUNE_SECTION = """
      - titel: Målgruppen i kommunen
        felter:
          - noegle: maalgruppe_antal
            etiket: Borgere i målgruppen i kommunen
            type: heltal
            i_dokumenter: [hoeringsmateriale]
"""


def _add(path, anchor: str, text: str) -> None:
    """`text` inserted before `anchor` (which occurs once)."""
    content = path.read_text(encoding="utf-8")
    assert content.count(anchor) == 1
    path.write_text(content.replace(anchor, text.lstrip("\n") + anchor), encoding="utf-8")


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A workspace whose copied definitions carry the new fields, with one årsrapport and one kommune
    form answered and read in, and the hearing material and appendix written."""
    folder = tmp_path_factory.mktemp("oevrige")
    init_workspace(folder)
    skemaer = folder / "skabeloner" / "skemaer"
    _add(skemaer / "aarsrapport.yaml", ANCHOR, AARSRAPPORT_SECTION)
    _add(skemaer / "kommune.yaml", "      - titel: Tilbuddets beskrivelser\n", KOMMUNE_SECTION)
    ws = Workspace(folder)
    forms, _skipped, _out = ws.generate(AAR, ["aarsrapport", "kommune"])
    (folder / "ind").mkdir()
    aarsrapport = next(f.path for f in forms if f.skema == "aarsrapport" and f.modtager_id == TILBUD)
    _defn, plan = plan_for(aarsrapport, ws.defs, ws.sd, AAR)
    assert plan.modtager.tilbud_id == TILBUD
    answers = {
        "aarsrapport.effektmaal": "Otte af ti borgere når deres mål & bliver i egen bolig.",
        "aarsrapport.pakkepris": 1234567.5,
        "aarsrapport.maalt_dato": dt.date(2027, 11, 30),
        "aarsrapport.intern_note": "Vises ikke",
    }
    kommune_form = next(f.path for f in forms if f.skema == "kommune" and f.modtager_id == "K851")
    returned = [
        fill_form(aarsrapport, answers, folder / "ind" / aarsrapport.name),
        fill_form(
            kommune_form, {f"kommune.tilbud.{TILBUD}.maalgruppe_antal": 1250}, folder / "ind" / kommune_form.name
        ),
    ]
    ws.ingest(returned, years=[AAR])
    ws.hoering(AAR, dt.date(AAR, 5, 10), today=dt.date(AAR, 4, 20))
    bilag = ws.bilag(AAR, dt.date(AAR, 5, 20))
    return ws, folder / "output" / str(AAR) / "hoering" / f"{AAR}_hoeringsmateriale.docx", bilag.path


def test_a_field_marked_for_the_documents_shows_label_and_danish_value_in_the_hearing_material(filled):
    ws, material, _bilag = filled
    text = body_text(material)
    navn, next_navn = (t.navn for t in ws.sd.omfattede_tilbud(AAR)[:2])
    assert ws.sd.omfattede_tilbud(AAR)[0].id == TILBUD
    section = text[text.index(navn) : text.index(next_navn)]
    assert "Øvrige oplysninger" in section
    assert "Effekt- og progressionsmål | Otte af ti borgere når deres mål & bliver i egen bolig." in section
    assert "Effekten senest målt | 30. november 2027" in section
    assert "Borgere i målgruppen i kommunen (Aalborg Kommune) | 1.250" in section
    assert "Pakkepris" not in section  # marked for the bilag only
    assert "Intern note" not in text  # not marked


def test_a_field_marked_for_the_bilag_shows_in_the_tilbuds_status_section(filled):
    ws, _material, bilag = filled
    text = body_text(bilag)
    navn = ws.sd.tilbud_by_id(TILBUD).navn
    start = re.search(rf"Bilag \d+: Status: {re.escape(navn)}", text).start()  # the section, not its index entry
    section = text[start : text.index("Early warning", start)]
    assert "Øvrige oplysninger" in section
    assert "Pakkepris pr. forløb (kr.) | 1.234.567,50 kr." in section
    assert "Effekt- og progressionsmål | Otte af ti borgere" in section
    assert "Effekten senest målt" not in section and "Borgere i målgruppen" not in section
    others = text[text.index("Early warning", start) :]
    assert "Øvrige oplysninger" not in others  # no other tilbud has such answers: no empty table


def test_without_marked_fields_the_documents_have_no_such_table(demo):
    work, _ = demo
    assert "Øvrige oplysninger" not in body_text(work / str(AAR) / "hoering" / f"{AAR}_hoeringsmateriale.docx")


@pytest.mark.parametrize(
    "type_,value,text",
    [
        ("tal", 87.5, "87,5"),
        ("heltal", 1234, "1.234"),
        ("beloeb", 250000, "250.000 kr."),
        ("procent", 97.06, "97,1 %"),
        ("dato", dt.date(2028, 3, 1), "1. marts 2028"),
        ("ja_nej", "Ja", "Ja"),
        ("tekst", "Fri tekst", "Fri tekst"),
    ],
)
def test_values_are_formatted_the_danish_way(type_, value, text):
    from toolkit.definitions.model import Felt

    felt = Felt(noegle="x", etiket="X", type=type_, valg=("Ja",) if type_ == "valg" else ())
    assert format_value(felt, value) == text


BASE = """
skema: kommune
navn: Test
version: 1
modtager: kommune
formaal: x
ark:
  - navn: Ark
    titel: Ark
    {gentag}
    sektioner:
      - titel: S
        felter:
          - {{noegle: felt, etiket: Felt, type: tekst, i_dokumenter: [bilag]}}
"""


def test_a_field_whose_answers_belong_to_no_tilbud_cannot_be_marked():
    with pytest.raises(DefinitionError) as err:
        parse_definition(BASE.format(gentag=""), "kommune.yaml")
    assert "'i_dokumenter' kræver, at svaret hører til et tilbud" in str(err.value)
    assert parse_definition(BASE.format(gentag="gentag: tilbud"), "kommune.yaml").ark[0].gentag == "tilbud"


def test_an_unknown_document_is_refused_with_its_line():
    text = BASE.format(gentag="gentag: tilbud").replace("[bilag]", "[referat]")
    with pytest.raises(DefinitionError) as err:
        parse_definition(text, "kommune.yaml")
    issue = err.value.issues[0]
    assert "i_dokumenter" in issue.message and "'bilag' eller 'hoeringsmateriale'" in issue.message
    assert issue.line == text.splitlines().index(next(x for x in text.splitlines() if "referat" in x)) + 1


def test_rows_follow_the_definitions_order_not_the_stores(sd, defs):
    class V:
        def __init__(self, noegle, value, respondent="T01", **kw):
            self.skema, self.noegle, self.value, self.respondent_id = "aarsrapport", noegle, value, respondent
            self.tilbud_id = self.ydelse_id = self.kommune_id = self.linje = self.felt_aar = None
            self.__dict__.update(kw)

    marked = {
        **defs,
        "aarsrapport": defs["aarsrapport"].model_copy(
            update={
                "ark": tuple(
                    a.model_copy(
                        update={
                            "sektioner": tuple(
                                s.model_copy(
                                    update={
                                        "felter": tuple(
                                            f.model_copy(update={"i_dokumenter": ("bilag",)})
                                            if f.noegle in ("budget", "faglig_udvikling")
                                            else f
                                            for f in s.felter
                                        )
                                    }
                                )
                                for s in a.sektioner
                            )
                        }
                    )
                    for a in defs["aarsrapport"].ark
                )
            }
        ),
    }
    rows = extra_rows([V("faglig_udvikling", "Ny metode"), V("budget", 5e6, felt_aar=2027)], sd, marked)
    assert rows["bilag"]["T01"] == [
        {"etiket": "Budget (kr.) 2027", "fra": "", "vaerdi": "5.000.000 kr."},
        {"etiket": "Faglig udvikling", "fra": "", "vaerdi": "Ny metode"},
    ]
    assert rows["hoeringsmateriale"] == {}
