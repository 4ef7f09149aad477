"""Read one returned form: identify it, find every expected field, normalise and validate.
Bad content never raises: it becomes Issues. What the file claims about itself (form, year,
respondent) is checked against stamdata and the definition; stamdata wins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from toolkit.definitions.cases import cases_from_keys, uses_cases
from toolkit.definitions.expand import plan_form
from toolkit.definitions.model import Skemadefinition
from toolkit.definitions.recipients import Modtager, as_sent, find_recipient
from toolkit.forms.meta import defined_name
from toolkit.problems import FEJL, Issue
from toolkit.returns.guards import RefusedSheet, check_package
from toolkit.returns.normalize import normalize
from toolkit.returns.reader import RawWorkbook, UnreadableWorkbook, open_workbook
from toolkit.returns.saved import document_saved
from toolkit.stamdata.model import Stamdata
from toolkit.statuses import AnswerStatus


class FieldValue(NamedTuple):
    """One value read (a named tuple: made and sent back from the reader's worker process by the
    thousand, cheaply)."""

    key: str  # only the key crosses back from the reader's worker process: cheap to send
    value: Any
    raw: str
    sheet: str
    cell: str


@dataclass
class ReadResult:
    file: Path
    original_name: str
    skema: str | None = None
    aar: int | None = None
    modtager: Modtager | None = None
    version: int | None = None
    values: list[FieldValue] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    refused: bool = False
    saved: dt.datetime | None = None  # when the file says it was last saved (returns.saved); None: it does not

    @property
    def valid(self) -> bool:
        return not self.refused and not any(i.severity == FEJL for i in self.issues)

    @property
    def status(self) -> AnswerStatus:
        if self.refused:
            return AnswerStatus.AFVIST
        return AnswerStatus.GYLDIG if self.valid else AnswerStatus.FEJL

    def refuse(self, code: str, message: str) -> ReadResult:
        self.issues.append(Issue(code, message, file=self.original_name, skema=self.skema or ""))
        self.refused = True
        return self


def read_return(
    path: Path, sd: Stamdata, defs: dict[str, Skemadefinition], original_name: str | None = None
) -> ReadResult:
    path = Path(path)
    res = ReadResult(path, original_name or path.name)
    refusal, warnings, package = check_package(path)  # the file is read and unpacked once, here
    if refusal is not None or package is None:
        assert refusal is not None
        return _refused(res, refusal)
    res.issues += [
        replace(w, file=res.original_name, message=w.message.replace(path.name, res.original_name)) for w in warnings
    ]
    res.saved = document_saved(package, path.suffix)
    try:
        raw = open_workbook(path, package)
    except UnreadableWorkbook as exc:
        package.close()
        return res.refuse("ulaeselig-fil", f"Filen {res.original_name} kan ikke læses som regneark ({str(exc)[:120]}).")
    except RefusedSheet as exc:  # a hidden sheet the guard checks only when it is loaded
        package.close()
        return _refused(ReadResult(path, res.original_name), exc.issue)
    try:
        defn = _identify(raw, res, sd, defs)
        if defn is None:
            return res
        _extract(raw, res, defn, sd)
    except RefusedSheet as exc:
        return _refused(ReadResult(path, res.original_name), exc.issue)
    finally:
        raw.close()
        package.close()
    return res


def _refused(res: ReadResult, refusal: Issue) -> ReadResult:
    """`res` refused by the guard: nothing read from the file is kept, only the refusal."""
    name = res.original_name
    res.issues.append(replace(refusal, file=name, message=refusal.message.replace(res.file.name, name)))
    res.refused = True
    return res


def _as_int(v) -> int | None:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return None


IDENTITY_KEYS = ("skema", "version", "definition_hash", "aar", "modtager_id", "modtager_navn")
SOURCE_NAMES = {"_skema": "arket '_skema'", "navne": "de definerede navne", "egenskaber": "dokumentegenskaberne"}


def _disagreeing(raw: RawWorkbook) -> list[str]:
    """The identity keys on which the file's copies of its identity (the `_skema` sheet, the
    constant names, the document properties) disagree."""
    out = []
    for key in IDENTITY_KEYS:
        seen = {_canonical(key, meta[key]) for meta in raw.identity.values() if key in meta}
        if len(seen) > 1:
            out.append(key)
    return out


def _canonical(key: str, v) -> str:
    """One spelling per value: 2028, 2028.0 and '2028' are the same year."""
    n = _as_int(v) if key in ("version", "aar") or (isinstance(v, float) and v.is_integer()) else None
    return str(n) if n is not None else str(v).strip()


def _identify(raw: RawWorkbook, res: ReadResult, sd: Stamdata, defs) -> Skemadefinition | None:
    """The form's identity from the first copy that holds it: the `_skema` sheet, the constant
    defined names, the document properties (deleting or renaming a sheet leaves the last two)."""
    name = res.original_name
    skema = raw.meta.get("skema")
    if not skema or skema not in defs:
        res.refuse(
            "fremmed-projektmappe",
            f"{name} er ikke et skema fra sekretariatet (det skjulte ark '_skema' mangler eller er ukendt). "
            f"Bed afsenderen bruge det tilsendte skema.",
        )
        return None
    defn = defs[skema]
    res.skema = skema
    res.version = _as_int(raw.meta.get("version"))
    res.aar = _as_int(raw.meta.get("aar"))
    if res.version != defn.version:
        res.refuse(
            "ukendt-version",
            f"{name} er version {raw.meta.get('version')} af skemaet '{defn.navn}', men den gældende "
            f"version er {defn.version}. Send skemaet i den nye version til afsenderen.",
        )
        return None
    modtager_id = str(raw.meta.get("modtager_id") or "")
    m = find_recipient(defn, sd, res.aar, modtager_id) if res.aar else None
    if m is None:
        res.refuse(
            "ukendt-modtager",
            f"{name}: modtageren '{modtager_id}' for {res.aar} findes ikke i stamdata for '{defn.navn}'.",
        )
        return None
    res.modtager = m
    disagree = _disagreeing(raw)
    if (
        disagree
        or str(raw.meta.get("definition_hash") or "") != defn.hash
        or (raw.meta.get("modtager_navn") not in (None, "", m.navn))
    ):
        where = (
            f" Skemaets oplysninger ({', '.join(disagree)}) er forskellige i "
            f"{' og '.join(SOURCE_NAMES.get(s, s) for s in raw.identity)}."
            if disagree
            else ""
        )
        res.issues.append(
            Issue(
                "manipuleret",
                f"{name}: skemaets skjulte oplysninger passer ikke med definitionen eller stamdata "
                f"(ændret efter udsendelse?).{where} Værdierne er læst efter stamdata for {m.navn}; "
                f"kontrollér dem.",
                file=name,
                respondent=m.navn,
                skema=skema,
                sheet="_skema",
            )
        )
    return defn


def _extract(raw: RawWorkbook, res: ReadResult, defn: Skemadefinition, sd: Stamdata) -> None:
    m, aar = res.modtager, res.aar
    assert m is not None and aar is not None  # _identify found the recipient and the year
    sager = cases_from_keys(defn, sd, _keys(raw)) if uses_cases(defn) else None
    m = as_sent(defn, sd, aar, m, _keys(raw))  # a cluster's form: its tilbud only
    plan = plan_form(defn, sd, m, aar, sager)  # the panel's cases: as the file lists them
    # names as the form was made: each field's cell is the one its name gives, so the map is not read
    mapping = {} if raw.layout_intact else {k: (s, c) for k, s, c in raw.mapping}
    used: set[str] = set()
    issues_before = len(res.issues)

    def issue(code, fi, sheet, cell, text):
        res.issues.append(
            Issue(
                code,
                f"{sheet}!{cell} ({_label(fi)}): {text}",
                file=res.original_name,
                respondent=m.navn,
                skema=defn.skema,
                sheet=sheet,
                cell=cell,
                key=fi.key,
            )
        )

    fields = [(fi, defined_name(fi.key, used)) for fi in plan.fields()]
    names_get, map_get = raw.names.get, mapping.get
    # each field's cell by its defined name and by its entry in the map
    if mapping:
        found = [(fi, name, names_get(name), map_get(fi.key)) for fi, name in fields]
    else:
        found = [(fi, name, names_get(name), None) for fi, name in fields]
    # An address from the map (`_felter`) is only a fallback while the cells have not moved: once any
    # living name of a sheet points elsewhere than its map entry (rows inserted or deleted, sheet
    # renamed), none of that sheet's map addresses is trusted, nor any address a living name now claims.
    stale = (
        {by_map[0] for _fi, _n, by_name, by_map in found if by_name and by_map and by_name != by_map}
        if mapping
        else set()
    )
    claimed: set[tuple[str, str]] | None = None  # made when first needed: most forms lose no name

    values: dict[str, FieldValue] = {}
    flagged: set[str] = set()
    moved: dict[str, list[tuple[Any, str, str]]] = {}  # sheet -> (field, old cell, new cell) of moved cells

    def lost(fi, code: str, message: str, sheet: str = "") -> None:
        """A field whose cell cannot be trusted or found: reported, left empty."""
        res.issues.append(
            Issue(code, message, file=res.original_name, respondent=m.navn, skema=defn.skema, sheet=sheet, key=fi.key)
        )
        flagged.add(fi.key)

    located: dict[str, tuple[str, str]] = {}
    answered = False  # any input cell that differs from what the form was sent out with
    flags, value, present = raw.flags, raw.value, set(raw.sheet_names)
    flag_at = flags.get
    # the value in each field's named cell, read in one pass (the map's addresses only when needed)
    named = raw.values_at([by_name for _fi, _n, by_name, _m in found])
    for (fi, name, by_name, by_map), v in zip(found, named, strict=True):
        if v is None and by_name is not None and by_map is None and flag_at(by_name) is None:
            located[fi.key] = by_name
            continue  # an empty cell where its name says (most of a large form): nothing to keep
        if by_name is None:
            if name in raw.deleted:
                gone = by_map[0] if by_map and by_map[0] not in present else ""
                what = f"Arket '{gone}' med feltet '{_label(fi)}'" if gone else f"Rækken med feltet '{_label(fi)}'"
                lost(fi, "felt-slettet", f"{what} er slettet i filen; feltet er tomt.", by_map[0] if by_map else "")
                continue
            if claimed is None:
                claimed = set(raw.names.values())
            if by_map is not None and (by_map[0] in stale or by_map in claimed):
                lost(
                    fi,
                    "felt-mangler-i-fil",
                    f"Feltet '{_label(fi)}' har mistet sit navn, og cellerne på arket "
                    f"{by_map[0]} er flyttet; dets oprindelige celle {by_map[1]} bruges ikke. Feltet er tomt.",
                    by_map[0],
                )
                continue
        loc = by_name or by_map
        if loc is None:
            lost(fi, "felt-mangler-i-fil", f"Feltet '{fi.felt.etiket}' ({fi.key}) findes ikke i filen.")
            continue
        sheet, cell = located[fi.key] = loc
        if by_map and by_name and by_name != by_map and _moved(by_map, by_name, present):
            moved.setdefault(sheet, []).append((fi, by_map[1], cell))
        if by_name is None:
            v = value(sheet, cell)  # the map's address: a field that lost its name
        flag = flag_at(loc)
        if flag and flag.error:
            issue("fejlvaerdi", fi, sheet, cell, f"cellen indeholder fejlværdien {flag.error}")
            flagged.add(fi.key)
            answered = True
            continue
        if flag and flag.formula and not flag.cached:
            issue(
                "formel-uden-vaerdi",
                fi,
                sheet,
                cell,
                "cellen indeholder en formel uden gemt resultat; åbn og gem filen i Excel eller LibreOffice",
            )
            flagged.add(fi.key)
            answered = True
            continue
        if flag and flag.formula:
            issue("formel", fi, sheet, cell, "værdien er beregnet af en formel i cellen")
        if v is None:
            continue  # an empty cell (most of a large form): nothing to normalise or keep
        n = normalize(fi.felt, v, percent=bool(flag and flag.percent))
        if not answered and not _as_sent(fi, n):
            answered = True
        if n.code:
            issue(n.code, fi, sheet, cell, n.detail)
            flagged.add(fi.key)
        if n.value is not None or n.raw:
            values[fi.key] = FieldValue(fi.key, n.value, n.raw, sheet, cell)
    for sheet, cells in moved.items():
        fi, old, new = cells[0]
        if len(cells) == 1:
            issue(
                "navn-flyttet",
                fi,
                sheet,
                new,
                f"cellen er flyttet fra {old} (rækker indsat?); værdien er læst fra {new}",
            )
            continue
        res.issues.append(
            Issue(
                "navn-flyttet",
                f"Arket '{sheet}': {len(cells)} felter står i andre celler end i skemaet, som det blev sendt ud "
                f"(rækker eller kolonner indsat eller slettet?), fx '{_label(fi)}' i {new} i stedet for {old}. "
                f"Værdierne er læst fra felternes nye celler; kontrollér dem.",
                file=res.original_name,
                respondent=m.navn,
                skema=defn.skema,
                sheet=sheet,
                cell=new,
            )
        )
    if fields and not answered:
        del res.issues[issues_before:]
        res.refuse(
            "ikke-udfyldt",
            f"{res.original_name}: Skemaet er ikke udfyldt – er det det udsendte skema? "
            f"Ingen celle er ændret i forhold til skemaet, som det blev sendt ud.",
        )
        return
    for fi, _name in fields:
        if not fi.required or fi.key in flagged:
            continue
        fv = values.get(fi.key)
        if fv is not None and fv.value is not None:
            continue
        if fi.aktiv_key:
            aktiv = values.get(fi.aktiv_key)
            if aktiv is None or aktiv.value in (None, ""):
                continue  # an unused block: nothing in it is required
        loc = located.get(fi.key) or mapping.get(fi.key, ("", ""))
        issue("mangler-obligatorisk", fi, *loc, "skal udfyldes")
    res.values = list(values.values())


def _keys(raw: RawWorkbook):
    """The field keys the file lists (its map is only read if they are asked for)."""
    for k, _s, _c in raw.mapping:
        yield k


def _moved(by_map: tuple[str, str], by_name: tuple[str, str], present: set[str]) -> bool:
    """Whether a field's cell is another than the one it was sent out in: a different address, or
    another sheet that was there all along. A renamed sheet (its old name is gone) moves nothing."""
    return by_map[1] != by_name[1] or by_map[0] in present


def _label(fi) -> str:
    return fi.felt.etiket + (f" {fi.aar}" if fi.aar is not None else "") + (f", {fi.sted}" if fi.sted else "")


def _as_sent(fi, n) -> bool:
    """The cell holds what the form was generated with (its prefill), read the same way, or only
    a placeholder such as '(venligst udfyld her)'."""
    if n.value is None and not n.code:
        return True
    if fi.prefill is None or fi.prefill == "":
        return False
    if n.value == fi.prefill:
        return True
    return normalize(fi.felt, fi.prefill).value == n.value
