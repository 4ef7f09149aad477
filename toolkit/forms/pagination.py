"""Manual page breaks for a form sheet printed on A4, one page wide: a tilbud block or a section
never starts in the last lines of a page. Pure: from row heights and the rows where units start."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

A4_PT = (595.3, 841.9)  # width, height in points
MARGIN_SIDES_PT = (0.5 + 0.5) * 72  # left + right margins (forms/writer.py _print_setup)
MARGIN_ENDS_PT = (0.75 + 0.75) * 72  # top + bottom
DEFAULT_ROW_PT = 15.0
SAFETY = 0.88  # Excel and LibreOffice round scale, widths and row heights their own ways: leave air
SHORT_REST = 0.3  # a unit taller than a page starts on a new page when less than this share is left


def column_points(width_chars: float) -> float:
    """A column's width in points as Excel draws it with Calibri 11 (7 px a character plus 5 px)."""
    return int(width_chars * 7 + 5) * 0.75


def print_scale(widths: Iterable[float], landscape: bool) -> float:
    """The scale 'fit to one page wide' chooses: whole percent, never above 100 %."""
    paper_w = A4_PT[1] if landscape else A4_PT[0]
    total = sum(column_points(w) for w in widths)
    return min(100, int(100 * (paper_w - MARGIN_SIDES_PT) / total)) / 100 if total else 1.0


def page_breaks(
    heights: Mapping[int, float],
    units: Iterable[int],
    first_row: int,
    end_row: int,
    repeated_pt: float,
    scale: float,
    landscape: bool,
) -> list[int]:
    """Rows to break before. `units`: rows where a unit (a block with its first section, or a
    section) starts; a unit that does not fit in what is left of a page starts the next page.
    Rows `first_row`..`end_row - 1` flow; `repeated_pt` is the height of the rows repeated on
    every page."""
    paper_h = A4_PT[0] if landscape else A4_PT[1]
    capacity = ((paper_h - MARGIN_ENDS_PT) / scale - repeated_pt) * SAFETY
    starts = sorted(u for u in set(units) if first_row < u < end_row)
    bounds = [*starts, end_row]
    unit_height = {u: sum(heights.get(r, DEFAULT_ROW_PT) for r in range(u, nxt)) for u, nxt in pairwise(bounds)}
    breaks: list[int] = []
    used = 0.0
    for r in range(first_row, end_row):
        if r in unit_height and used > 0:
            need = unit_height[r]
            rest = capacity - used
            if need > rest and (need <= capacity or rest < capacity * SHORT_REST):
                breaks.append(r)
                used = 0.0
        h = heights.get(r, DEFAULT_ROW_PT)
        if used + h > capacity:  # the program breaks here by itself
            used = 0.0
        used += h
    return breaks
