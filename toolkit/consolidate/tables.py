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
    lookups = {
        "tilbud": {t.id: t.navn for t in sd.tilbud},
        "ydelse": {y.id: y.navn for y in sd.ydelser},
        "kommune": {a.id: a.navn for a in sd.aftaleparter},
    }
    fcols = _field_columns(defn, aar)
    col_index = {ident: i for i, (ident, *_rest) in enumerate(fcols)}
    # first pass, once per field key: its column and its scope (numbered, so rows group by small keys)
    scope_ids: dict[tuple, int] = {}
    where: dict[str, tuple | None] = {}  # felt -> (column, scope number); None: no longer in the definition
    for v in values:
        if v.felt not in where:
            ci = col_index.get((v.noegle, v.felt_aar))
            where[v.felt] = None if ci is None else (ci, scope_ids.setdefault(v.scope, len(scope_ids)))
    scopes = list(scope_ids)  # scope number -> scope
    kinds_used = {kind for scope in scopes for kind, _ in scope}
    per_tilbud = defn.modtager == "tilbud"
    if per_tilbud:
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

    def scope_cells(rid, scope) -> list:
        sd_scope = dict(scope)
        if per_tilbud:
            sd_scope.setdefault("tilbud", rid)
        out: list = []
        for kind in kinds:
            i = sd_scope.get(kind)
            if kind in ("nr", "linje"):
                out.append(int(i) if i else None)
            else:
                out += [i, lookups[kind].get(i, i) if i else None]
        return out

    # second pass: one row per respondent × scope, made when its first value comes
    first = n_id + 1  # the first field column
    field_at = {felt: (first + at[0], at[1]) for felt, at in where.items() if at is not None}
    blank = [None] * len(fcols)
    by_scope: dict[object, list] = {}  # the scope's cells (per respondent when the respondent is the tilbud)
    groups: dict[tuple, list] = {}  # (respondent, scope number) -> its row
    for v in values:
        at = field_at.get(v.felt)
        if at is None:
            continue
        gkey = (v.respondent_id, at[1])
        row = groups.get(gkey)
        if row is None:
            rid = v.respondent_id
            skey = gkey if per_tilbud else at[1]
            ids = by_scope.get(skey)
            if ids is None:
                ids = by_scope[skey] = scope_cells(rid, scopes[at[1]])
            row = groups[gkey] = [rid, names.get(rid, rid), *ids, v.kilde_fil, *blank]
        row[at[0]] = v.value
    # rows by respondent name, then scope (the scopes ranked once: the sort compares numbers)
    rank = [0] * len(scopes)
    for n, sid in enumerate(sorted(range(len(scopes)), key=scopes.__getitem__)):
        rank[sid] = n
    order = sorted(groups, key=lambda g: (names.get(g[0], g[0]), rank[g[1]]))
    return FormTable(defn.skema, defn.navn, columns, [groups[g] for g in order], types)


def _unique(title: str, existing: list[str]) -> str:
    out, n = title, 2
    while out in existing:
        out, n = f"{title} ({n})", n + 1
    return out
