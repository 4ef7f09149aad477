"""Who receives which form (modtagere), derived from stamdata. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from toolkit.definitions.model import Skemadefinition
from toolkit.fieldkeys import parse_key
from toolkit.files import slug, unique_slugs
from toolkit.problems import DefinitionError, Issue, UsageError
from toolkit.stamdata.model import Klynge, Stamdata, Tilbud


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
    klynge: str | None = None  # a cluster's form (stamdata Klynger): only the cluster's tilbud


def recipients(defn: Skemadefinition, sd: Stamdata, aar: int, klynge: str | None = None) -> list[Modtager]:
    """Who gets `defn` in `aar` (made once per stamdata; a new list each call). With `klynge` (a
    cluster id): only the cluster's municipalities, driftsherrer and tilbud, in files named after it."""
    memo = sd.memo.setdefault("recipients", {})
    key = (defn.modtager, defn.niveauer, aar, klynge)
    if key not in memo:
        found = _recipients(defn, sd, aar, find_klynge(sd, klynge) if klynge else None)
        names = unique_slugs([(m.filnavn, m.id) for m in found])  # one file per recipient
        memo[key] = [replace(m, filnavn=n) if n != m.filnavn else m for m, n in zip(found, names, strict=True)]
    return list(memo[key])


def find_klynge(sd: Stamdata, klynge: str) -> Klynge:
    """The cluster with id `klynge`; an unknown id is the user's to fix (UsageError)."""
    found = next((k for k in sd.klynger if k.id.casefold() == klynge.casefold()), None)
    if found is None:
        known = ", ".join(k.id for k in sd.klynger)
        raise UsageError(
            f"Klyngen '{klynge}' findes ikke i stamdata"
            + (f" (arket Klynger har {known})." if known else " (der er ingen klynger i arket Klynger).")
        )
    return found


def tilbud_for(defn: Skemadefinition, sd: Stamdata, aar: int, klynge: str | None = None) -> list[Tilbud]:
    """The included tilbud a form of `defn` is about in `aar`: those on the definition's `niveauer`
    (every tilbud when it names none) and, for a cluster's form, the cluster's own."""
    memo = sd.memo.setdefault("tilbud_for", {})
    key = (defn.skema, defn.niveauer, aar, klynge)
    if key not in memo:
        found = sd.omfattede_tilbud(aar)
        if defn.niveauer:
            wanted = _levels(defn, sd)
            found = [t for t in found if sd.niveau(t.id, aar).casefold() in wanted]
        if klynge:
            own = set(find_klynge(sd, klynge).tilbud)
            found = [t for t in found if t.id in own]
        memo[key] = found
    return list(memo[key])


def _levels(defn: Skemadefinition, sd: Stamdata) -> set[str]:
    """The definition's levels as the ids stamdata uses (casefolded); a level the Niveauer sheet does
    not know is an error in the definition."""
    if not sd.niveauer:  # free text in the Tilbud sheet: compared as typed, any case
        return {v.casefold() for v in defn.niveauer}
    unknown = [v for v in defn.niveauer if sd.find_niveau(v) is None]
    if unknown:
        source = f"{defn.skema}.yaml"
        raise DefinitionError(
            source,
            [
                Issue(
                    "definition-ugyldig",
                    f"niveauer: {', '.join(repr(v) for v in unknown)} findes ikke i stamdata-arket Niveauer "
                    f"(mulige: {', '.join(n.id for n in sd.niveauer)})",
                    file=source,
                )
            ],
        )
    return {found.id.casefold() for v in defn.niveauer if (found := sd.find_niveau(v))}


SEKRETARIAT_ID = "sekretariat"  # the one recipient of a form the secretariat fills in itself (panel)


def _recipients(defn: Skemadefinition, sd: Stamdata, aar: int, klynge: Klynge | None) -> list[Modtager]:
    found = _everyone(defn, sd, aar, klynge.id if klynge else None)
    if klynge is None:
        return found
    suffix = "_" + slug(klynge.navn, 30)
    if defn.modtager in ("aftalepart", "kommune"):
        found = [m for m in found if m.id in set(klynge.kommuner)]
    elif defn.modtager == "driftsherre":
        own = {t.driftsherre_id for t in tilbud_for(defn, sd, aar, klynge.id)}
        found = [m for m in found if m.id in own]
    return [replace(m, filnavn=m.filnavn + suffix, klynge=klynge.id) for m in found]


def _everyone(defn: Skemadefinition, sd: Stamdata, aar: int, klynge: str | None) -> list[Modtager]:
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
        for t in tilbud_for(defn, sd, aar, klynge):
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
    key = (defn.modtager, defn.niveauer, aar)
    if key not in memo:
        memo[key] = {m.id: m for m in recipients(defn, sd, aar)}
    return memo[key].get(modtager_id)


def as_sent(defn: Skemadefinition, sd: Stamdata, aar: int, m: Modtager, keys: Iterable[str]) -> Modtager:
    """The recipient as a returned form was sent. A cluster's form (`skema generer --klynge`) holds
    only the cluster's tilbud and is read with the cluster's plan: the cluster is the first one that
    sends `m` a form about exactly the tilbud the file's field keys (its _skema sheet) name."""
    if not sd.klynger or m.klynge:
        return m
    in_file = {i for key in keys for kind, i in parse_key(str(key)).scope if kind == "tilbud"}
    if not in_file or in_file == {t.id for t in tilbud_for(defn, sd, aar)}:
        return m
    for k in sd.klynger:
        if in_file == {t.id for t in tilbud_for(defn, sd, aar, k.id)}:
            found = next((c for c in recipients(defn, sd, aar, k.id) if c.id == m.id), None)
            if found is not None:
                return found
    return m
