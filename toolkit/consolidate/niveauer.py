"""A tilbud's specialisation level last year and this year (stamdata Niveauer and Niveauhistorik):
the consolidated workbook's sheet "Specialiseringsniveau" and the bilag's list of level changes.
Nothing is shown when levels do not tell tilbud apart (one level and no history, as in the
Nordjylland model)."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.consolidate.safe_cells import write_row_values
from toolkit.stamdata.model import Stamdata

SHEET = "Specialiseringsniveau"


@dataclass(frozen=True)
class TilbudNiveau:
    tilbud_id: str
    tilbud: str
    driftsherre: str
    foer: str  # the level's name last year ('' if none)
    nu: str  # this year

    @property
    def aendret(self) -> bool:
        return self.foer != self.nu


def tilbud_levels(sd: Stamdata, aar: int) -> list[TilbudNiveau]:
    """Every tilbud included in `aar`, with its level in `aar - 1` and in `aar`."""
    return [
        TilbudNiveau(
            t.id,
            t.navn,
            sd.driftsherre(t.driftsherre_id).navn,
            sd.niveau_navn(sd.niveau(t.id, aar - 1)),
            sd.niveau_navn(sd.niveau(t.id, aar)),
        )
        for t in sd.omfattede_tilbud(aar)
    ]


def level_changes(sd: Stamdata, aar: int) -> list[TilbudNiveau]:
    """The tilbud whose level in `aar` differs from the year before."""
    return [t for t in tilbud_levels(sd, aar) if t.aendret]


def write_level_sheet(wb, f, sd: Stamdata, aar: int):
    """The sheet "Specialiseringsniveau" (`f`: the workbook's formats, consolidate/workbook.py), one
    row per tilbud; only when levels are in use (Stamdata.niveauer_i_brug). Returns the worksheet
    for the caller's page setup, or None."""
    if not sd.niveauer_i_brug:
        return None
    ws = wb.add_worksheet(SHEET)
    heads = ["Tilbud", "Driftsherre", f"Niveau {aar - 1}", f"Niveau {aar}", "Ændret"]
    for c, w in enumerate([40, 28, 30, 30, 10]):
        ws.set_column(c, c, w)
    rows = [[t.tilbud, t.driftsherre, t.foer, t.nu, "Ændret" if t.aendret else ""] for t in tilbud_levels(sd, aar)]
    ws.write_row(0, 0, heads, f.head)
    ws.autofilter(0, 0, max(len(rows), 1), len(heads) - 1)
    for r, row in enumerate(rows, start=1):
        write_row_values(ws, r, row, [f.cell] * len(heads), f.date)
    ws.conditional_format(
        1, 4, max(len(rows), 1), 4, {"type": "cell", "criteria": "==", "value": '"Ændret"', "format": f.amber}
    )
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    return ws
