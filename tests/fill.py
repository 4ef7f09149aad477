"""Helpers shared by the read-back tests: fill generated forms by defined name."""

from pathlib import Path

from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import find_recipient
from toolkit.demo.simulate import fill_form


def plan_for(path: Path, defs, sd, aar: int):
    import openpyxl

    from toolkit.forms.meta import META_SHEET

    wb = openpyxl.load_workbook(path, read_only=True)
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(max_row=9, values_only=True)}
    wb.close()
    defn = defs[meta["skema"]]
    return defn, plan_form(defn, sd, find_recipient(defn, sd, aar, meta["modtager_id"]), aar)


__all__ = ["answered_copy", "fill_form", "plan_for"]


def answered_copy(src: Path, target: Path, sd, defs, aar: int) -> Path:
    """A copy of a generated form with the demo's answers filled in (an untouched form is refused
    as 'ikke-udfyldt')."""
    from toolkit.demo.simulate import Simulator

    defn, plan = plan_for(src, defs, sd, aar)
    return fill_form(src, Simulator(sd).answers(defn, plan.modtager, aar), target)
