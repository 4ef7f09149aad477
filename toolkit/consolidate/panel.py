"""The expert panel: the cases its form asks about (with what the driftsherrer and municipalities
answered as locked context), its own assessment read back from that form, and the consolidated
sheet 'Ekspertpanel'. Until the panel form is read, the applicants' self-assessment is shown as
theirs and the panel's assessment as pending (AFVENTER)."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.consolidate.safe_cells import write_value
from toolkit.danish import format_tal
from toolkit.definitions.aarshjul import Aarshjul
from toolkit.definitions.cases import Sag, nomination_id
from toolkit.definitions.kriterier import Kriteriesaet
from toolkit.fieldkeys import BEGRUNDELSE_SUFFIX, Indmelding, Kommune, Panel, Udmelding, criterion_kode
from toolkit.rules.criteria import DISPENSATION, INDSTILLES, assess_all, category_met
from toolkit.rules.tekster import organ_values

AFVENTER = "afventer panelets vurdering"  # the body's own name is data (aarshjul.yaml)


# --- what the panel is asked about ---------------------------------------------------------------
@dataclass(frozen=True)
class Withdrawal:
    """One wish that a tilbud leave the scheme: from its driftsherre (udmeldt) or a municipality (udtaget)."""

    tilbud_id: str
    fra_id: str
    fra: str
    driftsherre: bool
    aarsager: tuple[str, ...]


def withdrawals(values, sd) -> list[Withdrawal]:
    names = {a.id: a.navn for a in sd.aftaleparter}
    wanted: dict[tuple[str, str], bool] = {}
    reasons: dict[tuple[str, str], list[str]] = {}
    for v in values:
        if v.skema != Udmelding.SKEMA or v.value is None or v.tilbud_id is None:
            continue
        key = (v.tilbud_id, v.respondent_id)
        if v.noegle in (Udmelding.OENSKES_UDMELDT, Udmelding.OENSKES_UDTAGET) and v.value == "Ja":
            wanted[key] = v.noegle == Udmelding.OENSKES_UDMELDT
        elif v.noegle in Udmelding.AARSAGER:
            reasons.setdefault(key, []).append(str(v.value))
        elif v.noegle == Udmelding.KONKURRERENDE_TILBUD and v.value == "Ja":
            reasons.setdefault(key, []).append("Kommunen ønsker at oprette et konkurrerende tilbud.")
    return [
        Withdrawal(tid, rid, names.get(rid, rid), own, tuple(reasons.get((tid, rid), ())))
        for (tid, rid), own in sorted(wanted.items())
    ]


def _pct(x) -> str:
    return "–" if x is None else f"{format_tal(round(x, 1))} %"


def match_counts(values) -> dict[str, dict[str, dict[str, int]]]:
    """tilbud -> noegle (beskrivelser tydelige / samklang) -> {'Ja': n, 'Nej': n}."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for v in values:
        if v.skema != Kommune.SKEMA or v.tilbud_id is None or v.value not in ("Ja", "Nej"):
            continue
        if v.noegle in (Kommune.BESKRIVELSER_TYDELIGE, Kommune.SAMKLANG):
            c = out.setdefault(v.tilbud_id, {}).setdefault(v.noegle, {"Ja": 0, "Nej": 0})
            c[str(v.value)] += 1
    return out


def count_text(c: dict[str, int] | None) -> str:
    return f"Ja {c['Ja']}, Nej {c['Nej']}" if c else "ingen svar"


