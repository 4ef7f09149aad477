"""Expand a definition for one recipient and year into a plan: sheets, blocks, sections and the
concrete field instances with their keys. Pure: the Excel writer lays the plan out, the reader and
validator use its field instances. See docs/skemaformat.md for the key scheme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.definitions.cases import Sag
from toolkit.definitions.model import BLOCK_CONTEXT, CASE_SHEETS, CONTEXT_COLUMNS, Ark, Felt, Sektion, Skemadefinition
from toolkit.definitions.recipients import Modtager, tilbud_for
from toolkit.fieldkeys import Panel
from toolkit.stamdata.model import Stamdata, Tilbud


@dataclass(frozen=True)
class Item:
    """One repetition: a tilbud, ydelse, kommune, numbered block or free line."""

    kind: str
    id: str
    label: str
    obj: Any = None


@dataclass(slots=True)  # not frozen: tens of thousands are made per national run, and frozen is slower
class FieldInstance:
    key: str
    felt: Felt
    ark: str
    aar: int | None
    prefill: Any
    aktiv_key: str | None  # key whose value activates this block (gentag: nr), else None
    tilbud_id: str | None
    ydelse_id: str | None
    kommune_id: str | None
    sted: str = ""  # where, for people: "Døvblindecenter Nordjylland › Aflastning, børn"

    @property
    def required(self) -> bool:
        return self.felt.obligatorisk


@dataclass
class SectionPlan:
    sektion: Sektion
    rows: list[Item] | None  # None: one field per row (felter layout)
    columns: list[tuple[Felt, int | None]]
    context_columns: list[tuple[str, str]]  # (attribute, header)
    row_context: list[list[Any]] = field(default_factory=list)  # locked values per row
    cells: dict[tuple[int, int], FieldInstance] = field(default_factory=dict)


@dataclass
class BlockPlan:
    item: Item | None
    context: list[tuple[str, str, bool]]  # (label, value, is_url)
    sections: list[SectionPlan]


@dataclass
class SheetPlan:
    ark: Ark
    blocks: list[BlockPlan]


@dataclass
class FormPlan:
    defn: Skemadefinition
    modtager: Modtager
    aar: int
    sheets: list[SheetPlan]

    def fields(self) -> list[FieldInstance]:
        return [
            fi for s in self.sheets for b in s.blocks for sec in b.sections for _pos, fi in sorted(sec.cells.items())
        ]


def plan_form(
    defn: Skemadefinition, sd: Stamdata, modtager: Modtager, aar: int, sager: Sequence[Sag] | None = None
) -> FormPlan:
    """`sager`: the panel's cases (definitions/cases.py) for sheets with `gentag: indmeldt | udmeldt`,
    and the locked context they add to the blocks of a `gentag: tilbud` sheet."""
    sheets = []
    own_tilbud = sd.tilbud_by_id(modtager.tilbud_id) if modtager.tilbud_id else None
    by_case = {(s.gentag, s.id): s for s in sager or ()}
    for ark in defn.ark:
        if ark.kun_for == "kommune" and not modtager.er_kommune:
            continue
        if ark.kun_for == "driftsherre" and not _own(defn, sd, modtager, aar):
            continue
        blocks = []
        items = _sheet_items(ark, defn, sd, modtager, aar, sager or ())
        if ark.gentag in CASE_SHEETS and not items:
            continue  # no nominations (or withdrawals) this year: no sheet for them
        for item in items:
            tilbud = item.obj if item and item.kind == "tilbud" else own_tilbud
            prefix = [f"{item.kind}.{item.id}"] if item else []
            aktiv = None
            if ark.aktiv_naar:
                aktiv = ".".join([defn.skema, *prefix, ark.aktiv_naar])
            context = _block_context(ark, item.obj, sd) if item and item.kind == "tilbud" else []
            sag = by_case.get((ark.gentag or "", item.id)) if item else None
            if sag is not None:
                context += [(label, text, False) for label, text in sag.kontekst]
            sections = [
                _shared_section(
                    defn, i, sek, ark, sd, modtager, aar, tilbud, prefix, aktiv, item.label if item else "", sag
                )
                for i, sek in enumerate(ark.sektioner)
            ]
            blocks.append(BlockPlan(item, context, sections))
        sheets.append(SheetPlan(ark, blocks))
    return FormPlan(defn, modtager, aar, sheets)


def _own(defn: Skemadefinition, sd: Stamdata, modtager: Modtager, aar: int) -> list[Tilbud]:
    if not modtager.driftsherre_id:
        return []
    return [t for t in tilbud_for(defn, sd, aar, modtager.klynge) if t.driftsherre_id == modtager.driftsherre_id]


def _sheet_items(
    ark: Ark, defn: Skemadefinition, sd: Stamdata, modtager: Modtager, aar: int, sager: Sequence[Sag]
) -> list[Item | None]:
    if ark.gentag in CASE_SHEETS:
        return [
            Item(s.kind, s.id, s.navn, sd.tilbud_by_id(s.id) if s.kind == "tilbud" else None)
            for s in sager
            if s.gentag == ark.gentag
        ]
    if ark.gentag == "tilbud":
        return [Item("tilbud", t.id, t.navn, t) for t in tilbud_for(defn, sd, aar, modtager.klynge)]
    if ark.gentag == "nr":
        assert ark.antal is not None  # the model requires antal with gentag 'nr'
        antal = int(sd.setting(f"{defn.skema}_antal_tilbud", ark.antal))  # stamdata may ask for more blocks
        return [Item("nr", str(n), f"Tilbud {n}") for n in range(1, antal + 1)]
    return [None]


def _block_context(ark: Ark, tilbud: Tilbud, sd: Stamdata) -> list[tuple[str, str, bool]]:
    out = []
    for attr in ark.vis:
        if attr == "driftsherre":
            out.append((BLOCK_CONTEXT[attr], sd.driftsherre(tilbud.driftsherre_id).navn, False))
        else:
            out.append((BLOCK_CONTEXT[attr], getattr(tilbud, attr) or "", attr.endswith("_url")))
    return out


def _row_items(defn: Skemadefinition, sek: Sektion, sd: Stamdata, modtager: Modtager, aar: int, tilbud: Tilbud | None):
    g = sek.gentag
    if g is None:
        return None
    if g == "ydelse":
        return [Item("ydelse", y.id, y.navn, y) for y in sd.ydelser_for(tilbud.id)] if tilbud else []
    if g == "kommune":
        return [Item("kommune", k.id, k.navn, k) for k in sd.kommuner()]
    if g == "tilbud":
        return [Item("tilbud", t.id, t.navn, t) for t in tilbud_for(defn, sd, aar, modtager.klynge)]
    if g == "egne_tilbud":
        return [Item("tilbud", t.id, t.navn, t) for t in _own(defn, sd, modtager, aar)]
    assert sek.antal is not None  # gentag 'linje': the model requires antal
    return [Item("linje", str(n), f"{n}") for n in range(1, sek.antal + 1)]


_PERSONAL_SOURCES = ("modtager.", "driftsherre.")


def _shared_section(defn, index, sek, ark, sd, modtager, aar, tilbud, prefix, aktiv, block_label, sag) -> SectionPlan:
    """A section's plan depends on the recipient only through own-tilbud rows and modtager/driftsherre
    prefills; otherwise every recipient gets the same plan (e.g. the 60 tilbud blocks of each
    municipality's form), so it is made once per stamdata and shared. Plans are never mutated
    (generate.apply_prefill copies)."""
    personal = sek.gentag == "egne_tilbud" or any((f.forudfyld or "").startswith(_PERSONAL_SOURCES) for f in sek.felter)
    key = (
        defn.skema,
        defn.hash,
        ark.navn,
        index,
        aar,
        tilbud.id if tilbud else None,
        tuple(prefix),
        aktiv,
        block_label,
        _who(modtager) if personal else None,
        _withheld(sag),
        modtager.klynge,
    )
    memo = sd.memo.setdefault("sections", {})
    plan = memo.get(key)
    if plan is None:
        plan = memo[key] = _plan_section(
            defn, sek, ark, sd, modtager, aar, tilbud, prefix, aktiv, block_label, _withheld(sag)
        )
    return plan


def _withheld(sag: Sag | None) -> tuple[str, ...]:
    """Choices a case is not offered: admission on dispensation is for nyoprettede tilbud only (when
    the case is read back from a file, whether it was nyoprettet is not known: nothing is withheld)."""
    return (Panel.DISPENSATION,) if sag is not None and sag.nyoprettet is False else ()


def _who(m: Modtager) -> tuple:
    return (m.id, m.navn, m.kontaktperson, m.email, m.telefon, m.driftsherre_id, m.tilbud_id)


def _plan_section(defn, sek, ark, sd, modtager, aar, tilbud, prefix, aktiv, block_label, withheld) -> SectionPlan:
    rows = _row_items(defn, sek, sd, modtager, aar, tilbud)
    columns: list[tuple[Felt, int | None]] = []
    for f in sek.felter:
        if withheld and set(withheld) & set(f.valg):
            f = f.model_copy(update={"valg": tuple(v for v in f.valg if v not in withheld)})
        columns += [(f, aar + off) for off in f.aar] if f.aar else [(f, None)]
    ctx_cols = [(c, CONTEXT_COLUMNS[sek.gentag][c]) for c in sek.vis] if sek.gentag else []
    plan = SectionPlan(sek, rows, columns, ctx_cols)
    plan.row_context = [[_context_value(sd, item, attr) for attr in sek.vis] for item in rows or []]
    for r, item in enumerate(rows if rows is not None else [None]):
        parts = prefix + ([f"{item.kind}.{item.id}"] if item else [])
        row_tilbud = item.obj if item and item.kind == "tilbud" else tilbud
        row_label = (f"linje {item.label}" if item.kind == "linje" else item.label) if item else ""
        sted = " › ".join(x for x in (block_label, row_label) if x)
        for c, (felt, year) in enumerate(columns):
            key = ".".join([defn.skema, *parts, felt.noegle] + ([str(year)] if year is not None else []))
            plan.cells[(r, c)] = FieldInstance(
                key=key,
                felt=felt,
                ark=ark.navn,
                aar=year,
                prefill=_prefill(felt, modtager, row_tilbud, item, sd),
                aktiv_key=aktiv,
                tilbud_id=row_tilbud.id if row_tilbud else None,
                ydelse_id=item.id if item and item.kind == "ydelse" else None,
                kommune_id=item.id if item and item.kind == "kommune" else None,
                sted=sted,
            )
    return plan


def _prefill(felt: Felt, modtager: Modtager, tilbud: Tilbud | None, item: Item | None, sd: Stamdata):
    src = felt.forudfyld
    if not src:
        return None
    obj_name, attr = src.split(".")
    if obj_name == "modtager":
        return getattr(modtager, attr) or None
    if obj_name == "driftsherre":
        return (getattr(sd.driftsherre(modtager.driftsherre_id), attr) or None) if modtager.driftsherre_id else None
    if obj_name == "tilbud":
        return (getattr(tilbud, attr) or None) if tilbud else None
    if obj_name == "ydelse" and item is not None and item.kind == "ydelse":
        return getattr(item.obj, attr)
    return None


def _context_value(sd: Stamdata, item: Item, attr: str):
    if attr == "driftsherre":
        return sd.driftsherre(item.obj.driftsherre_id).navn
    return getattr(item.obj, attr, None)
