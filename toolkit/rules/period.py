"""The agreement period (aftaleperiode, tillæg 1): one rule for when a two-year period begins and ends,
from when the DAS decision of a year applies, and when a withdrawal takes effect. The årshjul, the
udmelding form, the hearing texts and the DAS appendix all take their dates from `year_periods`;
docs/aftaleperiode.md explains the reading of tillæg 1 it implements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.danish import format_dato
from toolkit.definitions.aarshjul import Aarshjul
from toolkit.definitions.load import load_aarshjul
from toolkit.stamdata.model import Stamdata

FIRST_PERIOD_DEFAULT = 2028  # stamdata setting aftaleperiode_start


@dataclass(frozen=True)
class Aftaleperiode:
    start: dt.date  # 1 January of a start year
    slut: dt.date  # 31 December of the following year

    @property
    def tekst(self) -> str:
        return f"{format_dato(self.start)} – {format_dato(self.slut)}"


@dataclass(frozen=True)
class YearPeriods:
    """What the rule says for one cycle year."""

    aar: int
    loebende: Aftaleperiode  # the period running in `aar`
    ny_periode: bool  # a period begins 1 January `aar`
    omfattes_fra: dt.date  # 1 January aar+1: tilbud decided by DAS this year are covered from then
    omfattes_periode: Aftaleperiode  # the period 1 January aar+1 belongs to
    udmelding_frist: dt.date  # the udmelding deadline (Frister sheet, else aarshjul.yaml)
    udmelding_virkning: dt.date  # a withdrawal asked by that deadline takes effect at this date

    @property
    def das_tekst(self) -> str:
        p = self.omfattes_periode
        if p.start == self.omfattes_fra:
            return f"Tilbud, der indstilles, omfattes fra {format_dato(self.omfattes_fra)} i aftaleperioden {p.tekst}"
        return (
            f"Tilbud, der indstilles, omfattes fra {format_dato(self.omfattes_fra)} i den løbende "
            f"aftaleperiode {p.tekst}"
        )

    @property
    def udmelding_tekst(self) -> str:
        return (
            f"En udmelding senest {format_dato(self.udmelding_frist)} kræver et års varsel og får virkning "
            f"ved aftaleperiodens udløb {format_dato(self.udmelding_virkning)}"
        )

    def texts(self) -> dict[str, str]:
        """The period as template variables (docs/aftaleperiode.md)."""
        return {
            "aftaleperiode": self.loebende.tekst,
            "aftaleperiode_start": format_dato(self.loebende.start),
            "aftaleperiode_slut": format_dato(self.loebende.slut),
            "omfattes_fra": format_dato(self.omfattes_fra),
            "omfattes_periode": self.omfattes_periode.tekst,
            "udmelding_frist": format_dato(self.udmelding_frist),
            "udmelding_virkning": format_dato(self.udmelding_virkning),
            "das_tekst": self.das_tekst,
            "udmelding_tekst": self.udmelding_tekst,
        }


def first_period_year(sd: Stamdata) -> int:
    """A year in which a two-year agreement period starts (stamdata setting, default 2028)."""
    return int(sd.setting("aftaleperiode_start", FIRST_PERIOD_DEFAULT))


def period_of(year: int, first: int) -> tuple[int, int]:
    """The first and last year of the agreement period that `year` belongs to."""
    start = year - ((year - first) % 2)
    return start, start + 1


def withdrawal_effective(asked: dt.date, first_period_year: int) -> dt.date:
    """A withdrawal needs a year's notice and takes effect at the end of an agreement period:
    the end of the first period that ends at least a year after the request."""
    _start, end = period_of(asked.year, first_period_year)
    while dt.date(end, 12, 31) < _add_year(asked):
        end += 2
    return dt.date(end, 12, 31)


def _add_year(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


def udmelding_deadline(sd: Stamdata, aar: int, model: Aarshjul | None = None) -> dt.date:
    """The Frister sheet's udmelding deadline, else the date of the udmelding activity in `model`
    (the definitions folder's aarshjul.yaml; without one, the bundled file)."""
    return sd.frist("udmelding", aar) or (model or load_aarshjul()).aktivitet("udmelding").standarddato(aar)


def year_periods(sd: Stamdata, aar: int, model: Aarshjul | None = None) -> YearPeriods:
    """`model`: the cycle whose udmelding date applies when the Frister sheet has none (without one,
    the bundled aarshjul.yaml)."""
    first = first_period_year(sd)

    def period(year: int) -> Aftaleperiode:
        start, end = period_of(year, first)
        return Aftaleperiode(dt.date(start, 1, 1), dt.date(end, 12, 31))

    loebende = period(aar)
    frist = udmelding_deadline(sd, aar, model)
    return YearPeriods(
        aar=aar,
        loebende=loebende,
        ny_periode=loebende.start.year == aar,
        omfattes_fra=dt.date(aar + 1, 1, 1),
        omfattes_periode=period(aar + 1),
        udmelding_frist=frist,
        udmelding_virkning=withdrawal_effective(frist, first),
    )


def fill_period_texts(text: str, sd: Stamdata, aar: int) -> str:
    """Replace {udmelding_virkning} and the other period variables in a definition's text."""
    if "{" not in text:
        return text
    for key, value in year_periods(sd, aar).texts().items():
        text = text.replace("{" + key + "}", value)
    return text
