"""The annual cycle (årshjul, tillæg 3): activities with dates for a year, even/odd rules, the
two-year agreement period and a withdrawal's effective date. Dates default to the model's cycle and
are overridden by rows in the stamdata sheet Frister (column 'Skema' holds the activity key)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.danish import format_dato
from toolkit.fieldkeys import FORMS
from toolkit.problems import UsageError
from toolkit.rules.period import UDMELDING_DEFAULT, year_periods
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
    ("udmelding", "Frist: udmelding af tilbud", UDMELDING_DEFAULT, None, "udmelding", True),
    ("kommune", "Frist: kommunernes indmelding", (3, 15), None, "kommune", False),
    ("ekspertpanel_marts", "Ekspertpanelet vurderer eksisterende og indmeldte tilbud", (3, 25), None, None, False),
    ("aarsrapport", "Frist: driftsherrernes årsrapporter", (4, 15), None, "aarsrapport", False),
    ("ekspertpanel_april", "Ekspertpanelet: statusdrøftelse af tilbuddene", (4, 28), None, None, False),
    ("hoering", "Frist: aftaleparternes høringssvar (før DAS-mødet)", (5, 10), None, None, False),
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


def aarshjul(sd: Stamdata, aar: int, nominations: int | None = None) -> list[Activity]:
    """The year's activities. `nominations`: how many tilbud were nominated this year (None when
    not known yet); in odd years the March expert panel is cancelled when nothing was nominated."""
    even = aar % 2 == 0
    periods = year_periods(sd, aar)
    out = []
    for key, title, md, start_md, skema, only_even in DEFAULTS:
        if only_even and not even:
            continue
        # the send-out: Monday of week 5
        default = dt.date.fromisocalendar(aar, 5, 1) if key == "udsendelse" or md is None else dt.date(aar, *md)
        date = _override(sd, key, aar) or default
        start = dt.date(aar, *start_md) if start_md else None
        aflyst, note = False, ""
        if key == "ekspertpanel_marts" and not even and nominations == 0:
            aflyst, note = True, "Aflyst: ulige år og ingen tilbud indmeldt"
        if key == "das_maj":
            note = periods.das_tekst
        if key == "udmelding":
            note = periods.udmelding_tekst
        out.append(Activity(key, title, date, start, skema, aflyst, note))
    if periods.ny_periode:
        p = periods.loebende
        out.insert(
            0,
            Activity(
                "aftaleperiode",
                f"Ny toårig aftaleperiode {p.start.year}–{p.slut.year} begynder",
                p.start,
                note=f"Aftaleperioden {p.tekst}",
            ),
        )
    return sorted(out, key=lambda a: (a.start or a.dato, a.dato, a.key))


def _override(sd: Stamdata, key: str, aar: int) -> dt.date | None:
    """A form deadline follows the Frister sheet (same day in other years when only one year is
    given); other activities are overridden only by a row for exactly that year."""
    if key in FORMS:
        return sd.frist(key, aar)
    return next((f.dato for f in sd.frister if f.skema == key and f.dato.year == aar), None)


def activity_date(sd: Stamdata, aar: int, key: str) -> dt.date:
    """The date of one activity of the year (Frister sheet, else the model's default)."""
    return next(a.dato for a in aarshjul(sd, aar) if a.key == key)


def check_hearing_deadline(sd: Stamdata, aar: int, frist: dt.date, today: dt.date) -> None:
    """Tillæg 2: the hearing remarks are collected before the DAS meeting. A deadline on or after
    the meeting, or in the past, is refused."""
    das = activity_date(sd, aar, "das_maj")
    hint = (
        f"årshjulets høringsfrist er {format_dato(activity_date(sd, aar, 'hoering'))} "
        f"(arket Frister i stamdata, nøglerne 'hoering' og 'das_maj')."
    )
    if frist >= das:
        raise UsageError(
            f"Høringsfristen {format_dato(frist)} ligger ikke før DAS-mødet {format_dato(das)}: "
            f"høringssvarene skal indgå i mødet. Vælg en frist før {format_dato(das)}; {hint}"
        )
    if frist < today:
        raise UsageError(
            f"Høringsfristen {format_dato(frist)} er overskredet (i dag er {format_dato(today)}). "
            f"Vælg en frist fra i dag og før DAS-mødet {format_dato(das)}; {hint}"
        )


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
