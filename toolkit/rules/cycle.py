"""The annual cycle (årshjul, tillæg 3) of a year: the activities of the definitions folder's
aarshjul.yaml (`Definitioner.aarshjul`), moved by rows in the stamdata sheet Frister (column 'Skema'
holds the activity key or a former key), kept or left out by their parity rule, cancelled by their
rule, and checked for order: an activity before one it must come after is a stamdata error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from toolkit.danish import format_dato
from toolkit.definitions.aarshjul import GENERERET, Aarshjul, Aktivitet, i_aar
from toolkit.problems import Issue, StamdataError, UsageError
from toolkit.rules.period import year_periods
from toolkit.stamdata.model import Stamdata

FRISTER = "Frister"


@dataclass(frozen=True)
class Activity:
    key: str
    titel: str
    dato: dt.date  # deadline, meeting day or the end of a period
    start: dt.date | None = None  # for periods (January–March…)
    skema: str | None = None  # the form this is the deadline of
    aflyst: bool = False
    note: str = ""
    organ: str | None = None  # the responsible body (an id in aarshjul.yaml's organer)
    raekke: int | None = None  # the Frister row the date comes from (None: aarshjul.yaml)
    kilde: str = ""  # where the date comes from, for messages: "Frister række 7", "aarshjul.yaml linje 61"


class CycleOrderError(StamdataError):
    """The year's activities are out of the order aarshjul.yaml gives (`efter`): one Danish line
    naming both activities and where each date comes from."""

    def __init__(self, source: str, issues: list[Issue], message: str):
        super().__init__(source, issues)
        self.args = (message,)


def aarshjul(sd: Stamdata, model: Aarshjul, aar: int, nominations: int | None = None) -> list[Activity]:
    """The year's activities. `nominations`: how many tilbud were nominated this year (None when
    not known yet); an activity with `aflyses: {naar: ingen_indmeldinger}` is cancelled when it is 0
    (the March expert panel in odd years). Raises `CycleOrderError` when the order is broken."""
    periods = year_periods(sd, aar, model)
    texts = periods.texts()
    out = []
    for a in model.aktiviteter:
        if not a.i_aar(aar):
            continue
        dato, raekke, kilde = _date(sd, model, a, aar)
        note = model.tekst(a.note, texts)
        aflyst = a.aflyses is not None and nominations == 0 and i_aar(a.aflyses.paritet, aar)
        if aflyst and a.aflyses is not None:
            years = {"lige": "lige år og ", "ulige": "ulige år og "}.get(a.aflyses.paritet, "")
            note = f"Aflyst: {years}ingen tilbud indmeldt"
        titel = model.tekst(a.titel, texts)
        out.append(Activity(a.noegle, titel, dato, a.startdato(aar), a.skema, aflyst, note, a.organ, raekke, kilde))
    _check_order(sd, model, aar, out)
    if periods.ny_periode:
        p = periods.loebende
        out.insert(
            0,
            Activity(
                GENERERET,
                f"Ny toårig aftaleperiode {p.start.year}–{p.slut.year} begynder",
                p.start,
                note=f"Aftaleperioden {p.tekst}",
            ),
        )
    return sorted(out, key=lambda a: (a.start or a.dato, a.dato, a.key))


def _date(sd: Stamdata, model: Aarshjul, a: Aktivitet, aar: int) -> tuple[dt.date, int | None, str]:
    """The date, its Frister row (or None) and its source in words. A form deadline follows the Frister
    sheet (same day in other years when only one year is given, as `Stamdata.frist`); other activities
    are moved only by a row for exactly that year, under their key or a former key."""
    keys = (a.skema, *a.noegler) if a.skema else a.noegler
    rows = [f for f in sd.frister if f.skema in keys]
    row = next((f for f in rows if f.dato.year == aar), None)
    dato = row.dato if row else None
    if row is None and a.skema and rows:
        row = max(rows, key=lambda f: f.dato)
        try:
            dato = row.dato.replace(year=aar)
        except ValueError:
            dato = row.dato.replace(year=aar, day=28)
    if row is None or dato is None:
        line = model.linje(a.noegle)
        return a.standarddato(aar), None, f"{model.kilde} linje {line}" if line else model.kilde
    n = sd.frist_raekker.get((row.skema, row.dato))
    return dato, n, f"{FRISTER} række {n}" if n else FRISTER


def _check_order(sd: Stamdata, model: Aarshjul, aar: int, acts: list[Activity]) -> None:
    by_key = {a.key: a for a in acts}
    broken = [
        (a, by_key[e]) for a in acts for e in model.aktivitet(a.key).efter if e in by_key and a.dato < by_key[e].dato
    ]
    if not broken:
        return
    source = Path(sd.kilde).name if sd.kilde else "stamdata"
    issues, texts = [], []
    for a, b in broken:
        text = f"{_name(a)} ({a.kilde}, {format_dato(a.dato)}) ligger før {_name(b)} ({b.kilde}, {format_dato(b.dato)})"
        texts.append(text)
        row = a.raekke or b.raekke
        if row is not None or a.kilde == FRISTER or b.kilde == FRISTER:
            issues.append(Issue("stamdata-raekkefoelge", text, file=source, sheet=FRISTER, row=row))
        else:  # both dates come from aarshjul.yaml
            line = model.linje(a.key)
            issues.append(Issue("definition-ugyldig", text, file=model.kilde, line=line))
    where = "arket Frister i stamdata" if any(i.sheet for i in issues) else model.kilde
    message = f"Årshjulet {aar}: {'; '.join(texts)}. Ret datoen i {where}."
    raise CycleOrderError(source, issues, message)


def _name(a: Activity) -> str:
    """'Frist: indmelding af nye tilbud' -> 'fristen for indmelding af nye tilbud'; others: the title."""
    return "fristen for " + a.titel.removeprefix("Frist: ") if a.titel.startswith("Frist: ") else a.titel


def activity_date(sd: Stamdata, model: Aarshjul, aar: int, key: str) -> dt.date:
    """The date of one activity of the year (Frister sheet, else aarshjul.yaml); `key` may be a former key."""
    key = model.aktivitet(key).noegle
    found = next((a.dato for a in aarshjul(sd, model, aar) if a.key == key), None)
    if found is None:
        raise UsageError(f"Årshjulet {aar} har ingen aktivitet '{key}' ({model.kilde}: se dens paritet).")
    return found


def check_hearing_deadline(sd: Stamdata, model: Aarshjul, aar: int, frist: dt.date, today: dt.date) -> None:
    """Tillæg 2: the hearing remarks are collected before the DAS meeting. A deadline on or after
    the meeting, or in the past, is refused."""
    das = activity_date(sd, model, aar, "das")
    moede = f"{model.organ('das').kort}-mødet"
    hint = (
        f"årshjulets høringsfrist er {format_dato(activity_date(sd, model, aar, 'hoering'))} "
        f"(arket Frister i stamdata, nøglerne 'hoering' og 'das')."
    )
    if frist >= das:
        raise UsageError(
            f"Høringsfristen {format_dato(frist)} ligger ikke før {moede} {format_dato(das)}: "
            f"høringssvarene skal indgå i mødet. Vælg en frist før {format_dato(das)}; {hint}"
        )
    if frist < today:
        raise UsageError(
            f"Høringsfristen {format_dato(frist)} er overskredet (i dag er {format_dato(today)}). "
            f"Vælg en frist fra i dag og før {moede} {format_dato(das)}; {hint}"
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
