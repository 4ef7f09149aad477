"""The expert panel's own form (skema panel): generated from the year's returns, read back like every
other form, and shown in the bilag ('afventer' until it is in), the consolidated workbook and the
rammeaftale's list."""

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from toolkit import Workspace
from toolkit.consolidate.panel import AFVENTER, panel_assessment
from toolkit.danish import format_dato
from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import recipients
from toolkit.demo.simulate import fill_form
from toolkit.demo.simulate_panel import panel_answers
from toolkit.fieldkeys import Panel

from fill import answered_copy

AAR = 2028
MOEDE = dt.date(AAR, 5, 20)


def text_of(path: Path) -> str:
    d = Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


@pytest.fixture(scope="session")
def demo(demo):
    """conftest's demo year, its folder only."""
    return demo[0]


def _panel_plan(ws: Workspace):
    defn = ws.defs[Panel.SKEMA]
    return plan_form(defn, ws.sd, recipients(defn, ws.sd, AAR)[0], AAR, ws.panel_cases(AAR))


@pytest.fixture()
def nominated(tmp_path):
    """A fresh folder with one nomination read (Bostedet Lindely: the driftsherre answers B.1 'Nej',
    so its own assessment says 'indstilles ikke') and no panel form yet."""
    ws = Workspace(tmp_path)
    forms, _skipped, _out = ws.generate(AAR, ["indmelding"])
    src = next(f.path for f in forms if f.modtager_id == "DH-HJO")
    (tmp_path / "ind").mkdir()
    filled = answered_copy(src, tmp_path / "ind" / src.name, ws.sd, ws.defs, AAR)
    ws.ingest([filled], years=[AAR])
    return ws


def test_panel_form_has_a_block_per_tilbud_nomination_and_withdrawal_with_locked_context(demo, tmp_path):
    work = tmp_path / "demo"
    shutil.copytree(demo, work)
    ws = Workspace(work)
    (form,), _skipped, _out = ws.generate(AAR, [Panel.SKEMA], overwrite=True)
    assert form.path.name == f"{AAR}_panel_ekspertpanelets_vurdering.xlsx"
    wb = openpyxl.load_workbook(form.path)
    assert wb.sheetnames[:5] == ["Vejledning", "_lister", "Tilbud i samarbejdet", "Indmeldte tilbud", "Udmeldinger"]
    col_a = lambda name: [c.value for c in wb[name]["A"] if c.value]  # noqa: E731
    assert sum(str(v).startswith("Tilbud: ") for v in col_a("Tilbud i samarbejdet")) == len(ws.sd.omfattede_tilbud(AAR))
    nominations = col_a("Indmeldte tilbud")
    assert "Bostedet Lindely" in nominations and "Kommunikationscentret Vest" in nominations
    assert col_a("Udmeldinger").count("Tilbud: Synscenter Limfjord") == 1  # Læsø wants it udtaget
    ws_ind = wb["Indmeldte tilbud"]
    rows = [r for r in ws_ind.iter_rows(values_only=True) if r[0]]
    start = next(i for i, r in enumerate(rows) if r[0] == "Bostedet Lindely")
    context = {r[0]: r[1] for r in rows[start + 1 : start + 12] if r[1]}
    assert context["B.1 driftsherrens egen vurdering"].startswith("Nej")
    assert context["Driftsherrens egen vurdering giver"] == "indstilles ikke"
    cell = next(c for row in ws_ind.iter_rows() for c in row if c.value == "B.1 driftsherrens egen vurdering")
    assert cell.protection.locked and ws_ind.protection.sheet  # locked context on a protected sheet
    # admission on dispensation is offered only to the nyoprettet nomination
    choices = {fi.key: fi.felt.choices for fi in _panel_plan(ws).fields() if fi.felt.noegle == Panel.INDSTILLING}
    assert Panel.DISPENSATION in choices["panel.nr.DH-RN-1.indstilling"]
    assert Panel.DISPENSATION not in choices["panel.nr.DH-HJO-1.indstilling"]
    assert choices["panel.tilbud.T01.indstilling"] == (Panel.FORTSAETTER, Panel.UDTRAEDER, Panel.NOEDSPOR)


