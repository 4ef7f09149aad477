"""Who receives which form (modtagere), derived from stamdata. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace

from toolkit.definitions.model import Skemadefinition
from toolkit.files import slug, unique_slugs
from toolkit.stamdata.model import Stamdata


@dataclass(frozen=True)
class Modtager:
    id: str  # unique per form and year: driftsherre id, aftalepart id, or tilbud id (årsrapport)
    navn: str
    kontaktperson: str
    email: str
    telefon: str
    filnavn: str  # ASCII-safe label for file names
    driftsherre_id: str | None = None
    tilbud_id: str | None = None
    er_kommune: bool = False


def recipients(defn: Skemadefinition, sd: Stamdata, aar: int) -> list[Modtager]:
    """Who gets `defn` in `aar` (made once per stamdata; a new list each call)."""
    memo = sd.memo.setdefault("recipients", {})
    key = (defn.modtager, aar)
    if key not in memo:
        found = _recipients(defn, sd, aar)
        names = unique_slugs([(m.filnavn, m.id) for m in found])  # one file per recipient
        memo[key] = [replace(m, filnavn=n) if n != m.filnavn else m for m, n in zip(found, names, strict=True)]
    return list(memo[key])


SEKRETARIAT_ID = "sekretariat"  # the one recipient of a form the secretariat fills in itself (panel)


def _recipients(defn: Skemadefinition, sd: Stamdata, aar: int) -> list[Modtager]:
    if defn.modtager == "sekretariat":  # stamdata Indstillinger; the file is named after the form
        s = lambda key: str(sd.setting(key, "") or "")  # noqa: E731
        return [
            Modtager(
                SEKRETARIAT_ID,
                s("sekretariat"),
                s("sekretariat_kontaktperson"),
                s("sekretariat_email"),
                s("sekretariat_telefon"),
                slug(defn.navn, 40),
            )
        ]
    if defn.modtager == "driftsherre":
        return [
            Modtager(d.id, d.navn, d.kontaktperson, d.email, d.telefon, slug(d.navn), driftsherre_id=d.id)
            for d in sd.driftsherrer
        ]
    if defn.modtager == "tilbud":
        out = []
        for t in sd.omfattede_tilbud(aar):
            d = sd.driftsherre(t.driftsherre_id)
            out.append(
                Modtager(
                    t.id,
                    t.navn,
                    d.kontaktperson,
                    d.email,
                    d.telefon,
                    f"{slug(t.navn, 45)}_{slug(d.navn, 25)}",
                    driftsherre_id=d.id,
                    tilbud_id=t.id,
                )
            )
        return out
    parter = sd.kommuner() if defn.modtager == "kommune" else sd.aftaleparter
    out = []
    for a in parter:
        dh = next((d.id for d in sd.driftsherrer if d.aftalepart_id == a.id), None)
        out.append(
            Modtager(
                a.id,
                a.navn,
                a.kontaktperson,
                a.email,
                a.telefon,
                slug(a.navn),
                driftsherre_id=dh,
                er_kommune=a.type == "kommune",
            )
        )
    return out


def find_recipient(defn: Skemadefinition, sd: Stamdata, aar: int, modtager_id: str) -> Modtager | None:
    memo = sd.memo.setdefault("recipient_ids", {})
    key = (defn.modtager, aar)
    if key not in memo:
        memo[key] = {m.id: m for m in recipients(defn, sd, aar)}
    return memo[key].get(modtager_id)
