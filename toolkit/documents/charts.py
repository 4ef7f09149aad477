"""Chart images for the Word documents (matplotlib's Agg canvas directly: no pyplot, no backend switch).

A national bilag has a belægning chart per tilbud (60–240) and the municipalities' expected use of
every tilbud. Both are drawn cheaply and in parallel with the rest of the bilag (`drawn_charts`):

- `BelaegningChart` draws what every tilbud's chart has in common (axes, ticks, title, legend) once,
  keeps it as a background (the canvas's public `copy_from_bbox`/`restore_region`) and per tilbud
  draws only its three bars, their labels and its budget line. A tilbud without any belægning
  figure gets no chart (the bilag says so in words).
- The demand chart is split into page-sized parts (`MAX_ROWS` tilbud each); one image for 240
  tilbud would be 1.5 m tall and cut off at the first page's foot.

Numbers are Danish (decimal comma, thousands point)."""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imsave
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from toolkit.danish import format_tal
from toolkit.rules.warnings import format_distinct
from toolkit.workers import die_with_parent

BLUE, ORANGE, GREY = "#1F4E79", "#C55A11", "#7F7F7F"
PNG = {"compress_level": 1}  # zlib's fastest: the charts are flat colours, the files stay small
MAX_ROWS = 25  # tilbud per part of the demand chart: one part fits an A4 page at 150 mm wide
LABEL_CLEARANCE = 6.0  # percentage points between a bar label's centre and the budget line


def _pct(v: float, shown: str | None = None) -> str:
    return f"{shown or format_tal(round(v, 1), 1)} %"


@dataclass(frozen=True)
class BarLabel:
    """Where a bar's value is written: y (data units), vertical alignment, and inside the bar or not."""

    y: float
    va: str
    inside: bool


def place_label(v: float, budget: float | None, top: float) -> BarLabel:
    """Inside the bar, halfway up, unless the dashed budget line runs there: then lower or higher in
    the bar; a short bar (under 20) gets its label on top, or above the line if the line is there."""

    def clear(y: float) -> bool:
        return budget is None or abs(y - budget) >= LABEL_CLEARANCE

    if v >= 20:
        for y in (v / 2, v * 0.3, v * 0.7, v * 0.2, v * 0.8):
            if 4 <= y <= v - 4 and clear(y):
                return BarLabel(y, "center", True)
    above = v + 2  # a label above the bar spans about [y, y + 8] with va="bottom"
    if budget is None or not (above - 1 <= budget <= above + 10):
        return BarLabel(min(above, top - 8), "bottom", False)
    return BarLabel(budget + 2, "bottom", False)