def panel_cases(sd, aar: int, values, figures, warnings, kriterier: Kriteriesaet) -> list[Sag]:
    """The panel form's blocks with their locked context, from the year's returns: every tilbud in the
    scheme, every nominated tilbud (its criteria from `kriterier`), every withdrawal request."""
    match = match_counts(values)
    wish = withdrawals(values, sd)
    out = []
    for f in figures:
        years = sorted(y for y in f.belaegning if y < aar)[-3:]
        ctx = [
            ("Belægning", ", ".join(f"{y}: {_pct(f.belaegning.get(y))}" for y in years) or "–"),
            ("Budgetteret belægning", _pct(f.budgetteret_belaegning)),
            (
                "Venteliste og ledige pladser",
                f"venteliste {format_tal(f.venteliste.get(aar)) if f.venteliste.get(aar) is not None else '–'}, "
                f"ledige {format_tal(f.ledige) if f.ledige is not None else '–'}",
            ),
            (
                "Kommunernes forventede brug",
                f"{format_tal(round(f.forventet, 1))} pladser i {aar + 1} mod {format_tal(f.pladstal)} pladser "
                f"({f.forventet_antal_kommuner} kommuner)"
                if f.forventet is not None
                else "ingen kommunale indmeldinger",
            ),
            (
                "Kommunerne: beskrivelser tydelige",
                count_text(match.get(f.tilbud_id, {}).get(Kommune.BESKRIVELSER_TYDELIGE)),
            ),
            ("Kommunerne: samklang med behov", count_text(match.get(f.tilbud_id, {}).get(Kommune.SAMKLANG))),
        ]
        sig = warnings.get(f.tilbud_id, [])
        ctx += [("Early warning", s.text) for s in sig] or [("Early warning", "ingen signaler")]
        ctx += [
            ("Ønske om udmelding", f"{w.fra} ({'driftsherre' if w.driftsherre else 'kommune'})")
            for w in wish
            if w.tilbud_id == f.tilbud_id
        ]
        out.append(Sag("tilbud", f.tilbud_id, f.navn, kontekst=tuple(ctx)))
    names = {d.id: d.navn for d in sd.driftsherrer}
    answers = _nomination_answers(values)
    for a in assess_all(kriterier, values):
        mine = answers.get((a.respondent_id, a.nr), {})
        ctx = [("Indmeldt af", names.get(a.respondent_id, a.respondent_id)), ("Nyoprettet", a.nyoprettet or "–")]
        for c in kriterier.alle_koder():
            svar = mine.get(Indmelding.opfyldt(c)) or "ikke besvaret"
            why = mine.get(Indmelding.begrundelse(c))
            ctx.append((f"{kriterier.etiket(c)} driftsherrens egen vurdering", f"{svar}" + (f": {why}" if why else "")))
        ctx.append(("Driftsherrens egen vurdering giver", a.resultat))
        if mine.get(Indmelding.DISPENSATION_BEGRUNDELSE):
            ctx.append(("Driftsherrens begrundelse for dispensation", str(mine[Indmelding.DISPENSATION_BEGRUNDELSE])))
        nyopr = None if a.nyoprettet is None else a.nyoprettet == "Ja"
        out.append(Sag("indmeldt", nomination_id(a.respondent_id, a.nr), a.tilbudsnavn, nyopr, tuple(ctx)))
    tilbud = {t.id: t.navn for t in sd.tilbud}
    for tid in dict.fromkeys(w.tilbud_id for w in wish):
        ctx = []
        for w in (w for w in wish if w.tilbud_id == tid):
            what = "ønsker tilbuddet udmeldt" if w.driftsherre else "ønsker tilbuddet udtaget"
            ctx.append((w.fra, what + (": " + " ".join(w.aarsager) if w.aarsager else "")))
        out.append(Sag("udmeldt", tid, tilbud.get(tid, tid), kontekst=tuple(ctx)))
    return out


def _nomination_answers(values) -> dict[tuple[str, str], dict[str, object]]:
    out: dict[tuple[str, str], dict[str, object]] = {}
    for v in values:
        if v.skema == Indmelding.SKEMA and v.nr is not None and v.linje is None and v.value is not None:
            out.setdefault((v.respondent_id, v.nr), {})[v.noegle] = v.value
    return out


# --- what the panel answered ---------------------------------------------------------------------
@dataclass(frozen=True)
class PanelAnswer:
    """The panel's answers for one case (a tilbud in the scheme, a nomination or a withdrawal)."""

    svar: dict[str, str | None] = field(default_factory=dict)  # criterion code -> Ja/Nej
    begrundelser: dict[str, str] = field(default_factory=dict)
    indstilling: str | None = None
    indstilling_begrundelse: str = ""
    fortsat_opfyldt: str | None = None  # withdrawals: a)
    fortsat_begrundelse: str = ""
    konsekvenser: str = ""  # withdrawals: b)

    def kategorier(self, kriterier: Kriteriesaet) -> dict[str, bool | None]:
        """Category id -> met by the panel's answers (None: answers missing)."""
        return {k.id: category_met(kriterier, k.id, self.svar) for k in kriterier.kategorier}


