"""Word documents: letters, hearing material, reminders and the DAS appendix."""

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from toolkit import AnswerStatus, Workspace
from toolkit.documents.pdf import convert
from toolkit.documents.produce import write_bilag, write_rykkere
from toolkit.documents.render import TemplateError, check_templates, load, render
from toolkit.store import Store

AAR = 2028


def test_the_demo_runs_every_step_of_the_year(demo):
    _work, steps = demo
    assert [s.title[:2] for s in steps] == ["0.", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."]


def text_of(path: Path) -> str:
    d = Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    parts += [p.text for s in d.sections for p in s.header.paragraphs]
    return "\n".join(parts)


def test_hearing_letter_per_party_with_names_material_and_danish_deadline(demo, sd):
    work, _ = demo
    letters = sorted((work / str(AAR) / "hoering").glob(f"{AAR}_hoeringsbrev_*.docx"))
    assert len(letters) == len(sd.aftaleparter) == 12
    text = text_of(work / str(AAR) / "hoering" / f"{AAR}_hoeringsbrev_laesoe_kommune.docx")
    assert "Læsø Kommune" in text and sd.aftalepart("K825").kontaktperson in text
    assert "Frist for høringssvar: 10. maj 2028" in text
    for t in sd.omfattede_tilbud(AAR):
        assert t.navn in text
    assert "Hjerneskadecenter Himmerland | Vesthimmerland Kommune | ikke modtaget" in text
    assert sd.setting("sekretariat") in text  # the header


def test_hearing_material_per_tilbud_with_figures_and_wishes(demo):
    work, _ = demo
    text = text_of(work / str(AAR) / "hoering" / f"{AAR}_hoeringsmateriale.docx")
    assert "Høringsmateriale 2028" in text and "Synscenter Limfjord" in text
    assert re.search(r"Belægning \(%\) \| \d+,\d \| \d+,\d \| \d+,\d", text)  # Danish decimals
    # every early-warning signal computed from the store is in the material, with its numbers
    year = Workspace(work).year_data(AAR)
    signals = [s.text for f in year.figures for s in year.warnings[f.tilbud_id]]
    assert any(s.startswith("Forventet brug") and "mod 88 pladser" in s for s in signals)
    for s in signals:
        assert s in text
    assert "Læsø Kommune: Bruger i stedet: Køber tilsvarende ydelse i Region Midtjylland" in text


def test_reminders_name_the_missing_forms_and_deadline(demo, sd):
    work, _ = demo
    letters = sorted((work / str(AAR) / "rykkere").glob("*.docx"))
    # one letter per respondent that has a missing answer: Morsø and Rebild (kommune), Hjerneskadecenter
    # Himmerland (årsrapport), and those whose simulated return was refused (e.g. 'ikke-udfyldt')
    missing = {s.modtager.id for s in Workspace(work).year_data(AAR).statuses if s.status == AnswerStatus.MANGLER}
    assert {"K773", "K840"} <= missing and len(letters) == len(missing)
    text = text_of(next(p for p in letters if "_kommune_rebild" in p.name))
    assert "Kommunal indmelding – frist 15. marts 2028" in text and "Rebild Kommune" in text


def test_bilag_has_cover_index_and_every_bilag(demo, sd):
    work, _ = demo
    path = work / str(AAR) / f"{AAR}_bilag_das_2028-05-20.docx"
    text = text_of(path)
    assert "Bilag til DAS" in text and "20. maj 2028" in text
    assert "Bilag til dagsordenspunkt 1:" in text and "Bilag til dagsordenspunkt 2: Indmeldte tilbud" in text
    for t in sd.omfattede_tilbud(AAR):
        assert f"Status: {t.navn}" in text
    assert "kan dispenseres – kræver enighed om behovet" in text
    assert "Ungeenheden for Komplekse Spiseforstyrrelser" in text
    assert "Synscenter Limfjord – Læsø Kommune" in text  # the withdrawal wish with its reason
    with zipfile.ZipFile(path) as z:
        assert b"updateFields" in z.read("word/settings.xml")
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        doc = z.read("word/document.xml").decode()
    assert doc.count("PAGEREF bilag_") == len(sd.omfattede_tilbud(AAR)) + 4
    # a belægning chart per tilbud with figures (Hjerneskadecenter Himmerland sent none), the demand chart
    figures = Workspace(work).year_data(AAR).figures
    with_figures = [f for f in figures if any(f.belaegning.get(y) is not None for y in range(AAR - 3, AAR))]
    assert len(media) == len(with_figures) + 1 == len(figures)


def test_bilag_index_page_numbers_match_the_pdf(demo, libreoffice, tmp_path):
    work, _ = demo
    pdf = libreoffice([work / str(AAR) / f"{AAR}_bilag_das_2028-05-20.docx"], "pdf", tmp_path)[0]
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    index = pages[1]
    entries = re.findall(r"(Bilag \d+) .*?\.{3,}\s*(\d+)", index)
    # overview + 8 tilbud + nominations + withdrawals + indstilling, numbered straight through
    assert [e[0] for e in entries] == [f"Bilag {n}" for n in range(1, 13)]
    for label, page in entries:
        starts = [i + 1 for i, p in enumerate(pages) if re.search(rf"^\s*{re.escape(label)}:", p, re.M)]
        assert starts and starts[0] == int(page), (label, page, starts)


def test_all_documents_convert_to_pdf(demo, soffice, tmp_path):
    work, _ = demo
    docs = [
        next((work / str(AAR) / "hoering").glob("*hoeringsbrev_aalborg*.docx")),
        work / str(AAR) / "hoering" / f"{AAR}_hoeringsmateriale.docx",
        next((work / str(AAR) / "rykkere").glob("*.docx")),
    ]
    for p in convert(docs, "pdf", tmp_path):
        assert p.stat().st_size > 5000


def test_special_characters_render_intact(tmp_path):
    tpl = load("rykkerbrev.docx")
    name = 'Tale & Hjerne <Nord> "Ø" æøå'
    ctx = {
        "sekretariat": "S & Co",
        "sekretariat_email": "a@b",
        "sekretariat_telefon": "",
        "kontaktperson": "K",
        "region": "R",
        "dato": "1. maj 2028",
        "aar": 2028,
        "modtager": {"navn": name, "kontaktperson": "<K>", "email": "x@y"},
        "mangler": [{"navn": "Årsrapport for " + name, "frist": "15. april 2028", "overskredet": True}],
        "mangler_tekst": "ét skema",
    }
    out = render(tpl, "rykkerbrev.docx", ctx, tmp_path / "r.docx")
    text = text_of(out)
    assert name in text and "Kære <K>" in text and "S & Co" in text
    assert "Årsrapport for " + name + " – frist 15. april 2028 (fristen er overskredet)" in text


def _edited_template(tmp_path, name, old, new):
    folder = tmp_path / "skabeloner"
    folder.mkdir(exist_ok=True)
    from toolkit.documents.render import template_path

    shutil.copy(template_path(name), folder / name)
    doc = Document(str(folder / name))
    for p in doc.paragraphs:
        if old in p.text:
            for r in p.runs:
                r.text = r.text.replace(old, new)
    doc.save(str(folder / name))
    return folder


def test_broken_template_names_template_and_tag(tmp_path):
    folder = _edited_template(tmp_path, "rykkerbrev.docx", "{{ modtager.navn }}", "{{ modtager.navn ")
    with pytest.raises(TemplateError, match="rykkerbrev.docx"):
        render(load("rykkerbrev.docx", folder), "rykkerbrev.docx", {}, tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_check_lists_unknown_variables(tmp_path):
    folder = _edited_template(tmp_path, "hoeringsbrev.docx", "{{ frist }}", "{{ svarfrist }}")
    problems = check_templates(folder)
    assert problems["hoeringsbrev.docx"] == ["svarfrist"] and problems["rykkerbrev.docx"] == []
    assert all(v == [] for v in check_templates().values())  # the bundled ones are clean


def test_documents_are_not_overwritten_without_overskriv(demo, sd, defs):
    work, _ = demo
    with Store(work) as store:
        again = write_rykkere(store, sd, defs, AAR, work / str(AAR))
        b = write_bilag(store, sd, defs, AAR, dt.date(2028, 5, 20), work / str(AAR))
    assert {w.status for w in again} == {"findes allerede"} and b.status == "findes allerede"


def test_skema_hoering_refuses_a_deadline_after_the_das_meeting(tmp_path):
    import sys

    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "hoering",
            "--frist",
            "2028-06-01",
            "--aar",
            "2028",
            "--mappe",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr
    message = " ".join(p.stderr.split())
    assert "1. juni 2028" in message and "20. maj 2028" in message and "Frister" in message
    assert not (tmp_path / "output").exists()


def test_a_national_set_of_hearing_letters_is_written_by_worker_processes_one_per_party(sd, defs, tmp_path):
    from toolkit.documents.produce import write_hoering
    from toolkit.stamdata.model import Aftalepart, Stamdata

    extra = [
        Aftalepart(
            id=f"X{i:02d}",
            navn=f"Prøvekommune {i:02d}",
            type="kommune",
            kontaktperson=f"Kontakt {i:02d}",
            email=f"x{i}@kommune.example.invalid",
            indbyggere=1000,
        )
        for i in range(20)
    ]
    many = Stamdata(**{**{k: getattr(sd, k) for k in Stamdata.model_fields}, "aftaleparter": sd.aftaleparter + extra})
    with Store(tmp_path / "w") as store:
        written = write_hoering(store, many, defs, AAR, dt.date(AAR, 5, 10), tmp_path, today=dt.date(AAR, 4, 16))
    assert len(written) == len(many.aftaleparter) + 1 == 33  # above the threshold for worker processes
    assert len({w.path for w in written}) == 33 and all(w.path.exists() for w in written)
    letter = next(w.path for w in written if "proevekommune_07" in w.path.name)
    text = text_of(letter)
    assert "Prøvekommune 07" in text and "Kontakt 07" in text and "Frist for høringssvar: 10. maj 2028" in text


def test_every_document_is_danish_and_names_the_secretariat_as_author(demo, sd):
    """Word spell-checks in Danish (da-DK everywhere, no en-US left) and the properties come from
    stamdata, not python-docx's defaults (author 'python-docx', created 2013)."""
    work, _ = demo
    out = work / str(AAR)
    docs = [
        next((out / "hoering").glob("*hoeringsbrev_aalborg*.docx")),
        out / "hoering" / f"{AAR}_hoeringsmateriale.docx",
        next((out / "rykkere").glob("*.docx")),
        next(out.glob(f"{AAR}_bilag_das_*.docx")),
    ]
    for path in docs:
        props = Document(str(path)).core_properties
        assert props.author == sd.setting("sekretariat"), path.name
        assert props.language == "da-DK" and str(AAR) in props.title, path.name
        assert props.created.year >= 2026 and "python-docx" not in (props.comments or ""), path.name
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/styles.xml").decode() + z.read("word/document.xml").decode()
            xml += z.read("word/settings.xml").decode()
        langs = set(re.findall(r'<w:(?:lang|themeFontLang) [^>]*w:val="([^"]+)"', xml))
        assert langs == {"da-DK"}, (path.name, langs)


def test_tables_repeat_their_header_rows_and_headings_keep_with_next_and_the_cover_has_no_page_number(demo):
    work, _ = demo
    path = next((work / str(AAR)).glob(f"{AAR}_bilag_das_*.docx"))
    d = Document(str(path))
    assert d.tables
    for t in d.tables:
        if len(t.rows) > 1:
            assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # noqa: SLF001 - reading the XML
    assert d.styles["Heading 2"].paragraph_format.keep_with_next is True
    assert d.sections[0].different_first_page_header_footer is True
    assert "PAGE" not in "".join(p._p.xml for p in d.sections[0].first_page_footer.paragraphs)  # noqa: SLF001


def test_bilag_overview_lists_the_signals_the_sections_list(demo):
    """The overview's "Early warning" names every signal of every tilbud, never "Ingen signaler" while
    the sections below list some."""
    work, _ = demo
    text = text_of(work / str(AAR) / f"{AAR}_bilag_das_2028-05-20.docx")
    year = Workspace(work).year_data(AAR)
    signals = [(f.navn, s.text) for f in year.figures for s in year.warnings[f.tilbud_id]]
    assert signals
    overview = text.rsplit("Overblik over tilbuddene", 1)[1].split("Status: ")[0]
    assert "Ingen signaler" not in overview
    for navn, s in signals:
        assert f"{navn}: {s}" in overview


def test_the_reason_a_kommune_does_not_use_a_tilbud_is_shown_with_its_answers(demo):
    work, _ = demo
    text = text_of(work / str(AAR) / "hoering" / f"{AAR}_hoeringsmateriale.docx")
    assert "Læsø Kommune: Årsag til ingen brug: Kommunens få borgere i målgruppen" in text


def test_the_documents_print_the_agreement_period(demo, sd):
    from toolkit.rules.period import year_periods

    work, _ = demo
    p = year_periods(sd, AAR).texts()
    letter = text_of(work / str(AAR) / "hoering" / f"{AAR}_hoeringsbrev_laesoe_kommune.docx")
    assert p["aftaleperiode"] in letter
    bilag = text_of(work / str(AAR) / f"{AAR}_bilag_das_2028-05-20.docx")
    assert p["das_tekst"] in bilag.split("Indhold")[0]  # on the cover, before the index


def test_the_demo_writes_its_years_directly_under_its_folder(demo):
    """`make demo` writes output/demo/<år>/…, never output/demo/output/<år>/…"""
    work, steps = demo
    assert (work / str(AAR) / f"{AAR}_samlet.xlsx").exists() and (work / str(AAR) / "skemaer").is_dir()
    assert not (work / "output").exists()
    assert all("output/demo/output" not in str(s.path) and "/demo/output/" not in str(s.path) for s in steps)


def test_percentages_read_with_one_decimal_everywhere_in_the_bilag(demo):
    """'96,0' next to '97,1', never '96' (issue 13): every belægning cell of the key-figure tables."""
    work, _ = demo
    d = Document(str(next((work / str(AAR)).glob(f"{AAR}_bilag_das_*.docx"))))
    cells = [
        c.text
        for t in d.tables
        if t.rows and t.rows[0].cells[1].text == str(AAR - 3)  # the key-figure tables: years as columns
        for row in t.rows[1:]
        if "Belægning" in row.cells[0].text or "Budget" not in row.cells[0].text
        for c in row.cells[1:]
        if c.text and c.text != "–"
    ]
    assert cells
    for text in cells:
        assert re.fullmatch(r"\d{1,3},\d{1,6}", text), text
