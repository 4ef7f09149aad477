"""One agreement-period rule (rules/period.py): the årshjul, the udmelding form, the hearing context
and the DAS appendix state the same dates, year after year."""

import datetime as dt
import re
from types import SimpleNamespace

import openpyxl
import pytest

from toolkit.danish import MAANEDER
from toolkit.definitions import load_aarshjul
from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import recipients
from toolkit.documents.context import common
from toolkit.documents.produce import _withdrawals
from toolkit.fieldkeys import Udmelding
from toolkit.forms.writer import write_form
from toolkit.rules.cycle import aarshjul
from toolkit.rules.period import year_periods
from toolkit.stamdata.model import Frist, Stamdata

DATE = re.compile(r"(\d{1,2})\. (" + "|".join(MAANEDER) + r") (\d{4})")
AARSHJUL = load_aarshjul()  # the bundled cycle: the Nordjylland model
D = dt.date

# aftaleperiode_start 2028: periods 2026–2027, 2028–2029, 2030–2031; the udmelding deadline is 1 March.
# year -> (running period, DAS decides from 1 January next year for this period, withdrawal takes effect)
EXPECTED = {
    2026: ((D(2026, 1, 1), D(2027, 12, 31)), (D(2026, 1, 1), D(2027, 12, 31)), D(2027, 12, 31)),
    2027: ((D(2026, 1, 1), D(2027, 12, 31)), (D(2028, 1, 1), D(2029, 12, 31)), None),
    2028: ((D(2028, 1, 1), D(2029, 12, 31)), (D(2028, 1, 1), D(2029, 12, 31)), D(2029, 12, 31)),
    2029: ((D(2028, 1, 1), D(2029, 12, 31)), (D(2030, 1, 1), D(2031, 12, 31)), None),
    2030: ((D(2030, 1, 1), D(2031, 12, 31)), (D(2030, 1, 1), D(2031, 12, 31)), D(2031, 12, 31)),
    2031: ((D(2030, 1, 1), D(2031, 12, 31)), (D(2032, 1, 1), D(2033, 12, 31)), None),
}


def dates(text: str) -> set[dt.date]:
    return {D(int(y), MAANEDER.index(m) + 1, int(d)) for d, m, y in DATE.findall(text)}


def changed(sd, **fields):
    return Stamdata(**{**{k: getattr(sd, k) for k in Stamdata.model_fields}, **fields})


def udmelding_form_text(sd, defs, aar, tmp_path) -> str:
    defn = defs["udmelding"]
    m = recipients(defn, sd, aar)[0]
    target = write_form(
        plan_form(defn, sd, m, aar), sd, tmp_path / f"udmelding_{aar}.xlsx", sd.frist("udmelding", aar)
    ).path
    ws = openpyxl.load_workbook(target)["Vejledning"]
    return next(str(c.value) for c in ws["A"] if c.value and "aftaleperioden" in str(c.value))


def withdrawal_intro(sd, aar) -> str:
    t = sd.tilbud[0]
    v = SimpleNamespace(
        skema=Udmelding.SKEMA,
        respondent_id=t.driftsherre_id,
        value="Ja",
        tilbud_id=t.id,
        noegle=Udmelding.OENSKES_UDMELDT,
    )
    return _withdrawals([v], sd, aar)["indledning"]


@pytest.mark.parametrize("aar", sorted(EXPECTED))
def test_every_output_states_the_rules_dates(aar, sd, defs, tmp_path):
    periode, omfattes, virkning = EXPECTED[aar]
    p = year_periods(sd, aar)
    assert (p.loebende.start, p.loebende.slut) == periode
    assert (p.omfattes_fra, (p.omfattes_periode.start, p.omfattes_periode.slut)) == (D(aar + 1, 1, 1), omfattes)

    acts = {a.key: a for a in aarshjul(sd, AARSHJUL, aar)}
    das = dates(acts["das"].note)
    assert das == {D(aar + 1, 1, 1), *omfattes}
    hearing = common(sd, aar, D(aar, 4, 16))["periode"]
    assert dates(hearing["das_tekst"]) == das
    assert dates(hearing["aftaleperiode"]) == set(periode)
    assert ("aftaleperiode" in acts) == (periode[0].year == aar)
    if "aftaleperiode" in acts:
        assert acts["aftaleperiode"].dato == periode[0] and dates(acts["aftaleperiode"].note) == set(periode)
    if virkning is None:  # odd years: no withdrawals
        assert "udmelding" not in acts
        assert "ulige år" in withdrawal_intro(sd, aar)
        return
    frist = D(aar, 3, 1)
    said = {frist, virkning}
    assert dates(acts["udmelding"].note) == said
    assert dates(hearing["udmelding_tekst"]) == said
    assert dates(udmelding_form_text(sd, defs, aar, tmp_path)) == {*said, *periode}
    assert dates(withdrawal_intro(sd, aar)) == said | das
    # the withdrawal takes effect at the end of the period the DAS decision of the same year covers
    assert virkning == omfattes[1]


def test_the_withdrawal_deadline_comes_from_the_frister_sheet(sd):
    late = changed(
        sd, frister=[f for f in sd.frister if f.skema != "udmelding"] + [Frist(skema="udmelding", dato=D(2028, 4, 2))]
    )
    p = year_periods(late, 2028)
    assert p.udmelding_frist == D(2028, 4, 2) and p.udmelding_virkning == D(2029, 12, 31)
    assert dates(withdrawal_intro(late, 2028)) >= {D(2028, 4, 2), D(2029, 12, 31)}
    assert D(2028, 3, 1) not in dates(withdrawal_intro(late, 2028))


def test_the_period_start_setting_moves_every_date(sd):
    odd = changed(sd, indstillinger={**sd.indstillinger, "aftaleperiode_start": 2029})
    acts = {a.key: a for a in aarshjul(odd, AARSHJUL, 2028)}
    assert "aftaleperiode" not in acts
    # asked 1 March 2028 in the period 2027–2028: a year's notice reaches past its end, so the next one
    assert dates(acts["udmelding"].note) == {D(2028, 3, 1), D(2030, 12, 31)}
    assert dates(acts["das"].note) == {D(2029, 1, 1), D(2030, 12, 31)}
    assert "Ét ønske om udmelding" in withdrawal_intro(odd, 2028)
