"""The annual cycle as data (aarshjul.yaml in the definitions folder): the bodies (organer) whose names
the texts use, and the year's activities with their default date, responsible body, parity rule,
form, order constraints and cancellation rule. The Nordjylland model (tillæg 3) is the bundled file;
rules/cycle.py computes a year's activities from it and the stamdata sheet Frister."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from toolkit.fieldkeys import FORMS

Paritet = Literal["alle", "lige", "ulige"]
UGEDAGE = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
Ugedag = Literal["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]

# the agreement period's texts a title or note may use (rules/period.py YearPeriods.texts)
PERIODE_VARIABLER = (
    "aftaleperiode",
    "aftaleperiode_start",
    "aftaleperiode_slut",
    "omfattes_fra",
    "omfattes_periode",
    "udmelding_frist",
    "udmelding_virkning",
    "das_tekst",
    "udmelding_tekst",
)
# the bodies and activities the code and the texts refer to by id
KRAEVEDE_ORGANER = ("ekspertpanel", "das", "sekretariat", "driftsherrer", "aftaleparter")
KRAEVEDE_AKTIVITETER = ("indmelding", "udmelding", "aarsrapport", "hoering", "das")
GENERERET = "aftaleperiode"  # the start of an agreement period: added by the code, not a key of the file
NOEGLE = r"^[a-z][a-z0-9_]*$"
PLADSHOLDER = re.compile(r"\{([^{}]*)\}")


def _maaned_dag(value: str) -> str:
    m = re.fullmatch(r"(\d{2})-(\d{2})", value)
    try:
        if not m:
            raise ValueError
        dt.date(2000, int(m[1]), int(m[2]))  # a leap year: 02-29 is allowed (28 February in other years)
    except ValueError:
        raise ValueError(f"'{value}' er ikke en dato som MM-DD (fx \"03-01\")") from None
    return value


MaanedDag = Annotated[str, AfterValidator(_maaned_dag)]


def dato_i(maaned_dag: str, aar: int) -> dt.date:
    """'03-01' in `aar`; 29 February falls back to the 28th in other years."""
    m, d = (int(p) for p in maaned_dag.split("-"))
    try:
        return dt.date(aar, m, d)
    except ValueError:
        return dt.date(aar, m, 28)


def i_aar(paritet: str, aar: int) -> bool:
    return paritet == "alle" or (paritet == "lige") == (aar % 2 == 0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organ(_Strict):
    id: str = Field(pattern=NOEGLE)
    navn: str = Field(min_length=1)  # "Den Administrative Styregruppe"
    kort: str = Field(min_length=1)  # "DAS": in running text
    # "Styregruppens": the genitive in running text, when "navn" + s would be heavy (a long name);
    # without it the genitive is made from navn ("Ekspertpanelet" -> "Ekspertpanelets")
    ejefald: str | None = Field(default=None, min_length=1)


class Aflysning(_Strict):
    naar: Literal["ingen_indmeldinger"]  # nothing was nominated this year
    paritet: Paritet = "alle"  # in which years the rule applies


class Aktivitet(_Strict):
    noegle: str = Field(pattern=NOEGLE)
    titel: str = Field(min_length=1)
    organ: str | None = None  # the responsible body (an id in organer)
    dato: MaanedDag | None = None  # deadline, meeting day or the end of a period, in the cycle year
    uge: int | None = Field(default=None, ge=1, le=53)  # …or an ISO week and a weekday
    ugedag: Ugedag | None = None
    start: MaanedDag | None = None  # the first day of a period
    skema: str | None = None  # the form whose deadline this is
    paritet: Paritet = "alle"
    efter: tuple[str, ...] = ()  # activities this one must come after
    aflyses: Aflysning | None = None
    note: str = ""
    aliaser: tuple[str, ...] = ()  # former keys a Frister row may still use

    @model_validator(mode="after")
    def _one_date(self) -> Aktivitet:
        if (self.dato is None) == (self.uge is None):
            raise ValueError("angiv enten dato (MM-DD) eller uge (med ugedag)")
        if self.ugedag is not None and self.uge is None:
            raise ValueError("ugedag kræver uge")
        return self

    def standarddato(self, aar: int) -> dt.date:
        """The date the file gives for `aar` (before any Frister row)."""
        if self.dato is not None:
            return dato_i(self.dato, aar)
        week = min(self.uge or 1, dt.date(aar, 12, 28).isocalendar()[1])  # week 53 only in long years
        return dt.date.fromisocalendar(aar, week, UGEDAGE.index(self.ugedag or "mandag") + 1)

    def startdato(self, aar: int) -> dt.date | None:
        return dato_i(self.start, aar) if self.start else None

    def i_aar(self, aar: int) -> bool:
        return i_aar(self.paritet, aar)

    @property
    def noegler(self) -> tuple[str, ...]:
        """The key and its aliases: the values of Frister's Skema column that move this activity."""
        return (self.noegle, *self.aliaser)