class BelaegningChart:
    """Realiseret belægning for three years against the budgetteret belægning, one PNG per tilbud.
    Reuse one instance for many tilbud: the common parts are drawn once per (budget or not, y range)."""

    FIGSIZE, DPI = (6.2, 2.2), 110  # low: a status section with its chart fits one A4 page

    def __init__(self, years: Sequence[int]):
        self.years = list(years)
        self.fig = Figure(figsize=self.FIGSIZE, dpi=self.DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(left=0.1, right=0.88, top=0.88, bottom=0.18)  # fixed: no tight_layout
        ax = self.ax
        self.bars = list(ax.bar([str(y) for y in self.years], [0] * len(self.years), color=BLUE, width=0.55))
        self.labels = [ax.text(b.get_x() + b.get_width() / 2, 0, "", ha="center", fontsize=8) for b in self.bars]
        self.budget_line = ax.axhline(0, color=ORANGE, linestyle="--", linewidth=1.2)
        self.budget_label = ax.text(
            1.01, 0, "", transform=ax.get_yaxis_transform(), ha="left", va="center", fontsize=8, color=ORANGE
        )
        for a in (*self.bars, *self.labels, self.budget_line, self.budget_label):
            a.set_animated(True)  # drawn per tilbud, never into the background
        ax.set_title("Realiseret belægning", fontsize=8)
        ax.set_ylabel("Belægning (%)", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: format_tal(y)))
        self._backgrounds: dict[tuple[bool, float], Any] = {}

    def _background(self, has_budget: bool, top: float):
        key = (has_budget, top)
        if key not in self._backgrounds:
            ax = self.ax
            ax.set_ylim(0, top)
            handles: list[Artist] = [Patch(color=BLUE, label="Realiseret belægning")]
            if has_budget:
                handles.append(Line2D([], [], color=ORANGE, linestyle="--", label="Budgetteret belægning"))
            legend = ax.legend(
                handles=handles, fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2
            )
            self.canvas.draw()
            self._backgrounds[key] = self.canvas.copy_from_bbox(self.fig.bbox)
            legend.remove()
        return self._backgrounds[key]

    def draw(self, fig_data, target: Path) -> Path | None:
        """The chart of one tilbud (`navn`, `belaegning` {year: %}, `budgetteret_belaegning`) as PNG;
        None when it has no belægning figure for any of the years: such a chart would show nothing."""
        values = [fig_data.belaegning.get(y) for y in self.years]
        if all(v is None for v in values):
            return None
        budget = fig_data.budgetteret_belaegning
        peak = max([v for v in values if v is not None] + [budget or 0])
        top = 118.0 if peak <= 105 else float(math.ceil(peak * 1.12 / 10) * 10)  # room for the labels
        self.canvas.restore_region(self._background(budget is not None, top))
        ax, budget_shown = self.ax, None
        for bar, label, v in zip(self.bars, self.labels, values, strict=True):
            bar.set_height(v or 0)
            if v is None:
                place = place_label(0.0, budget, top)
                label.set(y=place.y, text="ingen tal", va="bottom", color=GREY, fontweight="normal")
            else:
                shown = None
                if budget is not None:  # 94,95 against 95 reads "94,95" and "95,00", never "95,0" twice
                    shown, b = format_distinct(v, budget)
                    budget_shown = b if budget_shown is None or len(b) > len(budget_shown) else budget_shown
                place = place_label(v, budget, top)
                label.set(
                    y=place.y,
                    text=_pct(v, shown),
                    va=place.va,
                    color="white" if place.inside else "black",
                    fontweight="bold" if place.inside else "normal",
                )
            ax.draw_artist(bar)
            ax.draw_artist(label)
        if budget is not None:
            self.budget_line.set_ydata([budget, budget])
            self.budget_label.set(y=budget, text=_pct(budget, budget_shown))
            ax.draw_artist(self.budget_line)
            ax.draw_artist(self.budget_label)
        self.budget_line.set_visible(budget is not None)  # what the chart shows, for anyone inspecting it
        self.budget_label.set_visible(budget is not None)
        imsave(target, np.asarray(self.canvas.buffer_rgba())[..., :3], format="png", pil_kwargs=PNG)
        return target


def _short(name: str, width: int = 28) -> str:
    """A tilbud's name on at most two lines of the demand chart's left margin."""
    lines = textwrap.wrap(name, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder=" …")]
    return "\n".join(lines)


def demand_parts(n: int) -> list[range]:
    """The demand chart's parts: as few as fit MAX_ROWS each, of even size (60 → 3 × 20)."""
    parts = max(1, math.ceil(n / MAX_ROWS))
    size = math.ceil(n / parts) if n else 0
    return [range(i, min(i + size, n)) for i in range(0, n, size or 1)]


