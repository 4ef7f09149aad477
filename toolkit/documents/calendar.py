"""Write the årshjul as an iCalendar file (RFC 5545) that Outlook and other calendars import.
The icalendar library does the escaping, line folding and date formats."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import icalendar

from toolkit.files import write_bytes_atomic


def calendar(activities, region: str, stamp: dt.datetime | None = None) -> bytes:
    """One all-day VEVENT per activity that is not cancelled; the UID is stable across runs, so a
    re-imported file updates the events instead of duplicating them."""
    stamp = stamp or dt.datetime.now(dt.timezone.utc)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//skema//Aarshjul//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Årshjul – det forstærkede samarbejde, {region}")
    for a in activities:
        if a.aflyst:
            continue
        event = icalendar.Event()
        event.add("uid", hashlib.sha1(f"{region}|{a.key}|{a.dato.isoformat()}".encode()).hexdigest() + "@skema")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.start or a.dato)
        event.add("dtend", a.dato + dt.timedelta(days=1))
        event.add("summary", a.titel)
        if a.note:
            event.add("description", a.note)
        cal.add_component(event)
    return cal.to_ical()


def write_calendar(path: Path, activities, region: str) -> Path:
    write_bytes_atomic(Path(path), calendar(activities, region))
    return Path(path)
