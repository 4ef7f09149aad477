"""The bilag's panel sections: the nominations as the panel assessed them (Bilag 'Ekspertpanelets
vurdering af indmeldte tilbud') and 'Indstilling til DAS' — what the panel proposes for every tilbud
and what changes from 1 January, the withdrawals with tillæg 1's a) and b), the sustainability
signals with the panel's conclusion, and the municipalities' match answers and wishes.

Until the panel's form is read, both say "afventer Ekspertpanelets vurdering"; the driftsherre's own
assessment is always shown as the driftsherre's, never as the panel's."""

from __future__ import annotations

from toolkit.consolidate.panel import (
    AFVENTER,
    KRITERIE_NAVN,
    PanelAnswer,
    PanelAssessment,
    count_text,
    match_counts,
    withdrawals,
)
from toolkit.consolidate.rammeaftale import change_text
from toolkit.danish import format_dato
from toolkit.definitions.cases import nomination_id
from toolkit.fieldkeys import Indmelding, Kommune, Panel
from toolkit.rules.criteria import CATEGORIES, assess_all, assess_nomination
from toolkit.rules.period import year_periods

GODKENDELSE = (
    "Ekspertpanelets vurdering indstilles til Den Administrative Styregruppe. Aftaleparterne godkender "
    "udmeldingen, og det politiske niveau træffer endelig beslutning i forbindelse med behandlingen af "
    "rammeaftalen (tillæg 1)."
)
NOEDSPOR = (
    "Nødspor: tilbuddet ønskes udtaget, fordi det ikke længere er rentabelt at drive, mens kommunerne fortsat "
    "ønsker det; det sættes i det supplerende spor (modellens afsnit 6.2), så der findes en løsning i "
    "fællesskab mellem kommunerne og driftsherren."
)


def _answers(values) -> dict[tuple[str, str], dict[str, object]]:
    out: dict[tuple[str, str], dict[str, object]] = {}
    for v in values:
        if v.skema == Indmelding.SKEMA and v.nr is not None and v.linje is None and v.value is not None:
            out.setdefault((v.respondent_id, v.nr), {})[v.noegle] = v.value
    return out


def nominations_section(values, sd, panel: PanelAssessment | None) -> dict:
    """Bilag 'Ekspertpanelets vurdering af indmeldte tilbud'."""
    names = {d.id: d.navn for d in sd.driftsherrer}
    answers = _answers(values)
    rows = []
    for a in assess_all(values):
        mine = answers.get((a.respondent_id, a.nr), {})
        p = panel.indmeldt.get(nomination_id(a.respondent_id, a.nr)) if panel else None
        kriterier = [
            {
                "navn": KRITERIE_NAVN[c],
                "egen": str(mine.get(Indmelding.OPFYLDT[c]) or "ikke besvaret"),
                "egen_begrundelse": str(mine.get(Indmelding.BEGRUNDELSE[c]) or ""),
                "panel": (p.svar.get(c) or "ikke besvaret") if p else AFVENTER,
                "panel_begrundelse": p.begrundelser.get(c, "") if p else "",
                # the panel's reason once it is read, until then the driftsherre's, named as such
                "begrundelse": p.begrundelser.get(c, "")
                if p
                else (
                    f"Driftsherren: {mine[Indmelding.BEGRUNDELSE[c]]}" if mine.get(Indmelding.BEGRUNDELSE[c]) else ""
                ),
            }
            for codes in CATEGORIES.values()
            for c in codes
        ]
        if p is not None:
            vurdering = assess_nomination(p.svar, a.nyoprettet)
            resultat, begrundelser = vurdering.resultat, list(vurdering.begrundelser)
        else:
            resultat, begrundelser = AFVENTER, []
        rows.append(
            {
                "tilbudsnavn": a.tilbudsnavn,
                "driftsherre": names.get(a.respondent_id, a.respondent_id),
                "egen_resultat": a.resultat,
                "resultat": resultat,
                "indstilling": (p.indstilling or "ikke angivet") if p else AFVENTER,
                "indstilling_begrundelse": p.indstilling_begrundelse if p else "",
                "kriterier": kriterier,
                "begrundelser": begrundelser,
            }
        )
    if not rows:
        intro = "Der er ikke indmeldt nye tilbud i år."
    else:
        intro = (
            f"{len(rows)} tilbud er indmeldt. Vurderingen følger modellens tabel 2: kategori A, B og C skal være "
            f"opfyldt; et nyoprettet tilbud kan undtagelsesvis omfattes efter enighed i DAS. Driftsherrens egen "
            f"vurdering står ved siden af Ekspertpanelets."
        )
        if panel is None:
            intro += f" Ekspertpanelets vurdering er ikke modtaget: {AFVENTER}."
    return {
        "titel": "Ekspertpanelets vurdering af indmeldte tilbud",
        "indledning": intro,
        "tilbud": rows,
    }


