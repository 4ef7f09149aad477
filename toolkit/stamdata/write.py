"""Write a Stamdata object as the editable stamdata workbook (used for the bundled example,
`skema init` and the national-scale benchmark)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from toolkit.danish import EXCEL_FORMATER
from toolkit.files import atomic_path
from toolkit.stamdata.layout import OPTIONAL_TABLES, SETTINGS, SETTINGS_HEADERS, SETTINGS_SHEET, TABLES
from toolkit.stamdata.model import Stamdata

_ATTR = {
    "Aftaleparter": "aftaleparter",
    "Driftsherrer": "driftsherrer",
    "Tilbud": "tilbud",
    "Ydelser": "ydelser",
    "Frister": "frister",
    "Niveauer": "niveauer",
    "Niveauhistorik": "niveauhistorik",
    "Klynger": "klynger",
}


def write_stamdata(sd: Stamdata, target: Path) -> Path:
    target = Path(target)
    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        head = wb.add_format(
            {
                "bold": True,
                "bg_color": "#1F4E79",
                "font_color": "white",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        date_fmt = wb.add_format({"num_format": EXCEL_FORMATER["dato"]})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        ws = wb.add_worksheet(SETTINGS_SHEET)
        ws.write_row(0, 0, SETTINGS_HEADERS, head)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 44)
        ws.set_column(2, 2, 60, wrap)
        keys = list(SETTINGS) + [k for k in sd.indstillinger if k not in SETTINGS]
        for r, key in enumerate(keys, start=1):
            ws.write_string(r, 0, key)
            value = sd.indstillinger.get(key)
            if value is not None:
                ws.write(r, 1, value)
            ws.write_string(r, 2, SETTINGS.get(key, ("", False, "tekst"))[0])
        ws.freeze_panes(1, 0)
        for sheet, (_model, columns) in (TABLES | OPTIONAL_TABLES).items():
            ws = wb.add_worksheet(sheet)
            for c, (_f, title, width) in enumerate(columns):
                ws.write_string(0, c, title, head)
                ws.set_column(c, c, width)
            ws.set_row(0, 30)
            for r, item in enumerate(getattr(sd, _ATTR[sheet]), start=1):
                for c, (field, _t, _w) in enumerate(columns):
                    value = getattr(item, field)
                    if value is None:
                        continue
                    if isinstance(value, dt.date):
                        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_fmt)
                    elif isinstance(value, str):
                        ws.write_string(r, c, value)
                    elif isinstance(value, list):  # ids in one cell (Klynger)
                        ws.write_string(r, c, ", ".join(value))
                    else:
                        ws.write_number(r, c, value)
            ws.freeze_panes(1, 1)
            ws.autofilter(0, 0, max(1, len(getattr(sd, _ATTR[sheet]))), len(columns) - 1)
        wb.close()
    return target
