"""Write the consolidated workbook: Overblik (returns and key figures with charts), one filtered
data sheet per form, Fejl og mangler, and Status. Respondent text is always written as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from toolkit.consolidate.niveauer import write_level_sheet
from toolkit.consolidate.safe_cells import SAFE_OPTIONS, write_row_values, write_value
from toolkit.consolidate.tables import form_table
from toolkit.danish import EXCEL_FORMATER, format_dato
from toolkit.fieldkeys import FORMS
from toolkit.files import atomic_path
from toolkit.rules.keyfigures import TilbudFigures

SHEET_NAMES = {
    "indmelding": "Indmeldinger",
    "udmelding": "Udmeldinger",
    "aarsrapport": "Årsrapporter",
    "kommune": "Kommunale indmeldinger",
    "panel": "Panelskema",
    "hoeringssvar": "Høringssvar",
}
SHORT_NAMES = {
    "indmelding": "Indmelding",
    "udmelding": "Udmelding",
    "aarsrapport": "Årsrapport",
    "kommune": "Kommunal indmelding",
    "panel": "Ekspertpanelets vurdering",
    "hoeringssvar": "Høringssvar",
}
# Measured on the national set (31,293 rows in the kommune table; benchmarks/generer.py):
# in memory 3.4 s CPU / 104 MiB peak; constant_memory 6-7 s / 52 MiB (inline strings, a file write
# per row, and no add_table); temporary files 4.4 s / 76 MiB. In memory it is. Re-measured on the whole
# consolidate (benchmarks/samlet.py, shared machine): constant_memory 6.4-8.0 s CPU against 7-7.7 s in memory,
# no gain. Of the ~7 s, about 1.5 s is Python's full garbage collections over the ~350,000 cell records
# xlsxwriter keeps (each holds its Format, so they stay tracked): a process setting, not one for this module.
MEMORY_OPTIONS = {"in_memory": True}
NUM_FMT = {t: EXCEL_FORMATER[t] for t in ("heltal", "tal", "beloeb", "procent")}


class _Fmt:
    def __init__(self, wb):
        self.title = wb.add_format({"bold": True, "font_size": 15, "font_color": "#1F4E79"})
        self.sub = wb.add_format({"italic": True, "font_color": "#595959"})
        self.h2 = wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E79"})
        self.head = wb.add_format(
            {
                "bold": True,
                "bg_color": "#D6E4F0",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
                "border_color": "#A6A6A6",
            }
        )
        self.cell = wb.add_format({"valign": "top", "border": 1, "border_color": "#D9D9D9"})
        self.wrap = wb.add_format({"valign": "top", "text_wrap": True, "border": 1, "border_color": "#D9D9D9"})
        self.date = wb.add_format(
            {"num_format": EXCEL_FORMATER["dato"], "valign": "top", "border": 1, "border_color": "#D9D9D9"}
        )
        self.nums = {
            t: wb.add_format({"num_format": f, "valign": "top", "border": 1, "border_color": "#D9D9D9"})
            for t, f in NUM_FMT.items()
        }
        self.pct = wb.add_format({"num_format": '0.0" %"', "valign": "top", "border": 1, "border_color": "#D9D9D9"})
        self.stamp = wb.add_format(
            {"num_format": EXCEL_FORMATER["tidspunkt"], "valign": "top", "border": 1, "border_color": "#D9D9D9"}
        )
        self.red = wb.add_format({"bg_color": "#F8CBAD"})
        self.amber = wb.add_format({"bg_color": "#FFE699"})
        self.green = wb.add_format({"bg_color": "#C6EFCE"})


def write_consolidated(
    target: Path,
    *,
    region: str,
    aar: int,
    defs,
    sd,
    values,
    figures: list[TilbudFigures],
    statuses,
    issues,
    warnings=None,
    assessments=None,
    panel=None,
) -> Path:
    """`values`: current StoredValues of the year; `statuses`: ReturnStatus list; `issues`: the store's ReceivedIssues;
    `warnings`: {tilbud_id: [Signal]} (optional); `assessments`: nomination assessments (optional);
    `panel`: the panel's own assessment (consolidate/panel.py; None: not read yet)."""
    with atomic_path(Path(target)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {**SAFE_OPTIONS, **MEMORY_OPTIONS})
        f = _Fmt(wb)
        ws = wb.add_worksheet("Overblik")
        _overview(wb, ws, f, region, aar, defs, statuses, figures, warnings or {})
        if assessments is not None:
            from toolkit.consolidate.panel import write_panel_sheet

            write_panel_sheet(wb, f, assessments, defs.kriterier, panel, sd, defs.aarshjul)
        per_form: dict[str, list] = {}
        for v in values:
            per_form.setdefault(v.skema, []).append(v)
        for skema in FORMS:
            if defs[skema].modtager == "sekretariat":  # the panel's own form: on the sheet 'Ekspertpanel'
                continue
            table = form_table(defs[skema], sd, aar, per_form.get(skema, []))
            _table_sheet(wb, f, SHEET_NAMES[skema], table)
        if (levels := write_level_sheet(wb, f, sd, aar)) is not None:  # only when stamdata has levels
            _print(levels)
        _issues_sheet(wb, f, issues)
        _status_sheet(wb, f, statuses)
        ws.activate()
        wb.close()
    return Path(target)


