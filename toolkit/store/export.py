"""`skema eksport`: every current value in long format, UTF-8, for BI tools (and our tests).

CSV is opened in Excel by many users, so a text value that starts with =, +, -, @, tab or carriage
return is prefixed with an apostrophe (OWASP's advice against CSV injection). JSON is exact."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from toolkit.files import write_bytes_atomic

COLUMNS = (
    "aar",
    "skema",
    "respondent_id",
    "tilbud_id",
    "ydelse_id",
    "felt",
    "vaerdi",
    "raa_vaerdi",
    "kilde_fil",
    "ark",
    "celle",
    "modtaget",
)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def export_rows(values, aarsrapport_is_per_tilbud: bool = True) -> list[dict]:
    rows = []
    for v in sorted(values, key=lambda v: (v.aar, v.skema, v.respondent_id, v.felt)):
        tilbud = v.tilbud_id or (v.respondent_id if v.skema == "aarsrapport" and aarsrapport_is_per_tilbud else None)
        rows.append(
            {
                "aar": v.aar,
                "skema": v.skema,
                "respondent_id": v.respondent_id,
                "tilbud_id": tilbud,
                "ydelse_id": v.ydelse_id,
                "felt": v.felt,
                "vaerdi": v.value,
                "raa_vaerdi": v.raw,
                "kilde_fil": v.kilde_fil,
                "ark": v.ark,
                "celle": v.celle,
                "modtaget": v.modtaget,
            }
        )
    return rows


def csv_safe(text: str) -> str:
    return "'" + text if text.startswith(_DANGEROUS) else text


def to_json(rows: list[dict]) -> bytes:
    def default(o):
        if isinstance(o, dt.date):
            return o.isoformat()
        raise TypeError(type(o))

    return json.dumps(rows, ensure_ascii=False, indent=1, default=default).encode("utf-8")


def to_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in rows:
        out = []
        for c in COLUMNS:
            v = r[c]
            if v is None:
                out.append("")
            elif isinstance(v, dt.date):
                out.append(v.isoformat())
            elif isinstance(v, str):
                out.append(csv_safe(v))
            else:
                out.append(str(v))
        w.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8 correctly


def export(values, fmt: str, target: Path | None) -> bytes:
    rows = export_rows(values)
    data = to_json(rows) if fmt == "json" else to_csv(rows)
    if target:
        write_bytes_atomic(Path(target), data)
    return data