def test_bilag_and_workbook_show_exactly_what_the_demo_panel_filled_in(demo):
    ws = Workspace(demo)
    values = ws.year_data(AAR).values
    filled = {v.felt: v.value for v in values if v.skema == Panel.SKEMA}
    expected = panel_answers(_panel_plan(ws), panel="ekspertpanelet")  # the body's short name
    assert filled == expected  # read back field by field
    panel = panel_assessment(values)
    assert panel is not None
    text = text_of(demo / str(AAR) / f"{AAR}_bilag_das_{MOEDE.isoformat()}.docx")
    assert AFVENTER not in text
    names = {"DH-AAL-1", "DH-RN-1", "DH-HJO-1", "DH-THI-1"}
    assert set(panel.indmeldt) == names
    for sag_id in panel.indmeldt:
        for c in ws.defs.kriterier.alle_koder():
            own = next((v.value for v in values if v.skema == "indmelding" and v.felt == f"indmelding.nr.1.{c}_opfyldt"
                       and v.respondent_id == sag_id.rsplit("-", 1)[0]), "ikke besvaret")  # fmt: skip
            row = f"{c[0].upper()}.{c[1]} | {own} | {expected[f'panel.nr.{sag_id}.{c}_opfyldt']} | "
            assert row + expected[f"panel.nr.{sag_id}.{c}_begrundelse"] in text
        assert f"Ekspertpanelets indstilling: {expected[f'panel.nr.{sag_id}.indstilling']}" in text
    for t in ws.sd.omfattede_tilbud(AAR):
        assert f"{t.navn} | " in text and expected[f"panel.tilbud.{t.id}.indstilling"] in text
    assert "Synscenter Limfjord | Thisted Kommune | nødspor | fortsætter i nødsporet (det supplerende spor)" in text
    assert (
        f"a) Lever tilbuddet fortsat op til kriterierne? Ja. {expected['panel.tilbud.T06.fortsat_begrundelse']}" in text
    )
    assert f"b) Konsekvenser af en udmelding: {expected['panel.tilbud.T06.konsekvenser']}" in text
    assert "Nødspor: tilbuddet ønskes udtaget" in text and "rammeaftalen (tillæg 1)" in text
    assert f"Ekspertpanelets konklusion: {expected['panel.baeredygtighed']}" in text
    assert "Synscenter Limfjord | Ja " in text  # the municipalities' match answers, counted
    # the consolidated workbook's sheet 'Ekspertpanel' holds the panel's proposals, not 'afventer'
    sheet = openpyxl.load_workbook(demo / str(AAR) / f"{AAR}_samlet.xlsx")["Ekspertpanel"]
    rows = {r[2]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2]}
    assert rows["Bostedet Lindely"][4] == "indstilles ikke"  # the driftsherre's own
    assert rows["Bostedet Lindely"][6] == "Opfyldt" and rows["Bostedet Lindely"][8] == Panel.OPTAGES  # the panel's
    # names, not ids, and it prints as the other sheets do: header row on every page, page numbers
    assert rows["Bostedet Lindely"][0] == "Hjørring Kommune"
    assert "Synscenter Limfjord" in rows and not any(str(k).startswith("T0") for k in rows)
    assert sheet.print_title_rows.replace("$", "") == "1:1" and "Side &P af &N" in sheet.oddFooter.right.text
    # the panel by its name in aarshjul.yaml, in the columns and the printed header
    heads = next(sheet.iter_rows(max_row=1, values_only=True))
    assert "Ekspertpanelet: kategori A" in heads and "Ekspertpanelets indstilling" in heads
    assert "Ekspertpanelets begrundelser" in heads and not any(str(h).startswith("Panel") for h in heads)
    assert "Ekspertpanelets vurdering" in sheet.oddHeader.left.text
    assert "Ekspertpanelet drøftede i april" in expected["panel.baeredygtighed"]


def test_without_panel_form_the_bilag_is_pending_and_a_differing_panel_changes_it(nominated):
    ws = nominated
    before = text_of(ws.bilag(AAR, MOEDE, overwrite=True).path)
    afventer = "afventer Ekspertpanelets vurdering"  # the bilag names the body from aarshjul.yaml
    assert f"Ekspertpanelets vurdering: {afventer}" in before
    assert "Driftsherrens egen vurdering efter kriterierne: indstilles ikke." in before
    assert "Ekspertpanelets vurdering: indstilles ikke" not in before  # never the applicant's as the panel's
    assert f"B.1 | Nej | {afventer} | Driftsherren: " in before  # the driftsherre's reason, named as such
    assert f"Bostedet Lindely (indmeldt) | Hjørring Kommune | {afventer}" in before
    # the panel finds B.1 met where the driftsherre said no: its assessment and proposal change the bilag
    (form,), _s, _o = ws.generate(AAR, [Panel.SKEMA])
    answers = panel_answers(_panel_plan(ws))
    answers["panel.nr.DH-HJO-1.b1_begrundelse"] = "Panelet finder de specialiserede kompetencer dokumenteret."
    report, _w = ws.ingest([fill_form(form.path, answers, form.path.parent.parent / form.path.name)])
    assert report.items[0].errors == 0
    after = text_of(ws.bilag(AAR, MOEDE, overwrite=True).path)
    assert "Ekspertpanelets vurdering: indstilles" in after and "afventer" not in after
    assert "B.1 | Nej | Ja | Panelet finder de specialiserede kompetencer dokumenteret." in after
    assert "Bostedet Lindely (indmeldt) | Hjørring Kommune | optages | nyt tilbud fra 1. januar 2029" in after
    assert "Driftsherrens egen vurdering efter kriterierne: indstilles ikke." in after


