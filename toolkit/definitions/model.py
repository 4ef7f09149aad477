"""The typed form definition. One definition drives generation, reading, validation and
consolidation: see docs/skemaformat.md."""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FeltType = Literal["tal", "heltal", "beloeb", "procent", "tekst", "langtekst", "ja_nej", "valg", "dato", "email", "url"]
NUMERIC_TYPES = ("tal", "heltal", "beloeb", "procent")
JA_NEJ = ("Ja", "Nej")

_KEY = r"^[a-z][a-z0-9_]*$"
_FORBIDDEN_SHEET = re.compile(r"[\[\]:*?/\\]")

# what a field may be prefilled from, and what a block/table may show as locked context
PREFILL_SOURCES = {
    "modtager.navn",
    "modtager.kontaktperson",
    "modtager.email",
    "modtager.telefon",
    "driftsherre.navn",
    "driftsherre.kontaktperson",
    "driftsherre.email",
    "driftsherre.telefon",
    "tilbud.navn",
    "tilbud.adresse",
    "tilbud.maalgruppe",
    "tilbud.ydelseskatalog_url",
    "tilbud.servicedeklaration_url",
    "ydelse.pladstal",
    "ydelse.takst",
}
CONTEXT_COLUMNS = {
    "ydelse": {"pladstal": "Pladstal", "takst": "Takst (kr.)", "enhed": "Enhed"},
    "kommune": {"indbyggere": "Indbyggere"},
    "tilbud": {"driftsherre": "Driftsherre"},
    "egne_tilbud": {},
    "linje": {},
}
BLOCK_CONTEXT = {
    "driftsherre": "Driftsherre",
    "adresse": "Adresse",
    "maalgruppe": "Målgruppe",
    "ydelseskatalog_url": "Ydelseskatalog",
    "servicedeklaration_url": "Servicedeklaration",
    "tilsynsrapport_url": "Seneste tilsynsrapport",
}


def _scope(gentag: str | None) -> str | None:
    return "tilbud" if gentag == "egne_tilbud" else gentag


# a sheet's `gentag` and the kind its blocks carry in field keys: the panel's cases (indmeldt: the
# nominated tilbud, id '<driftsherre>-<nr>'; udmeldt: the tilbud someone wants withdrawn) come from
# the store when the form is generated (definitions/cases.py)
ARK_KIND = {"tilbud": "tilbud", "nr": "nr", "indmeldt": "nr", "udmeldt": "tilbud"}
CASE_SHEETS = ("indmeldt", "udmeldt")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


RESERVED_KEYS = ("tilbud", "nr", "ydelse", "kommune", "linje")  # the kinds in field keys