def indstilling_section(sd, aar: int, values, figures, warnings, wishes, panel: PanelAssessment | None) -> dict:
    """Bilag 'Indstilling til DAS'. `wishes`: tilbud -> the municipalities' remarks and wishes
    (documents/context.index_values)."""
    p = year_periods(sd, aar)
    names = {d.id: d.navn for d in sd.driftsherrer}

    def proposal(a: PanelAnswer | None, default: str = "ikke angivet") -> str:
        return AFVENTER if panel is None else ((a.indstilling or default) if a else default)

    tilbud = []
    for f in figures:
        a = panel.tilbud.get(f.tilbud_id) if panel else None
        forslag = proposal(a)
        tilbud.append(
            {
                "navn": f.navn,
                "driftsherre": f.driftsherre,
                "forslag": forslag,
                "aendring": change_text(a.indstilling if a else None, sd, aar),
            }
        )
    for n in assess_all(values):
        a = panel.indmeldt.get(nomination_id(n.respondent_id, n.nr)) if panel else None
        tilbud.append(
            {
                "navn": f"{n.tilbudsnavn} (indmeldt)",
                "driftsherre": names.get(n.respondent_id, n.respondent_id),
                "forslag": proposal(a),
                "aendring": change_text(a.indstilling if a else None, sd, aar),
            }
        )
    udmeldinger = []
    tilbud_navn = {t.id: t.navn for t in sd.tilbud}
    for w in withdrawals(values, sd):
        a_udm = panel.udmeldt.get(w.tilbud_id) if panel else None
        a_til = panel.tilbud.get(w.tilbud_id) if panel else None
        udmeldinger.append(
            {
                "tilbud": tilbud_navn.get(w.tilbud_id, w.tilbud_id),
                "fra": f"{w.fra} ({'driftsherre' if w.driftsherre else 'kommune'})",
                "aarsager": " ".join(w.aarsager) or "ingen årsag angivet",
                "a": (
                    f"{a_udm.fortsat_opfyldt or 'ikke besvaret'}. {a_udm.fortsat_begrundelse}".strip()
                    if a_udm
                    else AFVENTER
                ),
                "b": (a_udm.konsekvenser or "ikke besvaret") if a_udm else AFVENTER,
                "forslag": proposal(a_til),
                "noedspor": bool(a_til and a_til.indstilling == Panel.NOEDSPOR),
            }
        )
    signaler = [{"tilbud": f.navn, "tekst": s.text} for f in figures for s in warnings.get(f.tilbud_id, [])]
    match = match_counts(values)
    kommuner = [
        {
            "navn": f.navn,
            "tydelige": count_text(match.get(f.tilbud_id, {}).get(Kommune.BESKRIVELSER_TYDELIGE)),
            "samklang": count_text(match.get(f.tilbud_id, {}).get(Kommune.SAMKLANG)),
            "oensker": wishes.get(f.tilbud_id, []),
        }
        for f in figures
    ]
    if panel is None:
        intro = f"Ekspertpanelets vurdering er ikke modtaget: {AFVENTER}. Listen viser tilbuddene uden forslag."
    else:
        intro = (
            f"Ekspertpanelets forslag til, hvilke tilbud der omfattes af det forstærkede samarbejde fra "
            f"{format_dato(p.omfattes_fra)} ({p.omfattes_periode.tekst}), og hvad der ændres. DAS behandler forslaget."
        )
    return {
        "titel": "Indstilling til DAS",
        "indledning": intro,
        "tilbud": tilbud,
        "udmeldinger": udmeldinger,
        "godkendelse": GODKENDELSE,
        "noedspor_tekst": NOEDSPOR,
        "signaler": signaler,
        "baeredygtighed": (panel.baeredygtighed or "Panelet har ikke skrevet en konklusion.") if panel else AFVENTER,
        "kommuner": kommuner,
    }
