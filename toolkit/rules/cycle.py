"""The annual cycle (årshjul, tillæg 3): activities with dates for a year, even/odd rules, the
two-year agreement period and a withdrawal's effective date. Dates default to the model's cycle and
are overridden by rows in the stamdata sheet Frister (column 'Skema' holds the activity key)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.definitions.model import FORMS
from toolkit.stamdata.model import Stamdata


@dataclass(frozen=True)
class Activity:
    key: str
    titel: str
    dato: dt.date  # deadline, meeting day or the end of a period
    start: dt.date | None = None  # for periods (January–March…)
    skema: str | None = None  # the form this is the deadline of
    aflyst: bool = False
    note: str = ""


# key -> (title, default (month, day), start (month, day) or None, form, only_even)
DEFAULTS = [
    (
        "udsendelse",
        "Skemaer sendes ud (indmelding, årsrapport, kommunal indmelding; udmelding i lige år)",
        None,
        None,
        None,
        False,
    ),
    (
        "vurdering_fortsat",
        "Driftsherrer vurderer, om deres tilbud fortsat skal være omfattet",
        (3, 1),
        (1, 15),
        None,
        True,
    ),
    ("indmelding", "Frist: indmelding af nye tilbud", (3, 1), None, "indmelding", False),
    ("udmelding", "Frist: udmelding af tilbud", (3, 1), None, "udmelding", True),
    ("kommune", "Frist: kommunernes indmelding", (3, 15), None, "kommune", False),
    ("ekspertpanel_marts", "Ekspertpanelet vurderer eksisterende og indmeldte tilbud", (3, 25), None, None, False),
    ("aarsrapport", "Frist: driftsherrernes årsrapporter", (4, 15), None, "aarsrapport", False),
    ("ekspertpanel_april", "Ekspertpanelet: statusdrøftelse af tilbuddene", (4, 28), None, None, False),
    (
        "das_maj",
        "DAS beslutter, hvilke tilbud der omfattes fra 1. januar; årlig statusdrøftelse",
        (5, 20),
        None,
        None,
        False,
    ),
    ("rammeaftale", "Rammeaftalen med listen over tilbud vedtages", (10, 15), (8, 1), None, False),
]


def period_start_year(sd: Stamdata) -> int:
    """A year in which a two-year agreement period starts (stamdata setting, default 2028)."""
    return int(sd.setting("aftaleperiode_start", 2028))


def period_of(year: int, first: int) -> tuple[int, int]:
    start = year - ((year - first) % 2)
    return start, start + 1


def withdrawal_effective(asked: dt.date, first_period_year: int) -> dt.date:
    """A withdrawal needs a year's notice and takes effect at the end of an agreement period:
    the end of the first period that ends at least a year after the request."""
    start, end = period_of(asked.year, first_period_year)
    while dt.date(end, 12, 31) < _add_year(asked):
        end += 2
    return dt.date(end, 12, 31)


def _add_year(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


def aarshjul(sd: Stamdata, aar: int, nominations: int | None = None) -> list[Activity]:
    """The year's activities. `nominations`: how many tilbud were nominated this year (None when
    not known yet); in odd years the March expert panel is cancelled when nothing was nominated."""
    even = aar % 2 == 0
    out = []
    for key, title, md, start_md, skema, only_even in DEFAULTS:
        if only_even and not even:
            continue
        if key == "udsendelse":
            default = dt.date.fromisocalendar(aar, 5, 1)  # Monday of week 5
        else:
            assert md is not None  # every other activity has a default (month, day)
            default = dt.date(aar, *md)
        date = _override(sd, key, aar) or default
        start = dt.date(aar, *start_md) if start_md else None
        aflyst, note = False, ""
        if key == "ekspertpanel_marts" and not even and nominations == 0:
            aflyst, note = True, "Aflyst: ulige år og ingen tilbud indmeldt"
        if key == "das_maj":
            note = f"Tilbud, der indstilles, omfattes i perioden 1. januar {aar + 1} – 31. december {aar + 2}"
        if key == "udmelding":
            eff = withdrawal_effective(date, period_start_year(sd))
            note = f"En udmelding nu får virkning ved periodens udgang {eff.day}. december {eff.year}"
        out.append(Activity(key, title, date, start, skema, aflyst, note))
    first = period_start_year(sd)
    if period_of(aar, first)[0] == aar:
        out.insert(
            0, Activity("aftaleperiode", f"Ny toårig aftaleperiode {aar}–{aar + 1} begynder", dt.date(aar, 1, 1))
        )
    return sorted(out, key=lambda a: (a.start or a.dato, a.dato, a.key))


def _override(sd: Stamdata, key: str, aar: int) -> dt.date | None:
    """A form deadline follows the Frister sheet (same day in other years when only one year is
    given); other activities are overridden only by a row for exactly that year."""
    if key in FORMS:
        return sd.frist(key, aar)
    return next((f.dato for f in sd.frister if f.skema == key and f.dato.year == aar), None)


# --- state for today --------------------------------------------------------------------------
@dataclass(frozen=True)
class ActivityState:
    activity: Activity
    state: str  # udført | delvist | forfalden | nu | kommende | aflyst
    detail: str = ""


def activity_states(
    acts: list[Activity], today: dt.date, returns: dict[str, tuple[int, int]], sent: set[str], soon_days: int = 14
) -> list[ActivityState]:
    """`returns`: form -> (received, expected); `sent`: forms whose files have been generated."""
    out = []
    for a in acts:
        if a.aflyst:
            out.append(ActivityState(a, "aflyst", a.note))
            continue
        if a.key == "udsendelse":
            done = bool(sent)
            state = "udført" if done else ("forfalden" if today > a.dato else _soon(a, today, soon_days))
            out.append(ActivityState(a, state, f"dannet: {', '.join(sorted(sent))}" if sent else ""))
            continue
        if a.skema and a.skema in returns:
            got, expected = returns[a.skema]
            if expected and got >= expected:
                out.append(ActivityState(a, "udført", f"{got} af {expected} modtaget"))
                continue
            if today > a.dato:
                out.append(ActivityState(a, "forfalden", f"{got} af {expected} modtaget"))
                continue
            out.append(
                ActivityState(a, "delvist" if got else _soon(a, today, soon_days), f"{got} af {expected} modtaget")
            )
            continue
        state = "udført" if today > a.dato else _soon(a, today, soon_days)
        out.append(ActivityState(a, state, a.note))
    return out


def _soon(a: Activity, today: dt.date, days: int) -> str:
    begun = a.start is not None and a.start <= today
    return "nu" if begun or (a.dato - today).days <= days else "kommende"