@dataclass(frozen=True)
class PanelAssessment:
    tilbud: dict[str, PanelAnswer]  # tilbud in the scheme, by id
    indmeldt: dict[str, PanelAnswer]  # nominations, by '<driftsherre>-<nr>'
    udmeldt: dict[str, PanelAnswer]  # withdrawals, by tilbud id
    baeredygtighed: str


_WITHDRAWAL = (Panel.FORTSAT_OPFYLDT, Panel.FORTSAT_BEGRUNDELSE, Panel.KONSEKVENSER)


def panel_assessment(values) -> PanelAssessment | None:
    """The panel's form as read back (None: no panel form stored for the year)."""
    raw: dict[tuple[str, str], dict[str, object]] = {}
    baeredygtighed, seen = "", False
    for v in values:
        if v.skema != Panel.SKEMA:
            continue
        seen = True
        if v.value is None:
            continue
        if v.nr is not None:
            raw.setdefault(("indmeldt", v.nr), {})[v.noegle] = v.value
        elif v.tilbud_id is not None:
            gentag = "udmeldt" if v.noegle in _WITHDRAWAL else "tilbud"
            raw.setdefault((gentag, v.tilbud_id), {})[v.noegle] = v.value
        elif v.noegle == Panel.BAEREDYGTIGHED:
            baeredygtighed = str(v.value)
    if not seen:
        return None
    out: dict[str, dict[str, PanelAnswer]] = {"tilbud": {}, "indmeldt": {}, "udmeldt": {}}
    for (gentag, sag_id), b in raw.items():
        s = lambda k, b=b: str(b.get(k) or "")  # noqa: E731
        out[gentag][sag_id] = PanelAnswer(
            # the criteria's answers by kode, whichever criteria the folder's kriterier.yaml has
            svar={c: s(k) for k in b if (c := criterion_kode(Panel.SKEMA, k)) and b.get(k)},
            begrundelser={c: s(k) for k in b if (c := criterion_kode(Panel.SKEMA, k, BEGRUNDELSE_SUFFIX)) and b.get(k)},
            indstilling=str(b[Panel.INDSTILLING]) if b.get(Panel.INDSTILLING) else None,
            indstilling_begrundelse=s(Panel.INDSTILLING_BEGRUNDELSE),
            fortsat_opfyldt=str(b[Panel.FORTSAT_OPFYLDT]) if b.get(Panel.FORTSAT_OPFYLDT) else None,
            fortsat_begrundelse=s(Panel.FORTSAT_BEGRUNDELSE),
            konsekvenser=s(Panel.KONSEKVENSER),
        )
    return PanelAssessment(out["tilbud"], out["indmeldt"], out["udmeldt"], baeredygtighed)


# --- the consolidated sheet ----------------------------------------------------------------------
_TXT = {True: "Opfyldt", False: "Ikke opfyldt", None: "Mangler svar"}


def organ_names(aarshjul: Aarshjul | None) -> tuple[str, str]:
    """The panel as the sheets name it: its short name capitalised ("Ekspertgruppen") and its
    genitive ("Ekspertgruppens"), from aarshjul.yaml; ("Panel", "Panelets") without one."""
    if aarshjul is None:
        return "Panel", "Panelets"
    ep = organ_values(aarshjul)["ekspertpanel"]
    return ep["kort"][:1].upper() + ep["kort"][1:], ep["ejefald"]


