"""Hearing replies (form type hoeringssvar): written by `skema hoering` next to each letter and named in
it, read back like every form, entered by mail with `skema bemaerkning`, counted in the status, and
shown per tilbud in the hearing material, the consolidated workbook and the DAS appendix."""

import datetime as dt
import re
import subprocess
import sys

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from toolkit import AnswerStatus, Workspace
from toolkit.cli import app
from toolkit.demo.simulate import fill_form
from toolkit.demo.simulate_hoering import MANGLER, PR_MAIL, SVAR
from toolkit.problems import UsageError

AAR = 2028
FRIST = dt.date(AAR, 5, 10)
SENT = dt.date(AAR, 4, 16)


@pytest.fixture
def hearing(tmp_path):
    ws = Workspace(tmp_path / "w")
    written = ws.hoering(AAR, FRIST, today=SENT)
    return ws, written


def paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_one_form_per_party_next_to_its_letter_and_named_in_it(hearing, sd):
    ws, written = hearing
    folder = ws.out(AAR) / "hoering"
    forms = sorted(w.path.name for w in written if w.path.suffix == ".xlsx")
    assert len(forms) == len(sd.aftaleparter) == 12
    assert "2028_hoeringssvar_laesoe_kommune.xlsx" in forms and "2028_hoeringssvar_region_nordjylland.xlsx" in forms
    letter = "\n".join(paragraphs(folder / "2028_hoeringsbrev_laesoe_kommune.docx"))
    assert "Send jeres bemærkninger i det vedlagte skema 2028_hoeringssvar_laesoe_kommune.xlsx senest 10. maj 2028" in (
        letter.replace("\n", " ")
    )
    # the form: the hearing's deadline, one block per tilbud, a locked sheet and a Ja/Delvist/Nej list
    wb = openpyxl.load_workbook(folder / "2028_hoeringssvar_laesoe_kommune.xlsx")
    sheet = wb["Høringssvar"]
    assert sheet.protection.sheet
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    for t in sd.omfattede_tilbud(AAR):
        assert any(t.navn in x for x in texts), t.navn
    assert any("Frist: 10. maj 2028" in x for x in texts)
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(f for f in lists)
    choices = wb["_lister"] if "_lister" in wb.sheetnames else None
    values = [c.value for row in choices.iter_rows() for c in row] if choices else lists
    assert {"Ja", "Delvist", "Nej"} <= {str(v).strip('"') for v in values if v}
    assert sheet.page_setup.paperSize == 9  # A4


def test_a_plain_generer_does_not_send_the_hearing_forms(tmp_path):
    ws = Workspace(tmp_path / "w")
    forms, _skipped, _out = ws.generate(AAR, ["kommune"])
    assert forms and all(f.skema == "kommune" for f in forms)
    planned, _ = ws.planned_forms(AAR)
    assert {defn.skema for defn, _m in planned} == {"indmelding", "udmelding", "aarsrapport", "kommune"}


def test_replies_are_read_back_counted_and_shown_in_the_workbook_and_material(hearing, tmp_path):
    ws, _ = hearing
    folder = ws.out(AAR) / "hoering"
    inbox = tmp_path / "ind"
    inbox.mkdir()
    fill_form(
        folder / "2028_hoeringssvar_laesoe_kommune.xlsx",
        {
            "hoeringssvar.tilbud.T06.ydelser_matcher": "Nej",
            "hoeringssvar.tilbud.T06.bemaerkning": '=HYPERLINK("x") Vi har ingen borgere i målgruppen.',
        },
        inbox / "svar.xlsx",
    )
    report, _written = ws.ingest([inbox], years=[AAR])
    assert report.ok, [i.message for it in report.items for i in it.issues]
    statuses = {s.modtager.id: s for s in ws.year_data(AAR).statuses if s.skema == "hoeringssvar"}
    assert len(statuses) == 12
    assert statuses["K825"].status == AnswerStatus.GYLDIG and statuses["K851"].status == AnswerStatus.MANGLER
    # the consolidated workbook: a sheet Høringssvar, the text as text (never a formula)
    wb = openpyxl.load_workbook(ws.consolidate(AAR))
    row = next(r for r in wb["Høringssvar"].iter_rows() if "T06" in [c.value for c in r])
    assert {"Læsø Kommune", "Nej"} <= {c.value for c in row}
    remark = next(c for c in row if str(c.value).startswith("=HYPERLINK"))
    assert remark.value == '=HYPERLINK("x") Vi har ingen borgere i målgruppen.' and remark.data_type == "s"
    # the hearing material, written again after the replies, shows them per tilbud
    ws.hoering(AAR, FRIST, overwrite=True, today=SENT)
    text = paragraphs(folder / f"{AAR}_hoeringsmateriale.docx")
    i = text.index("Synscenter Limfjord")
    section = text[i : text.index("Børnehuset Fjordglimt")]
    assert "Høringssvar" in section
    assert (
        'Læsø Kommune (ydelserne matcher behovet: Nej): =HYPERLINK("x") Vi har ingen borgere i målgruppen.' in section
    )


