"""Assessment of nominations against criteria A, B and C (Tabel 2 in the model).

A is met if any of A.1–A.3; B if B.1; C only if both C.1 and C.2. A tilbud is recommended
(indstilles) only if A, B and C are met. A newly established tilbud that misses a category is
marked for dispensation: the tool flags it, DAS decides."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.fieldkeys import Indmelding

INDSTILLES = "indstilles"
DISPENSATION = "kan dispenseres – kræver enighed i DAS"
IKKE = "indstilles ikke"
MANGLER = "mangler svar"

CATEGORIES = {"A": ("a1", "a2", "a3"), "B": ("b1",), "C": ("c1", "c2")}  # codes: Indmelding.KRITERIER
RULE = {"A": "mindst ét", "B": "B.1", "C": "både C.1 og C.2"}


@dataclass(frozen=True)
class Assessment:
    respondent_id: str
    nr: str
    tilbudsnavn: str
    nyoprettet: str | None
    kategorier: dict  # "A"/"B"/"C" -> True | False | None (undetermined: answers missing)
    resultat: str
    begrundelser: tuple[str, ...]


def _label(c: str) -> str:
    return f"{c[0].upper()}.{c[1]}"


def category_met(cat: str, answers: dict[str, str | None]) -> bool | None:
    vals = [answers.get(c) for c in CATEGORIES[cat]]
    if cat == "A":
        if "Ja" in vals:
            return True
        return False if all(v == "Nej" for v in vals) else None
    if "Nej" in vals:
        return False
    return True if all(v == "Ja" for v in vals) else None


def assess_nomination(
    answers: dict[str, str | None], nyoprettet: str | None, respondent_id: str = "", nr: str = "", tilbudsnavn: str = ""
) -> Assessment:
    """`answers`: {'a1': 'Ja'|'Nej'|None, …, 'c2': …}."""
    cats = {cat: category_met(cat, answers) for cat in CATEGORIES}
    reasons = []
    for cat, met in cats.items():
        codes = CATEGORIES[cat]
        ja = [_label(c) for c in codes if answers.get(c) == "Ja"]
        nej = [_label(c) for c in codes if answers.get(c) == "Nej"]
        missing = [_label(c) for c in codes if answers.get(c) not in ("Ja", "Nej")]
        if met:
            reasons.append(f"Kategori {cat} er opfyldt ({', '.join(ja)}).")
        elif met is False:
            reasons.append(
                f"Kategori {cat} er ikke opfyldt ({RULE[cat]} skal være opfyldt; ikke opfyldt: {', '.join(nej)})."
            )
        else:
            reasons.append(f"Kategori {cat} kan ikke vurderes: mangler svar på {', '.join(missing)}.")
    if all(cats.values()):
        result = INDSTILLES
    elif False in cats.values():
        result = DISPENSATION if nyoprettet == "Ja" else IKKE
        if nyoprettet == "Ja":
            reasons.append(
                "Tilbuddet er nyoprettet og kan undtagelsesvis omfattes, hvis der er enighed i DAS om behovet."
            )
        elif nyoprettet is None:
            reasons.append("Det er ikke oplyst, om tilbuddet er nyoprettet (dispensation kan ikke vurderes).")
    else:
        result = MANGLER
    return Assessment(respondent_id, nr, tilbudsnavn, nyoprettet, cats, result, tuple(reasons))


def assess_all(values) -> list[Assessment]:
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
        answers = {c: b.get(Indmelding.OPFYLDT[c]) for codes in CATEGORIES.values() for c in codes}
        out.append(assess_nomination(answers, b.get(Indmelding.NYOPRETTET), rid, nr, str(b[Indmelding.TILBUDSNAVN])))
    return out