def write_panel_sheet(
    wb,
    f,
    assessments,
    kriterier: Kriteriesaet,
    panel: PanelAssessment | None = None,
    sd=None,
    aarshjul: Aarshjul | None = None,
):
    """One row per nomination: the driftsherre's own assessment (labelled as such) and, once the panel
    form is read, the panel's answers, reasons and proposal; then the panel's rows for the tilbud in
    the scheme and the withdrawals. Names, not ids, when stamdata knows them; the panel by its name
    in `aarshjul` (aarshjul.yaml)."""
    kort, ejefald = organ_names(aarshjul)

    def driftsherre(id_: str) -> str:
        try:
            return sd.driftsherre(id_).navn if sd is not None and id_ else id_
        except (KeyError, LookupError, StopIteration):
            return id_

    def tilbud(id_: str) -> str:
        try:
            return sd.tilbud_by_id(id_).navn if sd is not None else id_
        except (KeyError, LookupError, StopIteration):
            return id_

    ws = wb.add_worksheet("Ekspertpanel")
    heads = [
        "Driftsherre",
        "Nr.",
        "Tilbud",
        "Nyoprettet",
        "Driftsherrens egen vurdering",
        *(f"{kort}: kategori {k.id}" for k in kriterier.kategorier),
        f"{ejefald} indstilling",
        f"{ejefald} begrundelser",
    ]
    n_cat = len(kriterier.kategorier)
    col_indstilling, col_why = 5 + n_cat, 6 + n_cat
    for c, w in enumerate([24, 6, 36, 11, 30, *([13] * n_cat), 26, 90]):
        ws.set_column(c, c, w)
    rows = []
    for a in assessments:
        p = panel.indmeldt.get(nomination_id(a.respondent_id, a.nr)) if panel else None
        rows.append(
            [
                driftsherre(a.respondent_id),
                int(a.nr),
                a.tilbudsnavn,
                a.nyoprettet or "",
                a.resultat,
                *_panel_cells(p, kriterier),
            ]
        )
    if panel:
        for tid, p in sorted(panel.tilbud.items()):
            rows.append(["", None, tilbud(tid), "", "(i samarbejdet)", *_panel_cells(p, kriterier)])
        for tid, p in sorted(panel.udmeldt.items()):
            why = f"a) {p.fortsat_opfyldt or '–'}: {p.fortsat_begrundelse}\nb) {p.konsekvenser}"
            rows.append(["", None, tilbud(tid), "", "(ønske om udmelding)", *([""] * (n_cat + 1)), why])
    ws.write_row(0, 0, heads, f.head)
    ws.autofilter(0, 0, max(len(rows), 1), len(heads) - 1)
    for r, row in enumerate(rows, start=1):
        ws.set_row(r, 15 * (len(str(row[col_why]).splitlines()) + 1))
        for c, v in enumerate(row):
            write_value(ws, r, c, v, f.wrap)
    n = max(len(rows), 1)
    ws.conditional_format(1, 4, n, 4, {"type": "cell", "criteria": "==", "value": f'"{INDSTILLES}"', "format": f.green})
    ws.conditional_format(
        1, 4, n, 4, {"type": "cell", "criteria": "==", "value": f'"{DISPENSATION}"', "format": f.amber}
    )
    ws.conditional_format(
        1, 4, n, 4, {"type": "text", "criteria": "begins with", "value": "indstilles ikke", "format": f.red}
    )
    ws.conditional_format(
        1,
        col_indstilling,
        n,
        col_indstilling,
        {"type": "cell", "criteria": "==", "value": f'"{AFVENTER}"', "format": f.amber},
    )
    if panel and panel.baeredygtighed:
        r = len(rows) + 2
        write_value(ws, r, 0, f"{ejefald} konklusion om bæredygtighed", f.head)
        write_value(ws, r, 2, panel.baeredygtighed, f.wrap)
    ws.freeze_panes(1, 3)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_header(f'&L&"Calibri,Bold"&12{ejefald} vurdering')
    ws.set_footer("&L&A&RSide &P af &N")


def _panel_cells(p: PanelAnswer | None, kriterier: Kriteriesaet) -> list:
    if p is None:
        return [*([""] * len(kriterier.kategorier)), AFVENTER, ""]
    k = p.kategorier(kriterier)
    why = "\n".join(
        f"{kriterier.etiket(c)} {p.svar.get(c) or '–'}: {p.begrundelser.get(c, '')}" for c in kriterier.alle_koder()
    )
    if p.indstilling_begrundelse:
        why += f"\nIndstilling: {p.indstilling_begrundelse}"
    return [*(_TXT[k[cat.id]] for cat in kriterier.kategorier), p.indstilling or "mangler svar", why]