def test_before_the_hearing_nobody_is_missing_a_hearing_reply(tmp_path):
    ws = Workspace(tmp_path / "w")
    ws.generate(AAR, ["kommune"])
    assert not [s for s in ws.year_data(AAR).statuses if s.skema == "hoeringssvar"]


def test_a_remark_by_mail_is_validated_stored_with_its_reason_and_counts_as_an_answer(hearing):
    ws, _ = hearing
    runner = CliRunner()
    base = ["bemaerkning", "--aar", "2028", "--mappe", str(ws.folder), "--part", "K851"]
    ok = runner.invoke(
        app,
        base
        + ["--tilbud", "T01", "--tekst", "Vi mangler et forløb for unge.", "--ydelser-matcher", "delvist"]
        + ["--begrundelse", "modtaget pr. mail 3. maj"],
    )
    assert ok.exit_code == 0, ok.output

    def refused(*args: str) -> str:
        r = runner.invoke(app, [*base, *args])
        assert isinstance(r.exception, UsageError), r.output  # the CLI's exit code 2 (see below)
        return str(r.exception)

    assert "'Måske' er ikke en af mulighederne (Ja, Delvist, Nej)" in refused(
        "--tilbud", "T02", "--tekst", "x", "--ydelser-matcher", "Måske", "--begrundelse", "mail"
    )
    assert "Tilbuddet 'T99' er ikke i høringen for 2028" in refused(
        "--tilbud", "T99", "--tekst", "x", "--begrundelse", "m"
    )
    assert "begrundelse" in refused("--tilbud", "T02", "--tekst", "x", "--begrundelse", " ")
    assert "--tekst" in refused("--tilbud", "T02", "--begrundelse", "mail")
    p = subprocess.run(
        [sys.executable, "-m", "toolkit", *base[:-1], "K999", "--tilbud", "T02", "--tekst", "x", "--begrundelse", "m"],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and "'K999' er ikke en aftalepart" in p.stderr and "Traceback" not in p.stderr
    values = {v.felt: v for v in ws.year_data(AAR).values if v.skema == "hoeringssvar"}
    # the refused calls stored nothing (not even the valid text of the bad choice)
    assert set(values) == {"hoeringssvar.tilbud.T01.bemaerkning", "hoeringssvar.tilbud.T01.ydelser_matcher"}
    assert values["hoeringssvar.tilbud.T01.ydelser_matcher"].value == "Delvist"  # normalised like the form
    assert values["hoeringssvar.tilbud.T01.bemaerkning"].kilde_fil == "rettelse: modtaget pr. mail 3. maj"
    _subs, corrections = ws.history("K851")
    assert {c["reason"] for c in corrections} == {"modtaget pr. mail 3. maj"}
    status = next(s for s in ws.year_data(AAR).statuses if s.skema == "hoeringssvar" and s.modtager.id == "K851")
    assert status.status == AnswerStatus.GYLDIG and status.kilde_fil == "pr. mail"


def _expected(tilbud_id: str, sd) -> list[str]:
    """What the demo filled in for one tilbud, as the bilag states it, in the stamdata's party order."""
    names = {a.id: a.navn for a in sd.aftaleparter}
    order = [a.id for a in sd.aftaleparter]
    answers = {pid: v for (pid, tid), v in SVAR.items() if tid == tilbud_id and pid not in MANGLER}
    for (pid, tid), (matcher, tekst, _why) in PR_MAIL.items():
        if tid == tilbud_id:
            answers[pid] = (matcher, tekst)
    out = []
    for pid in sorted(answers, key=order.index):
        matcher, tekst = answers[pid]
        line = names[pid] + (f" (ydelserne matcher behovet: {matcher})" if matcher else "")
        out.append(line + (f": {tekst}" if tekst else ""))
    return out


def test_the_bilag_shows_the_demos_remarks_per_tilbud_field_by_field(demo, sd):
    work, _ = demo
    text = paragraphs(work / str(AAR) / f"{AAR}_bilag_das_2028-05-20.docx")
    starts = [i for i, p in enumerate(text) if re.match(r"Bilag \d+(\.\d+)?: Status: ", p)]
    seen = 0
    for i in starts:
        navn = text[i].split("Status: ", 1)[1]
        t = next(t for t in sd.omfattede_tilbud(AAR) if t.navn == navn)
        h = text.index("Høringsbemærkninger", i)
        end = next(j for j in range(h + 1, len(text)) if text[j].startswith("Bilag ") or j == len(text) - 1)
        shown = [p for p in text[h + 1 : end] if p]
        expected = _expected(t.id, sd)
        assert shown == (expected or ["Der er ikke registreret høringsbemærkninger til tilbuddet."]), navn
        seen += len(expected)
    assert seen == len({k for k in SVAR if k[0] not in MANGLER} | set(PR_MAIL)) == 12
    overview = text[text.index("Høringsbemærkninger") + 1]  # the overview: who has answered
    assert overview == (
        f"Høringssvar fra {12 - len(MANGLER)} af 12 aftaleparter (mangler: Morsø Kommune, Rebild Kommune). "
        "Bemærkningerne står under de enkelte tilbud."
    )
