"""One table per form: one row per respondent × scope (tilbud, ydelse, kommune, …) with the parent
ids repeated, one column per field (and year), in definition order. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.definitions.model import Skemadefinition
from toolkit.definitions.recipients import recipients
from toolkit.stamdata.model import Stamdata

SCOPE_COLUMNS = {
    "tilbud": ("Tilbud-id", "Tilbud"),
    "ydelse": ("Ydelse-id", "Ydelse"),
    "kommune": ("Kommune-id", "Kommune"),
    "nr": ("Nr.",),
    "linje": ("Linje",),
}


@dataclass
class FormTable:
    skema: str
    title: str
    columns: list[str]
    rows: list[list]
    types: list[str]  # field type per column ('' for id columns)


def _field_columns(defn: Skemadefinition, aar: int):
    cols, seen = [], set()
    for ark, sek, felt in defn.all_fields():
        scope = ("nr" if ark.gentag == "nr" else "", sek.gentag or "")
        for year in [aar + o for o in felt.aar] or [None]:
            ident = (felt.noegle, year)
            if ident in seen:
                continue
            seen.add(ident)
            cols.append((ident, felt.etiket + (f" {year}" if year is not None else ""), felt.type, scope))
    return cols


def form_table(defn: Skemadefinition, sd: Stamdata, aar: int, values) -> FormTable:
    names = {m.id: m.navn for m in recipients(defn, sd, aar)}
    tilbud = {t.id: t.navn for t in sd.tilbud}
    ydelser = {y.id: y.navn for y in sd.ydelser}
    kommuner = {a.id: a.navn for a in sd.aftaleparter}
    fcols = _field_columns(defn, aar)
    col_index = {ident: i for i, (ident, *_rest) in enumerate(fcols)}
    where: dict[str, tuple | None] = {}  # felt -> (column, scope); None: no longer in the definition
    groups: dict[tuple, dict] = {}
    sources: dict[tuple, str] = {}
    for v in values:
        if v.felt in where:
            at = where[v.felt]
        else:
            ci = col_index.get((v.noegle, v.felt_aar))
            at = where[v.felt] = None if ci is None else (ci, v.scope)
        if at is None:
            continue
        gkey = (v.respondent_id, at[1])
        vals = groups.get(gkey)
        if vals is None:
            vals = groups[gkey] = {}
            sources[gkey] = v.kilde_fil
        vals[at[0]] = v.value
    kinds_used = {kind for at in where.values() if at for kind, _ in at[1]}
    if defn.modtager == "tilbud":
        kinds_used.add("tilbud")
    kinds = [k for k in SCOPE_COLUMNS if k in kinds_used]
    columns = ["Respondent-id", "Respondent"]
    for kind in kinds:
        columns += list(SCOPE_COLUMNS[kind])
    n_id = len(columns)
    columns.append("Kilde")
    for _i, title, _t, _s in fcols:
        columns.append(_unique(title, columns))
    types = [""] * (n_id + 1) + [t for _i, _title, t, _s in fcols]
    lookups = {"tilbud": tilbud, "ydelse": ydelser, "kommune": kommuner}
    per_tilbud = defn.modtager == "tilbud"
    rows = []
    for (rid, scope), vals in sorted(groups.items(), key=lambda kv: (names.get(kv[0][0], kv[0][0]), kv[0][1])):
        sd_scope = dict(scope)
        if per_tilbud:
            sd_scope.setdefault("tilbud", rid)
        row = [rid, names.get(rid, rid)]
        for kind in kinds:
            i = sd_scope.get(kind)
            if kind in ("nr", "linje"):
                row.append(int(i) if i else None)
            else:
                row += [i, lookups[kind].get(i, i) if i else None]
        row.append(sources[(rid, scope)])
        cells = [None] * len(fcols)
        for i, v in vals.items():
            cells[i] = v
        row += cells
        rows.append(row)
    return FormTable(defn.skema, defn.navn, columns, rows, types)


def _unique(title: str, existing: list[str]) -> str:
    out, n = title, 2
    while out in existing:
        out, n = f"{title} ({n})", n + 1
    return out
