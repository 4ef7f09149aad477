"""Key figures per tilbud from the returns (pure). The noegler read here are the domain's core
figures; they are named in toolkit/fieldkeys.py and required of the definitions when they load."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.fieldkeys import Aarsrapport as A
from toolkit.fieldkeys import Kommune as K
from toolkit.stamdata.model import Stamdata


@dataclass
class TilbudFigures:
    tilbud_id: str
    navn: str
    driftsherre: str
    pladstal: float  # stamdata: sum over ydelser
    belaegning: dict[int, float | None] = field(default_factory=dict)  # year -> weighted %
    venteliste: dict[int, float] = field(default_factory=dict)  # cycle year -> sum (status now)
    ledige: float | None = None
    planlagt_pladstal: dict[int, float] = field(default_factory=dict)
    forventet: float | None = None  # municipalities' summed expected use (places), next year
    forventet_antal_kommuner: int = 0
    ingen_brug: list[tuple[str, str]] = field(default_factory=list)  # (kommune, reason)
    bekymring: str | None = None
    budgetteret_belaegning: float | None = None
    aarsrapport_modtaget: bool = False


def tilbud_figures(sd: Stamdata, aar: int, values, history=()) -> list[TilbudFigures]:
    """`values`: StoredValue-like rows (aar, skema, respondent_id, value and the key's parts: noegle,
    felt_aar, tilbud_id, ydelse_id) of year `aar`;
    `history`: the same from earlier years (for the venteliste trend)."""
    out = {}
    ydelser = {y.id: y for y in sd.ydelser}
    for t in sd.omfattede_tilbud(aar):
        out[t.id] = TilbudFigures(
            t.id,
            t.navn,
            sd.driftsherre(t.driftsherre_id).navn,
            sum(y.pladstal for y in sd.ydelser_for(t.id)),
            budgetteret_belaegning=t.budgetteret_belaegning,
        )
    bel: dict[tuple[str, int], list[tuple[float, float]]] = {}
    kommune_names = {a.id: a.navn for a in sd.aftaleparter}
    no_use: set[tuple[str, str]] = set()  # (tilbud, kommune) expecting no or very limited use
    instead: dict[tuple[str, str], str] = {}  # (tilbud, kommune) -> what they use instead
    for v in list(values) + list(history):
        if v.value is None:
            continue
        n = v.noegle
        if v.skema == A.SKEMA and v.respondent_id in out:
            f = out[v.respondent_id]
            if v.aar == aar:
                f.aarsrapport_modtaget = True
            y = ydelser.get(v.ydelse_id or "")
            if n == A.BELAEGNING and y and v.aar == aar:
                bel.setdefault((f.tilbud_id, v.felt_aar), []).append((float(v.value), y.pladstal))
            elif n == A.VENTELISTE:
                f.venteliste[v.aar] = f.venteliste.get(v.aar, 0) + float(v.value)
            elif n == A.LEDIGE_PLADSER and v.aar == aar:
                f.ledige = (f.ledige or 0) + float(v.value)
            elif n == A.PLADSTAL and v.aar == aar and v.felt_aar is not None:
                f.planlagt_pladstal[v.felt_aar] = f.planlagt_pladstal.get(v.felt_aar, 0) + float(v.value)
            elif n == A.BEKYMRING and v.aar == aar:
                f.bekymring = v.value
            elif n == A.BUDGETTERET_BELAEGNING and v.aar == aar:
                f.budgetteret_belaegning = float(v.value)
        elif v.skema == K.SKEMA and v.aar == aar:
            tid = v.tilbud_id
            if tid not in out:
                continue
            f = out[tid]
            if n == K.FORVENTET_PLADSER:
                f.forventet = (f.forventet or 0) + float(v.value)
            elif n == K.INGEN_BRUG and v.value == "Ja":
                no_use.add((tid, v.respondent_id))
            elif n == K.BRUG_I_STEDET:
                instead[(tid, v.respondent_id)] = str(v.value)
    kommuner_med_forventning: dict[str, set] = {}
    for v in values:
        if v.skema == K.SKEMA and v.noegle == K.FORVENTET_PLADSER and v.value is not None:
            kommuner_med_forventning.setdefault(v.tilbud_id, set()).add(v.respondent_id)
    for tid, f in out.items():
        f.forventet_antal_kommuner = len(kommuner_med_forventning.get(tid, ()))
        for year in range(aar - 3, aar):
            pairs = bel.get((tid, year))
            total = sum(w for _b, w in pairs) if pairs else 0
            f.belaegning[year] = (sum(b * w for b, w in pairs) / total) if pairs and total else None
    for tid, kid in sorted(no_use):
        out[tid].ingen_brug.append((kommune_names.get(kid, kid), instead.get((tid, kid), "")))
    return list(out.values())
