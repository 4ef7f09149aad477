"""Assessment of nominations against a criteria set (definitions/kriterier.py; the bundled
kriterier.yaml is Tabel 2 in the Nordjylland model: A if any of A.1–A.3, B if B.1, C only if both
C.1 and C.2, and a tilbud is recommended only if A, B and C are met).

Each category is met by its rule ("mindst_en": any of its criteria, "alle": all of them). A tilbud is
recommended (indstilles) if the categories the set requires are met. One that misses a category is
marked for dispensation when the set allows it (e.g. only a newly established tilbud): the tool flags
it, DAS decides. The set is passed in as data; nothing here reads files."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.definitions.kriterier import Kriteriesaet
from toolkit.fieldkeys import Indmelding

INDSTILLES = "indstilles"
DISPENSATION = "kan dispenseres – kræver enighed om behovet"
IKKE = "indstilles ikke"
MANGLER = "mangler svar"


@dataclass(frozen=True)
class Assessment:
    respondent_id: str
    nr: str
    tilbudsnavn: str
    nyoprettet: str | None
    kategorier: dict  # category id ("A") -> True | False | None (undetermined: answers missing)
    resultat: str
    begrundelser: tuple[str, ...]


def category_met(kriterier: Kriteriesaet, cat: str, answers: dict[str, str | None]) -> bool | None:
    vals = [answers.get(c) for c in kriterier.koder(cat)]
    if kriterier.kategori(cat).regel == "mindst_en":
        if "Ja" in vals:
            return True
        return False if all(v == "Nej" for v in vals) else None
    if "Nej" in vals:
        return False
    return True if all(v == "Ja" for v in vals) else None


def assess_nomination(
    kriterier: Kriteriesaet,
    answers: dict[str, str | None],
    nyoprettet: str | None,
    respondent_id: str = "",
    nr: str = "",
    tilbudsnavn: str = "",
) -> Assessment:
    """`answers`: {criterion code: 'Ja'|'Nej'|None}, e.g. {'a1': 'Ja', …, 'c2': …}."""
    cats = {k.id: category_met(kriterier, k.id, answers) for k in kriterier.kategorier}
    reasons = []
    for cat, met in cats.items():
        labels = [(kriterier.etiket(c), answers.get(c)) for c in kriterier.koder(cat)]
        ja = [lb for lb, v in labels if v == "Ja"]
        nej = [lb for lb, v in labels if v == "Nej"]
        missing = [lb for lb, v in labels if v not in ("Ja", "Nej")]
        if met:
            reasons.append(f"Kategori {cat} er opfyldt ({', '.join(ja)}).")
        elif met is False:
            reasons.append(
                f"Kategori {cat} er ikke opfyldt ({kriterier.regel_tekst(cat)} skal være opfyldt; "
                f"ikke opfyldt: {', '.join(nej)})."
            )
        else:
            reasons.append(f"Kategori {cat} kan ikke vurderes: mangler svar på {', '.join(missing)}.")
    needed = [cats[c] for c in kriterier.kraevede()]
    if all(needed):
        result = INDSTILLES
    elif False in needed:
        result, reason = _dispensation(kriterier, [c for c in kriterier.kraevede() if cats[c] is False], nyoprettet)
        if reason:
            reasons.append(reason)
    else:
        result = MANGLER
    return Assessment(respondent_id, nr, tilbudsnavn, nyoprettet, cats, result, tuple(reasons))


def _dispensation(kriterier: Kriteriesaet, unmet: list[str], nyoprettet: str | None) -> tuple[str, str | None]:
    """The result for a tilbud that misses the categories `unmet`, and the reason to add (if any)."""
    rule = kriterier.dispensation
    if rule is None or (rule.mangler_hoejst is not None and any(c not in rule.mangler_hoejst for c in unmet)):
        return IKKE, None
    if not rule.hvis_nyoprettet:
        return DISPENSATION, "Tilbuddet kan undtagelsesvis omfattes, hvis der er enighed om behovet."
    if nyoprettet == "Ja":
        return (
            DISPENSATION,
            "Tilbuddet er nyoprettet og kan undtagelsesvis omfattes, hvis der er enighed om behovet.",
        )
    if nyoprettet is None:
        return IKKE, "Det er ikke oplyst, om tilbuddet er nyoprettet (dispensation kan ikke vurderes)."
    return IKKE, None


def assess_all(kriterier: Kriteriesaet, values) -> list[Assessment]:
    """Assess every used nomination block in the current indmelding values."""
    blocks: dict[tuple[str, str], dict] = {}
    for v in values:
        if v.skema != Indmelding.SKEMA or v.nr is None or v.linje is not None:
            continue
        blocks.setdefault((v.respondent_id, v.nr), {})[v.noegle] = v.value
    out = []
    for (rid, nr), b in sorted(blocks.items()):
        if not b.get(Indmelding.TILBUDSNAVN):
            continue
        answers = {c: b.get(Indmelding.opfyldt(c)) for c in kriterier.alle_koder()}
        out.append(
            assess_nomination(kriterier, answers, b.get(Indmelding.NYOPRETTET), rid, nr, str(b[Indmelding.TILBUDSNAVN]))
        )
    return out
