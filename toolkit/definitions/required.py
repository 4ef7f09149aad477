"""The noegler that key figures, rules and documents read (named in toolkit/fieldkeys.py) must exist
in the definitions, in the right repetition and with the right years. Checked when the definitions
load, so that renaming one in a YAML file fails with the file and line instead of silently
emptying an output."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from toolkit.definitions.kriterier import Kriteriesaet
from toolkit.definitions.model import ARK_KIND, Skemadefinition
from toolkit.fieldkeys import (
    NAMED,
    OPFYLDT_SUFFIX,
    Indmelding,
    NamedKey,
    Panel,
    begrundelse_key,
    criterion_keys,
    required_keys,
)
from toolkit.problems import DefinitionError, Issue

CODE = "definition-mangler-noegle"


def _kinds(ark, sektion) -> set[str]:
    """The kinds a field's key carries (docs/skemaformat.md); egne_tilbud repeats over tilbud."""
    kind = ARK_KIND.get(ark.gentag or "")
    return {k for k in (kind, "tilbud" if sektion.gentag == "egne_tilbud" else sektion.gentag) if k}


def _years(offsets) -> str:
    return "[" + ", ".join(str(o) for o in offsets) + "]"


KRITERIER_FIL = "kriterier.yaml"


def _criterion_needs(kriterier: Kriteriesaet | None, directory: Path | None) -> list[NamedKey]:
    """The fields of each criterion of the folder's set, each naming the criterion's line."""
    if kriterier is None:
        return []
    try:
        lines = (directory / KRITERIER_FIL).read_text(encoding="utf-8").splitlines() if directory else []
    except (OSError, UnicodeDecodeError):
        lines = []  # a folder without kriterier.yaml uses the bundled set
    out = []
    for k in kriterier.kriterier:
        kode = re.compile(rf"\bkode:\s*[\"']?{re.escape(k.kode)}[\"']?\s*(?:[,}}#]|$)")
        line = next((n for n, text in enumerate(lines, start=1) if kode.search(text)), None)
        where = f"; kriteriet står i {KRITERIER_FIL}" + (f", linje {line}" if line else "")
        out += criterion_keys([(k.id, k.kode)], where)
    return out


def _stray_criteria(defs: Mapping[str, Skemadefinition], kriterier: Kriteriesaet) -> list[tuple[Issue, str | None]]:
    """A <kode>_opfyldt field with no criterion of that kode: its answers would be read by nothing."""
    codes = [k.kode for k in kriterier.kriterier]
    out: list[tuple[Issue, str | None]] = []
    for skema in (Indmelding.SKEMA, Panel.SKEMA):
        defn = defs.get(skema)
        named = {k.noegle for k in NAMED if k.skema == skema}
        seen: set[str] = set()
        for ark, _s, felt in defn.all_fields() if defn else ():
            n = felt.noegle
            if not n.endswith(OPFYLDT_SUFFIX) or n in named or n in seen:
                continue
            seen.add(n)
            kode = n.removesuffix(OPFYLDT_SUFFIX)
            if kode not in codes:
                message = (
                    f"feltet '{n}' (ark '{ark.navn}') hører ikke til noget kriterium: {KRITERIER_FIL} har intet "
                    f"kriterium med 'kode: {kode}' (kendte: {', '.join(codes)}). Tilføj kriteriet i "
                    f"{KRITERIER_FIL}, eller fjern felterne '{n}' og '{begrundelse_key(kode)}'."
                )
                out.append((Issue(CODE, message, file=f"{skema}.yaml", skema=skema, key=n), n))
    return out


