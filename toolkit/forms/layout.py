"""Lay out one input sheet of a form plan: titles, blocks, sections (field rows or tables),
input cells with validation and required highlighting. Returns where every field landed."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from xlsxwriter.utility import xl_rowcol_to_cell

from toolkit.definitions.expand import FieldInstance, SectionPlan, SheetPlan
from toolkit.forms.pagination import page_breaks, print_scale
from toolkit.forms.styles import CONTEXT_WIDTH, LABEL_WIDTH, WIDTHS
from toolkit.forms.validation_rules import validation_for

ROW_LABEL_HEAD = {"ydelse": "Ydelse", "kommune": "Kommune", "tilbud": "Tilbud", "egne_tilbud": "Tilbud", "linje": "Nr."}
FIRST_BODY_ROW = 4
CONTEXT_RUN_ON = 60  # a longer locked value wraps in a merged cell instead of running on over the row


@dataclass
class Placed:
    fi: FieldInstance
    row: int
    col: int
    aktiv_cell: str | None = None  # absolute A1 of the activating cell, same sheet


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


@lru_cache(maxsize=4096)
def estimate_height(text: str, width_chars: float, line_pt: float = 13.0) -> float:
    per_line = max(1.0, width_chars * 1.15)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
    return max(15.0, lines * line_pt + 3)


def _spans_to_end(sec: SectionPlan) -> bool:
    return bool(sec.columns) and sec.columns[-1][0].type == "langtekst"


def _table_extent(sheet: SheetPlan) -> int:
    """Columns used by the widest table of the sheet (label column included)."""
    return max(
        (
            1 + len(sec.context_columns) + len(sec.columns)
            for block in sheet.blocks
            for sec in block.sections
            if sec.rows is not None
        ),
        default=1,
    )


def _merges_to_end(sec: SectionPlan, extent: int) -> bool:
    """A trailing long text spans to the sheet's last column only when a wider table shares the
    sheet; otherwise its own column is made wide (one cell, no merge)."""
    return _spans_to_end(sec) and 1 + len(sec.context_columns) + len(sec.columns) < extent


def _col_widths(sheet: SheetPlan) -> list[float]:
    widths: list[float] = [LABEL_WIDTH]
    extent = _table_extent(sheet)
    for block in sheet.blocks:
        for sec in block.sections:
            if sec.rows is None:
                continue
            cols = [CONTEXT_WIDTH] * len(sec.context_columns) + [WIDTHS[f.type] for f, _y in sec.columns]
            if _merges_to_end(sec, extent):
                cols[-1] = 14  # a trailing long text spans to the sheet's last column instead
            for i, w in enumerate(cols, start=1):
                if i < len(widths):
                    widths[i] = max(widths[i], w)
                else:
                    widths.append(w)
    if len(widths) == 1:  # no tables: column B holds the single-line answers of field rows
        types = [
            fi.felt.type
            for block in sheet.blocks
            for sec in block.sections
            if sec.rows is None
            for fi in sec.cells.values()
            if fi.felt.type != "langtekst"
        ]
        widths.append(max([WIDTHS[t] for t in types], default=16))
    while len(widths) < 3:
        widths.append(16)
    while sum(widths[1:]) < 64:  # long-text answers of field rows span B to the last column
        widths.append(16)
    return widths


class SheetLayout:
    def __init__(
        self,
        wb,
        ws,
        st,
        sheet: SheetPlan,
        list_refs: dict[tuple[str, ...], str],
        title: str,
        subtitle: str,
        tekst: Callable[[str], str] = str,
    ):
        self.wb, self.ws, self.st, self.sheet = wb, ws, st, sheet
        self.tekst = tekst  # fills in the placeholders of the definition's texts (definitions/tekster.py)
        self.list_refs = list_refs
        self.widths = _col_widths(sheet)
        self.last = len(self.widths) - 1
        self.extent = _table_extent(sheet)
        self.placed: list[Placed] = []
        self.key_cell: dict[str, tuple[int, int]] = {}
        self.title, self.subtitle = title, subtitle
        self.row = FIRST_BODY_ROW
        self.heights: dict[int, float] = {}  # row -> height in points, for the page breaks
        self.units: list[int] = []  # rows where a block (with its first section) or a section starts
        self._in_block_head = False
        self.landscape = sum(self.widths) > 120
        # validations and highlight rules are collected and written once per field definition
        self._dv: dict[tuple, list[tuple[int, int, int]]] = {}
        self._cf: dict[str | None, list[tuple[int, int, int]]] = {}
        self._dv_felt: dict[tuple, FieldInstance] = {}

    # ---------------------------------------------------------------------------------------
    def write(self) -> list[Placed]:
        ws, st = self.ws, self.st
        for c, w in enumerate(self.widths):
            ws.set_column(c, c, w)
        # titles are single cells: unwrapped text runs on over the empty cells to its right
        ws.write_string(0, 0, self.title, st.title)
        self._set_row(0, 24)
        ws.write_string(1, 0, self.subtitle, st.subtitle)
        self._set_row(2, 18)
        if self.sheet.ark.beskrivelse:
            self._paragraph(self.tekst(self.sheet.ark.beskrivelse), st.descr)
        for block in self.sheet.blocks:
            if block.item is not None:
                self._block_header(block)
            for sec in block.sections:
                self._section(sec)
            self.row += 1
        ws.freeze_panes(3, 0)
        ws.print_area(0, 0, max(self.row - 1, 2), self.last)  # the row formats run on to the right
        scale = print_scale(self.widths, self.landscape)
        repeated = self.heights.get(0, 15.0) + self.heights.get(1, 15.0)
        breaks = page_breaks(self.heights, self.units, 2, self.row, repeated, scale, self.landscape)
        if breaks:
            ws.set_h_pagebreaks(breaks)
        self._flush_rules()
        return self.placed

    def _paragraph(self, text: str, fmt):
        width = sum(self.widths)
        self.ws.merge_range(self.row, 0, self.row, self.last, text, fmt)
        self._set_row(self.row, estimate_height(text, width))
        self.row += 1

    def _set_row(self, row: int, height: float | None, fmt=None) -> None:
        self.heights[row] = 15.0 if height is None else height
        self.ws.set_row(row, height, fmt)

    def _band(self, text: str, fmt, height: float):
        """A coloured heading: one cell and the row's format (no blank cells across the sheet)."""
        self.ws.write_string(self.row, 0, text, fmt)
        self._set_row(self.row, height, fmt)

    def _block_header(self, block):
        ws, st = self.ws, self.st
        label = block.item.label if block.item.kind != "tilbud" else f"Tilbud: {block.item.label}"
        self.units.append(self.row)
        self._in_block_head = True  # the block's header stays with its first section
        self._band(label, st.block, 22)
        self.row += 1
        for name, value, is_url in block.context:
            self._set_row(self.row, None, st.context_band)  # the value runs on over the grey row
            ws.write_string(self.row, 0, name, st.context)
            if is_url and value.startswith(("http://", "https://")) and len(value) < 2000:
                ws.write_url(self.row, 1, value, st.link, string=value)
            elif len(value) > CONTEXT_RUN_ON:  # a long answer (the panel's context): wrapped over B to the end
                ws.merge_range(self.row, 1, self.row, self.last, value, st.context)
                span = sum(self.widths[1:])
                ws.set_row(self.row, max(estimate_height(value, span), estimate_height(name, LABEL_WIDTH)))
            else:
                ws.write_string(self.row, 1, value, st.context_value)
            self.row += 1

    def _section(self, sec: SectionPlan):
        st = self.st
        if not self._in_block_head:
            self.units.append(self.row)
        self._in_block_head = False
        self._band(self.tekst(sec.sektion.titel), st.section, 19)
        self.row += 1
        if sec.sektion.beskrivelse:
            self._paragraph(self.tekst(sec.sektion.beskrivelse), st.descr)
        if sec.rows is None:
            self._field_rows(sec)
        else:
            self._table(sec)
        self.row += 1

    def _label(self, row: int, fi: FieldInstance):
        st = self.st
        text = fi.felt.etiket + (f" {fi.aar}" if fi.aar is not None else "") + (" *" if fi.required else "")
        if fi.felt.hjaelp:
            hjaelp = self.tekst(fi.felt.hjaelp)
            self.ws.write_rich_string(row, 0, st.label_bold, text, st.help, "\n" + hjaelp, st.label)
            return estimate_height(text + "\n" + hjaelp, LABEL_WIDTH)
        self.ws.write_string(row, 0, text, st.label)
        return estimate_height(text, LABEL_WIDTH)

    def _field_rows(self, sec: SectionPlan):
        span = sum(self.widths[1:])
        for (_r, _c), fi in sorted(sec.cells.items()):
            h = self._label(self.row, fi)
            t = fi.felt.type
            fmt = self.st.inputs[t]
            if t == "langtekst" or self.widths[1] < WIDTHS[t]:  # one wide input cell, B to the end
                self.ws.merge_range(self.row, 1, self.row, self.last, "", fmt)
            self._input(self.row, 1, fi, fmt)
            if t == "langtekst":
                h = max(h, 66.0, estimate_height(str(fi.prefill or ""), span))
            self._set_row(self.row, max(h, 18.0))
            self._validate(self.row, 1, self.row, fi)
            self.row += 1

    def _table(self, sec: SectionPlan):
        ws, st = self.ws, self.st
        head_row = self.row
        assert sec.sektion.gentag is not None  # a table is a repeated section
        ws.write_string(head_row, 0, ROW_LABEL_HEAD[sec.sektion.gentag], st.head_left)
        heights = [18.0]
        col = 1
        for _attr, title in sec.context_columns:
            ws.write_string(head_row, col, title, st.head)
            col += 1
        first_input = col
        for i, (felt, year) in enumerate(sec.columns):
            text = felt.etiket + (f" {year}" if year is not None else "") + (" *" if felt.obligatorisk else "")
            if i == len(sec.columns) - 1 and _merges_to_end(sec, self.extent) and col < self.last:
                ws.merge_range(head_row, col, head_row, self.last, "", st.head)
            ws.write_string(head_row, col, text, st.head)
            heights.append(estimate_height(text, self.widths[col]))
            col += 1
        self._set_row(head_row, max(heights))
        self.row += 1
        if not sec.rows:
            ws.write_string(self.row, 0, "(ingen)", st.descr)
            self.row += 1
            return
        has_long = any(f.type == "langtekst" for f, _ in sec.columns)
        r0 = self.row
        for r, item in enumerate(sec.rows):
            row = r0 + r
            ws.write_string(row, 0, item.label, st.context)
            for i, value in enumerate(sec.row_context[r], start=1):
                if isinstance(value, (int, float)):
                    whole = isinstance(value, int) or float(value).is_integer()
                    ws.write_number(row, i, value, st.context_int if whole else st.context_num)
                else:
                    ws.write_string(row, i, str(value or ""), st.context)
            for c in range(len(sec.columns)):
                fi = sec.cells[(r, c)]
                fmt = st.inputs[fi.felt.type]
                col = first_input + c
                if c == len(sec.columns) - 1 and _merges_to_end(sec, self.extent) and col < self.last:
                    ws.merge_range(row, col, row, self.last, "", fmt)
                self._input(row, col, fi, fmt)
            self._set_row(row, 60.0 if has_long else max(18.0, estimate_height(item.label, LABEL_WIDTH)))
        r1 = r0 + len(sec.rows) - 1
        for c in range(len(sec.columns)):
            self._validate(r0, first_input + c, r1, sec.cells[(0, c)])
        self.row = r1 + 1

    # ---------------------------------------------------------------------------------------
    def _input(self, row: int, col: int, fi: FieldInstance, fmt):
        v = fi.prefill
        if isinstance(v, bool) or v is None or v == "":
            self.ws.write_blank(row, col, None, fmt)
        elif isinstance(v, (int, float)):
            self.ws.write_number(row, col, v, fmt)
        elif isinstance(v, dt.date):
            self.ws.write_datetime(row, col, dt.datetime.combine(v, dt.time()), fmt)
        else:
            self.ws.write_string(row, col, str(v), fmt)
        self.key_cell[fi.key] = (row, col)
        self.placed.append(Placed(fi, row, col, self._abs(fi.aktiv_key) if fi.aktiv_key else None))

    def _abs(self, key: str) -> str | None:
        """Absolute A1 address of the input cell of `key` on this sheet, if placed already."""
        rc = self.key_cell.get(key)
        return xl_rowcol_to_cell(*rc, row_abs=True, col_abs=True) if rc else None

    def _validate(self, r0: int, col: int, r1: int, fi: FieldInstance):
        group = (id(fi.felt), fi.aar)
        self._dv.setdefault(group, []).append((r0, col, r1))
        self._dv_felt[group] = fi
        if fi.required:
            aktiv = self._abs(fi.aktiv_key) if fi.aktiv_key else None
            self._cf.setdefault(aktiv, []).append((r0, col, r1))

    def _flush_rules(self):
        ws = self.ws
        for group, ranges in self._dv.items():
            fi = self._dv_felt[group]
            r0, c0, _r1 = ranges[0]
            list_ref = self.list_refs.get(fi.felt.choices) if fi.felt.choices else None
            opts = validation_for(fi.felt, xl_rowcol_to_cell(r0, c0), list_ref, self.tekst(fi.felt.hjaelp))
            opts["multi_range"] = _multi(ranges)
            ws.data_validation(r0, c0, ranges[0][2], c0, opts)
        for aktiv, ranges in self._cf.items():
            r0, c0, r1 = ranges[0]
            top_left = xl_rowcol_to_cell(r0, c0)
            if aktiv:
                rule = {"type": "formula", "criteria": f"=AND(LEN({aktiv})>0,LEN({top_left})=0)"}
            else:
                rule = {"type": "blanks"}
            rule.update({"format": self.st.required, "multi_range": _multi(ranges)})
            ws.conditional_format(r0, c0, r1, c0, rule)


def _multi(ranges: list[tuple[int, int, int]]) -> str:
    return " ".join(
        xl_rowcol_to_cell(r0, c) if r0 == r1 else f"{xl_rowcol_to_cell(r0, c)}:{xl_rowcol_to_cell(r1, c)}"
        for r0, c, r1 in ranges
    )
