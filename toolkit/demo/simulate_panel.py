"""The demo's expert panel: fills the panel form the way a panel might, so that the bilag shows a
panel that agrees with some applicants and not with others (Bostedet Lindely: the driftsherre
says B.1 is not met, the panel finds it met), a nødspor and a withdrawal assessed under tillæg 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.definitions.cases import split_nomination_id
from toolkit.definitions.expand import FormPlan
from toolkit.fieldkeys import Panel, parse_key

# nominations by driftsherre: the panel's Ja/Nej per criterion and its proposal
PANEL_INDMELDT: dict[str, tuple[dict[str, str], str]] = {
    "DH-AAL": (dict(a1="Ja", a2="Ja", a3="Nej", b1="Ja", c1="Ja", c2="Ja"), Panel.OPTAGES),
    "DH-RN": (dict(a1="Nej", a2="Ja", a3="Ja", b1="Ja", c1="Ja", c2="Nej"), Panel.DISPENSATION),
    "DH-HJO": (dict(a1="Nej", a2="Ja", a3="Nej", b1="Ja", c1="Ja", c2="Ja"), Panel.OPTAGES),  # B.1: the panel disagrees
    "DH-THI": (dict(a1="Ja", a2="Nej", a3="Nej", b1="Ja", c1="Nej", c2="Ja"), Panel.OPTAGES_IKKE),
}
PANEL_TILBUD = {"T06": (dict(c2="Nej"), Panel.NOEDSPOR)}  # tilbud in the scheme that differ from all-Ja / fortsætter
BAEREDYGTIGHED = (
    "Panelet drøftede i april tilbuddenes bæredygtighed. Tilbuddene er fagligt bæredygtige; for "
    "Tilbuddet med lav efterspørgsel anbefales en dialog mellem driftsherre og kommuner i nødsporet."
)


def _why(navn: str, code: str, svar: str) -> str:
    what = "opfyldt" if svar == "Ja" else "ikke opfyldt"
    return f"{code[0].upper()}.{code[1]} er {what} for {navn} efter panelets drøftelse."


def panel_answers(plan: FormPlan) -> dict[str, Any]:
    """key -> value for every field of the panel form `plan`."""
    out: dict[str, Any] = {}
    opfyldt = {n: c for c, n in Panel.OPFYLDT.items()}
    begrundelse = {n: c for c, n in Panel.BEGRUNDELSE.items()}
    for fi in plan.fields():
        k = parse_key(fi.key)
        n = k.noegle
        if not k.scope:
            if n == Panel.BAEREDYGTIGHED:
                out[fi.key] = BAEREDYGTIGHED
            continue
        kind, sag_id = k.scope[0]
        navn = fi.sted.split(" › ")[0] or sag_id  # the block's tilbud
        if kind == "nr":
            svar, indstilling = PANEL_INDMELDT.get(split_nomination_id(sag_id)[0], ({}, Panel.OPTAGES_IKKE))
        elif n in (Panel.FORTSAT_OPFYLDT, Panel.FORTSAT_BEGRUNDELSE, Panel.KONSEKVENSER):
            out[fi.key] = {
                Panel.FORTSAT_OPFYLDT: "Ja",
                Panel.FORTSAT_BEGRUNDELSE: f"{navn} lever fortsat op til kriterierne; målgruppen er uændret.",
                Panel.KONSEKVENSER: f"Uden {navn} mister landsdelen et højt specialiseret tilbud til målgruppen.",
            }[n]
            continue
        else:
            svar, indstilling = PANEL_TILBUD.get(sag_id, ({}, Panel.FORTSAETTER))
        if n in opfyldt:
            out[fi.key] = svar.get(opfyldt[n], "Ja")
        elif n in begrundelse:
            c = begrundelse[n]
            out[fi.key] = _why(navn, c, svar.get(c, "Ja"))
        elif n == Panel.INDSTILLING:
            out[fi.key] = indstilling
        elif n == Panel.INDSTILLING_BEGRUNDELSE:
            out[fi.key] = f"Panelets forslag for {navn}: {indstilling}."
    return out


def run_panel(ws, aar: int, inbox: Path) -> str:
    """Generate the panel form from the year's returns, fill it as the demo's panel and read it back.
    Returns what happened, for the demo's step."""
    from toolkit.definitions.expand import plan_form
    from toolkit.definitions.recipients import recipients
    from toolkit.demo.simulate import fill_form

    (form,), _skipped, _out = ws.generate(aar, [Panel.SKEMA], overwrite=True)
    defn = ws.defs[Panel.SKEMA]
    sager = ws.panel_cases(aar)
    plan = plan_form(defn, ws.sd, recipients(defn, ws.sd, aar)[0], aar, sager)
    inbox.mkdir(parents=True, exist_ok=True)
    filled = fill_form(form.path, panel_answers(plan), inbox / form.path.name)
    report, _written = ws.ingest([filled], years=[aar])
    item = report.items[0]
    return f"{len(sager)} blokke vurderet i {filled.name}, indlæst: {item.status}, {item.errors} fejl"
