"""The values of the definitions' placeholders for one year (definitions/tekster.py has the vocabulary
and the check): the bodies' names from the annual cycle, the activities' dates and months after the
Frister sheet, the rule and the criteria from the criteria set, an indication from the region's
population, and the agreement period. Pure: the form writer and the documents take the same values."""

from __future__ import annotations

import datetime as dt

from toolkit.danish import MAANEDER, format_dato
from toolkit.definitions.aarshjul import Aarshjul
from toolkit.definitions.kriterier import Kriteriesaet
from toolkit.definitions.tekster import ejefald
from toolkit.rules.cycle import aarshjul as year_activities
from toolkit.rules.period import year_periods
from toolkit.stamdata.model import Stamdata


def indbyggere(sd: Stamdata) -> int:
    """The region's population: its municipalities' (else the region's own row)."""
    total = sum(k.indbyggere for k in sd.kommuner())
    return total or max((a.indbyggere for a in sd.aftaleparter if a.type == "region"), default=0)


def organ_values(aj: Aarshjul) -> dict[str, dict[str, str]]:
    """id -> {navn, kort, ejefald}: the bodies as the Word templates get them (`organ.das.kort`)."""
    return {o.id: {"navn": o.navn, "kort": o.kort, "ejefald": o.ejefald or ejefald(o.navn)} for o in aj.organer}


def form_texts(sd: Stamdata, aj: Aarshjul, kriterier: Kriteriesaet, aar: int) -> dict[str, str]:
    """Placeholder name (without braces) -> its text in `aar`."""
    out: dict[str, str] = {"region": sd.region}
    for id_, forms in organ_values(aj).items():
        out[f"organ.{id_}"] = forms["navn"]
        out |= {f"organ.{id_}.{form}": text for form, text in forms.items()}
    dates = _dates(sd, aj, aar)
    for a in aj.aktiviteter:
        d = dates.get(a.noegle) or a.standarddato(aar)
        for key in a.noegler:
            out[f"dato.{key}"] = format_dato(d)
            out[f"maaned.{key}"] = MAANEDER[d.month - 1]
    n = indbyggere(sd)
    out["kriterier.regel"] = kriterier.regel(aj.organ("das").navn)
    out["kriterier.liste"] = kriterier.liste(n)
    out |= {f"kategori.{k.id}": kriterier.betingelse(k.id) for k in kriterier.kategorier}
    out |= {f"indikation.{k.id}": k.indikation(n) for k in kriterier.kriterier if k.indikation_pr_indbyggere}
    out |= year_periods(sd, aar, aj).texts()
    return out


def _dates(sd: Stamdata, aj: Aarshjul, aar: int) -> dict[str, dt.date]:
    """The year's date of every activity the cycle has in `aar` (after the Frister sheet); one left
    out by its parity rule keeps the date aarshjul.yaml gives it."""
    return {a.key: a.dato for a in year_activities(sd, aj, aar)}
