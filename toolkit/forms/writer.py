"""Write one form plan as a protected, printable Excel workbook (xlsxwriter)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from toolkit import __version__
from toolkit.danish import format_dato
from toolkit.definitions.expand import FormPlan
from toolkit.definitions.tekster import fill
from toolkit.files import atomic_path
from toolkit.forms.layout import Placed, SheetLayout, quote_sheet
from toolkit.forms.meta import (
    LAYOUT_CONSTANT,
    LIST_SHEET,
    MAP_HEADER,
    MAP_SHEET,
    MAX_CONSTANT,
    META_CONSTANTS,
    META_KEYS,
    META_NAMES,
    META_PROPERTIES,
    META_SHEET,
    STATUS_SHEET,
    defined_name,
    layout_digest,
)
from toolkit.forms.styles import Styles
from toolkit.forms.vejledning import bundled_texts, write_vejledning
from toolkit.stamdata.model import Stamdata

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}
PROTECT = {"format_columns": True, "format_rows": True, "select_locked_cells": True, "select_unlocked_cells": True}


@dataclass(frozen=True)
class WrittenForm:
    path: Path
    fields: int
    required: int


def write_form(
    plan: FormPlan,
    sd: Stamdata,
    target: Path,
    frist: dt.date | None,
    generated: dt.datetime | None = None,
    tekster: Mapping[str, str] | None = None,
) -> WrittenForm:
    """`tekster`: the values of the texts' placeholders in the plan's year (rules/tekster.py
    form_texts); None: those of the bundled definitions."""
    generated = generated or dt.datetime.now().replace(microsecond=0)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    if tekster is None:
        tekster = bundled_texts(sd, plan.aar)
    result = _build(wb, plan, sd, frist, generated, partial(fill, values=tekster))
    wb.close()
    with atomic_path(Path(target)) as tmp:
        lock_structure(buffer.getvalue(), tmp)
    return WrittenForm(Path(target), *result)


STRUCTURE_LOCK = b'<workbookProtection lockStructure="1"/>'


def lock_structure(xlsx: bytes, target: Path) -> None:
    """Write `xlsx` to `target` with the workbook's structure protected (no password, like the
    sheets): sheets cannot be renamed, moved, deleted or unhidden. XlsxWriter does not offer this
    (its author declines it), so the one standard element goes into our own file's xl/workbook.xml
    where the schema puts it, before <bookViews>; every other part is copied as it is. Excel honours
    it; LibreOffice 7.4 reads the file but does not enforce it (and the reader copes with renamed or
    deleted sheets either way: returns/identity by names and document properties)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"<bookViews>", STRUCTURE_LOCK + b"<bookViews>", 1)
            out.writestr(info, data, compress_type=info.compress_type)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


def _build(wb, plan: FormPlan, sd: Stamdata, frist, generated, tekst: Callable[[str], str]) -> tuple[int, int]:
    st = Styles(wb)
    defn, m = plan.defn, plan.modtager
    wb.set_properties(
        {
            "title": f"{defn.navn} {plan.aar}",
            "author": str(sd.setting("sekretariat")),
            "company": str(sd.setting("sekretariat")),
            "comments": f"{defn.skema} v{defn.version}",
        }
    )
    vejledning = wb.add_worksheet("Vejledning")
    list_refs = _lists(wb, plan)
    subtitle = f"{defn.navn} {plan.aar} · {m.navn}" + (f" · Frist: {format_dato(frist)}" if frist else "")
    placed_by_sheet: list[tuple[str, list[Placed], object]] = []
    for sheet in plan.sheets:
        ws = wb.add_worksheet(sheet.ark.navn)
        layout = SheetLayout(wb, ws, st, sheet, list_refs, tekst(sheet.ark.titel), subtitle, tekst)
        placed = layout.write()
        placed_by_sheet.append((sheet.ark.navn, placed, ws))
        _print_setup(ws, sd, plan, landscape=layout.landscape, last_col=layout.last)
    status = wb.add_worksheet(STATUS_SHEET)
    totals = _status_sheet(status, placed_by_sheet, st)
    write_vejledning(vejledning, st, plan, sd, frist, generated, totals, tekst)
    _print_setup(vejledning, sd, plan, landscape=False, last_col=0)
    vejledning.fit_to_pages(1, 1)  # the guide is one sheet of paper: a few lines never spill onto a page 2
    meta = wb.add_worksheet(META_SHEET)
    fields = wb.add_worksheet(MAP_SHEET)
    n_fields = _meta_sheet(wb, meta, fields, plan, sd, generated, placed_by_sheet, st)
    for ws in (status, meta, fields):
        ws.hide()
        ws.protect("", {})
    vejledning.activate()
    required = sum(1 for _n, placed, _ws in placed_by_sheet for p in placed if p.fi.required)
    return n_fields, required


