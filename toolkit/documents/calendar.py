"""Write the årshjul as an iCalendar file (RFC 5545) that Outlook and other calendars import."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from toolkit.files import write_bytes_atomic


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    out, raw = [], line.encode("utf-8")
    while len(raw) > 75:
        cut = 75
        while (raw[cut] & 0xC0) == 0x80:  # do not split a UTF-8 character
            cut -= 1
        out.append(raw[:cut].decode("utf-8"))
        raw = b" " + raw[cut:]
    out.append(raw.decode("utf-8"))
    return "\r\n".join(out)


def calendar(activities, region: str, stamp: dt.datetime | None = None) -> bytes:
    stamp = stamp or dt.datetime.now(dt.timezone.utc)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//skema//Aarshjul//DA", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape('Årshjul – det forstærkede samarbejde, ' + region)}"]
    for a in activities:
        if a.aflyst:
            continue
        uid = hashlib.sha1(f"{region}|{a.key}|{a.dato.isoformat()}".encode()).hexdigest()
        start = a.start or a.dato
        lines += ["BEGIN:VEVENT", f"UID:{uid}@skema", f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
                  f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(a.dato + dt.timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{_escape(a.titel)}"]
        if a.note:
            lines.append(f"DESCRIPTION:{_escape(a.note)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(x) for x in lines) + "\r\n").encode("utf-8")


def write_calendar(path: Path, activities, region: str) -> Path:
    write_bytes_atomic(Path(path), calendar(activities, region))
    return Path(path)
