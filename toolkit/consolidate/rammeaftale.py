"""The rammeaftale's list of tilbud (August–October): which tilbud the forstærkede samarbejde covers
from 1 January next year and what changes, from the panel's proposals (consolidate/panel.py). Until
the panel's form is read, every tilbud shows "afventer panelets vurdering"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from toolkit.consolidate.panel import AFVENTER, PanelAssessment, organ_names
from toolkit.consolidate.safe_cells import SAFE_OPTIONS, write_value
from toolkit.danish import format_dato
from toolkit.definitions.aarshjul import Aarshjul
from toolkit.definitions.cases import nomination_id
from toolkit.definitions.kriterier import Kriteriesaet
from toolkit.fieldkeys import Panel
from toolkit.files import atomic_path
from toolkit.rules.criteria import assess_all
from toolkit.rules.period import year_periods

COVERED = (Panel.FORTSAETTER, Panel.NOEDSPOR, Panel.OPTAGES, Panel.DISPENSATION)  # omfattet from 1 January


def new_level(sd, tilbud_id: str | None, aar: int) -> str:
    """The name of the tilbud's level from 1 January `aar`+1 when it differs from its level the year
    before the cycle year (a change in `aar`, which this year's documents announce, or one from
    `aar`+1); '' when it does not change or levels are not in use."""
    if tilbud_id is None or not sd.niveauer_i_brug:
        return ""
    try:
        foer, efter = sd.niveau(tilbud_id, aar - 1), sd.niveau(tilbud_id, aar + 1)
    except (KeyError, LookupError, StopIteration):  # a nomination: not a tilbud in stamdata yet
        return ""
    return sd.niveau_navn(efter) if efter and efter != foer else ""


def change_text(indstilling: str | None, sd, aar: int, tilbud_id: str | None = None) -> str:
    """What a proposal means from 1 January `aar`+1 (the bilag's 'Indstilling til DAS' uses the same
    words); a tilbud in the scheme that changes level says so ("fortsætter; skifter niveau til …")."""
    p = year_periods(sd, aar)
    fra = format_dato(p.omfattes_fra)
    niveau = new_level(sd, tilbud_id, aar)
    if niveau and indstilling == Panel.FORTSAETTER:
        return f"fortsætter; skifter niveau til {niveau}"
    if niveau and indstilling == Panel.NOEDSPOR:
        return f"fortsætter i nødsporet (det supplerende spor); skifter niveau til {niveau}"
    return {
        Panel.FORTSAETTER: "fortsætter uændret",
        Panel.OPTAGES: f"nyt tilbud fra {fra}",
        Panel.DISPENSATION: f"nyt tilbud fra {fra} på dispensation (kræver enighed om behovet)",
        Panel.OPTAGES_IKKE: "omfattes ikke",
        Panel.UDTRAEDER: f"udtræder; udmeldingen får virkning {format_dato(p.udmelding_virkning)}",
        Panel.NOEDSPOR: "fortsætter i nødsporet (det supplerende spor)",
    }.get(indstilling or "", "–")


@dataclass(frozen=True)
class RammeaftaleRow:
    tilbud: str
    driftsherre: str
    indstilling: str  # the panel's proposal, or AFVENTER
    aendring: str
    omfattet: str  # "Ja" | "Nej" | "afventer"


def rammeaftale_rows(
    sd, aar: int, values, figures, panel: PanelAssessment | None, kriterier: Kriteriesaet
) -> list[RammeaftaleRow]:
    """Every tilbud in the scheme and every nomination, with the panel's proposal and what it means."""
    names = {d.id: d.navn for d in sd.driftsherrer}
    rows = []
    cases = [(f.navn, f.driftsherre, panel.tilbud.get(f.tilbud_id) if panel else None, f.tilbud_id) for f in figures]
    cases += [
        (
            a.tilbudsnavn,
            names.get(a.respondent_id, a.respondent_id),
            panel.indmeldt.get(nomination_id(a.respondent_id, a.nr)) if panel else None,
            None,
        )
        for a in assess_all(kriterier, values)
    ]
    for navn, driftsherre, answer, tilbud_id in cases:
        ind = answer.indstilling if answer else None
        if panel is None:
            rows.append(RammeaftaleRow(navn, driftsherre, AFVENTER, "–", "afventer"))
            continue
        omfattet = "Ja" if ind in COVERED or ind == Panel.UDTRAEDER else ("Nej" if ind else "afventer")
        rows.append(
            RammeaftaleRow(navn, driftsherre, ind or "ikke angivet", change_text(ind, sd, aar, tilbud_id), omfattet)
        )
    return rows


def write_rammeaftale(target: Path, sd, aar: int, rows: list[RammeaftaleRow], aarshjul: Aarshjul | None = None) -> Path:
    """One sheet 'Tilbud <aar+1>': the list the rammeaftale for next year states; the panel by its
    name in `aarshjul` (aarshjul.yaml)."""
    p = year_periods(sd, aar)
    _kort, ejefald = organ_names(aarshjul)
    forslag = f"{ejefald.lower() if aarshjul is None else ejefald} forslag"  # "panelets forslag" without one
    with atomic_path(Path(target)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), SAFE_OPTIONS)
        ws = wb.add_worksheet(f"Tilbud {aar + 1}")
        title = wb.add_format({"bold": True, "font_size": 14})
        head = wb.add_format({"bold": True, "bg_color": "#D6E4F0", "border": 1, "text_wrap": True})
        wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
        ws.write_string(
            0, 0, f"Det forstærkede samarbejde – tilbud omfattet fra {format_dato(p.omfattes_fra)} ({sd.region})", title
        )
        ws.write_string(
            1,
            0,
            f"Til rammeaftalen for {aar + 1}: {forslag} som behandlet på styregruppens møde i {aar}; "
            f"aftaleparterne godkender, og den politiske beslutning træffes med rammeaftalen.",
        )
        heads = ["Tilbud", "Driftsherre", f"Omfattet fra 1. januar {aar + 1}", f"{ejefald} forslag", "Ændring"]
        for c, (h, w) in enumerate(zip(heads, [40, 28, 16, 26, 56], strict=True)):
            ws.write_string(3, c, h, head)
            ws.set_column(c, c, w)
        for r, row in enumerate(rows, start=4):
            for c, v in enumerate([row.tilbud, row.driftsherre, row.omfattet, row.indstilling, row.aendring]):
                write_value(ws, r, c, v, wrap)
        ws.autofilter(3, 0, max(4, 3 + len(rows)), len(heads) - 1)
        ws.freeze_panes(4, 1)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
        wb.close()
    return Path(target)
