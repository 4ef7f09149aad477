"""Simulated returns for the demo: a small, seeded generator of realistic answers, some with the
mistakes people really make. Scenarios are chosen so that the demo shows every early-warning signal
and every outcome of the criteria assessment. Forms are filled by defined name, as any program may."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import openpyxl

from toolkit.definitions.expand import FieldInstance, plan_form
from toolkit.definitions.recipients import Modtager
from toolkit.demo.scenario import NORDJYLLAND, Scenario
from toolkit.fieldkeys import BEGRUNDELSE_SUFFIX, criterion_kode, key_parts
from toolkit.fieldkeys import Aarsrapport as A
from toolkit.fieldkeys import Indmelding as I
from toolkit.fieldkeys import Kommune as K
from toolkit.fieldkeys import Udmelding as U
from toolkit.forms.meta import defined_name

TEKSTER = [
    "Tilbuddet har i årets løb styrket den tværfaglige indsats og implementeret nye dokumentationsrutiner.",
    "Der er gennemført kompetenceudvikling for alle medarbejdere i neuropædagogik og low arousal.",
    "Samarbejdet med kommunernes myndighedsrådgivere er formaliseret med faste dialogmøder to gange årligt.",
    "Organisationen er tilpasset med en ny afdelingsstruktur og en fælles faglig leder.",
    "Målgruppen er blevet mere kompleks, og flere borgere har samtidig psykiatriske diagnoser.",
    "Vi ønsker tættere dialog om visitationen og tidligere inddragelse ved overgange.",
]
MANGLER = NORDJYLLAND.mangler  # who does not answer in the Nordjylland demo (tests compare with it)


def fill_form(path: Path, answers: dict[str, Any], target: Path | None = None) -> Path:
    """Write answers into a generated form by defined name (key -> value) and save."""
    wb = openpyxl.load_workbook(path)
    used: set[str] = set()
    names = {}
    for key in _meta_keys(wb):
        names[key] = defined_name(key, used)
    for key, value in answers.items():
        dn = wb.defined_names[names[key]]
        ((sheet, ref),) = list(dn.destinations)
        cell = wb[sheet][ref.replace("$", "")]
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # the respondent typed text that looks like a formula
    out = Path(target or path)
    wb.save(out)
    return out


def _meta_keys(wb) -> list[str]:
    """The field keys a generated form lists in `_felter` (in `_skema` in forms made before it)."""
    from toolkit.forms.meta import MAP_SHEET, MAP_START_ROW, META_SHEET

    if MAP_SHEET in wb.sheetnames:
        return [r[0] for r in wb[MAP_SHEET].iter_rows(min_row=2, values_only=True) if r[0]]
    return [r[0] for r in wb[META_SHEET].iter_rows(min_row=MAP_START_ROW + 2, values_only=True) if r[0]]


class Simulator:
    """Answers for the example `sd` as its `scenario` says (the Nordjylland one unless given)."""

    def __init__(self, sd, seed: int = 2028, scenario: Scenario = NORDJYLLAND):
        self.sd = sd
        self.rng = random.Random(seed)
        self.scenario = scenario
        region = next((a for a in sd.aftaleparter if a.type == "region"), None)
        # the region's population, for each kommune's share of the places
        self.indbyggere = (region.indbyggere if region else 0) or sum(k.indbyggere for k in sd.kommuner()) or 1

    def answers(self, defn, m: Modtager, aar: int, mistakes: bool = False) -> dict[str, Any]:
        plan = plan_form(defn, self.sd, m, aar)
        out: dict[str, Any] = {}
        for fi in plan.fields():
            v = self.value(defn.skema, m, fi, aar)
            if v is not None:
                out[fi.key] = v
        if mistakes:
            self._mistakes(out, plan.fields())
        return out

    def value(self, skema: str, m: Modtager, fi: FieldInstance, aar: int):
        n = fi.felt.noegle
        if fi.prefill is not None:
            return None  # keep what we prefilled
        if skema == I.SKEMA:
            return self._nomination(m, fi)
        if skema == A.SKEMA:
            return self._aarsrapport(m, fi, aar)
        if skema == K.SKEMA:
            return self._kommune(m, fi)
        if skema == U.SKEMA:
            why = self.scenario.udmelding.get((m.id, fi.tilbud_id or ""))
            if n in (U.OENSKES_UDMELDT, U.OENSKES_UDTAGET):
                return "Ja" if why else "Nej"
            if n == U.AARSAG and why:
                return why
            return None
        return None

    def _nomination(self, m, fi):
        scen = self.scenario.nomineringer.get(m.driftsherre_id or "")
        if fi.felt.noegle == I.INDMELDER:
            return "Ja" if scen else "Nej"
        key = key_parts(fi.key)
        if not scen or key.nr != "1":  # only the first block
            return None
        n, linje = fi.felt.noegle, key.linje
        if n == I.TILBUDSNAVN:
            return scen["tilbudsnavn"]
        if n == I.NYOPRETTET:
            return scen["nyoprettet"]
        if (c := criterion_kode(I.SKEMA, n)) is not None:
            return scen.get(c)  # a criterion the scenario does not know stays unanswered
        if criterion_kode(I.SKEMA, n, BEGRUNDELSE_SUFFIX) is not None or n in (
            I.DISPENSATION_BEGRUNDELSE,
            I.MAALGRUPPE,
            I.C1_ALTERNATIVER,
            I.C2_OPTAGEOMRAADE,
        ):
            return self.rng.choice(TEKSTER)
        if n == I.ADRESSE:
            return self._address(m.driftsherre_id)
        if n == I.A1_TILFAELDE:
            return self.rng.randint(8, 18)
        if n in I.FORPLIGTELSER:
            return "Ja"
        if linje not in ("1", "2"):
            return None
        if n == I.YDELSE_NAVN:
            return ["Døgnophold", "Dagtilbud"][int(linje) - 1]
        if n == I.PLADSER:
            return self.rng.randint(4, 12)
        if n == I.TAKST:
            return self.rng.randint(30, 60) * 100
        return None

    def _address(self, driftsherre_id: str | None) -> str:
        """A new tilbud's address in the town of the driftsherre's first tilbud."""
        towns = [t.adresse.rsplit(", ", 1)[-1] for t in self.sd.tilbud if t.driftsherre_id == driftsherre_id]
        return f"Eksempelvej 1, {towns[0]}" if towns and towns[0] else "Eksempelvej 1"

    def _aarsrapport(self, m, fi, aar):
        n, rng = fi.felt.noegle, self.rng
        t = self.sd.tilbud_by_id(m.tilbud_id)
        scen = self.scenario.aarsrapport.get(t.id, {"trend": (0, 0, 0)})
        budget = t.budgetteret_belaegning or 95
        y = next((y for y in self.sd.ydelser if y.id == fi.ydelse_id), None)
        if n == A.BELAEGNING:
            off = scen["trend"][fi.aar - aar + 3]
            return round(budget + off + rng.uniform(-0.8, 0.8), 1)
        if n == A.VENTELISTE:
            return 1 + scen.get("venteliste_vaekst", 0) * (aar - 2026) // 2
        if n == A.LEDIGE_PLADSER:
            return rng.choice([0, 0, 1])
        if n == A.FORBRUG:
            k = self.sd.aftalepart(fi.kommune_id)
            return round(sum(x.pladstal for x in self.sd.ydelser_for(t.id)) * k.indbyggere / self.indbyggere * 0.9, 1)
        if n == A.FORBRUG_ANDRE_REGIONER:
            return rng.choice([0, 0.5, 1])
        if n == A.TAKST and y is not None:
            return round((y.takst or 3000) * 1.025)
        if n == A.BUDGET:
            return round(sum((x.takst or 0) * x.pladstal * 365 for x in self.sd.ydelser_for(t.id)) * 0.9, -3)
        if n == A.AARSRESULTAT:
            return round(
                sum((x.takst or 0) * x.pladstal * 365 for x in self.sd.ydelser_for(t.id))
                * 0.9
                * rng.uniform(0.97, 1.02),
                -3,
            )
        if n == A.BUDGETTERET_BELAEGNING:
            return budget
        if n == A.BEKYMRING:
            return "Ja" if scen.get("bekymring") else "Nej"
        if n == A.BEKYMRING_BEGRUNDELSE and scen.get("bekymring"):
            return "Flere kommuner har hjemtaget borgere, og belægningen forventes at falde markant næste år."
        if fi.felt.type == "langtekst" and n not in (A.BEKYMRING_BEGRUNDELSE, A.EFTERSPOERGSEL_AFVIGELSE):
            return rng.choice(TEKSTER)
        return None

    def _kommune(self, m, fi):
        n, rng = fi.felt.noegle, self.rng
        k = self.sd.aftalepart(m.id)
        tid = fi.tilbud_id
        scen = self.scenario
        if n == K.FORVENTET_PLADSER:
            y = next(y for y in self.sd.ydelser if y.id == fi.ydelse_id)
            if (tid, m.id) in scen.ingen_brug:
                return 0
            share = y.pladstal * k.indbyggere / self.indbyggere * scen.lav_efterspoergsel.get(tid, 1.0) * 1.05
            return round(share * rng.uniform(0.85, 1.15), 1)
        if n == K.FORVENTNING_TEKST:
            return "Vi forventer et stabilt forbrug på niveau med de seneste år."
        if n in (K.BESKRIVELSER_TYDELIGE, K.SAMKLANG):
            return "Ja" if rng.random() < 0.85 else "Nej"
        if n == K.INGEN_BRUG:
            return "Ja" if (tid, m.id) in scen.ingen_brug else "Nej"
        if n == K.BRUG_I_STEDET and (tid, m.id) in scen.ingen_brug:
            return scen.ingen_brug[(tid, m.id)]
        if n == K.INGEN_BRUG_AARSAG and (tid, m.id) in scen.ingen_brug:
            return scen.ingen_brug_aarsag
        if n == K.OENSKE_OMRAADE and key_parts(fi.key).linje == "1" and rng.random() < 0.3:
            return rng.choice(fi.felt.valg)
        return None

    def _mistakes(self, answers: dict, fields) -> None:
        """Typical mistakes: Danish number text, 'x' for yes, an unreadable number, a missing field."""
        numeric = [k for k, v in answers.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        yes_no = [k for k, v in answers.items() if v in ("Ja", "Nej")]
        if numeric:
            k = self.rng.choice(numeric)
            answers[k] = (
                f"{answers[k]:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".") + " kr."
                if "takst" in k or "budget" in k
                else str(answers[k]).replace(".", ",")
            )
        if yes_no:
            k = self.rng.choice(yes_no)
            answers[k] = "x" if answers[k] == "Ja" else "nej"
        if len(numeric) > 2:
            answers[numeric[1]] = "ca. 5"  # cannot be read as a number: kept as text and reported
        required = [f.key for f in fields if f.required and f.key in answers and not f.aktiv_key]
        if required:
            answers.pop(self.rng.choice(required))
