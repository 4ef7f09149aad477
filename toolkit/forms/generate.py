"""Generate the standard forms for a year: one workbook per recipient, never overwriting."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from toolkit.definitions import load_definitions
from toolkit.definitions.expand import plan_form
from toolkit.definitions.model import FORMS
from toolkit.definitions.recipients import recipients
from toolkit.forms.writer import write_form
from toolkit.stamdata.model import Stamdata


@dataclass(frozen=True)
class GeneratedForm:
    skema: str
    modtager_id: str
    modtager: str
    path: Path
    status: str  # "skrevet" | "findes allerede"
    fields: int = 0


@dataclass(frozen=True)
class SkippedForm:
    skema: str
    reason: str


def form_filename(aar: int, skema: str, label: str) -> str:
    return f"{aar}_{skema}_{label}.xlsx"


def planned_forms(sd: Stamdata, aar: int, skemaer: Iterable[str] | None = None,
                  definitions_dir: Path | None = None):
    """(definition, recipient) pairs to generate, and the forms skipped with a Danish reason."""
    defs = load_definitions(definitions_dir)
    todo, skipped = [], []
    for skema in skemaer or FORMS:
        defn = defs[skema]
        if defn.kun_lige_aar and aar % 2:
            skipped.append(SkippedForm(skema, f"{defn.navn} sendes kun i lige år ({aar} er ulige)."))
            continue
        rs = recipients(defn, sd, aar)
        if not rs:
            skipped.append(SkippedForm(skema, f"Ingen modtagere af {defn.navn.lower()} i stamdata for {aar}."))
        todo += [(defn, m) for m in rs]
    return todo, skipped


def apply_prefill(plan, values: dict[str, object]) -> None:
    """Override prefills in a plan (e.g. history columns from earlier years' returns)."""
    for sheet in plan.sheets:
        for block in sheet.blocks:
            for i, sec in enumerate(block.sections):
                if any(values.get(fi.key) is not None for fi in sec.cells.values()):
                    # section plans are shared between plans (see expand.plan_form): copy, never mutate
                    cells = {pos: (replace(fi, prefill=values[fi.key]) if values.get(fi.key) is not None else fi)
                             for pos, fi in sec.cells.items()}
                    block.sections[i] = replace(sec, cells=cells)


def history_prefill(store, aar: int) -> Callable[[str, str], dict]:
    """Prefill from the store: a field with a year (e.g. belægning 2026) takes the value the same
    respondent reported for that year in an earlier cycle."""
    earlier: dict[tuple[str, str], dict] = {}
    for v in store.current_values():
        if v.aar < aar and v.value is not None and v.felt.rsplit(".", 1)[-1].isdigit():
            earlier.setdefault((v.skema, v.respondent_id), {})[v.felt] = v.value
    return lambda skema, respondent_id: earlier.get((skema, respondent_id), {})


def generate_forms(sd: Stamdata, aar: int, out_dir: Path, skemaer: Iterable[str] | None = None,
                   overwrite: bool = False, definitions_dir: Path | None = None,
                   progress: Callable[[GeneratedForm], None] | None = None,
                   prefill: Callable[[str, str], dict] | None = None):
    todo, skipped = planned_forms(sd, aar, skemaer, definitions_dir)
    generated = dt.datetime.now().replace(microsecond=0)
    results = []
    for defn, m in todo:
        target = Path(out_dir) / form_filename(aar, defn.skema, m.filnavn)
        if target.exists() and not overwrite:
            res = GeneratedForm(defn.skema, m.id, m.navn, target, "findes allerede")
        else:
            plan = plan_form(defn, sd, m, aar)
            if prefill:
                apply_prefill(plan, prefill(defn.skema, m.id))
            written = write_form(plan, sd, target, sd.frist(defn.skema, aar), generated)
            res = GeneratedForm(defn.skema, m.id, m.navn, target, "skrevet", written.fields)
        results.append(res)
        if progress:
            progress(res)
    return results, skipped
