"""Chart images for the Word documents (matplotlib, no screen needed)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BLUE, ORANGE, GREY = "#1F4E79", "#C55A11", "#7F7F7F"


_FIG: dict[str, tuple[Figure, Axes]] = {}  # chart kind -> its reused figure


def _reused_axes(key, figsize, dpi):
    """One figure per chart kind, cleared between charts: creating a figure is the slow part."""
    if key not in _FIG:
        _FIG[key] = plt.subplots(figsize=figsize, dpi=dpi)
        _FIG[key][0].subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.22)  # fixed: no tight_layout
    fig, ax = _FIG[key]
    ax.clear()
    return fig, ax


def _pct(v: float) -> str:
    return f"{v:.1f} %".replace(".", ",")


def belaegning_chart(fig_data, years: list[int], target: Path) -> Path:
    """Bars with their value written inside, halfway up (white on blue), so the dashed budget line,
    which runs across the bars near their tops, never crosses a label; the budget is named in
    a legend under the chart instead of squeezed into the title."""
    values = [fig_data.belaegning.get(y) for y in years]
    fig, ax = _reused_axes("belaegning", (6.2, 2.2), 110)  # low: a status section fits its page
    bars = ax.bar([str(y) for y in years], [v or 0 for v in values], color=BLUE, width=0.55, label="Realiseret")
    for b, v in zip(bars, values, strict=True):
        x = b.get_x() + b.get_width() / 2
        if v is None:
            ax.text(x, 2, "ingen tal", ha="center", va="bottom", fontsize=8, color=GREY)
        elif v >= 20:
            ax.text(x, v / 2, _pct(v), ha="center", va="center", fontsize=8, color="white", fontweight="bold")
        else:
            ax.text(x, v + 2, _pct(v), ha="center", va="bottom", fontsize=8)
    budget = fig_data.budgetteret_belaegning
    if budget:
        ax.axhline(budget, color=ORANGE, linestyle="--", linewidth=1.2, label=f"Budgetteret belægning {_pct(budget)}")
        ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    ax.set_ylim(0, 118)
    ax.set_ylabel("Belægning (%)", fontsize=8)
    ax.set_title(f"Realiseret belægning – {fig_data.navn}", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.savefig(target)
    return target


def demand_chart(figures, aar: int, target: Path) -> Path:
    names = [f.navn for f in figures]
    fig, ax = plt.subplots(figsize=(6.2, 0.45 * len(names) + 1.2), dpi=150)
    ys = range(len(names))
    ax.barh([y + 0.2 for y in ys], [f.pladstal for f in figures], height=0.38, color=GREY, label="Pladstal")
    ax.barh(
        [y - 0.2 for y in ys],
        [f.forventet or 0 for f in figures],
        height=0.38,
        color=BLUE,
        label=f"Forventet brug {aar + 1}",
    )
    ax.set_yticks(list(ys), names, fontsize=7)
    ax.invert_yaxis()
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    ax.set_title("Kommunernes forventede brug mod pladstal", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(target)
    plt.close(fig)
    return target


def _one(args):
    fig_data, years, target = args
    return belaegning_chart(fig_data, years, Path(target))


def belaegning_charts(figures, years: list[int], folder: Path, workers: int = 2) -> dict[str, Path]:
    """One chart per tilbud; a national set is drawn in parallel worker processes."""
    import multiprocessing as mp
    import os
    import sys
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(f, years, str(Path(folder) / f"{f.tilbud_id}.png")) for f in figures]
    workers = min(workers, os.cpu_count() or 1)
    if len(jobs) < 12 or workers < 2:
        paths = [_one(j) for j in jobs]
    else:
        ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            paths = list(pool.map(_one, jobs, chunksize=max(1, len(jobs) // (workers * 2))))
    return {f.tilbud_id: Path(p) for f, p in zip(figures, paths, strict=True)}
