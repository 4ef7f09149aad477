"""Property: whatever valid answers are filled into a generated form (by defined name), ingesting and
exporting gives back exactly those answers, for every form type, also after LibreOffice re-saves the
file as .xlsx, .xls or .ods."""

import datetime as dt
import json
import string

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ERROR_CODES

from toolkit.forms.meta import MAP_SHEET, defined_name
from toolkit.returns.ingest import ingest
from toolkit.returns.normalize import PLACEHOLDERS
from toolkit.store import Store
from toolkit.store.export import export

from conftest import EVEN_YEAR, one_form_per_type
from fill import plan_for

# Typing an error literal such as '#VALUE!' makes an error value in Excel (and openpyxl), not text:
# that case is test_returns' error-cell test, not a round trip of text.
TEXT = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda s: s and s.lower() not in PLACEHOLDERS and s.isprintable() and s not in ERROR_CODES)
)
FORMULA_LIKE = st.sampled_from(["=1+1", "+45 12 34 56", "@SUM(A1)", '=HYPERLINK("http://x.example.invalid","y")'])


def value_strategy(felt):
    lo = felt.min if felt.min is not None else -1e6
    hi = felt.max if felt.max is not None else 1e6
    t = felt.type
    if t == "heltal":
        return st.integers(int(lo), int(hi))
    if t == "procent":  # 0 < x ≤ 2 in a 0–200 field may mean x or 100·x %: reported, not stored
        return st.integers(int(lo * 100), int(hi * 100)).map(lambda x: x / 100).filter(lambda x: x == 0 or x > 2)
    if t in ("tal", "beloeb"):
        return st.integers(int(lo * 100), int(hi * 100)).map(lambda x: x / 100)
    if t in ("ja_nej", "valg"):
        return st.sampled_from(felt.choices)
    if t == "dato":
        return st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
    if t == "email":
        return st.builds(
            lambda a, b: f"{a}@{b}.example.invalid",
            st.text(string.ascii_lowercase, min_size=1, max_size=8),
            st.text(string.ascii_lowercase, min_size=1, max_size=8),
        )
    if t == "url":
        return st.text(string.ascii_lowercase + "-/", min_size=1, max_size=20).map(
            lambda p: "https://tilbud.example.invalid/" + p
        )
    return st.one_of(TEXT, FORMULA_LIKE)


@st.composite
def answers_for(draw, fields):
    out = {}
    for fi in fields:
        if draw(st.booleans()):
            out[fi.key] = draw(value_strategy(fi.felt))
        else:
            out[fi.key] = None  # left empty (also clears a prefilled cell)
    assume(any(v is not None for v in out.values()))  # an untouched form is refused ('ikke-udfyldt')
    return out


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, dt.date):
        return a.isoformat() == b
    return a == b


def _check(exported, answers):
    got = {r["felt"]: r["vaerdi"] for r in exported if r["vaerdi"] is not None}
    expected = {k: v for k, v in answers.items() if v is not None}
    assert set(got) == set(expected)
    for k, v in expected.items():
        assert _same(v, got[k]), (k, v, got[k])


@pytest.fixture(scope="module")
def plans(forms_dir, defs, sd):
    return {p: plan_for(p, defs, sd, EVEN_YEAR)[1] for p in one_form_per_type(forms_dir)}


@pytest.fixture(scope="module")
def forms(plans):
    """Each form loaded once for the module. Every example writes every input cell (an answer or
    empty), so an example's file is the same as one filled from a freshly loaded form."""
    return {src: openpyxl.load_workbook(src) for src in plans}


def fill(wb, answers: dict, target):
    """Write `answers` (every field of the form) into the cells their defined names point at, and save
    as `target` (as toolkit.demo.simulate.fill_form does, without loading the form again)."""
    used: set[str] = set()
    for key in (r[0] for r in wb[MAP_SHEET].iter_rows(min_row=2, values_only=True) if r[0]):
        ((sheet, ref),) = list(wb.defined_names[defined_name(key, used)].destinations)
        if key in answers:
            cell = wb[sheet][ref.replace("$", "")]
            cell.value = answers[key]
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # the respondent typed text that looks like a formula
    wb.save(target)
    return target


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_roundtrip_fill_ingest_export(data, plans, forms, sd, defs, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rt")
    expected = {}
    for src, plan in plans.items():
        answers = data.draw(answers_for(plan.fields()), label=src.name)
        fill(forms[src], answers, tmp / src.name)
        expected[plan.defn.skema] = answers
    with Store(tmp / "w") as store:
        report = ingest([tmp], store, sd, defs)
        assert report.count("ny") == 4
        rows = json.loads(export(store.current_values(), "json", None))
    for skema, answers in expected.items():
        _check([r for r in rows if r["skema"] == skema], answers)


@pytest.mark.parametrize("fmt,ext", [("xlsx", "xlsx"), ("xls:MS Excel 97", "xls"), ("ods", "ods")])
@settings(
    max_examples=2,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_roundtrip_after_libreoffice_resave(data, fmt, ext, plans, forms, sd, defs, libreoffice, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lo")
    filled, expected = [], {}
    (tmp / "filled").mkdir()
    for src, plan in plans.items():
        answers = data.draw(answers_for(plan.fields()), label=src.name)
        filled.append(fill(forms[src], answers, tmp / "filled" / src.name))
        expected[plan.defn.skema] = answers
    converted = libreoffice(filled, fmt, tmp / "resaved")
    assert all(p.suffix == f".{ext}" for p in converted)
    with Store(tmp / "w") as store:
        report = ingest([tmp / "resaved"], store, sd, defs)
        assert report.count("ny") == 4, [
            (i.file.name, i.status, [x.message for x in i.issues][:2]) for i in report.items
        ]
        rows = json.loads(export(store.current_values(), "json", None))
    for skema, answers in expected.items():
        _check([r for r in rows if r["skema"] == skema], answers)
