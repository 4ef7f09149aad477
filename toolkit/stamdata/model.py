"""Typed master data. Everything region-specific (parties, tilbud, dates, thresholds) lives here,
never in code."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from toolkit.danish import ligner_email

ID = r"^[A-Za-z0-9_-]+$"  # ids become parts of field keys: letters, digits, '_' and '-' only


def _email(value: str) -> str:
    if not ligner_email(value):
        raise PydanticCustomError("email", "ligner ikke en e-mailadresse")
    return value


Email = Annotated[str, AfterValidator(_email)]


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


class Stamdata(BaseModel):
    indstillinger: dict[str, str | int | float]
    aftaleparter: list[Aftalepart]
    driftsherrer: list[Driftsherre]
    tilbud: list[Tilbud]
    ydelser: list[Ydelse]
    frister: list[Frist]
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
        }

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
