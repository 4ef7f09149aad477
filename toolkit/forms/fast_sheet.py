"""xlsxwriter, with the two hot loops written for speed (same library, same output bytes).

1. Formulas: xlsxwriter's `_prepare_formula` runs ~30 substitutions per formula (ANCHORARRAY,
   FILTER, XLOOKUP…; ~130 for validation and conditional-format formulas) whether or not they
   occur. Our forms write thousands of plain formulas (COUNTBLANK, LEN, IF), so one combined check
   skips that; a formula that does use such a function, or that must be expanded, takes the
   original code, whose result is cached (it depends only on the text and the flag).
2. Serialising the cell table: xlsxwriter writes every `<c>` element through a chain of generic
   XML helpers (attribute lists, escaping, one `write` per element). `_write_rows` here builds the
   same text with f-strings and writes it in one piece. It handles the cell types our workbooks use
   (number, date, string, rich string, formula, blank, boolean); anything else (array formulas,
   error cells, comments, constant_memory mode) goes through xlsxwriter's own code. The output is
   byte-for-byte what xlsxwriter writes: `tests/test_fast_sheet.py` compares both on random tables
   and on every generated form.

`FastWorkbook` makes these worksheets the default. Written against xlsxwriter 3.x internals
(`table`, `row_info`, `col_info`, the `Cell*Tuple` classes); if they ever change, the check in
`_supported` sends every sheet back to the stock code path instead of writing a wrong file.
"""
from __future__ import annotations

import re
from functools import lru_cache

import xlsxwriter
from xlsxwriter import worksheet as _xw
from xlsxwriter.exceptions import OverlappingRange
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name, xl_range
from xlsxwriter.worksheet import Worksheet

_DYNAMIC = re.compile(
    r"(ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|MAKEARRAY|MAP|"
    r"RANDARRAY|REDUCE|SCAN|SINGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|TOCOL|TOROW|UNIQUE|"
    r"VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\(")
_XML_SPECIAL = re.compile('[&<>]')
_NEEDS_CONTROL_ESCAPE = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_ERROR_CODES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))

_NUMBER, _STRING, _FORMULA, _BLANK, _BOOLEAN = range(5)
_KINDS: dict[type, int] = {}
for _name, _kind in (("CellNumberTuple", _NUMBER), ("CellDatetimeTuple", _NUMBER),
                     ("CellStringTuple", _STRING), ("CellRichStringTuple", _STRING),
                     ("CellFormulaTuple", _FORMULA), ("CellBlankTuple", _BLANK),
                     ("CellBooleanTuple", _BOOLEAN)):
    if hasattr(_xw, _name):
        _KINDS[getattr(_xw, _name)] = _kind
_INTERNALS = ("table", "merged_cells", "table_cells", "merge", "str_table", "xls_strmax", "xls_rowmax", "xls_colmax", "row_info", "col_info", "comments", "dim_rowmin", "dim_rowmax", "constant_memory",
              "default_row_height", "original_row_height", "excel_version", "fh")


class _FormulaOnly:
    use_future_functions = False


@lru_cache(maxsize=8192)
def _stock_prepare(formula: str, expand: bool) -> str:
    return Worksheet._prepare_formula(_FormulaOnly(), formula, expand)


def _escape(text: str) -> str:
    """xlsxwriter's `_escape_data` (element text; quotes are not escaped)."""
    if _XML_SPECIAL.search(text):
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


