"""Generate the standard forms for a year: one workbook per recipient, never overwriting."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.definitions import load_definitions
from toolkit.definitions.cases import Sag
from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import recipients
from toolkit.fieldkeys import FORMS, OWN_STEP_FORMS
from toolkit.forms.vejledning import definition_texts
from toolkit.forms.writer import write_form
from toolkit.stamdata.model import Stamdata
from toolkit.statuses import WriteStatus
from toolkit.workers import GC_THRESHOLDS, die_with_parent


@dataclass(frozen=True)
class GeneratedForm:
    skema: str
    modtager_id: str
    modtager: str
    path: Path
    status: WriteStatus
    fields: int = 0


@dataclass(frozen=True)
class SkippedForm:
    skema: str
    reason: str


def form_filename(aar: int, skema: str, label: str) -> str:
    return f"{aar}_{skema}_{label}.xlsx"


def planned_forms(
    sd: Stamdata,
    aar: int,
    skemaer: Iterable[str] | None = None,
    definitions_dir: Path | None = None,
    klynge: str | None = None,
):
    """(definition, recipient) pairs to generate, and the forms skipped with a Danish reason.
    `klynge`: a cluster's forms only (definitions/recipients.py)."""
    defs = load_definitions(definitions_dir)
    todo, skipped = [], []
    for skema in skemaer or [f for f in FORMS if f not in OWN_STEP_FORMS]:
        defn = defs[skema]
        if defn.modtager == "sekretariat" and not skemaer:  # the panel's form: only when asked for
            continue
        if defn.kun_lige_aar and aar % 2:
            skipped.append(SkippedForm(skema, f"{defn.navn} sendes kun i lige år ({aar} er ulige)."))
            continue
        rs = recipients(defn, sd, aar, klynge)
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
                    cells = {
                        pos: (replace(fi, prefill=values[fi.key]) if values.get(fi.key) is not None else fi)
                        for pos, fi in sec.cells.items()
                    }
                    block.sections[i] = replace(sec, cells=cells)


def history_prefill(store, aar: int) -> Callable[[str, str], dict]:
    """Prefill from the store: a field with a year (e.g. belægning 2026) takes the value the same
    respondent reported for that year in an earlier cycle."""
    earlier: dict[tuple[str, str], dict] = {}
    for v in store.current_values():
        if v.aar < aar and v.value is not None and v.felt.rsplit(".", 1)[-1].isdigit():
            earlier.setdefault((v.skema, v.respondent_id), {})[v.felt] = v.value
    return lambda skema, respondent_id: earlier.get((skema, respondent_id), {})


POOL_MIN_FORMS = 8  # fewer forms than this are written in this process (a pool costs ~0.1 s to start)

_worker: dict = {}


def _worker_init(sd: Stamdata, defs: dict) -> None:
    """Entry of each worker process. Its process-wide settings are its own: a form's workbook and
    worksheets reference each other, so the cycle collector would otherwise walk every live cell
    tuple again and again while a form is written; it runs rarely here and never over what the
    worker inherited (frozen)."""
    die_with_parent()  # a killed send-out leaves no writer behind
    _worker["sd"], _worker["defs"] = sd, defs
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _write_one(
    sd: Stamdata,
    defn,
    m,
    aar: int,
    target: Path,
    generated: dt.datetime,
    values: dict | None,
    sager=None,
    frist=None,
    tekster: dict[str, str] | None = None,
) -> int:
    plan = plan_form(defn, sd, m, aar, sager)
    if values:
        apply_prefill(plan, values)
    return write_form(plan, sd, target, frist or sd.frist(defn.skema, aar), generated, tekster).fields


def _write_in_worker(
    skema: str,
    m,
    aar: int,
    target: str,
    generated: dt.datetime,
    values: dict | None,
    sager=None,
    frist=None,
    tekster: dict[str, str] | None = None,
):
    return _write_one(
        _worker["sd"], _worker["defs"][skema], m, aar, Path(target), generated, values, sager, frist, tekster
    )


def _pool(sd: Stamdata, defs: dict, workers: int) -> ProcessPoolExecutor:
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(sd, defs))


def generate_forms(
    sd: Stamdata,
    aar: int,
    out_dir: Path,
    skemaer: Iterable[str] | None = None,
    overwrite: bool = False,
    definitions_dir: Path | None = None,
    progress: Callable[[GeneratedForm], None] | None = None,
    prefill: Callable[[str, str], dict] | None = None,
    workers: int | None = None,
    sager: Sequence[Sag] | None = None,
    frist: dt.date | None = None,
    klynge: str | None = None,
):
    """Write every planned form; results in plan order. `sager`: the panel's cases (made from the
    year's returns, consolidate/panel.py). `frist`: the deadline the forms state, instead of the
    Frister sheet's (the hearing's own). `workers`: processes that write forms
    (default: up to 2, the machine's cores permitting; 1 writes them all in this process). The first
    form that fails raises its error after the forms before it have been reported."""
    todo, skipped = planned_forms(sd, aar, skemaer, definitions_dir, klynge)
    tekster = definition_texts(sd, load_definitions(definitions_dir), aar)  # the texts' names, months, figures
    generated = dt.datetime.now().replace(microsecond=0)
    jobs: list[tuple | GeneratedForm] = []  # (defn, modtager, target, values) or a finished result
    for defn, m in todo:
        target = Path(out_dir) / form_filename(aar, defn.skema, m.filnavn)
        if target.exists() and not overwrite:
            jobs.append(GeneratedForm(defn.skema, m.id, m.navn, target, WriteStatus.FINDES))
        else:
            jobs.append((defn, m, target, prefill(defn.skema, m.id) if prefill else None))
    n_write = sum(isinstance(j, tuple) for j in jobs)
    workers = max(1, min(workers or 2, os.cpu_count() or 1))
    results = []

    def report(res: GeneratedForm) -> None:
        results.append(res)
        if progress:
            progress(res)

    if workers == 1 or n_write < POOL_MIN_FORMS:
        for job in jobs:
            if isinstance(job, GeneratedForm):
                report(job)
                continue
            defn, m, target, values = job
            fields = _write_one(sd, defn, m, aar, target, generated, values, sager, frist, tekster)
            report(GeneratedForm(defn.skema, m.id, m.navn, target, WriteStatus.SKREVET, fields))
        return results, skipped
    defs = {defn.skema: defn for defn, _m in todo}
    with _pool(sd, defs, workers) as pool:
        futures = [
            job
            if isinstance(job, GeneratedForm)
            else (
                job,
                pool.submit(
                    _write_in_worker, job[0].skema, job[1], aar, str(job[2]), generated, job[3], sager, frist, tekster
                ),
            )
            for job in jobs
        ]
        try:
            for item in futures:
                if isinstance(item, GeneratedForm):
                    report(item)
                    continue
                (defn, m, target, _values), future = item
                fields = future.result()  # a worker's SkemaError arrives whole (problems.SkemaError.__reduce__)
                report(GeneratedForm(defn.skema, m.id, m.navn, target, WriteStatus.SKREVET, fields))
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results, skipped
