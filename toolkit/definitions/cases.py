"""The panel's cases: the blocks of a form whose sheets repeat over what the store knows rather than
over stamdata (`gentag: indmeldt` and `gentag: udmeldt`, the panel form). Pure.

When the form is generated the cases come from the year's returns (consolidate/panel.py) with their
locked context; when it is read back they come from the keys the file itself lists (its `_skema`
sheet), checked against stamdata, so that reading needs no store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.definitions.model import CASE_SHEETS, Skemadefinition
from toolkit.fieldkeys import parse_key
from toolkit.stamdata.model import Stamdata


@dataclass(frozen=True)
class Sag:
    """One block of the panel form: a tilbud in the scheme (gentag 'tilbud'), a nominated tilbud
    ('indmeldt', key kind 'nr', id '<driftsherre>-<nr>') or a withdrawal request ('udmeldt')."""

    gentag: str
    id: str
    navn: str
    nyoprettet: bool | None = None  # nominations: None when unknown (read back from a file)
    kontekst: tuple[tuple[str, str], ...] = ()  # locked (label, text) lines shown in the block header

    @property
    def kind(self) -> str:
        return "nr" if self.gentag == "indmeldt" else "tilbud"


def nomination_id(driftsherre_id: str, nr: str) -> str:
    return f"{driftsherre_id}-{nr}"


def split_nomination_id(sag_id: str) -> tuple[str, str]:
    dh, _sep, nr = sag_id.rpartition("-")
    return dh, nr


def uses_cases(defn: Skemadefinition) -> bool:
    return any(ark.gentag in CASE_SHEETS for ark in defn.ark)


def cases_from_keys(defn: Skemadefinition, sd: Stamdata, keys: Iterable[str]) -> list[Sag]:
    """The cases a returned file was generated with, from its field keys; ids stamdata does not
    know (a nomination's driftsherre, a withdrawn tilbud) are left out, so their cells are not read."""
    kinds = {ark.gentag: ark for ark in defn.ark if ark.gentag in CASE_SHEETS}
    noegler = {g: {f.noegle for s in ark.sektioner for f in s.felter} for g, ark in kinds.items()}
    dh = {d.id: d.navn for d in sd.driftsherrer}
    tilbud = {t.id: t.navn for t in sd.tilbud}
    out: dict[tuple[str, str], Sag] = {}
    for key in keys:
        k = parse_key(str(key))
        if k.skema != defn.skema or len(k.scope) != 1:
            continue
        kind, sag_id = k.scope[0]
        gentag = "indmeldt" if kind == "nr" else "udmeldt"
        if gentag not in kinds or k.noegle not in noegler[gentag] or (gentag, sag_id) in out:
            continue
        if gentag == "indmeldt":
            owner, nr = split_nomination_id(sag_id)
            if owner in dh and nr.isdigit():
                out[(gentag, sag_id)] = Sag(gentag, sag_id, f"Indmeldt af {dh[owner]}, nr. {nr}")
        elif sag_id in tilbud:
            out[(gentag, sag_id)] = Sag(gentag, sag_id, tilbud[sag_id])
    return list(out.values())
