"""`skema demo`: run the year's cycle on the bundled example, step by step, in a demo folder."""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from toolkit.definitions import load_definitions
from toolkit.definitions.recipients import recipients
from toolkit.documents.produce import write_bilag, write_hoering, write_rykkere
from toolkit.documents.pdf import convert, soffice_path
from toolkit.forms.generate import generate_forms, history_prefill
from toolkit.returns.ingest import ingest
from toolkit.consolidate.year import consolidate, output_dir, write_reminder_list, year_data
from toolkit.rules.criteria import assess_all
from toolkit.rules.warnings import early_warnings
from toolkit.demo.simulate import MANGLER, Simulator, fill_form
from toolkit.stamdata import load_stamdata
from toolkit.store import Store

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


def _simulate_returns(sd, defs, sim, forms: list, aar: int, inbox: Path, mistakes_every: int = 4) -> int:
    inbox.mkdir(parents=True, exist_ok=True)
    n = 0
    for i, g in enumerate(forms):
        if g.modtager_id in MANGLER.get(g.skema, set()):
            continue
        defn = defs[g.skema]
        m = next(r for r in recipients(defn, sd, aar) if r.id == g.modtager_id)
        answers = sim.answers(defn, m, aar, mistakes=(i % mistakes_every == 1))
        fill_form(g.path, answers, inbox / g.path.name)
        n += 1
    return n


def run_demo(work: Path, aar: int = DEMO_YEAR, say: Callable[[DemoStep], None] = lambda s: None,
             pdf: bool = False) -> list[DemoStep]:
    work = Path(work) / "demo"
    _fresh(work)
    sd, defs = load_stamdata(), load_definitions()
    sim = Simulator(sd, seed=aar)
    steps: list[DemoStep] = []

    def step(title, result, path=None):
        s = DemoStep(title, result, path)
        steps.append(s)
        say(s)

    with Store(work) as store:
        # last year's årsrapporter, so that this year's forms are prefilled and trends have history
        prev, _ = generate_forms(sd, aar - 1, output_dir(work, aar - 1) / "skemaer", ["aarsrapport"])
        n = _simulate_returns(sd, defs, sim, prev, aar - 1, work / "indbakke" / str(aar - 1), mistakes_every=99)
        ingest([work / "indbakke" / str(aar - 1)], store, sd, defs)
        step(f"0. Historik: årsrapporter {aar - 1}", f"{n} indlæst", work / "indbakke" / str(aar - 1))

        forms, skipped = generate_forms(sd, aar, output_dir(work, aar) / "skemaer",
                                        prefill=history_prefill(store, aar))
        step("1. Skemaer dannet", f"{len(forms)} skemaer til {len({f.modtager_id for f in forms})} modtagere",
             output_dir(work, aar) / "skemaer")

        inbox = work / "indbakke" / str(aar)
        n = _simulate_returns(sd, defs, sim, forms, aar, inbox)
        _second_version(sd, defs, sim, forms, aar, inbox)
        step("2. Svar modtaget (simuleret)", f"{n} udfyldte skemaer, nogle med typiske fejl", inbox)

        report = ingest([inbox], store, sd, defs)
        n_err = sum(1 for it in report.items for i in it.issues if i.severity == "fejl")
        step("3. Indlæst", f"{report.count('ny')} nye, {report.count('erstatter')} erstatter en tidligere, "
                           f"{n_err} fejl at følge op på", work / "skema.sqlite")

        path = consolidate(store, sd, defs, aar, work)
        values, statuses, figures = year_data(store, sd, defs, aar)
        step("4. Samlet overblik", "Overblik, skematabeller, Ekspertpanel, Fejl og mangler, Status", path)

        missing = [s for s in statuses if s.status == "mangler"]
        rl, _ = write_reminder_list(statuses, output_dir(work, aar) / f"{aar}_rykkerliste.xlsx")
        step("5. Status", f"{len(statuses) - len(missing)} af {len(statuses)} modtaget; {len(missing)} mangler", rl)

        outcomes = [a.resultat for a in assess_all(values)]
        signals = sum(len(v) for v in early_warnings(sd, aar, figures).values())
        step("6. Kriterier og early warning",
             f"{len(outcomes)} indmeldinger ({', '.join(sorted(set(outcomes)))}); {signals} advarselssignaler", path)

        hearing = write_hoering(store, sd, defs, aar, dt.date(aar, 6, 1), work, overwrite=True)
        step("7. Høring", f"{len(hearing) - 1} høringsbreve og ét høringsmateriale", hearing[0].path.parent)
        reminders = write_rykkere(store, sd, defs, aar, work, overwrite=True)
        step("8. Rykkere", f"{len(reminders)} rykkerbreve",
             reminders[0].path.parent if reminders else None)
        bilag = write_bilag(store, sd, defs, aar, dt.date(aar, 5, 20), work, overwrite=True)
        pdf_note = ""
        if pdf and soffice_path():
            convert([bilag.path], "pdf", bilag.path.parent)
            pdf_note = " (også som PDF)"
        step("9. Bilag til DAS", "forside, indholdsfortegnelse med sidetal, status pr. tilbud, indmeldinger, "
                                 "udmeldinger" + pdf_note, bilag.path)
    return steps


def _second_version(sd, defs, sim, forms, aar, inbox: Path) -> None:
    """One respondent sends a corrected version a little later: it supersedes the first."""
    import os
    import time

    g = next(f for f in forms if f.skema == "kommune" and f.modtager_id == "K851")
    defn = defs["kommune"]
    m = next(r for r in recipients(defn, sd, aar) if r.id == "K851")
    target = inbox / g.path.name.replace(".xlsx", "_rettet.xlsx")
    fill_form(g.path, sim.answers(defn, m, aar), target)
    later = time.time() + 60
    os.utime(target, (later, later))
