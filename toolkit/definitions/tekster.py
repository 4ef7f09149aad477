"""Placeholders in the definitions' texts: `{organ.das}`, `{maaned.ekspertpanel}`, `{kriterier.regel}`…
Names, months and figures come from the annual cycle (aarshjul.yaml), the criteria set
(kriterier.yaml) and the year's stamdata when a form is generated (rules/tekster.py gives the
values); here is the vocabulary, the check that every placeholder in a definition is known (an
unknown one is a definition error with file and line), and the substitution itself. Pure.

The vocabulary (docs/skabeloner.md, "Pladsholdere i skemaernes tekster"):

- `{region}`: the region's name (stamdata);
- `{organ.<id>}` (= `.navn`), `{organ.<id>.kort}`, `{organ.<id>.ejefald}`: a body of the cycle,
  e.g. "Den Administrative Styregruppe", "DAS", "Den Administrative Styregruppes";
- `{dato.<aktivitet>}`, `{maaned.<aktivitet>}`: an activity's date in the year ("20. maj 2028") and
  its month ("maj"), after the Frister sheet;
- `{kriterier.regel}`, `{kriterier.liste}`: the rule and the criteria, written from kriterier.yaml;
  `{kategori.<id>}`: what a category needs ("mindst ét af A.1, A.2 og A.3", "både C.1 og C.2");
  `{indikation.<kriterium>}`: a criterion's indication from the population ("ca. 15 tilfælde
  årligt i regionen (ca. 1 pr. 40.000 indbyggere)");
- the agreement period: `{aftaleperiode}`, `{udmelding_frist}`, `{das_tekst}`, … (docs/aftaleperiode.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from toolkit.definitions.aarshjul import PERIODE_VARIABLER, Aarshjul
from toolkit.definitions.kriterier import Kriteriesaet
from toolkit.definitions.model import Skemadefinition
from toolkit.problems import DefinitionError, Issue

PLADSHOLDER = re.compile(r"\{([^{}\s]*)\}")
ORGAN_FORMER = ("navn", "kort", "ejefald")
FAST = ("region", "kriterier.regel", "kriterier.liste", *PERIODE_VARIABLER)
CODE = "definition-ugyldig"


def ejefald(navn: str) -> str:
    """Danish genitive: 'Ekspertpanelet' -> 'Ekspertpanelets', 'DAS' -> "DAS'"."""
    return navn + ("'" if navn[-1:].lower() in ("s", "x", "z") else "s")


def known(name: str, aarshjul: Aarshjul, kriterier: Kriteriesaet) -> str:
    """'' if `name` (the text between the braces) is a placeholder the texts may use, else why not."""
    if name in FAST:
        return ""
    kind, _dot, rest = name.partition(".")
    if kind == "organ":
        id_, _dot, form = rest.partition(".")
        ids = [o.id for o in aarshjul.organer]
        if id_ not in ids:
            return f"ukendt organ '{id_}' (organerne i aarshjul.yaml: {', '.join(ids)})"
        if form and form not in ORGAN_FORMER:
            return f"skriv {{organ.{id_}}}, {', '.join('{organ.' + id_ + '.' + f + '}' for f in ORGAN_FORMER)}"
        return ""
    if kind in ("dato", "maaned"):
        keys = [k for a in aarshjul.aktiviteter for k in a.noegler]
        return "" if rest in keys else f"ukendt aktivitet '{rest}' (aktiviteterne i aarshjul.yaml: {', '.join(keys)})"
    if kind == "kategori":
        ids = [k.id for k in kriterier.kategorier]
        return "" if rest in ids else f"ukendt kategori '{rest}' (kategorierne i kriterier.yaml: {', '.join(ids)})"
    if kind == "indikation":
        k = next((k for k in kriterier.kriterier if k.id == rest), None)
        if k is None:
            kids = ", ".join(x.id for x in kriterier.kriterier)
            return f"ukendt kriterium '{rest}' (kriterierne i kriterier.yaml: {kids})"
        return (
            ""
            if k.indikation_pr_indbyggere
            else f"kriteriet {rest} har ingen 'indikation_pr_indbyggere' i kriterier.yaml"
        )
    return (
        "ukendt pladsholder (kendte: {region}, {organ.<id>}, {dato.<aktivitet>}, {maaned.<aktivitet>}, "
        "{kriterier.regel}, {kriterier.liste}, {kategori.<id>}, {indikation.<kriterium>}, "
        + ", ".join("{" + v + "}" for v in PERIODE_VARIABLER)
        + ")"
    )


def texts(defn: Skemadefinition) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of a definition that may hold placeholders."""
    yield "formaal", defn.formaal
    for i, afsnit in enumerate(defn.vejledning):
        yield f"vejledning {i + 1} (overskrift)", afsnit.overskrift
        yield f"vejledning {i + 1} ({afsnit.overskrift})", afsnit.tekst
    for ark in defn.ark:
        yield f"ark '{ark.navn}' (titel)", ark.titel
        yield f"ark '{ark.navn}' (beskrivelse)", ark.beskrivelse
        for sek in ark.sektioner:
            yield f"ark '{ark.navn}', sektion '{sek.titel}'", sek.titel
            yield f"ark '{ark.navn}', sektion '{sek.titel}' (beskrivelse)", sek.beskrivelse
            for felt in sek.felter:
                yield f"feltet '{felt.noegle}' (hjaelp)", felt.hjaelp


def _not_here(defn: Skemadefinition) -> Iterator[tuple[str, str]]:
    """Texts that are also read where no year is known (labels head the consolidated columns, the
    name is in file names): placeholders are not filled in there."""
    yield "navn", defn.navn
    for _ark, _sek, felt in defn.all_fields():
        yield f"feltet '{felt.noegle}' (etiket)", felt.etiket


def check_texts(defs: Mapping[str, Skemadefinition], aarshjul: Aarshjul, kriterier: Kriteriesaet, directory: Path):
    """Every placeholder in every definition is known; else DefinitionError naming each file and line."""
    problems: list[Issue] = []
    for skema, defn in defs.items():
        path = Path(directory) / f"{skema}.yaml"
        for where, text in texts(defn):
            for name in PLADSHOLDER.findall(text):
                why = known(name, aarshjul, kriterier)
                if why:
                    problems.append(_issue(skema, path, name, f"{where}: pladsholderen {{{name}}}: {why}"))
        for where, text in _not_here(defn):
            for name in PLADSHOLDER.findall(text):
                message = (
                    f"{where}: pladsholderen {{{name}}} kan ikke bruges her (kun i formaal, vejledning, titler, "
                    f"beskrivelser og hjaelp)"
                )
                problems.append(_issue(skema, path, name, message))
    if problems:
        raise DefinitionError(", ".join(sorted({i.file for i in problems if i.file})), problems)


def _issue(skema: str, path: Path, name: str, message: str) -> Issue:
    return Issue(CODE, message, file=path.name, skema=skema, line=_line_of(path, "{" + name + "}"))


def _line_of(path: Path, needle: str) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, start=1) if needle in line), None)


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with every known placeholder replaced by its value (rules/tekster.py form_texts); an
    unknown one is left as it is (the definitions were checked when they loaded)."""
    if "{" not in text:
        return text
    return PLADSHOLDER.sub(lambda m: values.get(m[1], m[0]), text)
