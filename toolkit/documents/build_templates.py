"""Build the Word templates in skabeloner/ (run once; the .docx files are committed and may then be
edited in Word by the secretariat). `python -m toolkit.documents.build_templates`"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument  # the class; `docx.Document` is its factory
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt, RGBColor

from toolkit.documents.docx_fields import add_field

OUT = Path(__file__).resolve().parent.parent.parent / "skabeloner"
BLUE = RGBColor(0x1F, 0x4E, 0x79)
TABLE_STYLE = "Light List Accent 1"


def base() -> DocxDocument:
    d = Document()
    st = d.styles["Normal"]
    st.font.name, st.font.size = "Calibri", Pt(11)
    st.paragraph_format.space_after = Pt(6)
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Title", 28)):
        d.styles[name].font.name = "Calibri"
        d.styles[name].font.size = Pt(size)
        d.styles[name].font.color.rgb = BLUE
    sec = d.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(2.0)
    h = sec.header.paragraphs[0]
    h.text = "{{ sekretariat }}"
    h.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    h.runs[0].font.size, h.runs[0].font.color.rgb = Pt(9), RGBColor(0x59, 0x59, 0x59)
    f = sec.footer.paragraphs[0]
    f.alignment = WD_ALIGN_PARAGRAPH.CENTER
    f.add_run("Side ")
    add_field(f, "PAGE")
    f.add_run(" af ")
    add_field(f, "NUMPAGES")
    for r in f.runs:
        r.font.size = Pt(9)
    return d


def letter_head(d, title: str):
    p = d.add_paragraph("{{ dato }}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("{{ modtager.navn }}\nAtt.: {{ modtager.kontaktperson }}\n{{ modtager.email }}")
    d.add_paragraph()
    d.add_heading(title, 1)
    d.add_paragraph("Kære {{ modtager.kontaktperson }}")


def signature(d):
    d.add_paragraph("Med venlig hilsen")
    d.add_paragraph(
        "{{ kontaktperson }}\n{{ sekretariat }}\n{{ sekretariat_email }}{% if sekretariat_telefon %}"
        " · {{ sekretariat_telefon }}{% endif %}"
    )


def bullets(d, loop: str, item: str):
    """A bulleted paragraph repeated by a docxtpl paragraph loop."""
    d.add_paragraph("{%p " + loop + " %}")
    d.add_paragraph(item, style="List Bullet")
    d.add_paragraph("{%p endfor %}")


def loop_table(d, headers, cells, loop="for r in rows", widths_cm=None):
    t = d.add_table(rows=4, cols=len(headers))
    t.style = TABLE_STYLE
    for c, h in enumerate(headers):
        t.cell(0, c).text = h
    t.cell(1, 0).text = "{%tr " + loop + " %}"
    for c, v in enumerate(cells):
        t.cell(2, c).text = v
    t.cell(3, 0).text = "{%tr endfor %}"
    if widths_cm:  # Word reads the cells' widths, LibreOffice the columns'
        t.autofit = False
        for c, w in enumerate(widths_cm):
            t.columns[c].width = Cm(w)
            for cell in t.columns[c].cells:
                cell.width = Cm(w)
    return t


def hoeringsbrev():
    d = base()
    letter_head(d, "Høring over årsrapporter og kommunale indmeldinger {{ aar }}")
    d.add_paragraph(
        "Som led i det forstærkede samarbejde om de mest specialiserede sociale tilbud i {{ region }} "
        "sendes driftsherrernes årsrapporter og kommunernes indmeldinger for {{ aar }} hermed i høring "
        "hos alle aftaleparter. Den løbende aftaleperiode er {{ periode.aftaleperiode }}."
    )
    d.add_heading("Materialet i høring", 2)
    loop_table(
        d,
        ["Tilbud", "Driftsherre", "Årsrapport", "Kommunale indmeldinger"],
        ["{{ t.navn }}", "{{ t.driftsherre }}", "{{ t.aarsrapport }}", "{{ t.kommuner }}"],
        "for t in materiale",
        widths_cm=(5.5, 3.8, 3.0, 3.7),  # no word broken, also in a wider fallback font than Carlito
    )
    d.add_paragraph('Materialet er samlet pr. tilbud i det vedlagte dokument "Høringsmateriale {{ aar }}".')
    d.add_heading("Frist og svar", 2)
    p = d.add_paragraph()
    p.add_run("Frist for høringssvar: {{ frist }}").bold = True
    d.add_paragraph(
        "Send jeres bemærkninger i det vedlagte skema {{ skema_fil }} senest {{ frist }} til "
        "{{ sekretariat_email }}. Skemaet har én blok pr. tilbud med jeres bemærkning og svaret på, om "
        "ydelserne matcher jeres behov; tilbud uden bemærkninger kan stå tomme. Bemærkningerne indgår i "
        "{{ organ.ekspertpanel.ejefald }} drøftelse og i {{ organ.das.ejefald }} årlige statusdrøftelse."
    )
    signature(d)
    d.paragraphs[-2].paragraph_format.keep_with_next = True  # the greeting stays with the signature
    return d


def rykkerbrev():
    d = base()
    letter_head(d, "{% if foer_frist %}Husk fristen{% else %}Påmindelse: vi mangler {{ mangler_tekst }}{% endif %}")
    d.add_paragraph("Vi har endnu ikke modtaget følgende fra {{ modtager.navn }}:")
    d.add_paragraph("{%p for s in mangler %}")
    d.add_paragraph(
        "{{ s.navn }} – frist {{ s.frist }}{% if s.overskredet %} (fristen er overskredet){% endif %}",
        style="List Bullet",
    )
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph(
        "{% if foer_frist %}Fristen er ikke overskredet – vi minder blot om den. Send det udfyldte skema til "
        "{{ sekretariat_email }}, når I er klar, og senest på fristen.{% else %}Vi beder jer udfylde det "
        "tilsendte skema og sende det til {{ sekretariat_email }} hurtigst muligt.{% endif %} Har I brug for "
        "et nyt skema, eller er der spørgsmål, er I velkomne til at kontakte os."
    )
    signature(d)
    return d


def noegletal_table(d, var="t"):
    loop_table(
        d,
        ["Nøgletal", "{{ aar_1 }}", "{{ aar_2 }}", "{{ aar_3 }}"],
        ["{{ r.navn }}", "{{ r.v1 }}", "{{ r.v2 }}", "{{ r.v3 }}"],
        f"for r in {var}.noegletal",
    )


def oevrige(d, var: str, dokument: str):
    """'Øvrige oplysninger': the answers to fields marked `i_dokumenter` (documents/oevrige.py), one
    table per tilbud, shown when there are any."""
    rows = f"{var}.oevrige.{dokument}"
    d.add_paragraph("{%p if " + f"{var}.oevrige and {rows}" + " %}")
    d.add_heading("Øvrige oplysninger", 2)
    loop_table(
        d,
        ["Oplysning", "Svar"],
        ["{{ o.etiket }}{% if o.fra %} ({{ o.fra }}){% endif %}", "{{ o.vaerdi }}"],
        f"for o in {rows}",
        widths_cm=(7.0, 9.0),
    )
    d.add_paragraph("{%p endif %}")


def hoeringsmateriale():
    d = base()
    d.add_paragraph("Høringsmateriale {{ aar }}", style="Title")
    d.add_paragraph(
        "Det forstærkede samarbejde om de mest specialiserede sociale tilbud – {{ region }}. "
        "Årsrapporter og kommunale indmeldinger pr. tilbud. Dannet {{ dato }}."
    )
    d.add_paragraph("{%p for t in tilbud %}")
    d.add_heading("{{ t.navn }}", 1)
    d.add_paragraph(
        "Driftsherre: {{ t.driftsherre }}. Pladstal i alt: {{ t.pladstal }}. Årsrapport: {{ t.aarsrapport }}."
    )
    level_change(d, "t")
    d.add_heading("Nøgletal fra årsrapporten", 2)
    noegletal_table(d)
    d.add_heading("Kommunernes forventninger", 2)
    d.add_paragraph("{{ t.forventet_tekst }}")
    bullets(d, "for k in t.oensker", "{{ k.kommune }}: {{ k.tekst }}")
    oevrige(d, "t", "hoeringsmateriale")
    d.add_paragraph("{%p if t.signaler %}")
    d.add_heading("Early warning", 2)
    bullets(d, "for s in t.signaler", "{{ s }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p if t.hoeringssvar %}")  # what came back, when the material is written again
    d.add_heading("Høringssvar", 2)
    hoeringssvar(d, "t")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p endfor %}")
    return d


def hoeringssvar(d, var: str):
    """The hearing replies to one tilbud: the sender, the match answer and the remark."""
    bullets(
        d,
        f"for h in {var}.hoeringssvar",
        "{{ h.fra }}{% if h.ydelser_matcher %} (ydelserne matcher behovet: {{ h.ydelser_matcher }})"
        "{% endif %}{% if h.bemaerkning %}: {{ h.bemaerkning }}{% endif %}",
    )


def bilag_heading(d, var: str):
    """A bilag starts on a new page; its anchor becomes the bookmark the index refers to."""
    # %-formatting keeps the Jinja braces readable (an f-string would need them doubled)
    h = d.add_heading("{{ %s.anker }}Bilag {{ %s.nummer }}: {{ %s.titel }}" % (var, var, var), 1)  # noqa: UP031
    h.paragraph_format.page_break_before = True


def bilag_das():
    d = base()
    for _ in range(6):
        d.add_paragraph()
    d.add_paragraph("Bilag til {{ organ.das.kort }}", style="Title")
    p = d.add_paragraph("Møde i {{ organ.das.navn }} {{ moede }}")
    p.runs[0].font.size = Pt(16)
    d.add_paragraph("Det forstærkede samarbejde om de mest specialiserede sociale tilbud – {{ region }}")
    d.add_paragraph("Aftaleperioden {{ periode.aftaleperiode }}. {{ periode.das_tekst }}.")
    h = d.add_heading("Indhold", 1)
    h.paragraph_format.page_break_before = True
    d.add_paragraph("{%p for punkt in dagsorden %}")
    d.add_heading("{{ punkt.overskrift }}", 2)
    d.add_paragraph("{%p for b in punkt.bilag %}")
    p = d.add_paragraph("{{ b.nummer }} {{ b.titel }}\t{{ b.side }}")
    p.paragraph_format.tab_stops.add_tab_stop(Cm(15.9), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p endfor %}")
    # --- the bilag -------------------------------------------------------------------------------
    d.add_paragraph("{%p for b in status %}")
    bilag_heading(d, "b")
    d.add_paragraph("{{ b.t.intro }}")
    level_change(d, "b.t")
    d.add_paragraph("{%p for g in b.grafer %}")  # the charts, each its own paragraph (a page each at most)
    d.add_paragraph("{{ g }}")
    d.add_paragraph("{%p endfor %}")
    d.add_heading("Nøgletal", 2)
    noegletal_table(d, "b.t")
    d.add_paragraph("{{ b.t.pladser_tekst }}")
    d.add_heading("Kommunernes forventede brug mod kapaciteten", 2)
    d.add_paragraph("{{ b.t.forventet_tekst }}")
    d.add_heading("Økonomi", 2)
    d.add_paragraph("{{ b.t.oekonomi }}")
    d.add_heading("Driftsherrens udviklingsnoter", 2)
    d.add_paragraph("{{ b.t.udvikling }}")
    oevrige(d, "b.t", "bilag")
    d.add_heading("Early warning", 2)
    bullets(d, "for s in b.t.signaler", "{{ s }}")
    d.add_paragraph("{%p if not b.t.signaler %}")
    d.add_paragraph("Ingen signaler.")
    d.add_paragraph("{%p endif %}")
    d.add_heading("Høringsbemærkninger", 2)
    hoeringssvar(d, "b.t")
    d.add_paragraph("{%p if not b.t.hoeringssvar %}")
    d.add_paragraph("{{ b.t.hoering }}")
    d.add_paragraph("{%p endif %}")
    niveauskift(d)
    d.add_paragraph("{%p endfor %}")
    # nominations: the driftsherre's own assessment next to the panel's (or "afventer …")
    bilag_heading(d, "indmelding")
    d.add_paragraph("{{ indmelding.indledning }}")
    d.add_paragraph("{%p for n in indmelding.tilbud %}")
    d.add_heading("{{ n.tilbudsnavn }} ({{ n.driftsherre }})", 2)
    p = d.add_paragraph()
    p.add_run("{{ organ.ekspertpanel.ejefald }} vurdering: {{ n.resultat }}").bold = True
    p = d.add_paragraph()
    p.add_run("{{ organ.ekspertpanel.ejefald }} indstilling: {{ n.indstilling }}").bold = True
    d.add_paragraph("{%p if n.indstilling_begrundelse %}")
    d.add_paragraph("{{ n.indstilling_begrundelse }}")
    d.add_paragraph("{%p endif %}")
    loop_table(
        d,
        [
            "Kriterium",
            "Driftsherrens egen vurdering",
            # the short name, capitalised: a long name ("Faglig Ekspertgruppe Sjælland") wraps in the column
            "{{ organ.ekspertpanel.kort[:1] | upper }}{{ organ.ekspertpanel.kort[1:] }}",
            "Begrundelse",
        ],
        ["{{ k.navn }}", "{{ k.egen }}", "{{ k.panel }}", "{{ k.begrundelse }}"],
        "for k in n.kriterier",
        widths_cm=(2.0, 3.2, 3.0, 7.8),
    )
    d.add_paragraph("{%p if n.begrundelser %}")
    d.add_paragraph("{{ organ.ekspertpanel.ejefald }} vurdering pr. kategori:")
    d.add_paragraph("{%p endif %}")
    bullets(d, "for r in n.begrundelser", "{{ r }}")
    d.add_paragraph("Driftsherrens egen vurdering efter kriterierne: {{ n.egen_resultat }}.")
    d.add_paragraph("{%p endfor %}")
    # withdrawals
    bilag_heading(d, "udmelding")
    d.add_paragraph("{{ udmelding.indledning }}")
    d.add_paragraph("{%p for u in udmelding.rows %}")
    d.add_heading("{{ u.tilbud }} – {{ u.fra }}", 2)
    bullets(d, "for a in u.aarsager", "{{ a }}")
    d.add_paragraph("{%p endfor %}")
    indstilling_bilag(d)
    return d


def level_change(d, t: str):
    """Under a tilbud's heading: its change of specialisation level this year, if it has one
    (`niveauskift.skift`, documents/context.py level_section)."""
    d.add_paragraph(f"{{%p for s in niveauskift.skift if s.id == {t}.id %}}")
    d.add_paragraph("Skifter specialiseringsniveau i {{ aar }}: {{ s.foer }} → {{ s.nu }}.")
    d.add_paragraph("{%p endfor %}")


def niveauskift(d):
    """In the overview bilag (the first of the status loop): the tilbud that change specialisation
    level this year, when levels are in use (documents/context.py level_section)."""
    d.add_paragraph("{%p if loop.first and niveauskift.vis %}")
    d.add_heading("Specialiseringsniveau", 2)
    d.add_paragraph("{{ niveauskift.tekst }}")
    bullets(d, "for s in niveauskift.skift", "{{ s.tilbud }} ({{ s.driftsherre }}): {{ s.foer }} → {{ s.nu }}")
    d.add_paragraph("{%p endif %}")


def indstilling_bilag(d):
    """Bilag 'Indstilling til DAS' (documents/indstilling.py)."""
    bilag_heading(d, "indstilling")
    d.add_paragraph("{{ indstilling.indledning }}")
    d.add_heading("Tilbuddene fra 1. januar", 2)
    loop_table(
        d,
        ["Tilbud", "Driftsherre", "{{ organ.ekspertpanel.ejefald }} forslag", "Ændring fra 1. januar"],
        ["{{ t.navn }}", "{{ t.driftsherre }}", "{{ t.forslag }}", "{{ t.aendring }}"],
        "for t in indstilling.tilbud",
        widths_cm=(5.0, 3.6, 3.2, 4.2),
    )
    d.add_heading("Ønsker om udmelding", 2)
    d.add_paragraph("{%p if not indstilling.udmeldinger %}")
    d.add_paragraph("Der er ikke modtaget ønsker om udmelding.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p for u in indstilling.udmeldinger %}")
    p = d.add_paragraph()
    p.add_run("{{ u.tilbud }} – ønske fra {{ u.fra }}").bold = True
    d.add_paragraph("Årsag: {{ u.aarsager }}")
    d.add_paragraph("a) Lever tilbuddet fortsat op til kriterierne? {{ u.a }}")
    d.add_paragraph("b) Konsekvenser af en udmelding: {{ u.b }}")
    d.add_paragraph("{{ organ.ekspertpanel.ejefald }} forslag: {{ u.forslag }}")
    d.add_paragraph("{%p if u.noedspor %}")
    d.add_paragraph("{{ indstilling.noedspor_tekst }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{{ indstilling.godkendelse }}")
    d.add_heading("Bæredygtighed", 2)
    d.add_paragraph("Early warning-signaler:")
    bullets(d, "for s in indstilling.signaler", "{{ s.tilbud }}: {{ s.tekst }}")
    d.add_paragraph("{%p if not indstilling.signaler %}")
    d.add_paragraph("Ingen signaler.")
    d.add_paragraph("{%p endif %}")
    p = d.add_paragraph()
    p.add_run("{{ organ.ekspertpanel.ejefald }} konklusion: ").bold = True
    p.add_run("{{ indstilling.baeredygtighed }}")
    d.add_heading("Ydelserne og kommunernes behov", 2)
    loop_table(
        d,
        ["Tilbud", "Beskrivelser tydelige", "Samklang med behov"],
        ["{{ k.navn }}", "{{ k.tydelige }}", "{{ k.samklang }}"],
        "for k in indstilling.kommuner",
    )
    d.add_paragraph("Kommunernes ønsker og bemærkninger:")
    d.add_paragraph("{%p for k in indstilling.kommuner %}")
    d.add_paragraph("{%p if k.oensker %}")
    p = d.add_paragraph()
    p.add_run("{{ k.navn }}").italic = True
    bullets(d, "for w in k.oensker", "{{ w.kommune }}: {{ w.tekst }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p endfor %}")


TEMPLATES = {
    "hoeringsbrev.docx": hoeringsbrev,
    "rykkerbrev.docx": rykkerbrev,
    "hoeringsmateriale.docx": hoeringsmateriale,
    "bilag_das.docx": bilag_das,
}


def build(out: Path = OUT) -> list[Path]:
    paths = []
    for name, fn in TEMPLATES.items():
        fn().save(out / name)
        paths.append(out / name)
    return paths


if __name__ == "__main__":
    for p in build():
        print(p)