def test_panel_form_is_validated_by_its_definition(nominated):
    ws = nominated
    (form,), _s, _o = ws.generate(AAR, [Panel.SKEMA])
    answers = panel_answers(_panel_plan(ws))
    answers["panel.tilbud.T01.indstilling"] = "måske"
    del answers["panel.baeredygtighed"]
    report = ws.check([fill_form(form.path, answers, form.path.parent.parent / form.path.name)])
    found = {(i.code, i.key) for i in report.items[0].issues}
    assert ("ukendt-valg", "panel.tilbud.T01.indstilling") in found
    assert ("mangler-obligatorisk", "panel.baeredygtighed") in found


def test_panel_form_is_not_sent_with_the_others_and_is_no_return(nominated):
    ws = nominated
    todo, _skipped = ws.planned_forms(AAR)
    assert Panel.SKEMA not in {defn.skema for defn, _m in todo}
    assert Panel.SKEMA not in {s.skema for s in ws.year_data(AAR).statuses}  # no rykker to the secretariat


def test_rammeaftale_lists_the_tilbud_from_1_january_with_changes(demo, tmp_path):
    work = tmp_path / "demo"
    shutil.copytree(demo, work)
    path = Workspace(work).rammeaftale(AAR)
    assert path == work / "output" / str(AAR) / f"{AAR + 1}_rammeaftale_tilbud.xlsx"
    rows = {r[0]: r for r in openpyxl.load_workbook(path).active.iter_rows(min_row=5, values_only=True)}
    assert rows["Synscenter Limfjord"][2:] == ("Ja", "nødspor", "fortsætter i nødsporet (det supplerende spor)")
    assert rows["Kommunikationscentret Vest"][2:4] == ("Nej", "optages ikke")
    assert rows["Ungeenheden for Komplekse Spiseforstyrrelser"][3] == Panel.DISPENSATION


def test_a_copied_definitions_folder_without_panel_yaml_still_loads(tmp_path):
    from toolkit.workspace import init_workspace

    init_workspace(tmp_path)
    (tmp_path / "skabeloner" / "skemaer" / "panel.yaml").unlink()  # a copy made before the panel form existed
    assert Workspace(tmp_path).defs[Panel.SKEMA].modtager == "sekretariat"


def test_a_proposal_the_code_does_not_know_fails_when_definitions_load(tmp_path):
    from toolkit.definitions.load import load_definitions
    from toolkit.problems import DefinitionError
    from toolkit.workspace import init_workspace

    init_workspace(tmp_path)
    path = tmp_path / "skabeloner" / "skemaer" / "panel.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("udtræder, nødspor]", "udtræder, lukkes]"), "utf-8")
    with pytest.raises(DefinitionError) as err:
        load_definitions(path.parent)
    (problem,) = err.value.issues
    assert problem.file == "panel.yaml" and "'lukkes'" in problem.message and problem.line is not None


def test_a_withdrawal_proposal_states_when_it_takes_effect(sd):
    from toolkit.consolidate.rammeaftale import change_text
    from toolkit.rules.period import year_periods

    virkning = year_periods(sd, AAR).udmelding_virkning
    assert change_text(Panel.UDTRAEDER, sd, AAR) == f"udtræder; udmeldingen får virkning {format_dato(virkning)}"
    assert change_text(None, sd, AAR) == "–"


def test_a_year_without_nominations_or_withdrawals_has_no_sheets_for_them(tmp_path):
    ws = Workspace(tmp_path)
    (form,), _s, _o = ws.generate(AAR + 1, [Panel.SKEMA])
    sheets = openpyxl.load_workbook(form.path).sheetnames
    assert "Tilbud i samarbejdet" in sheets and "Bæredygtighed" in sheets
    assert "Indmeldte tilbud" not in sheets and "Udmeldinger" not in sheets