def _lists(wb, plan: FormPlan) -> dict[tuple[str, ...], str]:
    """Every choice list on the hidden _lister sheet (no 255-character limit)."""
    lists: list[tuple[str, ...]] = []
    for fi in plan.fields():
        ch = fi.felt.choices
        if ch and ch not in lists:
            lists.append(ch)
    ws = wb.add_worksheet(LIST_SHEET)
    refs = {}
    for c, ch in enumerate(lists):
        for r, v in enumerate(ch):
            ws.write_string(r, c, v)
        a = xl_rowcol_to_cell(0, c, row_abs=True, col_abs=True)
        b = xl_rowcol_to_cell(len(ch) - 1, c, row_abs=True, col_abs=True)
        refs[ch] = f"={LIST_SHEET}!{a}:{b}"
    ws.hide()
    ws.protect("", {})
    return refs


def _missing_formula(ref: str) -> str:
    return (
        f'=IF({ref}=0,"Alle obligatoriske felter er udfyldt",'
        f'"Mangler: "&{ref}&IF({ref}=1," obligatorisk felt"," obligatoriske felter"))'
    )


def _missing_text(n: int) -> str:
    if n == 0:
        return "Alle obligatoriske felter er udfyldt"
    return f"Mangler: {n} obligatorisk felt" if n == 1 else f"Mangler: {n} obligatoriske felter"


def _required_runs(placed: list[Placed]):
    """Required cells grouped into rectangles: (aktiv_cell, first_col, last_col, first_row, last_row,
    missing). Vertical runs first; runs of the same rows in adjacent columns then join."""
    runs: list[list] = []
    for p in sorted((p for p in placed if p.fi.required), key=lambda p: (p.aktiv_cell or "", p.col, p.row)):
        missing = 0 if p.aktiv_cell else int(p.fi.prefill in (None, ""))  # blocks start inactive
        last = runs[-1] if runs else None
        if last and last[0] == p.aktiv_cell and last[1] == p.col and last[4] == p.row - 1:
            last[4] = p.row
            last[5] += missing
        else:
            runs.append([p.aktiv_cell, p.col, p.col, p.row, p.row, missing])
    joined: dict[tuple, list] = {}  # (aktiv, rows, last column) -> rectangle
    out = []
    for aktiv, c, _c, r0, r1, missing in runs:  # sorted by column within each aktiv
        rect = joined.pop((aktiv, r0, r1, c - 1), None)
        if rect is None:
            rect = [aktiv, c, c, r0, r1, missing]
            out.append(rect)
        else:
            rect[2] = c
            rect[5] += missing
        joined[(aktiv, r0, r1, c)] = rect
    return out


TERMS_PER_FORMULA = 24  # COUNTBLANK takes one range; a sum of a few dozen stays far below 8,192 characters


def _status_sheet(status, placed_by_sheet, st) -> tuple[list[str], int]:
    """One column per input sheet: the blanks among its required cells as sums of COUNTBLANKs (one
    per rectangle, those of a numbered block only once its activating cell is filled), the total in
    row 1. Each input sheet shows its own count in row 3; returns the sum cells and the initial total."""
    sums, total = [], 0
    for col, (name, placed, ws) in enumerate(placed_by_sheet):
        q = quote_sheet(name)
        by_aktiv: dict[str | None, list[tuple[str, int]]] = {}
        for aktiv, c0, c1, r0, r1, missing in _required_runs(placed):
            rng = f"{q}!{xl_rowcol_to_cell(r0, c0, True, True)}:{xl_rowcol_to_cell(r1, c1, True, True)}"
            by_aktiv.setdefault(aktiv, []).append((f"COUNTBLANK({rng})", missing))
        n_missing, row = 0, 1
        for aktiv, terms in by_aktiv.items():
            for i in range(0, len(terms), TERMS_PER_FORMULA):
                chunk = terms[i : i + TERMS_PER_FORMULA]
                count = "+".join(t for t, _m in chunk)
                missing = sum(m for _t, m in chunk)
                formula = f"=IF(LEN({q}!{aktiv})>0,{count},0)" if aktiv else f"={count}"
                status.write_formula(row, col, formula, None, missing)
                n_missing += missing
                row += 1
        ref = f"{STATUS_SHEET}!{xl_rowcol_to_cell(0, col, row_abs=True, col_abs=True)}"
        status.write_formula(
            0, col, f"=SUM({xl_rowcol_to_cell(1, col)}:{xl_rowcol_to_cell(max(row, 2), col)})", None, n_missing
        )
        # one unwrapped cell: the text runs on over the empty cells to its right
        ws.write_formula(2, 0, _missing_formula(ref), st.missing, _missing_text(n_missing))
        ws.conditional_format(2, 0, 2, 0, {"type": "formula", "criteria": f"={ref}=0", "format": st.done})
        sums.append(ref.replace(f"{STATUS_SHEET}!", ""))
        total += n_missing
    return sums, total


