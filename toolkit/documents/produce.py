"""Write the Word documents of the cycle: hearing letters and material, reminders, DAS appendix.
All go to output/<år>/…, written atomically, never replacing a file without `overwrite`."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from docx.shared import Mm
from docxtpl import InlineImage

from toolkit.consolidate.panel import panel_assessment
from toolkit.consolidate.year import year_data
from toolkit.danish import antal, format_dato, stort
from toolkit.documents import charts
from toolkit.documents.compose import (
    Attachment,
    Entry,
    Punkter,
    agenda,
    attachment_entries,
    finish_bilag,
    number_entries,
    parse_punkter,
)
from toolkit.documents.context import by_respondent, common, index_values, tilbud_section
from toolkit.documents.indstilling import indstilling_section, nominations_section, section_titles
from toolkit.documents.render import ANCHOR, load, render
from toolkit.fieldkeys import Aarsrapport, Hoeringssvar, Kommune, Udmelding
from toolkit.files import slug
from toolkit.forms.generate import form_filename
from toolkit.rules.period import year_periods
from toolkit.rules.warnings import early_warnings
from toolkit.statuses import AnswerStatus, WriteStatus


@dataclass(frozen=True)
class Written:
    path: Path
    status: WriteStatus


def _write(name: str, context_fn, target: Path, overwrite: bool, folder=None) -> Written:
    if target.exists() and not overwrite:
        return Written(target, WriteStatus.FINDES)
    tpl = load(name, folder)
    render(tpl, name, context_fn(tpl), target)
    return Written(target, WriteStatus.SKREVET)


def _received(statuses) -> dict:
    return {(s.skema, s.modtager.id): s.modtaget for s in statuses if s.modtaget}


def write_hoering(
    store,
    sd,
    defs,
    aar: int,
    frist: dt.date,
    out_dir: Path,
    overwrite=False,
    today: dt.date | None = None,
    templates=None,
) -> list[Written]:
    today = today or dt.date.today()
    values, statuses, figures = year_data(store, sd, defs, aar, today)
    base = {**common(sd, aar, today, defs), "frist": format_dato(frist)}
    rec = _received(statuses)
    n_kommuner = {f.tilbud_id: 0 for f in figures}
    for vals in by_respondent(values, Kommune.SKEMA).values():
        for tid in {v.tilbud_id for v in vals}:
            if tid in n_kommuner:
                n_kommuner[tid] += 1
    materiale = [
        {
            "navn": f.navn,
            "driftsherre": f.driftsherre,
            "aarsrapport": "modtaget" if rec.get((Aarsrapport.SKEMA, f.tilbud_id)) else "ikke modtaget",
            "kommuner": f"{n_kommuner[f.tilbud_id]} af {len(sd.kommuner())}",
        }
        for f in figures
    ]
    out_dir = Path(out_dir) / "hoering"
    letters = [
        (
            "hoeringsbrev.docx",
            {
                **base,
                "materiale": materiale,
                "modtager": {"navn": a.navn, "kontaktperson": a.kontaktperson, "email": a.email},
                "skema_fil": form_filename(aar, Hoeringssvar.SKEMA, slug(a.navn)),  # Workspace.hoering writes it
            },
            str(out_dir / f"{aar}_hoeringsbrev_{slug(a.navn)}.docx"),
            overwrite,
            templates,
        )
        for a in sd.aftaleparter
    ]
    with _letter_writers(len(letters)) as pool:  # the letters are written while the material is prepared
        pending = pool.map(_write_letter, letters, chunksize=max(1, len(letters) // 8)) if pool else None
        warnings = early_warnings(sd, aar, figures)
        index = index_values(values, sd, defs)
        sections = [tilbud_section(f, index, aar, warnings[f.tilbud_id], rec) for f in figures]
        material = _write(
            "hoeringsmateriale.docx",
            lambda _t: {**base, "tilbud": sections},
            out_dir / f"{aar}_hoeringsmateriale.docx",
            overwrite,
            templates,
        )
        written = list(pending) if pending is not None else [_write_letter(job) for job in letters]
    return written + [material]


def _write_letter(job) -> Written:
    name, ctx, target, overwrite, templates = job
    return _write(name, lambda _t: ctx, Path(target), overwrite, templates)


@contextmanager
def _letter_writers(n: int, workers: int = 2):
    """Two worker processes for a national set of letters (rendering is most of the hearing's time);
    None for a few letters or one CPU."""
    workers = min(workers, os.cpu_count() or 1)
    if n < 24 or workers < 2:
        yield None
        return
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        yield pool


def write_rykkere(
    store, sd, defs, aar: int, out_dir: Path, overwrite=False, today: dt.date | None = None, templates=None
) -> list[Written]:
    today = today or dt.date.today()
    _values, statuses, _f = year_data(store, sd, defs, aar, today)
    missing: dict[tuple[str, str], list] = {}
    for s in statuses:
        if s.status == AnswerStatus.MANGLER:
            missing.setdefault((s.modtager.navn, s.modtager.email), []).append(s)
    base = common(sd, aar, today, defs)
    out_dir = Path(out_dir) / "rykkere"
    written = []
    for (_navn, _email), items in sorted(missing.items()):
        m = items[0].modtager
        mangler = [
            {
                "navn": f"{s.skema_navn}" + (f" for {s.modtager.navn}" if s.skema == "aarsrapport" else ""),
                "frist": format_dato(s.frist) if s.frist else "–",
                "overskredet": s.overskredet,
            }
            for s in items
        ]
        tekst = antal(len(items), "skema", "skemaer", en="ét")
        ctx = {
            **base,
            "modtager": {"navn": m.navn, "kontaktperson": m.kontaktperson, "email": m.email},
            "mangler": mangler,
            "mangler_tekst": tekst,
            "foer_frist": not any(s.overskredet for s in items),  # a friendly "husk fristen", not "hurtigst muligt"
        }
        name = f"{aar}_rykker_{'_'.join(sorted({s.skema for s in items}))}_{m.filnavn}.docx"
        written.append(_write("rykkerbrev.docx", lambda _t, c=ctx: c, out_dir / name, overwrite, templates))
    return written


def write_bilag(
    store,
    sd,
    defs,
    aar: int,
    moede: dt.date,
    out_dir: Path,
    overwrite=False,
    today: dt.date | None = None,
    templates=None,
    *,
    punkter: Punkter | None = None,
    attachments: list[Attachment] | None = None,
    reserve_pdf_pages: bool = False,
) -> Written:
    """`punkter`: the meeting's agenda item per section (compose.parse_punkter; default 1, 2, 3);
    `attachments`: documents from elsewhere, appended and indexed (compose.read_attachments);
    `reserve_pdf_pages`: a PDF will be made, so each PDF attachment gets as many pages as it has."""
    today = today or dt.date.today()
    values, statuses, figures = year_data(store, sd, defs, aar, today)
    target = Path(out_dir) / f"{aar}_bilag_das_{moede.isoformat()}.docx"
    if target.exists() and not overwrite:
        return Written(target, WriteStatus.FINDES)
    punkter = punkter or parse_punkter()
    attachments = attachments or []
    warnings = early_warnings(sd, aar, figures)
    rec = _received(statuses)
    entries: list[Entry] = []  # in document order; numbered once all are known (agenda order)
    slots: list[dict] = []

    def number(section: str, titel: str, bilag: dict) -> dict:
        entries.append(Entry(section, 0, titel or bilag["titel"], punkter.sections[section]))
        slots.append(bilag)
        return bilag

    years = [aar - 3, aar - 2, aar - 1]
    with (
        tempfile.TemporaryDirectory(prefix="skema_graf_") as tmp,
        charts.drawn_charts(figures, years, aar, Path(tmp)) as drawn,  # drawn while the sections are prepared
    ):
        tpl = load("bilag_das.docx", templates)
        overview = {
            "titel": "Overblik over tilbuddene",
            "t": {**_overview_section(figures, aar, warnings), "hoering": _hearing_summary(statuses)},
        }
        index = index_values(values, sd, defs)
        sections = [tilbud_section(f, index, aar, warnings[f.tilbud_id], rec) for f in figures]
        images = drawn()
        status = [number("status", "Overblik over tilbuddene", {**overview, **_grafer(tpl, images.demand)})]
        for f, section in zip(figures, sections, strict=True):
            png = images.belaegning[f.tilbud_id]
            grafer = (
                _grafer(tpl, [png])
                if png
                else _grafer(tpl, [], f"Der er ingen tal for realiseret belægning {years[0]}–{years[-1]}.")
            )
            titel = f"Status: {f.navn}"
            status.append(number("status", titel, {"titel": titel, "t": section, **grafer}))
        panel = panel_assessment(values)  # None until the panel's form is read: "afventer …"
        indmelding = number("indmelding", "", nominations_section(values, sd, panel, defs.kriterier, defs.aarshjul))
        udmelding = number("udmelding", "", _withdrawals(values, sd, aar))
        indstilling = number(
            "indstilling",
            "",
            indstilling_section(sd, aar, values, figures, warnings, index.wishes, panel, defs.kriterier, defs.aarshjul),
        )
        entries = number_entries(entries + attachment_entries(attachments, punkter))
        for bilag, e in zip(slots, entries, strict=False):  # Bilag 1…N in the agenda's order
            bilag.update(anker=ANCHOR.format(e.anker), nummer=str(e.nummer))
        dagsorden = agenda(entries, section_titles(defs.aarshjul))
        ctx = {
            **common(sd, aar, today, defs),
            "moede": format_dato(moede),
            "dagsorden": dagsorden,
            "status": status,
            "indmelding": indmelding,
            "udmelding": udmelding,
            "indstilling": indstilling,
        }
        render(tpl, "bilag_das.docx", ctx, target)
    finish_bilag(target, attachments, entries[len(slots) :], reserve_pdf_pages)
    return Written(target, WriteStatus.SKREVET)


class _Images:
    """Several images in one template field: `{{ b.graf }}` in a template from before the charts were
    split (`b.grafer`, one paragraph each). docxtpl writes each InlineImage as a run of its own; at
    150 mm wide two never share a line."""

    def __init__(self, images: list[InlineImage]):
        self.images = images

    def __html__(self) -> str:  # the autoescaping Jinja inserts this as it is
        return "".join(str(i) for i in self.images)

    __str__ = __html__


def _grafer(tpl, paths, instead: str = "") -> dict:
    """A status bilag's charts: `grafer` one per paragraph, `graf` all in one; `instead` when none."""
    images = [InlineImage(tpl, str(p), width=Mm(150)) for p in paths]
    return {"grafer": images or [instead], "graf": _Images(images) if images else instead}


def _overview_section(figures, aar, warnings):
    total = sum(f.pladstal for f in figures)
    expected = sum(f.forventet or 0 for f in figures)
    from toolkit.documents.context import _num, _pct

    got = sum(f.aarsrapport_modtaget for f in figures)
    return {
        "intro": f"{len(figures)} tilbud i det forstærkede samarbejde med i alt {_num(total)} pladser. "
        f"Årsrapporter modtaget: {got} af {len(figures)}.",
        "noegletal": [
            {
                "navn": f.navn,
                **{f"v{i + 1}": _pct(f.belaegning.get(y)) for i, y in enumerate([aar - 3, aar - 2, aar - 1])},
            }
            for f in figures
        ],
        "pladser_tekst": "Tabellen viser realiseret belægning i procent pr. tilbud.",
        "forventet_tekst": f"Kommunerne forventer samlet at bruge {_num(expected)} pladser i {aar + 1} mod "
        f"{_num(total)} pladser i alt.",
        "oekonomi": "Se de enkelte tilbud.",
        "udvikling": "Se de enkelte tilbud.",
        "signaler": [f"{f.navn}: {s.text}" for f in figures for s in warnings[f.tilbud_id]],
        "hoering": "Se de enkelte tilbud.",
    }


def _hearing_summary(statuses) -> str:
    """Who has sent a hearing reply (the overview's Høringsbemærkninger)."""
    st = [s for s in statuses if s.skema == Hoeringssvar.SKEMA]
    if not st:
        return "Høringen er ikke sendt ud; der er ingen høringssvar."
    missing = [s.modtager.navn for s in st if s.status == AnswerStatus.MANGLER]
    return (
        f"Høringssvar fra {len(st) - len(missing)} af {len(st)} aftaleparter"
        + (f" (mangler: {', '.join(missing)})" if missing else "")
        + ". Bemærkningerne står under de enkelte tilbud."
    )


def _withdrawals(values, sd, aar):
    tilbud = {t.id: t.navn for t in sd.tilbud}
    names = {a.id: a.navn for a in sd.aftaleparter}
    rows: dict = {}
    for rid, vals in by_respondent(values, Udmelding.SKEMA).items():
        for v in vals:
            if v.noegle in (Udmelding.OENSKES_UDMELDT, Udmelding.OENSKES_UDTAGET) and v.value == "Ja":
                row = rows.setdefault(
                    (v.tilbud_id, rid),
                    {"tilbud": tilbud.get(v.tilbud_id, v.tilbud_id), "fra": names.get(rid, rid), "aarsager": []},
                )
                row["type"] = v.noegle
        for v in vals:
            key = (v.tilbud_id, rid)
            if key in rows and v.noegle in Udmelding.AARSAGER:
                rows[key]["aarsager"].append(str(v.value))
            if key in rows and v.noegle == Udmelding.KONKURRERENDE_TILBUD and v.value == "Ja":
                rows[key]["aarsager"].append("Kommunen ønsker at oprette et konkurrerende tilbud.")
    if aar % 2:
        intro = f"{aar} er et ulige år; der er ikke udsendt skema til udmelding."
    elif rows:
        p = year_periods(sd, aar)
        intro = (
            f"{stort(antal(len(rows), 'ønske', 'ønsker', en='ét'))} om udmelding. {p.udmelding_tekst}. {p.das_tekst}."
        )
    else:
        intro = "Der er ikke modtaget ønsker om udmelding."
    return {
        "titel": "Ønsker om udmelding af tilbud",
        "indledning": intro,
        "rows": list(rows.values()),
    }


__all__ = ["write_bilag", "write_hoering", "write_rykkere"]