def demand_chart(figures, aar: int, target: Path, part: tuple[int, int] = (1, 1), xmax: float | None = None) -> Path:
    """Expected use next year (from the municipalities' indmeldinger) against pladstal, one row per
    tilbud; `part` (number, of) when the chart is split over pages, `xmax` the scale they share.
    Bars are two line collections and names plain text (no bar patches, no tick per tilbud): a
    part of 25 tilbud is drawn in a fraction of the time."""
    row, head, foot, width, dpi = 0.3, 0.6, 0.4, 6.2, 120
    height = head + foot + row * max(len(figures), 1)
    fig = Figure(figsize=(width, height), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    fig.subplots_adjust(left=1.8 / width, right=0.97, top=1 - head / height, bottom=foot / height)
    ax = fig.add_subplot()
    ys = list(range(len(figures)))
    thick = 0.38 * row * 72  # a bar 0.38 of its row, in points
    plads, forventet = [f.pladstal for f in figures], [f.forventet or 0 for f in figures]
    ax.hlines([y + 0.2 for y in ys], 0, plads, colors=GREY, linewidth=thick, capstyle="butt")
    ax.hlines([y - 0.2 for y in ys], 0, forventet, colors=BLUE, linewidth=thick, capstyle="butt")
    for y, f in zip(ys, figures, strict=True):
        ax.text(-0.015, y, _short(f.navn), transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=7)
    ax.set_yticks([])
    ax.set_ylim(len(figures) - 0.5, -0.5)  # the first tilbud on top
    ax.set_xlim(0, (xmax or max(plads + forventet + [1])) * 1.04)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_tal(x)))
    ax.tick_params(axis="x", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Patch(color=BLUE, label=f"Forventet brug {aar + 1}"), Patch(color=GREY, label="Pladstal")]  # as the bars
    ax.legend(
        handles=handles, fontsize=7, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, borderaxespad=0.2
    )
    title = "Kommunernes forventede brug mod pladstal" + (f" ({part[0]} af {part[1]})" if part[1] > 1 else "")
    fig.text(0.02, 1 - 0.08 / height, title, fontsize=9, va="top")
    canvas.draw()
    imsave(target, np.asarray(canvas.buffer_rgba())[..., :3], format="png", pil_kwargs=PNG)
    return target


@dataclass(frozen=True)
class Charts:
    """The bilag's images: per tilbud id its belægning chart (None: nothing to show), and the parts of
    the demand chart in order."""

    belaegning: dict[str, Path | None]
    demand: list[Path]


def _draw_belaegning(job) -> list[str | None]:
    figures, years, folder = job
    chart = BelaegningChart(years)
    return [str(p) if (p := chart.draw(f, Path(folder) / f"belaegning_{i}.png")) else None for i, f in figures]


def _draw_demand(job) -> str:
    figures, aar, target, part, xmax = job
    return str(demand_chart(figures, aar, Path(target), part, xmax))


@contextmanager
def drawn_charts(
    figures, years: Sequence[int], aar: int, folder: Path, workers: int = 2
) -> Iterator[Callable[[], Charts]]:
    """Start drawing the bilag's charts into `folder` and yield a function that waits for them: a
    national set is drawn by worker processes while the caller prepares the rest of the bilag; a
    few tilbud (or one CPU) are drawn in this process when the function is called."""
    figures = list(figures)
    parts = demand_parts(len(figures))
    xmax = max([f.pladstal for f in figures] + [f.forventet or 0 for f in figures] + [1])  # one scale on every page
    demand_jobs = [
        ([figures[i] for i in r], aar, str(Path(folder) / f"efterspoergsel_{n}.png"), (n, len(parts)), xmax)
        for n, r in enumerate(parts, 1)
    ]
    workers = min(workers, os.cpu_count() or 1)
    halves = [list(enumerate(figures))[k::workers] for k in range(workers)] if workers > 1 else []
    if len(figures) < 12 or workers < 2:

        def in_process() -> Charts:
            pngs = _draw_belaegning((list(enumerate(figures)), years, str(folder)))
            return Charts(_by_id(figures, list(enumerate(pngs))), [Path(_draw_demand(j)) for j in demand_jobs])

        yield in_process
        return
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=die_with_parent) as pool:
        bel = [(half, pool.submit(_draw_belaegning, (half, list(years), str(folder)))) for half in halves]
        dem = [pool.submit(_draw_demand, j) for j in demand_jobs]

        def wait() -> Charts:
            drawn = [(i, p) for half, fut in bel for (i, _f), p in zip(half, fut.result(), strict=True)]
            return Charts(_by_id(figures, drawn), [Path(f.result()) for f in dem])

        yield wait


def _by_id(figures, drawn: list[tuple[int, str | None]]) -> dict[str, Path | None]:
    paths = dict(drawn)
    return {f.tilbud_id: Path(p) if (p := paths[i]) else None for i, f in enumerate(figures)}