class Felt(_Strict):
    noegle: str = Field(pattern=_KEY)
    etiket: str = Field(min_length=1)
    hjaelp: str = ""
    type: FeltType
    obligatorisk: bool = False
    min: float | None = None
    max: float | None = None
    valg: tuple[str, ...] = ()
    aar: tuple[int, ...] = ()  # years relative to the form year, e.g. [-3, -2, -1]
    forudfyld: str | None = None

    @model_validator(mode="after")
    def _check(self):
        if self.noegle in RESERVED_KEYS:
            raise ValueError(f"'{self.noegle}' kan ikke bruges som noegle (reserveret: {', '.join(RESERVED_KEYS)})")
        if self.type == "valg" and not self.valg:
            raise ValueError("type 'valg' kræver en liste 'valg'")
        if self.valg and self.type != "valg":
            raise ValueError("'valg' kan kun bruges med type 'valg'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("'min' er større end 'max'")
        if (self.min is not None or self.max is not None) and self.type not in NUMERIC_TYPES:
            raise ValueError("'min' og 'max' kan kun bruges med taltyper")
        if self.forudfyld and self.forudfyld not in PREFILL_SOURCES:
            raise ValueError(f"ukendt 'forudfyld': {self.forudfyld} (mulige: {', '.join(sorted(PREFILL_SOURCES))})")
        return self

    @property
    def choices(self) -> tuple[str, ...]:
        return JA_NEJ if self.type == "ja_nej" else self.valg


class Sektion(_Strict):
    titel: str
    beskrivelse: str = ""
    gentag: Literal["ydelse", "kommune", "tilbud", "egne_tilbud", "linje"] | None = None
    antal: int | None = Field(default=None, ge=1, le=50)
    vis: tuple[str, ...] = ()
    felter: tuple[Felt, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self):
        if (self.gentag == "linje") != (self.antal is not None):
            raise ValueError("'antal' skal angives når (og kun når) gentag er 'linje'")
        allowed = CONTEXT_COLUMNS.get(self.gentag or "", {})
        for v in self.vis:
            if v not in allowed:
                raise ValueError(f"'vis: {v}' kan ikke bruges her (mulige: {', '.join(allowed) or 'ingen'})")
        return self


class Ark(_Strict):
    navn: str = Field(min_length=1, max_length=31)
    titel: str
    beskrivelse: str = ""
    gentag: Literal["tilbud", "nr", "indmeldt", "udmeldt"] | None = None
    antal: int | None = Field(default=None, ge=1, le=20)
    aktiv_naar: str | None = None  # for gentag nr: a block counts only when this field is filled
    kun_for: Literal["driftsherre", "kommune"] | None = None
    vis: tuple[str, ...] = ()
    sektioner: tuple[Sektion, ...] = Field(min_length=1)

    @field_validator("navn")
    @classmethod
    def _sheet_name(cls, v):
        if _FORBIDDEN_SHEET.search(v) or v.startswith("_") or v.lower() == "vejledning":
            raise ValueError(f"arknavnet '{v}' er ikke tilladt")
        return v

    @model_validator(mode="after")
    def _check(self):
        if (self.gentag == "nr") != (self.antal is not None):
            raise ValueError("'antal' skal angives når (og kun når) gentag er 'nr'")
        if self.aktiv_naar and self.gentag != "nr":
            raise ValueError("'aktiv_naar' kan kun bruges med gentag: nr")
        if self.aktiv_naar and self.aktiv_naar not in {f.noegle for s in self.sektioner for f in s.felter}:
            raise ValueError(f"'aktiv_naar: {self.aktiv_naar}' er ikke et felt i arket")
        for v in self.vis:
            if v not in BLOCK_CONTEXT:
                raise ValueError(f"'vis: {v}' kan ikke bruges (mulige: {', '.join(BLOCK_CONTEXT)})")
        return self


class Afsnit(_Strict):
    overskrift: str
    tekst: str


class Skemadefinition(_Strict):
    skema: Literal["indmelding", "udmelding", "aarsrapport", "kommune", "panel", "hoeringssvar"]
    navn: str
    version: int = Field(ge=1)
    modtager: Literal["driftsherre", "tilbud", "aftalepart", "kommune", "sekretariat"]
    kun_lige_aar: bool = False
    niveauer: tuple[str, ...] = ()  # only tilbud on these levels (stamdata Niveauer; empty: all levels)
    formaal: str
    vejledning: tuple[Afsnit, ...] = ()
    ark: tuple[Ark, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self):
        names = [a.navn for a in self.ark]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"arknavnet {', '.join(sorted(dup))} bruges mere end én gang")
        seen: dict[str, str] = {}
        for ark in self.ark:
            for sek in ark.sektioner:
                if sek.gentag == "ydelse" and ARK_KIND.get(ark.gentag or "") != "tilbud" and self.modtager != "tilbud":
                    raise ValueError(
                        f"ark '{ark.navn}': 'gentag: ydelse' kræver et tilbud "
                        f"(arket skal have 'gentag: tilbud', eller modtager skal være 'tilbud')"
                    )
                if sek.gentag in ("tilbud", "egne_tilbud") and ARK_KIND.get(ark.gentag or "") == "tilbud":
                    raise ValueError(
                        f"ark '{ark.navn}': en sektion kan ikke gentages over tilbud i et ark, "
                        f"der allerede er gentaget over tilbud"
                    )
                for f in sek.felter:
                    scope = "/".join(str(x) for x in (ARK_KIND.get(ark.gentag or ""), _scope(sek.gentag), f.noegle))
                    if scope in seen:
                        raise ValueError(
                            f"feltet '{f.noegle}' i ark '{ark.navn}' giver samme nøgle som "
                            f"et felt i ark '{seen[scope]}' – giv det en anden 'noegle'"
                        )
                    seen[scope] = ark.navn
        return self

    @cached_property  # the definition is frozen
    def hash(self) -> str:
        """Stable over cosmetic YAML edits (whitespace, comments, key order)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]

    def all_fields(self):
        for ark in self.ark:
            for sektion in ark.sektioner:
                for felt in sektion.felter:
                    yield ark, sektion, felt
