"""Typed master data. Everything region-specific (parties, tilbud, dates, thresholds) lives here,
never in code."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from toolkit.danish import ligner_email

ID = r"^[A-Za-z0-9_-]+$"  # ids become parts of field keys: letters, digits, '_' and '-' only


def _email(value: str) -> str:
    if not ligner_email(value):
        raise PydanticCustomError("email", "ligner ikke en e-mailadresse")
    return value


Email = Annotated[str, AfterValidator(_email)]


def _optional_email(value: str) -> str:
    return _email(value) if value else value


def _ids(value: object) -> object:
    """'T01, T02' (a comma-separated cell) -> ['T01', 'T02']; a single number typed as one -> ['12']."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(int(value)) if float(value).is_integer() else str(value)]
    return value


IdList = Annotated[list[str], BeforeValidator(_ids)]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Aftalepart(_Row):
    id: str = Field(pattern=ID)
    navn: str
    type: Literal["kommune", "region"]
    kontaktperson: str
    email: Email
    telefon: str = ""
    indbyggere: int = Field(ge=0)


class Driftsherre(_Row):
    id: str = Field(pattern=ID)
    navn: str
    aftalepart_id: str | None = None
    kontaktperson: str
    email: Email
    telefon: str = ""


class Tilbud(_Row):
    id: str = Field(pattern=ID)
    navn: str
    driftsherre_id: str
    adresse: str = ""
    maalgruppe: str = ""
    omfattet_fra: int | None = None  # first year included in det forstærkede samarbejde
    omfattet_til: int | None = None  # last year included (None: still included)
    ydelseskatalog_url: str = ""
    servicedeklaration_url: str = ""
    tilsynsrapport_url: str = ""
    specialiseringsniveau: str = ""
    budgetteret_belaegning: float | None = Field(default=None, ge=0, le=200)

    def omfattet(self, aar: int) -> bool:
        return (
            self.omfattet_fra is not None
            and self.omfattet_fra <= aar
            and (self.omfattet_til is None or aar <= self.omfattet_til)
        )


class Ydelse(_Row):
    id: str = Field(pattern=ID)
    tilbud_id: str
    navn: str
    pladstal: float = Field(ge=0)
    takst: float | None = Field(default=None, ge=0)
    enhed: str = "døgn"


class Frist(_Row):
    skema: str
    dato: dt.date


class Niveau(_Row):
    """A level of the specialisation scheme (e.g. Region Sjælland's "dynamiske tredeling":
    N1 the most specialised tilbud, N2 specialised ones run in clusters, N3 general ones)."""

    id: str = Field(pattern=ID)
    navn: str
    beskrivelse: str = ""


class Niveauskift(_Row):
    """A row of Niveauhistorik: tilbud `tilbud_id` is on level `niveau` from year `aar` on."""

    tilbud_id: str
    aar: int = Field(ge=2000, le=2100)
    niveau: str


class Klynge(_Row):
    """A cluster: municipalities working together around some tilbud or a target group. Forms can
    be sent per cluster (`skema generer --klynge`)."""

    id: str = Field(pattern=ID)
    navn: str
    maalgruppe: str = ""
    tilbud: IdList = []
    kommuner: IdList = []
    kontaktperson: str = ""
    email: Annotated[str, AfterValidator(_optional_email)] = ""


