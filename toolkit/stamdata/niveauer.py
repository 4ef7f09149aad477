"""Checks on the optional sheets Niveauer, Niveauhistorik and Klynger against the rest of the
stamdata: every level a tilbud or a history row names is a known level (when there is a Niveauer
sheet), every tilbud and municipality a history row or a cluster names exists, and a tilbud changes
level at most once a year. Each problem an `Issue` with sheet, row and column, as load.py reports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from toolkit.problems import Issue

# load.py's tables (sheet, present, rows of (n, values), letter(field)) and its guess at what was
# meant, ' (mente du T01?)' or ''
_Table = Any
Guess = Callable[[str, Any], str]


def level_and_cluster_issues(tables: Mapping[str, _Table], guess: Guess) -> list[Issue]:
    issues: list[Issue] = []
    niveauer, tilbud = tables["Niveauer"], tables["Tilbud"]
    if niveauer.present:
        known = set()
        for r in niveauer.rows:
            known |= {str(r.values[k]).casefold() for k in ("id", "navn") if k in r.values}
        for t, name in ((tilbud, "specialiseringsniveau"), (tables["Niveauhistorik"], "niveau")):
            for r in t.rows:
                v = r.values.get(name)
                if v is not None and str(v).casefold() not in known:
                    issues.append(
                        Issue(
                            "stamdata-ukendt-id",
                            f"niveauet '{v}' findes ikke i arket Niveauer{guess(str(v), niveauer)}",
                            sheet=t.sheet,
                            row=r.n,
                            column=t.letter(name),
                        )
                    )
    historik = tables["Niveauhistorik"]
    first: dict[tuple[str, int], int] = {}
    for r in historik.rows:
        tid, aar = r.values.get("tilbud_id"), r.values.get("aar")
        issues += _unknown(historik, r, "tilbud_id", [tid] if tid is not None else [], tilbud, "tilbud", guess)
        if tid is None or aar is None:
            continue
        if (tid, aar) in first:
            issues.append(
                Issue(
                    "stamdata-dublet",
                    f"tilbud '{tid}' har også et niveau for {aar} i række {first[tid, aar]}",
                    sheet=historik.sheet,
                    row=r.n,
                    column=historik.letter("aar"),
                )
            )
        first.setdefault((tid, aar), r.n)
    klynger, parter = tables["Klynger"], tables["Aftaleparter"]
    for r in klynger.rows:
        issues += _unknown(klynger, r, "tilbud", r.values.get("tilbud"), tilbud, "tilbud", guess)
        issues += _unknown(klynger, r, "kommuner", r.values.get("kommuner"), parter, "aftalepart", guess)
    return issues


def _ids(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [str(value)] if not isinstance(value, list) else [str(v) for v in value]


def _unknown(t: _Table, r: Any, name: str, value, target: _Table, noun: str, guess: Guess) -> list[Issue]:
    if not target.present:
        return []  # reported as a missing sheet; every reference would be noise
    known = {str(x.values.get("id")) for x in target.rows}
    return [
        Issue(
            "stamdata-ukendt-id",
            f"{noun} '{v}' findes ikke i arket {target.sheet}{guess(v, target)}",
            sheet=t.sheet,
            row=r.n,
            column=t.letter(name),
        )
        for v in _ids(value)
        if v not in known
    ]
