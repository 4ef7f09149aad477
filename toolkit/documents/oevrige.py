"""'Øvrige oplysninger': the answers to fields whose definition says they are shown in the Word
documents (`i_dokumenter: [bilag, hoeringsmateriale]` on the field, docs/skabeloner.md), per tilbud,
with the field's label and the respondent's value formatted the Danish way. Driven by the
definitions alone: a field added to a YAML file with that flag reaches the documents without code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from toolkit.danish import dato_fra_celle, format_dato, format_tal
from toolkit.definitions.model import DOKUMENTER, Felt, Skemadefinition
from toolkit.fieldkeys import FORMS


@dataclass(frozen=True)
class _Shown:
    order: int  # the field's place in the definitions (form order, then the definition's)
    skema: str
    felt: Felt
    dokumenter: tuple[str, ...]
    respondent_is_tilbud: bool  # the form goes to the tilbud itself (årsrapport): no "fra"
    fra_form: str  # the sender named for a form the secretariat fills in (the panel's)


def shown_fields(defs: Mapping[str, Skemadefinition]) -> dict[tuple[str, str], _Shown]:
    """(skema, noegle) -> the field, for every field with `i_dokumenter`."""
    out: dict[tuple[str, str], _Shown] = {}
    order = 0
    for skema in [f for f in FORMS if f in defs]:
        defn = defs[skema]
        for _ark, _sek, felt in defn.all_fields():
            order += 1
            if felt.i_dokumenter and (skema, felt.noegle) not in out:
                out[(skema, felt.noegle)] = _Shown(
                    order,
                    skema,
                    felt,
                    felt.i_dokumenter,
                    defn.modtager == "tilbud",
                    defn.navn if defn.modtager == "sekretariat" else "",
                )
    return out


def format_value(felt: Felt, value) -> str:
    """A stored answer as the documents print it: 1.234,5 · 250.000 kr. · 97,1 % · 1. marts 2028."""
    if value is None or value == "":
        return ""
    if felt.type == "dato":
        d = value if isinstance(value, dt.date) else dato_fra_celle(value)
        return format_dato(d) if d else str(value)
    if felt.type in ("tal", "heltal", "beloeb", "procent") and isinstance(value, (int, float)):
        if felt.type == "heltal":
            return format_tal(round(value), 0)
        if felt.type == "beloeb":
            return f"{format_tal(value, 0 if float(value).is_integer() else 2)} kr."
        if felt.type == "procent":
            return f"{format_tal(round(value, 1), 1)} %"
        return format_tal(round(value, 2))
    return str(value)


def extra_rows(values: Iterable, sd, defs: Mapping[str, Skemadefinition]) -> dict[str, dict[str, list[dict]]]:
    """document ('bilag', 'hoeringsmateriale') -> tilbud id -> rows {etiket, fra, vaerdi}, in the
    definitions' order of the fields, then by year, repetition and the stamdata's order of senders."""
    shown = shown_fields(defs)
    out: dict[str, dict[str, list[dict]]] = {d: {} for d in DOKUMENTER}
    if not shown:
        return out
    names = {a.id: a.navn for a in sd.aftaleparter} | {d.id: d.navn for d in sd.driftsherrer}
    party_order = {a.id: i for i, a in enumerate(sd.aftaleparter)}
    ydelser = {y.id: y.navn for y in sd.ydelser}
    kommuner = {k.id: k.navn for k in sd.kommuner()}
    collected: list[tuple[tuple, str, str, dict]] = []
    for v in values:
        s = shown.get((v.skema, v.noegle))
        if s is None or v.value is None or v.value == "":
            continue
        tilbud_id = v.tilbud_id or (v.respondent_id if s.respondent_is_tilbud else None)
        if tilbud_id is None:
            continue
        where = [ydelser.get(v.ydelse_id, v.ydelse_id) if v.ydelse_id else "", kommuner.get(v.kommune_id, "")]
        where.append(f"linje {v.linje}" if v.linje else "")
        etiket = s.felt.etiket + (f" {v.felt_aar}" if v.felt_aar is not None else "")
        etiket += "".join(f" – {w}" for w in where if w)
        fra = "" if s.respondent_is_tilbud else (s.fra_form or names.get(v.respondent_id, v.respondent_id))
        row = {"etiket": etiket, "fra": fra, "vaerdi": format_value(s.felt, v.value)}
        rank = (
            s.order,
            v.felt_aar or 0,
            v.ydelse_id or "",
            v.kommune_id or "",
            int(v.linje) if (v.linje or "").isdigit() else 0,
            party_order.get(v.respondent_id, len(party_order)),
            v.respondent_id,
        )
        for dokument in s.dokumenter:
            collected.append((rank, dokument, tilbud_id, row))
    for _rank, dokument, tilbud_id, row in sorted(collected, key=lambda c: c[0]):
        out[dokument].setdefault(tilbud_id, []).append(row)
    return out