class FastWorksheet(Worksheet):
    # Cell writers without the A1-notation decorator when given row/column numbers (our code
    # always does); anything else takes xlsxwriter's decorated method.
    def write_string(self, row, col, *args):
        if row.__class__ is int:
            return self._write_string(row, col, *args)
        return super().write_string(row, col, *args)

    def write_blank(self, row, col, *args):
        if row.__class__ is int:
            return self._write_blank(row, col, *args)
        return super().write_blank(row, col, *args)

    def write_number(self, row, col, *args):
        if row.__class__ is int:
            return self._write_number(row, col, *args)
        return super().write_number(row, col, *args)

    def write_row_values(self, row: int, first_col: int, values, formats) -> None:
        """Strings and finite numbers of one row, `None` skipped, in one pass: what `write_string`/
        `write_number` store, without a call chain per cell (tables of 100,000s of cells). Any other
        value (and constant_memory mode) goes through `write`."""
        if (not self._supported() or row.__class__ is not int or not 0 <= row < self.xls_rowmax
                or not 0 <= first_col <= self.xls_colmax - len(values)):
            for c, v in enumerate(values, start=first_col):
                if v is not None:
                    self.write(row, c, v, formats[c - first_col])
            return
        sst = self.str_table
        strings, cells = sst.string_table, self.table[row]
        new, string_cell, number_cell = tuple.__new__, _xw.CellStringTuple, _xw.CellNumberTuple
        half_max = self.xls_strmax // 2
        lo = hi = None
        for c, v in enumerate(values, start=first_col):
            if v is None:
                continue
            cls = v.__class__
            if cls is str and len(v) <= half_max:
                index = strings.get(v)
                if index is None:
                    index = strings[v] = sst.unique_count
                    sst.unique_count += 1
                sst.count += 1
                cells[c] = new(string_cell, (index, formats[c - first_col]))  # the namedtuple, minus a frame
            elif (cls is int or cls is float) and v - v == 0:  # finite
                cells[c] = new(number_cell, (v, formats[c - first_col]))
            else:
                self.write(row, c, v, formats[c - first_col])
                continue
            if lo is None:
                lo = c
            hi = c
        if lo is not None and not self._check_dimensions(row, lo):
            self._check_dimensions(row, hi)

    def add_table(self, first_row, first_col, last_row, last_col, options=None):
        """A plain table (no total row, no column formulas, no `data`) on a sheet without merges or
        other tables cannot overlap anything, so xlsxwriter's per-cell overlap bookkeeping (a Python
        loop over every cell of the table) is skipped: the table is made over its header and first
        row and then given its real extent, which is kept as a rectangle that later tables and merges
        are checked against. Anything else goes through xlsxwriter's add_table."""
        opts = options or {}
        simple = (first_row.__class__ is int and self._supported() and not self.merged_cells
                  and not self.table_cells and not getattr(self, "_big_tables", None)
                  and first_row + 1 < last_row < self.xls_rowmax and 0 <= first_col <= last_col < self.xls_colmax
                  and first_row >= 0
                  and opts.get("header_row", True) and not opts.get("total_row") and "data" not in opts
                  and not any(set(c) & {"formula", "total_function", "total_string", "total_value"}
                              for c in opts.get("columns", ())))
        if not simple:
            self._check_big_tables(first_row, first_col, last_row, last_col)
            return super().add_table(first_row, first_col, last_row, last_col, options)
        result = super().add_table(first_row, first_col, first_row + 1, last_col, options)
        if result:  # refused (a warning was given): nothing was added
            return result
        table = self.tables[-1]
        table["range"] = xl_range(first_row, first_col, last_row, last_col)
        table["a_range"] = table["range"]
        if table.get("autofilter"):
            table["autofilter"] = table["a_range"]
        self._big_tables = [(first_row, first_col, last_row, last_col, table["range"])]
        return 0

    def _check_big_tables(self, first_row, first_col, last_row, last_col, merge: bool = False) -> None:
        """Raise OverlappingRange, as xlsxwriter would, for a range (valid, in bounds) that overlaps
        a table added by the fast path (for a merge, after extending the sheet's dimensions first,
        as merge_range does)."""
        big = getattr(self, "_big_tables", None)
        if not big or first_row.__class__ is not int:
            return
        r0, r1 = sorted((first_row, last_row))
        c0, c1 = sorted((first_col, last_col))
        if r0 < 0 or c0 < 0 or r1 >= self.xls_rowmax or c1 >= self.xls_colmax or (merge and (r0, c0) == (r1, c1)):
            return  # xlsxwriter refuses this range with a warning before looking for overlaps
        for t0, u0, t1, u1, ref in big:
            if r0 <= t1 and t0 <= r1 and c0 <= u1 and u0 <= c1:
                if merge:
                    self._check_dimensions(r0, c0)
                    self._check_dimensions(r1, c1)
                raise OverlappingRange(f"Range '{xl_range(r0, c0, r1, c1)}' overlaps previous table range '{ref}'.")

    def merge_range(self, first_row, first_col, last_row, last_col, data, cell_format=None):
        """A blank, formatted merge (how our layout makes wide input cells): the cells are stored
        directly. Everything else, and every overlap, goes through xlsxwriter's merge_range."""
        self._check_big_tables(first_row, first_col, last_row, last_col, merge=True)
        if (first_row.__class__ is not int or data != "" or cell_format is None or not self._supported()
                or first_row > last_row or first_col > last_col
                or (first_row == last_row and first_col == last_col)):
            return super().merge_range(first_row, first_col, last_row, last_col, data, cell_format)
        if self._check_dimensions(first_row, first_col) or self._check_dimensions(last_row, last_col):
            return -1
        cells = [(r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)]
        merged, in_tables = self.merged_cells, self.table_cells
        if any(rc in merged or rc in in_tables for rc in cells):
            return super().merge_range(first_row, first_col, last_row, last_col, data, cell_format)
        cell_range = xl_range(first_row, first_col, last_row, last_col)
        blank = _xw.CellBlankTuple(cell_format)
        table = self.table
        for r, c in cells:
            merged[(r, c)] = cell_range
            table[r][c] = blank
        self.merge.append([first_row, first_col, last_row, last_col])
        return 0

    def _prepare_formula(self, formula, expand_future_functions=False):
        expand = bool(self.use_future_functions or expand_future_functions)
        if expand or _DYNAMIC.search(formula):
            # a pure function of the text and the flag; validation and highlight rules repeat
            # the same few formulas in every workbook
            return _stock_prepare(formula, expand)
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    # -------------------------------------------------------------------------------------
    def _supported(self) -> bool:
        known = self.__dict__.get("_known_internals")
        if known is None:
            known = self._known_internals = len(_KINDS) == 7 and all(hasattr(self, a) for a in _INTERNALS)
        return known and not self.constant_memory and not self.comments

    def _calculate_spans(self) -> None:
        if not self._supported():
            return super()._calculate_spans()
        spans: dict[int, list[int]] = {}
        for row, cells in self.table.items():
            if cells:
                lo, hi = min(cells), max(cells)
                cur = spans.get(row // 16)
                if cur is None:
                    spans[row // 16] = [lo, hi]
                else:
                    cur[0], cur[1] = min(cur[0], lo), max(cur[1], hi)
        self.row_spans = {i: f"{lo + 1}:{hi + 1}" for i, (lo, hi) in spans.items()}

    def _row_attrs(self, spans: str | None, info, empty: bool) -> str:
        """`Worksheet._write_row`'s attributes after r="…", as a string."""
        if info:
            height, row_format, hidden, level, collapsed = (info.height, info.row_format, info.hidden,
                                                            info.level, info.collapsed)
        else:
            height, row_format, hidden, level, collapsed = None, None, 0, 0, 0
        if height is None:
            height = self.default_row_height
        parts = []
        if spans:
            parts.append(f' spans="{spans}"')
        xf_index = row_format._get_xf_index() if row_format else 0
        if xf_index:
            parts.append(f' s="{xf_index}"')
        if row_format:
            parts.append(' customFormat="1"')
        custom = height != self.original_row_height or height != self.default_row_height
        if custom:
            parts.append(f' ht="{height * 0.75:.16g}"')
        if hidden:
            parts.append(' hidden="1"')
        if custom:
            parts.append(' customHeight="1"')
        if level:
            parts.append(f' outlineLevel="{level}"')
        if collapsed:
            parts.append(' collapsed="1"')
        if self.excel_version == 2010:
            parts.append(' x14ac:dyDescent="0.25"')
        parts.append("/>" if empty else ">")
        return "".join(parts)

    def _write_rows(self) -> None:
        if not self._supported():
            return super()._write_rows()
        self._calculate_spans()
        table, row_info, col_info, spans = self.table, self.row_info, self.col_info, self.row_spans
        lo, hi = self.dim_rowmin, self.dim_rowmax
        rows = sorted({r for r, cells in table.items() if cells} | set(row_info))
        names = [xl_col_to_name(c) for c in range((self.dim_colmax or 0) + 1)]  # cells lie within dims
        col_style: dict[int, str] = {}
        for c, info in col_info.items():
            fmt = getattr(info, "column_format", None)
            if fmt is not None:
                col_style[c] = f' s="{fmt._get_xf_index()}"'
        styles: dict[int, str] = {}  # id(format) -> ' s="n"'
        row_attrs: dict[tuple, str] = {}
        kinds = _KINDS
        out: list[str] = []
        add = out.append
        for row in rows:
            if row < lo or row > hi:
                continue
            info = row_info.get(row)
            cells = table.get(row)
            span = spans.get(row // 16)
            empty = not cells
            key = (span, empty) if info is None else (
                span, empty, info.height, id(info.row_format), info.hidden, info.level, info.collapsed)
            attrs = row_attrs.get(key)
            if attrs is None:
                attrs = row_attrs[key] = self._row_attrs(span, info, empty)
            rnum = row + 1
            add(f'<row r="{rnum}"{attrs}')
            if empty:
                continue
            row_fmt = info.row_format if info else None
            row_style = f' s="{row_fmt._get_xf_index()}"' if row_fmt else None
            for col in sorted(cells):
                cell = cells[col]
                kind = kinds.get(cell.__class__)
                if kind is None:  # array formula, error cell: xlsxwriter's own code
                    self.fh.write("".join(out))
                    out.clear()
                    self._write_cell(row, col, cell)
                    continue
                fmt = cell.format
                if fmt:
                    style = styles.get(id(fmt))
                    if style is None:
                        style = styles[id(fmt)] = f' s="{fmt._get_xf_index()}"'
                elif row_style:
                    style = row_style
                else:
                    style = col_style.get(col, "")
                if kind == _STRING:
                    add(f'<c r="{names[col]}{rnum}"{style} t="s"><v>{cell.string}</v></c>')
                elif kind == _BLANK:
                    add(f'<c r="{names[col]}{rnum}"{style}/>')
                elif kind == _NUMBER:
                    add(f'<c r="{names[col]}{rnum}"{style}><v>{cell.number:.16G}</v></c>')
                elif kind == _FORMULA:
                    add(self._formula_cell(f"{names[col]}{rnum}", style, cell))
                else:
                    add(f'<c r="{names[col]}{rnum}"{style} t="b"><v>{cell.boolean}</v></c>')
            add("</row>")
        self.fh.write("".join(out))

    @staticmethod
    def _formula_cell(ref: str, style: str, cell) -> str:
        value, t = cell.value, ""
        if isinstance(value, bool):
            t, value = ' t="b"', int(value)
        elif isinstance(value, str):
            if value in _ERROR_CODES:
                t = ' t="e"'
            elif value != "":
                t = ' t="str"'
            value = _escape(value)
        return f'<c r="{ref}"{style}{t}><f>{_escape(cell.formula)}</f><v>{value}</v></c>'


class _FastSharedStrings(SharedStrings):
    """`SharedStrings._write_sst_strings` as one string; the control-character escaping only runs
    for the (rare) strings that need it."""

    def _write_sst_strings(self) -> None:
        out = []
        for text in self.string_table.string_array:
            if _NEEDS_CONTROL_ESCAPE.search(text):
                text = self._escape_control_characters(text)
            if text.startswith("<r>") and text.endswith("</r>"):
                out.append(f"<si>{text}</si>")
            elif _preserve_whitespace(text):
                out.append(f'<si><t xml:space="preserve">{_escape(text)}</t></si>')
            else:
                out.append(f"<si><t>{_escape(text)}</t></si>")
        self.fh.write("".join(out))


class _FastPackager(Packager):
    def _write_shared_strings_file(self) -> None:
        if not self.workbook.str_table.count:
            return
        sst = _FastSharedStrings()
        sst.string_table = self.workbook.str_table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class FastWorkbook(xlsxwriter.Workbook):
    """An xlsxwriter Workbook whose worksheets, shared strings and defined names use the fast
    paths above."""
    worksheet_class = FastWorksheet

    def _get_packager(self):
        return _FastPackager()

    def _write_defined_names(self) -> None:
        if not self.defined_names:
            return
        out = ["<definedNames>"]
        for entry in self.defined_names:
            name, sheet_id, ref, hidden = entry[:4]
            attrs = f' localSheetId="{sheet_id}"' if sheet_id != -1 else ""
            if hidden:
                attrs += ' hidden="1"'
            ref = _escape(ref) if isinstance(ref, str) else ref
            if isinstance(ref, str) and _NEEDS_CONTROL_ESCAPE.search(ref):
                ref = self._escape_control_characters(ref)
            out.append(f'<definedName name="{self._escape_attributes(name)}"{attrs}>{ref}</definedName>')
        out.append("</definedNames>")
        self.fh.write("".join(out))

    def define_valid_names(self, names: list[tuple[str, str]]) -> None:
        """Workbook-scope names that `toolkit.forms.meta.defined_name` produced, so already valid
        (ASCII, starts with a letter, not shaped like a cell reference; tested against
        `define_name`'s own checks): stored without re-running its five regexes per name."""
        self.defined_names.extend([name, -1, ref.lstrip("="), False] for name, ref in names)