class Aarshjul(_Strict):
    organer: tuple[Organ, ...] = Field(min_length=1)
    aktiviteter: tuple[Aktivitet, ...] = Field(min_length=1)
    _kilde: str = PrivateAttr(default="aarshjul.yaml")
    _linjer: dict[str, int] = PrivateAttr(default_factory=dict)

    def organ(self, id_: str) -> Organ:
        """The body `id_` (navn, kort); a KeyError for an id the file does not have."""
        for o in self.organer:
            if o.id == id_:
                return o
        raise KeyError(id_)

    def aktivitet(self, noegle: str) -> Aktivitet:
        """The activity with key (or former key) `noegle`; a KeyError if there is none."""
        for a in self.aktiviteter:
            if noegle in a.noegler:
                return a
        raise KeyError(noegle)

    def tekst(self, text: str, perioder: dict[str, str] | None = None) -> str:
        """`text` with {organ.<id>}, {organ.<id>.kort}, {organ.<id>.navn} and, when given, the
        period variables filled in."""
        if "{" not in text:
            return text

        def fill(m: re.Match) -> str:
            name = m[1]
            if name.startswith("organ."):
                _p, id_, *attr = name.split(".")
                return getattr(self.organ(id_), attr[0] if attr else "navn")
            return (perioder or {}).get(name, m[0])

        return PLADSHOLDER.sub(fill, text)

    @property
    def kilde(self) -> str:
        """The file the cycle was read from (for messages)."""
        return self._kilde

    def linje(self, noegle: str) -> int | None:
        """The line in the file of the activity's date (dato or uge)."""
        return self._linjer.get(self.aktivitet(noegle).noegle)


def cross_check(aj: Aarshjul) -> list[tuple[tuple, str]]:
    """References inside the cycle that do not resolve: (location in the file, Danish message)."""
    out: list[tuple[tuple, str]] = []
    organ_ids = [o.id for o in aj.organer]
    for i, o in enumerate(aj.organer):
        if organ_ids.index(o.id) != i:
            out.append((("organer", i, "id"), f"organet '{o.id}' står der to gange"))
    for id_ in KRAEVEDE_ORGANER:
        if id_ not in organ_ids:
            out.append((("organer",), f"organet '{id_}' mangler (skemaer og dokumenter nævner det)"))
    seen: dict[str, str] = {}
    for i, a in enumerate(aj.aktiviteter):
        for j, key in enumerate(a.noegler):
            where = ("aktiviteter", i, "noegle") if j == 0 else ("aktiviteter", i, "aliaser", j - 1)
            if key == GENERERET:
                out.append((where, f"nøglen '{key}' er forbeholdt starten af en aftaleperiode"))
            elif key in seen:
                out.append((where, f"nøglen '{key}' bruges allerede af aktiviteten '{seen[key]}'"))
            else:
                seen[key] = a.noegle
    keys = [a.noegle for a in aj.aktiviteter]
    for id_ in KRAEVEDE_AKTIVITETER:
        if id_ not in keys:
            out.append((("aktiviteter",), f"aktiviteten '{id_}' mangler (koden bruger dens dato)"))
    for i, a in enumerate(aj.aktiviteter):
        if a.organ is not None and a.organ not in organ_ids:
            out.append((("aktiviteter", i, "organ"), f"ukendt organ '{a.organ}' (kendte: {', '.join(organ_ids)})"))
        if a.skema is not None and a.skema not in FORMS:
            out.append((("aktiviteter", i, "skema"), f"ukendt skema '{a.skema}' (kendte: {', '.join(FORMS)})"))
        for j, e in enumerate(a.efter):
            if e == a.noegle:
                out.append((("aktiviteter", i, "efter", j), f"aktiviteten '{e}' kan ikke ligge efter sig selv"))
            elif e not in keys:
                out.append((("aktiviteter", i, "efter", j), f"ukendt aktivitet '{e}' (kendte: {', '.join(keys)})"))
        for field in ("titel", "note"):
            for name in PLADSHOLDER.findall(getattr(a, field)):
                problem = _placeholder_problem(name, organ_ids)
                if problem:
                    out.append((("aktiviteter", i, field), problem))
    cycle = _order_cycle(aj)
    if cycle:
        i = keys.index(cycle[0])
        out.append((("aktiviteter", i, "efter"), f"rækkefølgen går i ring: {' → '.join(cycle)}"))
    return out


def _placeholder_problem(name: str, organ_ids: list[str]) -> str:
    parts = name.split(".")
    if parts[0] == "organ":
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("navn", "kort")):
            return f"pladsholderen {{{name}}} skal være {{organ.<id>}}, {{organ.<id>.navn}} eller {{organ.<id>.kort}}"
        if parts[1] not in organ_ids:
            return f"pladsholderen {{{name}}} nævner det ukendte organ '{parts[1]}'"
        return ""
    if name not in PERIODE_VARIABLER:
        return f"ukendt pladsholder {{{name}}} (kendte: {{organ.<id>}}, {', '.join(PERIODE_VARIABLER)})"
    return ""


def _order_cycle(aj: Aarshjul) -> list[str]:
    """A chain of `efter` that comes back to where it began ([] if there is none)."""
    after = {a.noegle: a.efter for a in aj.aktiviteter}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(key: str, path: list[str]) -> list[str]:
        state[key] = 1
        for e in after.get(key, ()):
            if state.get(e) == 1 and e != key:  # (an activity after itself is reported on its own)
                full = [*path, key]
                return [*full[full.index(e) :], e]
            if e in after and not state.get(e):
                found = visit(e, [*path, key])
                if found:
                    return found
        state[key] = 2
        return []

    for key in after:
        if not state.get(key):
            found = visit(key, [])
            if found:
                return found
    return []
