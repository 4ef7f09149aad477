"""`skema demo`: run the year's cycle on a bundled example (Nordjylland, or Sjælland), step by step, in
a demo folder that starts as `skema init --eksempel` leaves a working folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.danish import antal
from toolkit.definitions.recipients import recipients
from toolkit.demo.scenario import SCENARIER, Scenario
from toolkit.demo.simulate import Simulator, fill_form
from toolkit.demo.simulate_hoering import simulate_hoering
from toolkit.demo.simulate_panel import run_panel
from toolkit.documents.pdf import soffice_path
from toolkit.rules.criteria import assess_all
from toolkit.rules.cycle import activity_date
from toolkit.rules.tekster import organ_values
from toolkit.stamdata.examples import STANDARD
from toolkit.stamdata.examples import eksempel as bundled_example
from toolkit.statuses import AnswerStatus, FileResult
from toolkit.workspace import DB_FILE, Workspace, init_workspace

DEMO_YEAR = 2028  # an even year, so that all four forms are sent
MARKER = ".skema-demo"


@dataclass(frozen=True)
class DemoStep:
    title: str
    result: str
    path: Path | None


def _fresh(work: Path) -> None:
    """Start from scratch, but only in a folder the demo made itself."""
    if work.exists() and (work / MARKER).exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    (work / MARKER).write_text("Denne mappe er lavet af 'skema demo' og slettes, når demoen køres igen.\n")


def demo_folder(work: Path, navn: str | None = None) -> Path:
    """<work>/demo for the standard example, <work>/demo_<eksempel> for the others."""
    ex = bundled_example(navn)
    return Path(work) / ("demo" if ex.navn == STANDARD else f"demo_{ex.navn}")


def _simulate_returns(sd, defs, sim, forms: list, aar: int, inbox: Path, mistakes_every: int = 4) -> int:
    inbox.mkdir(parents=True, exist_ok=True)
    n = 0
    for i, g in enumerate(forms):
        if g.modtager_id in sim.scenario.mangler.get(g.skema, set()):
            continue
        defn = defs[g.skema]
        m = next(r for r in recipients(defn, sd, aar) if r.id == g.modtager_id)
        answers = sim.answers(defn, m, aar, mistakes=(i % mistakes_every == 1))
        fill_form(g.path, answers, inbox / g.path.name)
        n += 1
    return n


def run_demo(
    work: Path,
    aar: int = DEMO_YEAR,
    say: Callable[[DemoStep], None] = lambda s: None,
    pdf: bool = False,
    eksempel: str | None = None,
) -> list[DemoStep]:
    """The year of the bundled example `eksempel` (standard: Nordjylland) in demo_folder(work)."""
    ex, work = bundled_example(eksempel).navn, demo_folder(work, eksempel)
    _fresh(work)
    init_workspace(work, ex)  # the example's stamdata.xlsx and skabeloner/, as after `skema init`
    ws = Workspace(work, output=work)  # output/demo/<år>/…, not output/demo/output/<år>
    sd, defs = ws.sd, ws.defs
    scenario: Scenario = SCENARIER[ex]
    sim = Simulator(sd, seed=aar, scenario=scenario)
    organer = organ_values(defs.aarshjul)  # the example's bodies
    panel_navn, panel_ejefald, das = (
        organer["ekspertpanel"]["navn"],
        organer["ekspertpanel"]["ejefald"],
        organer["das"]["kort"],
    )
    steps: list[DemoStep] = []

    def step(title, result, path=None):
        s = DemoStep(title, result, path)
        steps.append(s)
        say(s)

    # last year's årsrapporter, so that this year's forms are prefilled and trends have history
    prev, _, _ = ws.generate(aar - 1, ["aarsrapport"])
    n = _simulate_returns(sd, defs, sim, prev, aar - 1, work / "indbakke" / str(aar - 1), mistakes_every=99)
    ws.ingest([work / "indbakke" / str(aar - 1)], years=[])
    step(f"0. Historik: årsrapporter {aar - 1}", f"{n} indlæst", work / "indbakke" / str(aar - 1))

    forms, _skipped, forms_dir = ws.generate(aar)
    modtagere = antal(len({f.modtager_id for f in forms}), "modtager", "modtagere")
    step("1. Skemaer dannet", f"{antal(len(forms), 'skema', 'skemaer')} til {modtagere}", forms_dir)

    inbox = work / "indbakke" / str(aar)
    n = _simulate_returns(sd, defs, sim, forms, aar, inbox)
    _second_version(sd, defs, sim, forms, aar, inbox)
    step(
        "2. Svar modtaget (simuleret)",
        f"{antal(n, 'udfyldt skema', 'udfyldte skemaer')}, nogle med typiske fejl",
        inbox,
    )

    report, written = ws.ingest([inbox], years=[aar])
    n_err = sum(it.errors for it in report.items)
    step(
        "3. Indlæst",
        f"{antal(report.count(FileResult.NY), 'ny', 'nye')}, {report.count(FileResult.ERSTATTER)} erstatter en "
        f"tidligere, {n_err} fejl at følge op på",
        work / DB_FILE,
    )
    path = written[0]
    step("4. Samlet overblik", "Overblik, skematabeller, Ekspertpanel, Fejl og mangler, Status", path)

    year = ws.year_data(aar)
    missing = [s for s in year.statuses if s.status == AnswerStatus.MANGLER]
    rl, _ = ws.reminder_list(aar)
    step(
        "5. Status", f"{len(year.statuses) - len(missing)} af {len(year.statuses)} modtaget; {len(missing)} mangler", rl
    )

    outcomes = [a.resultat for a in assess_all(ws.defs.kriterier, year.values)]
    signals = sum(len(v) for v in year.warnings.values())
    panel = run_panel(ws, aar, work / "indbakke" / f"{aar}_panel", scenario)  # generated from the returns, filled, read
    step(
        f"6. Kriterier, early warning og {panel_ejefald} vurdering",
        f"{antal(len(outcomes), 'indmelding', 'indmeldinger')} ({', '.join(sorted(set(outcomes)))}); "
        f"{antal(signals, 'advarselssignal', 'advarselssignaler')}; {panel_navn} (simuleret): {panel}",
        path,
    )

    sent = activity_date(sd, ws.defs.aarshjul, aar, "aarsrapport")  # the hearing goes out when the årsrapporter are in
    hearing = ws.hoering(aar, activity_date(sd, ws.defs.aarshjul, aar, "hoering"), overwrite=True, today=sent)
    replies = simulate_hoering(ws, aar, work / "indbakke" / f"{aar}_hoering", scenario)  # then the replies come in
    step(
        "7. Høring",
        f"{antal(len(sd.aftaleparter), 'høringsbrev', 'høringsbreve')} med høringssvarskema, ét høringsmateriale; "
        f"{antal(replies, 'høringssvar', 'høringssvar')}",
        hearing[0].path.parent,
    )
    reminders = ws.rykkere(aar, overwrite=True)
    step(
        "8. Rykkere",
        f"{antal(len(reminders), 'rykkerbrev', 'rykkerbreve')}",
        reminders[0].path.parent if reminders else None,
    )
    with_pdf = pdf and soffice_path() is not None
    bilag = ws.bilag(aar, activity_date(sd, ws.defs.aarshjul, aar, "das"), overwrite=True, pdf=with_pdf)
    step(
        f"9. Bilag til {das}",
        "forside, indholdsfortegnelse med sidetal, status pr. tilbud, indmeldinger, "
        f"udmeldinger og indstilling til {das}" + (" (også som PDF)" if with_pdf else ""),
        bilag.path,
    )
    return steps


def _second_version(sd, defs, sim, forms, aar, inbox: Path) -> None:
    """One respondent sends a corrected version a little later: it supersedes the first."""
    import os
    import time

    who = sim.scenario.rettet
    g = next(f for f in forms if f.skema == "kommune" and f.modtager_id == who)
    defn = defs["kommune"]
    m = next(r for r in recipients(defn, sd, aar) if r.id == who)
    target = inbox / g.path.name.replace(".xlsx", "_rettet.xlsx")
    fill_form(g.path, sim.answers(defn, m, aar), target)
    later = time.time() + 60
    os.utime(target, (later, later))
