"""The bilag's charts: each tilbud's belægning where its status section starts, the demand chart in
page-sized parts, labels that never lie across the budget line, Danish numbers, and nothing drawn
that would show nothing."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from docx import Document
from matplotlib.image import imread

from toolkit import Workspace
from toolkit.documents import charts
from toolkit.documents.produce import write_bilag
from toolkit.documents.render import template_path
from toolkit.store import Store

AAR = 2028
YEARS = [AAR - 3, AAR - 2, AAR - 1]
A4_ROOM_MM = 225  # an A4 page's text height in our templates, less a heading and a line of text


def tilbud(i: int, belaegning=(96.0, 12.0, None), budget: float | None = 95.0, navn: str | None = None):
    return SimpleNamespace(
        tilbud_id=f"T{i:03}",
        navn=navn or f"Specialtilbud nr. {i}",
        belaegning=dict(zip(YEARS, belaegning, strict=True)),
        budgetteret_belaegning=budget,
        pladstal=20 + i,
        forventet=None if i % 5 == 0 else 15.5 + i,
    )


@pytest.mark.parametrize("budget", [95.0, 90.0, 60.0, 50.0, 48.0, 30.0, 14.0, 10.0, None])
@pytest.mark.parametrize("values", [(96.0, 12.0, None), (100.0, 25.0, 5.0), (50.0, 49.0, 140.0)])
def test_bar_labels_never_touch_the_budget_line(tmp_path, budget, values):
    """The dashed budget line runs across the bars; no value label may lie across it, every label
    stays inside the chart, and the line is named with its value at its right end."""
    chart = charts.BelaegningChart(YEARS)
    assert chart.draw(tilbud(1, values, budget), tmp_path / "b.png") == tmp_path / "b.png"
    renderer = chart.canvas.get_renderer()
    axes_box = chart.ax.get_window_extent(renderer)
    expected = ["ingen tal" if v is None else f"{v:.1f} %".replace(".", ",") for v in values]
    assert [t.get_text() for t in chart.labels] == expected
    for t in chart.labels:
        box = t.get_window_extent(renderer)
        assert axes_box.y0 <= box.y0 and box.y1 <= axes_box.y1, (budget, t.get_text())
        if budget is not None:
            line_y = chart.ax.transData.transform((0, budget))[1]
            assert not box.y0 - 1 <= line_y <= box.y1 + 1, (budget, t.get_text())
    assert chart.budget_label.get_visible() is (budget is not None)
    if budget is not None:
        assert chart.budget_label.get_text() == f"{budget:.1f} %".replace(".", ",")


def test_a_belaegning_just_under_budget_never_reads_as_the_budget(tmp_path):
    """94,95 against 95: "94,95 %" on the bar and "95,00 %" on the line, never "95,0 %" twice."""
    chart = charts.BelaegningChart(YEARS)
    chart.draw(tilbud(1, (93.0, 96.0, 94.95), 95.0), tmp_path / "b.png")
    assert [t.get_text() for t in chart.labels] == ["93,0 %", "96,0 %", "94,95 %"]
    assert chart.budget_label.get_text() == "95,00 %"


def test_a_tilbud_without_any_belaegning_gets_no_chart(tmp_path):
    chart = charts.BelaegningChart(YEARS)
    assert chart.draw(tilbud(1, (None, None, None)), tmp_path / "tom.png") is None
    assert not (tmp_path / "tom.png").exists()


def test_the_demand_chart_is_split_into_parts_that_each_fit_a_page(tmp_path):
    assert [len(r) for r in charts.demand_parts(8)] == [8]
    assert [len(r) for r in charts.demand_parts(60)] == [20, 20, 20]
    assert [len(r) for r in charts.demand_parts(240)] == [24] * 10
    assert [i for r in charts.demand_parts(61) for i in r] == list(range(61))
    long_name = "Center for Døvblindhed, Høretab og Kommunikation – Specialrådgivning og Botilbud i Aalborg"
    figures = [tilbud(i, navn=long_name if i == 3 else None) for i in range(charts.MAX_ROWS)]
    png = charts.demand_chart(figures, AAR, tmp_path / "d.png", (1, 2))
    height, width, _ = imread(png).shape
    assert 150 * height / width <= A4_ROOM_MM  # printed 150 mm wide


def test_national_charts_are_drawn_by_workers_one_per_tilbud_with_figures(tmp_path):
    """30 tilbud: the worker processes draw a chart for each that has figures (not for the one
    without) and the demand chart in two parts, each a readable PNG of the planned size."""
    figures = [tilbud(i, (90.0 + i / 10, 91.0, None if i % 4 else 92.0)) for i in range(30)]
    figures[7] = tilbud(7, (None, None, None))
    with charts.drawn_charts(figures, YEARS, AAR, tmp_path) as drawn:
        result = drawn()
    assert set(result.belaegning) == {f.tilbud_id for f in figures}
    assert result.belaegning["T007"] is None
    pngs = [p for p in result.belaegning.values() if p is not None]
    assert len(set(pngs)) == 29
    w, h = charts.BelaegningChart.FIGSIZE
    for p in pngs:
        assert imread(p).shape[:2] == (round(h * charts.BelaegningChart.DPI), round(w * charts.BelaegningChart.DPI))
    assert [p.name for p in result.demand] == ["efterspoergsel_1.png", "efterspoergsel_2.png"]
    assert all(imread(p).shape[0] > 0 for p in result.demand)


def test_every_status_section_of_the_bilag_starts_with_its_chart_or_says_why_not(demo):
    """Right under each tilbud's "Status" heading: its belægning chart, or — for the tilbud that sent
    no årsrapport — a sentence saying there are no figures; the overview has the demand chart."""
    work, _ = demo
    doc = Document(str(next((work / str(AAR)).glob(f"{AAR}_bilag_das_*.docx"))))
    paragraphs = doc.paragraphs
    figures = {f.navn: f for f in Workspace(work).year_data(AAR).figures}
    seen = set()
    for i, p in enumerate(paragraphs):
        m = re.match(r"Bilag \d+: (?:Status: (.+)|Overblik over tilbuddene)$", p.text)
        if not m:
            continue
        nxt = paragraphs[i + 1 : i + 3]
        pictures = sum(q._p.xml.count("<pic:pic") for q in nxt)  # noqa: SLF001 - reading the XML
        if m.group(1) is None:
            assert pictures == 1, "the overview's demand chart"
            continue
        f = figures[m.group(1)]
        seen.add(f.navn)
        if any(f.belaegning.get(y) is not None for y in YEARS):
            assert pictures == 1, f.navn
        else:
            assert pictures == 0 and f"Der er ingen tal for realiseret belægning {YEARS[0]}–{YEARS[-1]}." in [
                q.text for q in nxt
            ], f.navn
    assert seen == set(figures)


def test_a_bilag_template_edited_before_the_charts_were_split_still_shows_them(demo, sd, defs, tmp_path):
    """A secretariat's template with the one field `{{ b.graf }}` (before `b.grafer`) gets the same
    charts: the demand chart and a chart per tilbud with figures, and the sentence for the one without."""
    work, _ = demo
    edited = Document(str(template_path("bilag_das.docx")))
    paragraphs = edited.paragraphs
    i = next(i for i, p in enumerate(paragraphs) if p.text == "{%p for g in b.grafer %}")
    for p in paragraphs[i + 1 : i + 3]:
        p._p.getparent().remove(p._p)  # noqa: SLF001 - editing the template's XML as Word would
    paragraphs[i].text = "{{ b.graf }}"
    (tmp_path / "skabeloner").mkdir()
    edited.save(str(tmp_path / "skabeloner" / "bilag_das.docx"))
    with Store(work) as store:
        written = write_bilag(
            store, sd, defs, AAR, dt.date(2028, 5, 20), tmp_path / "out", templates=tmp_path / "skabeloner"
        )
    doc = Document(str(written.path))
    figures = Workspace(work).year_data(AAR).figures
    with_figures = [f for f in figures if any(f.belaegning.get(y) is not None for y in YEARS)]
    assert sum(p._p.xml.count("<pic:pic") for p in doc.paragraphs) == len(with_figures) + 1  # noqa: SLF001
    sentence = f"Der er ingen tal for realiseret belægning {YEARS[0]}–{YEARS[-1]}."
    assert [p.text for p in doc.paragraphs].count(sentence) == len(figures) - len(with_figures) == 1
