"""Early-warning signals per tilbud. Thresholds come from the stamdata settings (sheet
Indstillinger) with the defaults below; each signal states its numbers."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.danish import format_tal
from toolkit.rules.keyfigures import TilbudFigures
from toolkit.stamdata.model import Stamdata

DEFAULTS = {
    "ew_belaegning_margin": 0.0,  # points below the budgeted belægning before it is a signal
    "ew_fald_min": 5.0,  # a falling trend over 3 years must fall at least this many points
    "ew_afvigelse_pct": 20.0,  # expected use vs pladstal: deviation in % before it is a signal
    "ew_venteliste_vaekst": 1.0,  # growth in the waiting list (persons) before it is a signal
}


@dataclass(frozen=True)
class Signal:
    code: str
    text: str


def thresholds(sd: Stamdata) -> dict[str, float]:
    return {k: float(sd.setting(k, v)) for k, v in DEFAULTS.items()}


def _pct(x: float) -> str:
    return ("+" if x > 0 else "−" if x < 0 else "") + format_tal(abs(round(x)), 0) + " %"


def format_distinct(a: float, b: float) -> tuple[str, str]:
    """Both numbers with one decimal, or as many more (up to 6) as it takes for different numbers to
    read differently: 94,95 against 95 is "94,95" and "95,00", never "95,0" and "95,0"."""
    for dec in range(1, 7):
        if a == b or format_tal(a, dec) != format_tal(b, dec):
            break
    return format_tal(a, dec), format_tal(b, dec)


def signals_for(fig: TilbudFigures, aar: int, th: dict[str, float]) -> list[Signal]:
    out = []
    last = fig.belaegning.get(aar - 1)
    budget = fig.budgetteret_belaegning
    if last is not None and budget is not None and last < budget - th["ew_belaegning_margin"]:
        shown, budget_shown = format_distinct(last, budget)
        out.append(Signal("belaegning-under-budget", f"Belægning {aar - 1} {shown} % mod budgetteret {budget_shown} %"))
    series = [x for x in (fig.belaegning.get(y) for y in range(aar - 3, aar)) if x is not None]
    if len(series) == 3 and series[0] > series[1] > series[2] and series[0] - series[2] >= th["ew_fald_min"]:
        out.append(
            Signal("faldende-belaegning", "Faldende belægning: " + " → ".join(f"{format_tal(x, 1)} %" for x in series))
        )
    if fig.forventet is not None and fig.pladstal:
        dev = (fig.forventet - fig.pladstal) / fig.pladstal * 100
        if abs(dev) > th["ew_afvigelse_pct"]:
            out.append(
                Signal(
                    "efterspoergsel-afviger",
                    f"Forventet brug {format_tal(round(fig.forventet, 1))} pladser mod "
                    f"{format_tal(round(fig.pladstal, 1))} pladser ({_pct(dev)})",
                )
            )
    now, before = fig.venteliste.get(aar), fig.venteliste.get(aar - 1)
    if now is not None and before is not None and now - before >= th["ew_venteliste_vaekst"]:
        out.append(Signal("voksende-venteliste", f"Venteliste vokset fra {format_tal(before)} til {format_tal(now)}"))
    if fig.bekymring == "Ja":
        out.append(Signal("driftsherre-bekymret", "Driftsherren melder bekymring for bæredygtigheden"))
    for kommune, instead in fig.ingen_brug:
        out.append(
            Signal(
                "ingen-brug",
                f"{kommune} forventer ingen eller meget begrænset brug"
                + (f" (bruger i stedet: {smaat(instead)})" if instead else ""),
            )
        )
    return out


def early_warnings(sd: Stamdata, aar: int, figures: list[TilbudFigures]) -> dict[str, list[Signal]]:
    th = thresholds(sd)
    return {f.tilbud_id: signals_for(f, aar, th) for f in figures}


def smaat(text: str) -> str:
    """A respondent's or stamdata text embedded mid-sentence: the first letter lower case when the
    second one is ("Køber tilsvarende ydelse" -> "køber tilsvarende ydelse"); an abbreviation such
    as "DAS" is left as it is."""
    return text[:1].lower() + text[1:] if len(text) > 1 and text[0].isupper() and text[1].islower() else text
