"""The 'Ekspertpanel' sheet: every nomination with its assessment against criteria A, B, C."""

from __future__ import annotations

from toolkit.consolidate.safe_cells import write_value
from toolkit.rules.criteria import DISPENSATION, INDSTILLES


def write_panel_sheet(wb, f, assessments):
    ws = wb.add_worksheet("Ekspertpanel")
    heads = [
        "Driftsherre (id)",
        "Nr.",
        "Tilbud",
        "Nyoprettet",
        "Kategori A",
        "Kategori B",
        "Kategori C",
        "Resultat",
        "Begrundelse",
    ]
    for c, w in enumerate([16, 6, 36, 11, 11, 11, 11, 34, 90]):
        ws.set_column(c, c, w)
    txt = {True: "Opfyldt", False: "Ikke opfyldt", None: "Mangler svar"}
    rows = [
        [
            a.respondent_id,
            int(a.nr),
            a.tilbudsnavn,
            a.nyoprettet or "",
            txt[a.kategorier["A"]],
            txt[a.kategorier["B"]],
            txt[a.kategorier["C"]],
            a.resultat,
            "\n".join(a.begrundelser),
        ]
        for a in assessments
    ]
    ws.write_row(0, 0, heads, f.head)
    ws.autofilter(0, 0, max(len(rows), 1), len(heads) - 1)
    for r, row in enumerate(rows, start=1):
        ws.set_row(r, 15 * (len(row[8].splitlines()) + 1))
        for c, v in enumerate(row):
            write_value(ws, r, c, v, f.wrap)
    n = max(len(rows), 1)
    ws.conditional_format(1, 7, n, 7, {"type": "cell", "criteria": "==", "value": f'"{INDSTILLES}"', "format": f.green})
    ws.conditional_format(
        1, 7, n, 7, {"type": "cell", "criteria": "==", "value": f'"{DISPENSATION}"', "format": f.amber}
    )
    ws.conditional_format(
        1, 7, n, 7, {"type": "text", "criteria": "begins with", "value": "indstilles ikke", "format": f.red}
    )
    ws.freeze_panes(1, 3)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