def _problems(defs: Mapping[str, Skemadefinition], directory: Path | None = None) -> list[tuple[Issue, str | None]]:
    """Each issue with the noegle whose line in the YAML file shows where it is (None: no such line).
    The criteria's fields are checked when `defs` carries the folder's set (`defs.kriterier`)."""
    out = []
    kriterier: Kriteriesaet | None = getattr(defs, "kriterier", None)
    needs = required_keys() + _criterion_needs(kriterier, directory)
    for need in needs:
        defn = defs.get(need.skema)
        if defn is None:
            continue
        found = [(ark, sek, felt) for ark, sek, felt in defn.all_fields() if felt.noegle == need.noegle]
        if not found:
            out.append(_missing(defn, need, {k.noegle for k in needs if k.skema == need.skema}))
            continue
        placed = [x for x in found if set(need.scope) <= _kinds(x[0], x[1])]
        if not placed:
            ark = found[0][0]
            where = " og ".join(f"'gentag: {k}'" for k in need.scope)
            out.append(
                (
                    _issue(
                        need,
                        ark.navn,
                        f"feltet '{need.noegle}' (ark '{ark.navn}') skal stå i et ark eller en "
                        f"sektion med {where}; det bruges til {need.bruges_til}.",
                    ),
                    need.noegle,
                )
            )
        elif not any(set(need.aar) <= set(felt.aar) for _a, _s, felt in placed):
            ark, _s, felt = placed[0]
            out.append(
                (
                    _issue(
                        need,
                        ark.navn,
                        f"feltet '{need.noegle}' (ark '{ark.navn}') skal spørge til årene "
                        f"aar: {_years(need.aar)} (har {_years(felt.aar)}); det bruges til "
                        f"{need.bruges_til}.",
                    ),
                    need.noegle,
                )
            )
    out += _unknown_choices(defs)
    if kriterier is not None:
        out += _stray_criteria(defs, kriterier)
    return out


CHOICES_READ = {(Panel.SKEMA, Panel.INDSTILLING): Panel.VALG}  # choice fields whose answers the code reads


def _unknown_choices(defs: Mapping[str, Skemadefinition]) -> list[tuple[Issue, str | None]]:
    """A choice the code does not know would silently fall out of the documents that read it."""
    out: list[tuple[Issue, str | None]] = []
    for (skema, noegle), known in CHOICES_READ.items():
        defn = defs.get(skema)
        for ark, _s, felt in defn.all_fields() if defn else ():
            unknown = [v for v in felt.valg if felt.noegle == noegle and v not in known]
            if unknown:
                message = (
                    f"feltet '{noegle}' (ark '{ark.navn}') har valget '{unknown[0]}', som værktøjet ikke kender; "
                    f"mulige valg: {', '.join(known)}."
                )
                out.append((Issue(CODE, message, file=f"{skema}.yaml", skema=skema, key=noegle), noegle))
    return out


def _missing(defn: Skemadefinition, need: NamedKey, needed: set[str]) -> tuple[Issue, str | None]:
    named = needed | {k.noegle for k in NAMED if k.skema == need.skema}
    others = {felt.noegle: ark.navn for ark, _s, felt in defn.all_fields() if felt.noegle not in named}
    guess = difflib.get_close_matches(need.noegle, list(others), n=1, cutoff=0.7)
    hint = (
        f" Mente du '{guess[0]}' (ark '{others[guess[0]]}')? Giv feltet noeglen '{need.noegle}' igen."
        if guess
        else f" Tilføj et felt med 'noegle: {need.noegle}', eller brug de medfølgende definitioner."
    )
    message = f"feltet med noeglen '{need.noegle}' mangler; det bruges til {need.bruges_til}.{hint}"
    return _issue(need, others[guess[0]] if guess else "", message), (guess[0] if guess else None)


def _issue(need: NamedKey, sheet: str, message: str) -> Issue:
    return Issue(CODE, message, file=f"{need.skema}.yaml", skema=need.skema, key=need.noegle)


def check_required_keys(defs: Mapping[str, Skemadefinition]) -> list[Issue]:
    """Every required noegle, for the definitions in `defs` (skema -> definition)."""
    return [issue for issue, _line_noegle in _problems(defs)]


def require_keys(defs: dict[str, Skemadefinition], directory: Path) -> dict[str, Skemadefinition]:
    """`defs` unchanged, or DefinitionError naming the file(s) and, where it can be found, the line."""
    problems = _problems(defs, Path(directory))
    if not problems:
        return defs
    files = sorted({issue.file for issue, _n in problems})
    located = [
        replace(issue, line=_line_of(Path(directory) / issue.file, _noegle_pattern(noegle)) if noegle else None)
        for issue, noegle in problems
    ]
    raise DefinitionError(", ".join(files), located)


def _noegle_pattern(noegle: str) -> re.Pattern:
    return re.compile(rf"\bnoegle:\s*[\"']?{re.escape(noegle)}[\"']?\s*(?:[,}}#]|$)")


def _line_of(path: Path, pattern: re.Pattern) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(text.splitlines(), start=1) if pattern.search(line)), None)
