"""Outputs derived from the store: the consolidated workbook and the list of missing returns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from toolkit.consolidate.safe_cells import SAFE_OPTIONS, write_value
from toolkit.consolidate.status import return_status
from toolkit.consolidate.workbook import write_consolidated
from toolkit.fieldkeys import OWN_STEP_FORMS, Hoeringssvar
from toolkit.files import atomic_path
from toolkit.rules.keyfigures import tilbud_figures
from toolkit.statuses import AnswerStatus


def year_data(store, sd, defs, aar: int, today: dt.date | None = None):
    everything = store.current_values()
    values = [v for v in everything if v.aar == aar]
    history = [v for v in everything if v.aar < aar]
    by_mail = {(v.skema, v.respondent_id): v.modtaget for v in values if v.rettet and v.skema == Hoeringssvar.SKEMA}
    later = set(OWN_STEP_FORMS) - store.sent_form_types(aar)  # not out yet: nobody is missing it
    statuses = return_status(sd, defs, aar, store.submissions(aar), today, by_mail, later)
    figures = tilbud_figures(sd, aar, values, history)
    return values, statuses, figures


def consolidate(store, sd, defs, aar: int, target: Path, today: dt.date | None = None) -> Path:
    """Write the consolidated workbook for `aar` to `target`."""
    from toolkit.rules.criteria import assess_all
    from toolkit.rules.warnings import early_warnings

    values, statuses, figures = year_data(store, sd, defs, aar, today)
    return write_consolidated(
        target,
        region=sd.region,
        aar=aar,
        defs=defs,
        sd=sd,
        values=values,
        figures=figures,
        statuses=statuses,
        issues=store.issues(aar),
        warnings=early_warnings(sd, aar, figures),
        assessments=assess_all(values),
    )


def write_reminder_list(statuses, target: Path) -> tuple[Path, int]:
    missing = [s for s in statuses if s.status == AnswerStatus.MANGLER]
    with atomic_path(Path(target)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), SAFE_OPTIONS)
        ws = wb.add_worksheet("Rykkerliste")
        head = wb.add_format({"bold": True, "bg_color": "#D6E4F0", "border": 1})
        date = wb.add_format({"num_format": "[$-406]d. mmmm yyyy"})
        heads = ["Skema", "Modtager", "Kontaktperson", "E-mail", "Telefon", "Frist", "Overskredet"]
        for c, (h, w) in enumerate(zip(heads, [30, 34, 24, 38, 18, 18, 12], strict=True)):
            ws.write_string(0, c, h, head)
            ws.set_column(c, c, w)
        for r, s in enumerate(missing, start=1):
            m = s.modtager
            for c, v in enumerate(
                [s.skema_navn, m.navn, m.kontaktperson, m.email, m.telefon, s.frist, "Ja" if s.overskredet else "Nej"]
            ):
                write_value(ws, r, c, v, None, date)
        ws.autofilter(0, 0, max(1, len(missing)), len(heads) - 1)
        ws.freeze_panes(1, 0)
        wb.close()
    return Path(target), len(missing)