def _meta_sheet(wb, meta, fields, plan: FormPlan, sd: Stamdata, generated, placed_by_sheet, st) -> int:
    """The identity in `_skema` (and as constant names and properties), the fields' map in
    `_felter`, a defined name per input cell and the digest of those names (LAYOUT_CONSTANT)."""
    defn, m = plan.defn, plan.modtager
    values = {
        "skema": defn.skema,
        "version": defn.version,
        "definition_hash": defn.hash,
        "aar": plan.aar,
        "modtager_id": m.id,
        "modtager_navn": m.navn,
        "genereret": generated.isoformat(),
        "toolkit_version": __version__,
        "region": sd.region,
    }
    for r, key in enumerate(META_KEYS):
        meta.write_string(r, 0, key, st.meta_head)
        v = values[key]
        if isinstance(v, int):
            meta.write_number(r, 1, v)
        else:
            meta.write_string(r, 1, str(v))
        if key in META_NAMES:
            wb.define_name(META_NAMES[key], f"={META_SHEET}!$B${r + 1}")
    _identity(wb, values)
    meta.set_column(0, 0, 20)
    meta.set_column(1, 1, 40)
    fields.write_row(0, 0, MAP_HEADER, st.meta_head)
    row = 1
    used: set[str] = set()
    names = []
    for name, placed, _ws in placed_by_sheet:
        q = quote_sheet(name)
        for p in placed:
            col = xl_col_to_name(p.col)
            cell = f"{col}{p.row + 1}"
            names.append((defined_name(p.fi.key, used), name, cell, f"{q}!${col}${p.row + 1}"))
            fields.write_string(row, 0, p.fi.key)
            fields.write_string(row, 1, name)
            fields.write_string(row, 2, cell)
            row += 1
    for name, _sheet, _cell, ref in names:
        wb.define_name(name, "=" + ref)
    wb.define_name(LAYOUT_CONSTANT, f'="{layout_digest((n, s, c) for n, s, c, _r in names)}"')
    fields.set_column(0, 0, 60)
    fields.set_column(1, 2, 14)
    return row - 1


def _identity(wb, values: dict) -> None:
    """The identity as constant defined names and custom document properties (docs/skemaformat.md).
    A text longer than Excel allows in a formula constant or a property is left to `_skema`."""
    for key, prop in META_PROPERTIES.items():
        v = values[key]
        if not isinstance(v, int):
            v = str(v)
            if len(v) > MAX_CONSTANT or len(v) + v.count('"') > MAX_CONSTANT:
                continue
        constant = str(v) if isinstance(v, int) else '"' + v.replace('"', '""') + '"'
        if wb.define_name(META_CONSTANTS[key], "=" + constant) == -1:  # its refusal (None or 0 when accepted)
            raise ValueError(f"ugyldigt navn {META_CONSTANTS[key]!r}")
        wb.set_custom_property(prop, v)


def _print_setup(ws, sd: Stamdata, plan: FormPlan, landscape: bool, last_col: int):
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    if landscape:
        ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.set_header(
        f"&L&8{_header_text(str(sd.setting('sekretariat', '')))}&R&8{_header_text(plan.defn.navn)} {plan.aar}"
    )
    ws.set_footer(f"&L&8{_header_text(plan.modtager.navn)}&RSide &P af &N")
    ws.repeat_rows(0, 1)
    ws.hide_gridlines(2)
    ws.protect("", PROTECT)
