"""`skema demo`: run the year's cycle on the bundled example, step by step."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from toolkit.generate import generate_forms
from toolkit.stamdata import load_stamdata

DEMO_YEAR = 2028  # an even year, so that all four forms are sent


@dataclass(frozen=True)
class DemoStep:
    title: str
    result: str
    path: Path | None


def run_demo(work: Path, aar: int = DEMO_YEAR, say: Callable[[DemoStep], None] = lambda s: None) -> list[DemoStep]:
    work = Path(work)
    sd = load_stamdata()
    steps = []

    def step(title, result, path=None):
        s = DemoStep(title, result, path)
        steps.append(s)
        say(s)

    forms_dir = work / str(aar) / "skemaer"
    results, skipped = generate_forms(sd, aar, forms_dir, overwrite=True)
    step("1. Skemaer dannet", f"{len(results)} skemaer til {len({r.modtager_id for r in results})} modtagere",
         forms_dir)
    return steps