def _header(ws, f, heads, n_rows: int, height: float | None = None) -> None:
    """The header row of a data sheet and a filter over its rows. Not an Excel table (add_table):
    xlsxwriter keeps one record per cell of a table to refuse overlaps, which for the national
    kommune table doubled the peak memory (194 -> 104 MiB without) and cost a third of the time."""
    if height is not None:
        ws.set_row(0, height, f.head)
    ws.write_row(0, 0, heads, f.head)
    ws.autofilter(0, 0, max(n_rows, 1), len(heads) - 1)


def _print(ws, landscape=True, fit_width=True, pages_wide: int = 1):
    """A4, page numbers and the sheet's name in the footer. The wide data tables print
    `pages_wide` pages across: shrunk to one page width their 40 columns cannot be read, so they print
    in groups of columns, each page repeating the header row and the columns that say whose row it is."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    if fit_width:
        ws.fit_to_pages(pages_wide, 0)
    if pages_wide > 1:
        ws.print_across()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&RSide &P af &N")


def _timestamp(text: str | None) -> dt.datetime | str | None:
    """The store's ISO time stamps as real date-times (shown the Danish way), not ISO text."""
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text[:19])
    except ValueError:
        return text


def _wrapped_height(texts, width: int) -> float | None:
    """Row height for wrapped text (LibreOffice does not grow a row xlsxwriter wrote): 15 pt a line."""
    lines = max((sum(len(part) // max(width - 2, 1) + 1 for part in str(t).split("\n")) for t in texts if t), default=1)
    return 15.0 * lines if lines > 1 else None


def _overview(wb, ws, f, region, aar, defs, statuses, figures, warnings):
    _print(ws)
    ws.set_column(0, 0, 38)
    ws.set_column(1, 12, 13)
    ws.set_column(6, 6, 20)  # 'Frist': a Danish date ("15. september 2028") is wider than 13
    ws.write_string(0, 0, f"Det forstærkede samarbejde – {region} {aar}", f.title)
    ws.write_string(1, 0, f"Samlet {format_dato(dt.date.today())}", f.sub)
    r = 3
    ws.write_string(r, 0, "Indkomne skemaer", f.h2)
    r += 1
    heads = ["Skema", "Forventet", "Modtaget", "Uden fejl", "Med fejl", "Mangler", "Frist", "Overskredet"]
    ws.write_row(r, 0, heads, f.head)
    r += 1
    top = r
    for skema in FORMS:
        st = [s for s in statuses if s.skema == skema]
        if not st:
            continue
        got = [s for s in st if s.status != "mangler"]
        row = [
            SHORT_NAMES[skema],
            len(st),
            len(got),
            sum(s.status == "gyldig" for s in got),
            sum(s.status == "fejl" for s in got),
            len(st) - len(got),
        ]
        for c, v in enumerate(row):
            write_value(ws, r, c, v, f.wrap if c == 0 else f.cell)
        write_value(ws, r, 6, st[0].frist, f.cell, f.date)
        write_value(ws, r, 7, sum(s.overskredet for s in st), f.cell)
        r += 1
    ws.conditional_format(top, 5, r - 1, 5, {"type": "cell", "criteria": ">", "value": 0, "format": f.amber})
    ws.conditional_format(top, 7, r - 1, 7, {"type": "cell", "criteria": ">", "value": 0, "format": f.red})
    r += 1
    ws.write_string(r, 0, "Nøgletal pr. tilbud (fra årsrapporter og kommunale indmeldinger)", f.h2)
    r += 1
    years = list(range(aar - 3, aar))
    heads = (
        ["Tilbud", "Driftsherre", "Pladstal"]
        + [f"Belægning {y} (%)" for y in years]
        + [
            "Venteliste",
            "Ledige pladser",
            f"Forventet brug {aar + 1} (pladser)",
            "Forventet i % af pladstal",
            "Advarsler",
        ]
    )
    ws.write_row(r, 0, heads, f.head)
    ws.set_row(r, 45)
    ws.set_column(1, 1, 22)
    ws.set_column(len(heads) - 1, len(heads) - 1, 70)
    first = r + 1
    for fig in figures:
        r += 1
        pct = (fig.forventet / fig.pladstal * 100) if fig.forventet is not None and fig.pladstal else None
        row = (
            [fig.navn, fig.driftsherre, fig.pladstal]
            + [fig.belaegning.get(y) for y in years]
            + [fig.venteliste.get(aar), fig.ledige, fig.forventet, pct]
        )
        for c, v in enumerate(row):
            fmt = f.wrap if c < 2 else (f.nums["procent"] if 3 <= c < 6 else (f.pct if c == 9 else _count_fmt(f, v)))
            write_value(ws, r, c, v, fmt)
        signals = warnings.get(fig.tilbud_id, [])
        text = "\n".join(s.text for s in signals)
        write_value(ws, r, 10, text, f.wrap)
        # a long warning wraps in its 70-wide column; the name and driftsherre wrap in theirs
        height = max(_wrapped_height([text], 70) or 15.0, _wrapped_height([fig.navn], 38) or 15.0)
        height = max(height, _wrapped_height([fig.driftsherre], 22) or 15.0)
        if height > 15.0:
            ws.set_row(r, height)
    last = r
    if figures:
        ws.conditional_format(first, 10, last, 10, {"type": "no_blanks", "format": f.amber})
        ws.conditional_format(
            first,
            9,
            last,
            9,
            {"type": "cell", "criteria": "not between", "minimum": 80, "maximum": 120, "format": f.red},
        )
        _charts(wb, ws, first, last, years, r + 2, _axis_min(figures, years))


def _count_fmt(f, v):
    """Places, waiting list and free places are counts: no decimals unless the number has them
    (the municipalities' expected use is a sum of fractions)."""
    return f.nums["heltal"] if isinstance(v, int) or (isinstance(v, float) and v.is_integer()) else f.nums["tal"]


def _axis_min(figures, years) -> int:
    """The belægning axis starts near the lowest value (rounded down to 10), so 86-98 % are not
    flattened against a 0-120 axis; never above 80 and never below 0."""
    values = [v for fig in figures for y in years if (v := fig.belaegning.get(y)) is not None]
    if not values:
        return 0
    return max(0, min(80, int(min(values) // 10 * 10) - 10))


COLUMNS_PER_PAGE = 11  # a data table prints in groups of about this many columns, each group readable
CHART_ROWS = 24  # a chart's height in rows of 15 points (380 px ≈ 285 pt ≈ 19 rows, with air)


def _charts(wb, ws, first, last, years, row, axis_min=0):
    def ref(r0, c, r1=None):
        top = xl_rowcol_to_cell(r0, c, True, True)
        bottom = xl_rowcol_to_cell(r1 if r1 is not None else r0, c, True, True)
        return f"='Overblik'!{top}:{bottom}"

    chart = wb.add_chart({"type": "column"})
    for i, y in enumerate(years):
        chart.add_series({"name": str(y), "categories": ref(first, 0, last), "values": ref(first, 3 + i, last)})
    chart.set_title({"name": "Realiseret belægning pr. tilbud (%)"})
    chart.set_y_axis({"name": "%", "min": axis_min, "num_format": "0"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 1000, "height": 380})
    ws.insert_chart(row, 0, chart)
    chart2 = wb.add_chart({"type": "bar"})
    chart2.add_series({"name": "Pladstal", "categories": ref(first, 0, last), "values": ref(first, 2, last)})
    chart2.add_series(
        {"name": "Forventet brug (kommunerne)", "categories": ref(first, 0, last), "values": ref(first, 8, last)}
    )
    chart2.set_title({"name": "Forventet efterspørgsel mod pladstal"})
    chart2.set_legend({"position": "bottom"})
    chart2.set_size({"width": 1000, "height": 420})
    ws.insert_chart(row + CHART_ROWS, 0, chart2)
    # each chart starts a printed page: never cut in two between pages
    ws.set_h_pagebreaks([row, row + CHART_ROWS])


def _table_sheet(wb, f, name, table):
    ws = wb.add_worksheet(name)
    widths = [14, 28] + [14] * (len(table.columns) - 2)
    for c, col in enumerate(table.columns):
        t = table.types[c]
        w = 40 if t == "langtekst" else (24 if t in ("tekst", "email", "url", "valg") else widths[c])
        if col in ("Tilbud", "Ydelse", "Kommune", "Respondent"):
            w = 30
        ws.set_column(c, c, w)
    col_fmt = [f.nums.get(t) or (f.wrap if t == "langtekst" else f.cell) for t in table.types]
    _header(ws, f, table.columns, len(table.rows), height=45)
    cleaned: dict[str, str] = {}
    for r, row in enumerate(table.rows, start=1):
        write_row_values(ws, r, row, col_fmt, f.date, cleaned)
    ws.freeze_panes(1, 2)
    _print(ws, pages_wide=-(-len(table.columns) // COLUMNS_PER_PAGE))
    ws.repeat_rows(0)
    ws.repeat_columns(0, 1)


def _issues_sheet(wb, f, issues):
    ws = wb.add_worksheet("Fejl og mangler")
    heads = ["Fil", "Respondent", "Skema", "Ark", "Celle", "Felt", "Kode", "Alvor", "Besked", "Modtaget"]
    widths = [34, 28, 12, 16, 8, 36, 20, 10, 80, 18]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    rows = [
        [i.file, i.respondent, i.skema, i.sheet, i.cell, i.key, i.code, i.severity, i.message, _timestamp(received)]
        for i, received in issues
    ]
    fmts = [f.wrap if c in (0, 5, 8) else f.cell for c in range(len(heads))]
    _header(ws, f, heads, len(rows))
    for r, row in enumerate(rows, start=1):
        write_row_values(ws, r, row, fmts, f.stamp)
        height = _wrapped_height([row[0]], widths[0]) or 15.0
        height = max(height, _wrapped_height([row[5]], widths[5]) or 15.0, _wrapped_height([row[8]], widths[8]) or 15.0)
        if height > 15.0:
            ws.set_row(r, height)
    ws.conditional_format(
        1, 7, max(len(rows), 1), 7, {"type": "cell", "criteria": "==", "value": '"fejl"', "format": f.red}
    )
    ws.freeze_panes(1, 0)
    _print(ws)
    ws.repeat_rows(0)


def _status_sheet(wb, f, statuses):
    ws = wb.add_worksheet("Status")
    heads = ["Skema", "Modtager", "Kontaktperson", "E-mail", "Status", "Modtaget", "Frist", "Overskredet", "Fil"]
    for c, w in enumerate([20, 34, 24, 50, 10, 20, 16, 12, 40]):
        ws.set_column(c, c, w)
    rows = [
        [
            SHORT_NAMES.get(s.skema, s.skema_navn),
            s.modtager.navn,
            s.modtager.kontaktperson,
            s.modtager.email,
            s.status,
            _timestamp(s.modtaget),
            s.frist,
            "Ja" if s.overskredet else "",
            s.kilde_fil,
        ]
        for s in statuses
    ]
    fmts = [f.cell] * len(heads)
    _header(ws, f, heads, len(rows))
    for r, row in enumerate(rows, start=1):
        received, row[5] = row[5], None
        write_row_values(ws, r, row, fmts, f.date)
        write_value(ws, r, 5, received, f.cell, f.stamp)
    n = max(len(rows), 1)
    ws.conditional_format(1, 4, n, 4, {"type": "cell", "criteria": "==", "value": '"mangler"', "format": f.amber})
    ws.conditional_format(1, 7, n, 7, {"type": "cell", "criteria": "==", "value": '"Ja"', "format": f.red})
    ws.freeze_panes(1, 0)
    _print(ws)
    ws.repeat_rows(0)
