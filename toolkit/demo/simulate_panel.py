"""The demo's expert panel: fills the panel form the way a panel might, so that the bilag shows a
panel that agrees with some applicants and not with others (Bostedet Lindely: the driftsherre
says B.1 is not met, the panel finds it met), a nødspor and a withdrawal assessed under tillæg 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.definitions.cases import split_nomination_id
from toolkit.definitions.expand import FormPlan
from toolkit.demo.scenario import NORDJYLLAND, Scenario
from toolkit.fieldkeys import BEGRUNDELSE_SUFFIX, Panel, criterion_kode, parse_key

BAEREDYGTIGHED = (
    "{Panel} drøftede i april tilbuddenes bæredygtighed. Tilbuddene er fagligt bæredygtige; for "
    "tilbuddet med lav efterspørgsel anbefales en dialog mellem driftsherre og kommuner i nødsporet."
)


def _why(navn: str, code: str, svar: str, panel: str) -> str:
    what = "opfyldt" if svar == "Ja" else "ikke opfyldt"
    return f"{code[0].upper()}.{code[1]} er {what} for {navn} efter {panel}s drøftelse."


def panel_answers(plan: FormPlan, scenario: Scenario = NORDJYLLAND, panel: str = "panelet") -> dict[str, Any]:
    """key -> value for every field of the panel form `plan`, as the `scenario`'s panel assesses;
    `panel`: the body's short name in running text (aarshjul.yaml: "ekspertgruppen")."""
    out: dict[str, Any] = {}
    for fi in plan.fields():
        k = parse_key(fi.key)
        n = k.noegle
        if not k.scope:
            if n == Panel.BAEREDYGTIGHED:
                out[fi.key] = BAEREDYGTIGHED.format(Panel=panel[:1].upper() + panel[1:])
            continue
        kind, sag_id = k.scope[0]
        navn = fi.sted.split(" › ")[0] or sag_id  # the block's tilbud
        if kind == "nr":
            svar, indstilling = scenario.panel_indmeldt.get(split_nomination_id(sag_id)[0], ({}, Panel.OPTAGES_IKKE))
        elif n in (Panel.FORTSAT_OPFYLDT, Panel.FORTSAT_BEGRUNDELSE, Panel.KONSEKVENSER):
            out[fi.key] = {
                Panel.FORTSAT_OPFYLDT: "Ja",
                Panel.FORTSAT_BEGRUNDELSE: f"{navn} lever fortsat op til kriterierne; målgruppen er uændret.",
                Panel.KONSEKVENSER: f"Uden {navn} mister landsdelen et højt specialiseret tilbud til målgruppen.",
            }[n]
            continue
        else:
            svar, indstilling = scenario.panel_tilbud.get(sag_id, ({}, Panel.FORTSAETTER))
        if (c := criterion_kode(Panel.SKEMA, n)) is not None:
            out[fi.key] = svar.get(c, "Ja")
        elif (c := criterion_kode(Panel.SKEMA, n, BEGRUNDELSE_SUFFIX)) is not None:
            out[fi.key] = _why(navn, c, svar.get(c, "Ja"), panel)
        elif n == Panel.INDSTILLING:
            out[fi.key] = indstilling
        elif n == Panel.INDSTILLING_BEGRUNDELSE:
            out[fi.key] = f"Forslaget for {navn} bygger på vurderingen af kriterierne ovenfor."
    return out


def run_panel(ws, aar: int, inbox: Path, scenario: Scenario = NORDJYLLAND) -> str:
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
    filled = fill_form(
        form.path, panel_answers(plan, scenario, ws.defs.aarshjul.organ("ekspertpanel").kort), inbox / form.path.name
    )
    report, _written = ws.ingest([filled], years=[aar])
    item = report.items[0]
    return f"{len(sager)} blokke vurderet i {filled.name}, indlæst: {item.status}, {item.errors} fejl"
