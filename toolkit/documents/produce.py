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

from toolkit.consolidate.year import year_data
from toolkit.danish import antal, format_dato, stort
from toolkit.documents import charts
from toolkit.documents.context import by_respondent, common, index_values, tilbud_section
from toolkit.documents.render import ANCHOR, PAGEREF, load, render
from toolkit.fieldkeys import Aarsrapport, Indmelding, Kommune, Udmelding
from toolkit.files import slug
from toolkit.rules.criteria import CATEGORIES, assess_all
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
    base = {**common(sd, aar, today), "frist": format_dato(frist)}
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
        index = index_values(values, sd)
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
    base = common(sd, aar, today)
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
) -> Written:
    today = today or dt.date.today()
    values, statuses, figures = year_data(store, sd, defs, aar, today)
    target = Path(out_dir) / f"{aar}_bilag_das_{moede.isoformat()}.docx"
    if target.exists() and not overwrite:
        return Written(target, WriteStatus.FINDES)
    warnings = early_warnings(sd, aar, figures)
    rec = _received(statuses)
    with tempfile.TemporaryDirectory(prefix="skema_graf_") as tmp:
        tpl = load("bilag_das.docx", templates)
        status = [
            {
                "anker": ANCHOR.format("bilag_1_0"),
                "nummer": "1.0",
                "titel": "Overblik over tilbuddene",
                "t": _overview_section(figures, aar, warnings),
                "graf": InlineImage(
                    tpl, str(charts.demand_chart(figures, aar, Path(tmp) / "efterspoergsel.png")), width=Mm(150)
                ),
            }
        ]
        pngs = charts.belaegning_charts(figures, [aar - 3, aar - 2, aar - 1], Path(tmp))
        index = index_values(values, sd)
        for i, f in enumerate(figures, start=1):
            png = pngs[f.tilbud_id]
            status.append(
                {
                    "anker": ANCHOR.format(f"bilag_1_{i}"),
                    "nummer": f"1.{i}",
                    "titel": f"Status: {f.navn}",
                    "t": tilbud_section(f, index, aar, warnings[f.tilbud_id], rec),
                    "graf": InlineImage(tpl, str(png), width=Mm(150)),
                }
            )
        indmelding = _nominations(values, sd)
        udmelding = _withdrawals(values, sd, aar)
        dagsorden = [
            {
                "nr": 1,
                "titel": "Årlig statusdrøftelse af tilbuddene i det forstærkede samarbejde",
                "bilag": [
                    {
                        "nummer": f"Bilag {b['nummer']}",
                        "titel": b["titel"],
                        "side": PAGEREF.format(f"bilag_{b['nummer'].replace('.', '_')}"),
                    }
                    for b in status
                ],
            },
            {
                "nr": 2,
                "titel": "Indmeldte tilbud",
                "bilag": [{"nummer": "Bilag 2.1", "titel": indmelding["titel"], "side": PAGEREF.format("bilag_2_1")}],
            },
            {
                "nr": 3,
                "titel": "Udmeldinger",
                "bilag": [{"nummer": "Bilag 3.1", "titel": udmelding["titel"], "side": PAGEREF.format("bilag_3_1")}],
            },
        ]
        ctx = {
            **common(sd, aar, today),
            "moede": format_dato(moede),
            "dagsorden": dagsorden,
            "status": status,
            "indmelding": indmelding,
            "udmelding": udmelding,
        }
        render(tpl, "bilag_das.docx", ctx, target)
    return Written(target, WriteStatus.SKREVET)


def _overview_section(figures, aar, warnings):
    total = sum(f.pladstal for f in figures)
    expected = sum(f.forventet or 0 for f in figures)
    from toolkit.documents.context import _num

    got = sum(f.aarsrapport_modtaget for f in figures)
    return {
        "intro": f"{len(figures)} tilbud i det forstærkede samarbejde med i alt {_num(total)} pladser. "
        f"Årsrapporter modtaget: {got} af {len(figures)}.",
        "noegletal": [
            {
                "navn": f.navn,
                **{f"v{i + 1}": _num(f.belaegning.get(y)) for i, y in enumerate([aar - 3, aar - 2, aar - 1])},
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


def _nominations(values, sd):
    names = {d.id: d.navn for d in sd.driftsherrer}
    answers = {
        (v.respondent_id, v.nr, v.noegle): v.value
        for vals in by_respondent(values, Indmelding.SKEMA).values()
        for v in vals
        if v.linje is None
    }  # (driftsherre, block, noegle) -> answer
    rows = []
    for a in assess_all(values):
        mine = {noegle: ans for (rid, nr, noegle), ans in answers.items() if (rid, nr) == (a.respondent_id, a.nr)}
        kriterier = [
            {
                "navn": f"{c[0].upper()}.{c[1]}",
                "svar": mine.get(Indmelding.OPFYLDT[c]) or "ikke besvaret",
                "begrundelse": mine.get(Indmelding.BEGRUNDELSE[c]) or "",
            }
            for codes in CATEGORIES.values()
            for c in codes
        ]
        rows.append(
            {
                "tilbudsnavn": a.tilbudsnavn,
                "driftsherre": names.get(a.respondent_id, a.respondent_id),
                "resultat": a.resultat,
                "kriterier": kriterier,
                "begrundelser": list(a.begrundelser),
            }
        )
    intro = (
        (
            f"{len(rows)} tilbud er indmeldt. Vurderingen følger modellens tabel 2: kategori A, B og C skal "
            f"være opfyldt; et nyoprettet tilbud kan undtagelsesvis omfattes efter enighed i DAS."
        )
        if rows
        else "Der er ikke indmeldt nye tilbud i år."
    )
    return {
        "anker": ANCHOR.format("bilag_2_1"),
        "nummer": "2.1",
        "titel": "Ekspertpanelets vurdering af indmeldte tilbud",
        "indledning": intro,
        "tilbud": rows,
    }


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
        "anker": ANCHOR.format("bilag_3_1"),
        "nummer": "3.1",
        "titel": "Ønsker om udmelding af tilbud",
        "indledning": intro,
        "rows": list(rows.values()),
    }


__all__ = ["write_bilag", "write_hoering", "write_rykkere"]
