"""The rules: criteria A/B/C, early-warning thresholds, the årshjul and its calendar file."""

import datetime as dt
import itertools

import icalendar
import pytest

from toolkit.definitions import load_aarshjul, load_kriterier
from toolkit.documents.calendar import calendar
from toolkit.problems import UsageError
from toolkit.rules.criteria import DISPENSATION, IKKE, INDSTILLES, MANGLER, assess_nomination
from toolkit.rules.cycle import aarshjul, activity_states, check_hearing_deadline
from toolkit.rules.keyfigures import TilbudFigures
from toolkit.rules.period import withdrawal_effective
from toolkit.rules.warnings import DEFAULTS, signals_for

AARSHJUL = load_aarshjul()  # the bundled cycle: the Nordjylland model
CRIT = ("a1", "a2", "a3", "b1", "c1", "c2")
KRITERIER = load_kriterier()  # the bundled set: Tabel 2 of the Nordjylland model


def expected_outcome(ans, ny):
    """The rule written out independently: three-valued logic over Ja/Nej/None."""

    def val(c):
        return {"Ja": True, "Nej": False}.get(ans[c])

    a = (
        True
        if any(val(c) is True for c in ("a1", "a2", "a3"))
        else (False if all(val(c) is False for c in ("a1", "a2", "a3")) else None)
    )
    b = val("b1")
    c = False if False in (val("c1"), val("c2")) else (True if val("c1") and val("c2") else None)
    if a and b and c:
        return INDSTILLES
    if False in (a, b, c):
        return DISPENSATION if ny == "Ja" else IKKE
    return MANGLER


@pytest.mark.parametrize("ny", ["Ja", "Nej", None])
def test_every_combination_of_answers(ny):
    for combo in itertools.product(["Ja", "Nej", None], repeat=6):
        ans = dict(zip(CRIT, combo, strict=True))
        res = assess_nomination(KRITERIER, ans, ny)
        assert res.resultat == expected_outcome(ans, ny), (ans, ny)
        assert len(res.begrundelser) >= 3


@pytest.mark.parametrize(
    "ans,ny,result,reason",
    [
        (("Ja", "Nej", "Nej", "Ja", "Ja", "Ja"), "Nej", INDSTILLES, "Kategori A er opfyldt (A.1)."),
        (("Nej", "Nej", "Ja", "Ja", "Ja", "Nej"), "Ja", DISPENSATION, "ikke opfyldt: C.2"),
        (("Nej", "Nej", "Ja", "Ja", "Ja", "Nej"), "Nej", IKKE, "både C.1 og C.2 skal være opfyldt"),
        (("Nej", "Nej", "Nej", "Ja", "Ja", "Ja"), "Nej", IKKE, "Kategori A er ikke opfyldt"),
        (("Ja", "Nej", "Nej", "Ja", None, "Ja"), "Nej", MANGLER, "mangler svar på C.1"),
        (("Ja", "Ja", "Ja", "Nej", "Ja", "Ja"), None, IKKE, "ikke oplyst, om tilbuddet er nyoprettet"),
    ],
)
def test_results_carry_danish_reasons(ans, ny, result, reason):
    res = assess_nomination(KRITERIER, dict(zip(CRIT, ans, strict=True)), ny)
    assert res.resultat == result
    assert any(reason in r for r in res.begrundelser), res.begrundelser


def fig(**kw):
    base = dict(tilbud_id="T", navn="T", driftsherre="D", pladstal=20.0, budgetteret_belaegning=95.0)
    base.update(kw)
    return TilbudFigures(**base)


TH = dict(DEFAULTS)
AAR = 2028


def codes(f, th=TH):
    return [s.code for s in signals_for(f, AAR, th)]


@pytest.mark.parametrize("last,signal", [(95.0, False), (94.9, True), (95.1, False)])
def test_belaegning_under_budget_at_threshold(last, signal):
    f = fig(belaegning={2025: 95.0, 2026: 95.0, 2027: last})
    assert ("belaegning-under-budget" in codes(f)) == signal


@pytest.mark.parametrize(
    "series,signal", [((98, 95, 93), True), ((98, 95, 93.1), False), ((98, 99, 90), False), ((97.9, 95, 93), False)]
)
def test_falling_trend_needs_three_falling_years_and_the_minimum_drop(series, signal):
    f = fig(belaegning=dict(zip((2025, 2026, 2027), series, strict=True)), budgetteret_belaegning=None)
    assert ("faldende-belaegning" in codes(f)) == signal


@pytest.mark.parametrize("forventet,signal", [(24.0, False), (24.1, True), (16.0, False), (15.9, True)])
def test_demand_deviation_at_twenty_percent(forventet, signal):
    f = fig(forventet=forventet)
    assert ("efterspoergsel-afviger" in codes(f)) == signal


def test_demand_signal_names_its_numbers():
    f = fig(pladstal=22.0, forventet=14.0)
    (s,) = [s for s in signals_for(f, AAR, TH) if s.code == "efterspoergsel-afviger"]
    assert s.text == "Forventet brug 14 pladser mod 22 pladser (−36 %)"


@pytest.mark.parametrize("before,now,signal", [(3, 3, False), (3, 4, True), (3, 2, False)])
def test_growing_waiting_list(before, now, signal):
    f = fig(venteliste={2027: before, 2028: now})
    assert ("voksende-venteliste" in codes(f)) == signal


