"""Outputs derived from the store: the consolidated workbook and the list of missing returns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from toolkit.consolidate.safe_cells import SAFE_OPTIONS, write_value
from toolkit.consolidate.status import return_status
from toolkit.consolidate.workbook import write_consolidated
from toolkit.danish import EXCEL_FORMATER, format_dato
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
    from toolkit.consolidate.panel import panel_assessment
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
        assessments=assess_all(defs.kriterier, values),
        panel=panel_assessment(values),
    )


def write_reminder_list(
    statuses, target: Path, title: str = "Rykkerliste", today: dt.date | None = None, author: str = ""
) -> tuple[Path, int]:
    """The forms still missing, one row each, laid out for A4 landscape: a title and the date it was
    made, the column headers repeated on every printed page, page numbers in the footer."""
    missing = [s for s in statuses if s.status == AnswerStatus.MANGLER]
    today = today or dt.date.today()
    head_row = 3
    with atomic_path(Path(target)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), SAFE_OPTIONS)
        wb.set_properties({"title": title, "author": author, "company": author})
        ws = wb.add_worksheet("Rykkerliste")
        head = wb.add_format({"bold": True, "bg_color": "#D6E4F0", "border": 1, "text_wrap": True, "valign": "top"})
        cell = wb.add_format({"valign": "top"})  # no wrapping: LibreOffice would not grow the row
        date = wb.add_format({"num_format": EXCEL_FORMATER["dato"], "valign": "top", "align": "left"})
        ws.write_string(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
        ws.write_string(
            1, 0, f"Pr. {format_dato(today)}: {len(missing)} {'skema' if len(missing) == 1 else 'skemaer'} mangler"
        )
        heads = ["Skema", "Modtager", "Kontaktperson", "E-mail", "Telefon", "Frist", "Overskredet"]
        for c, (h, w) in enumerate(zip(heads, [50, 30, 22, 46, 16, 16, 12], strict=True)):
            ws.write_string(head_row, c, h, head)
            ws.set_column(c, c, w, cell)
        for r, s in enumerate(missing, start=head_row + 1):
            m = s.modtager
            for c, v in enumerate(
                [s.skema_navn, m.navn, m.kontaktperson, m.email, m.telefon, s.frist, "Ja" if s.overskredet else "Nej"]
            ):
                write_value(ws, r, c, v, cell, date)
        ws.autofilter(head_row, 0, head_row + max(1, len(missing)), len(heads) - 1)
        ws.freeze_panes(head_row + 1, 0)
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # one page wide, as many pages long as it takes
        ws.repeat_rows(head_row)
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        ws.set_header(f"&L&8{_header_text(author)}&R&8{_header_text(title)}")
        ws.set_footer("&R&8Side &P af &N")
        wb.close()
    return Path(target), len(missing)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")