class Stamdata(BaseModel):
    indstillinger: dict[str, str | int | float]
    aftaleparter: list[Aftalepart]
    driftsherrer: list[Driftsherre]
    tilbud: list[Tilbud]
    ydelser: list[Ydelse]
    frister: list[Frist]
    niveauer: list[Niveau] = []  # empty: no Niveauer sheet, 'Specialiseringsniveau' is free text
    niveauhistorik: list[Niveauskift] = []
    klynger: list[Klynge] = []
    kilde: str = ""
    frist_raekker: dict[tuple[str, dt.date], int] = Field(default_factory=dict)  # (skema, dato) -> Frister row

    # --- look-ups (indexed once; stamdata is not changed after loading) -------------------------
    @cached_property
    def _index(self) -> dict:
        ydelser: dict[str, list[Ydelse]] = {}
        for y in self.ydelser:
            ydelser.setdefault(y.tilbud_id, []).append(y)
        return {
            "parter": {a.id: a for a in self.aftaleparter},
            "dh": {d.id: d for d in self.driftsherrer},
            "tilbud": {t.id: t for t in self.tilbud},
            "ydelser": ydelser,
            "klynger": {k.id: k for k in self.klynger},
        }

    @cached_property
    def _niveau_index(self) -> dict:
        by_key: dict[str, Niveau] = {}
        for n in self.niveauer:
            by_key.setdefault(n.navn.casefold(), n)
        for n in self.niveauer:
            by_key[n.id.casefold()] = n  # an id wins over another level's name
        history: dict[str, list[Niveauskift]] = {}
        for h in sorted(self.niveauhistorik, key=lambda h: h.aar):
            history.setdefault(h.tilbud_id, []).append(h)
        return {"niveau": by_key, "historik": history}

    @cached_property
    def memo(self) -> dict:
        """Results derived from this stamdata alone, kept for the run (e.g. shared section plans)."""
        return {}

    def setting(self, key: str, default=None):
        return self.indstillinger.get(key, default)

    @property
    def region(self) -> str:
        return str(self.setting("region", ""))

    def kommuner(self) -> list[Aftalepart]:
        return [a for a in self.aftaleparter if a.type == "kommune"]

    def aftalepart(self, id_: str) -> Aftalepart:
        return self._index["parter"][id_]

    def driftsherre(self, id_: str) -> Driftsherre:
        return self._index["dh"][id_]

    def tilbud_by_id(self, id_: str) -> Tilbud:
        return self._index["tilbud"][id_]

    def omfattede_tilbud(self, aar: int) -> list[Tilbud]:
        return [t for t in self.tilbud if t.omfattet(aar)]

    def ydelser_for(self, tilbud_id: str) -> list[Ydelse]:
        return list(self._index["ydelser"].get(tilbud_id, ()))

    # --- levels and clusters ----------------------------------------------------------------------
    def find_niveau(self, value: str) -> Niveau | None:
        """The level whose id or name (case-insensitively) is `value`; None if there is none."""
        return self._niveau_index["niveau"].get(value.strip().casefold()) if value else None

    def niveau(self, tilbud_id: str, aar: int) -> str:
        """The tilbud's level in year `aar`: the latest Niveauhistorik row from `aar` or before, else
        the Tilbud sheet's 'Specialiseringsniveau'. A level id when the Niveauer sheet knows the value
        (by id or name), otherwise the text as typed; '' when the tilbud has no level."""
        rows = [h for h in self._niveau_index["historik"].get(tilbud_id, ()) if h.aar <= aar]
        value = rows[-1].niveau if rows else self.tilbud_by_id(tilbud_id).specialiseringsniveau
        found = self.find_niveau(value)
        return found.id if found else value

    def niveau_navn(self, niveau: str) -> str:
        """A level id's name ('N1' -> 'Mest specialiserede tilbud'); free text as it is."""
        found = self.find_niveau(niveau)
        return found.navn if found else niveau

    @property
    def niveauer_i_brug(self) -> bool:
        """Whether levels tell tilbud apart: more than one level, or a history of changes. (The
        Nordjylland model has one level only: nothing about levels is shown.)"""
        return len(self.niveauer) > 1 or bool(self.niveauhistorik)

    def klynge(self, id_: str) -> Klynge:
        return self._index["klynger"][id_]

    def frist(self, skema: str, aar: int) -> dt.date | None:
        """The deadline for `skema` in cycle year `aar`; if only other years are given, the same
        day and month is used (a deadline of 29 February falls back to the 28th)."""
        rows = [f for f in self.frister if f.skema == skema]
        for f in rows:
            if f.dato.year == aar:
                return f.dato
        if not rows:
            return None
        latest = max(rows, key=lambda f: f.dato).dato
        try:
            return latest.replace(year=aar)
        except ValueError:
            return latest.replace(year=aar, day=28)