def test_thresholds_come_from_stamdata_settings():
    f = fig(forventet=23.0)
    assert "efterspoergsel-afviger" not in codes(f)
    assert "efterspoergsel-afviger" in codes(f, {**TH, "ew_afvigelse_pct": 10.0})


def test_operator_concern_and_municipalities_without_use():
    f = fig(bekymring="Ja", ingen_brug=[("Læsø Kommune", "Køber i Region Midtjylland")])
    texts = [s.text for s in signals_for(f, AAR, TH)]
    assert "Driftsherren melder bekymring for bæredygtigheden" in texts
    assert (
        "Læsø Kommune forventer ingen eller meget begrænset brug (bruger i stedet: køber i Region Midtjylland)" in texts
    )


def test_even_year_has_withdrawal_and_period_start(sd):
    acts = {a.key: a for a in aarshjul(sd, AARSHJUL, 2028)}
    assert "udmelding" in acts and "vurdering_fortsat" in acts and "aftaleperiode" in acts
    assert acts["udsendelse"].dato == dt.date(2028, 1, 31)  # Monday of week 5
    assert acts["aarsrapport"].dato == dt.date(2028, 4, 15)  # from the Frister sheet
    assert "31. december 2029" in acts["udmelding"].note


def test_odd_year_has_no_withdrawal_and_cancels_the_march_panel_without_nominations(sd):
    acts = {a.key: a for a in aarshjul(sd, AARSHJUL, 2029, nominations=0)}
    assert "udmelding" not in acts and "aftaleperiode" not in acts
    assert acts["ekspertpanel"].aflyst
    assert not {a.key: a for a in aarshjul(sd, AARSHJUL, 2029, nominations=2)}["ekspertpanel"].aflyst
    assert not {a.key: a for a in aarshjul(sd, AARSHJUL, 2028, nominations=0)}["ekspertpanel"].aflyst


@pytest.mark.parametrize(
    "asked,effective",
    [
        (dt.date(2028, 3, 1), dt.date(2029, 12, 31)),
        (dt.date(2029, 12, 31), dt.date(2031, 12, 31)),
        (dt.date(2030, 1, 1), dt.date(2031, 12, 31)),
        (dt.date(2028, 12, 31), dt.date(2029, 12, 31)),
    ],
)
def test_withdrawal_takes_effect_at_a_period_end_after_a_years_notice(asked, effective):
    assert withdrawal_effective(asked, 2028) == effective


@pytest.mark.parametrize(
    "last,budget,text",
    [
        (94.95, 95.0, "Belægning 2027 94,95 % mod budgetteret 95,00 %"),
        (90.0, 95.0, "Belægning 2027 90,0 % mod budgetteret 95,0 %"),
        (94.999, 95.0, "Belægning 2027 94,999 % mod budgetteret 95,000 %"),
    ],
)
def test_belaegning_signal_shows_the_decimals_that_tell_the_numbers_apart(last, budget, text):
    f = fig(belaegning={2027: last}, budgetteret_belaegning=budget)
    assert [s.text for s in signals_for(f, AAR, TH) if s.code == "belaegning-under-budget"] == [text]


def test_the_hearing_deadline_lies_before_the_das_meeting_every_year(sd):
    for aar in range(2026, 2032):
        acts = {a.key: a for a in aarshjul(sd, AARSHJUL, aar)}
        assert acts["aarsrapport"].dato < acts["hoering"].dato < acts["das"].dato
        check_hearing_deadline(sd, AARSHJUL, aar, acts["hoering"].dato, dt.date(aar, 4, 16))  # accepted


@pytest.mark.parametrize(
    "frist,today,named",
    [
        (dt.date(2028, 6, 1), dt.date(2028, 4, 16), ["1. juni 2028", "20. maj 2028", "Frister"]),
        (dt.date(2028, 5, 20), dt.date(2028, 4, 16), ["20. maj 2028", "Frister"]),
        (dt.date(2028, 5, 1), dt.date(2028, 5, 2), ["1. maj 2028", "20. maj 2028", "Frister", "overskredet"]),
    ],
)
def test_a_hearing_deadline_on_or_after_das_or_in_the_past_is_refused(sd, frist, today, named):
    with pytest.raises(UsageError) as e:
        check_hearing_deadline(sd, AARSHJUL, 2028, frist, today)
    assert e.value.exit_code == 2
    for text in named:
        assert text in str(e.value)


def test_states_for_today(sd):
    acts = aarshjul(sd, AARSHJUL, 2028)
    states = {
        s.activity.key: s
        for s in activity_states(acts, dt.date(2028, 3, 20), {"kommune": (9, 11), "indmelding": (12, 12)}, {"kommune"})
    }
    assert states["kommune"].state == "forfalden" and states["kommune"].detail == "9 af 11 modtaget"
    assert states["indmelding"].state == "udført"
    assert states["ekspertpanel"].state == "nu"
    assert states["das"].state == "kommende"
    assert states["udsendelse"].state == "udført"


def test_ics_parses_and_holds_every_activity(sd):
    acts = aarshjul(sd, AARSHJUL, 2029, nominations=0)
    cal = icalendar.Calendar.from_ical(calendar(acts, "Nordjylland"))
    events = [e for e in cal.walk("VEVENT")]
    assert len(events) == sum(1 for a in acts if not a.aflyst)
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "Frist: driftsherrernes årsrapporter" in summaries
    das = next(e for e in events if str(e["SUMMARY"]).startswith("DAS"))
    assert das["DTSTART"].dt == dt.date(2029, 5, 20)
