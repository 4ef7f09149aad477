"""The bilag's panel sections: the nominations as the panel assessed them (Bilag 'Ekspertpanelets
vurdering af indmeldte tilbud') and 'Indstilling til DAS' — what the panel proposes for every tilbud
and what changes from 1 January, the withdrawals with tillæg 1's a) and b), the sustainability
signals with the panel's conclusion, and the municipalities' match answers and wishes.

Until the panel's form is read, both say "afventer panelets vurdering"; the driftsherre's own
assessment is always shown as the driftsherre's, never as the panel's. The bodies are named as the
annual cycle names them (aarshjul.yaml organer: ekspertpanel, das); the names above are the bundled
ones."""

from __future__ import annotations

from toolkit.consolidate.panel import (
    PanelAnswer,
    PanelAssessment,
    count_text,
    match_counts,
    withdrawals,
)
from toolkit.consolidate.rammeaftale import change_text
from toolkit.danish import format_dato
from toolkit.definitions.aarshjul import Aarshjul
from toolkit.definitions.cases import nomination_id
from toolkit.definitions.kriterier import Kriteriesaet
from toolkit.documents.compose import SECTIONS
from toolkit.documents.context import aarshjul_of
from toolkit.fieldkeys import Indmelding, Kommune, Panel
from toolkit.rules.criteria import assess_all, assess_nomination
from toolkit.rules.period import year_periods
from toolkit.rules.tekster import organ_values

GODKENDELSE = (  # {ekspertpanel} and {das}: the bodies' names in the annual cycle
    "{ekspertpanel} vurdering indstilles til {das}. Aftaleparterne godkender "
    "udmeldingen, og det politiske niveau træffer endelig beslutning i forbindelse med behandlingen af "
    "rammeaftalen (tillæg 1)."
)
NOEDSPOR = (
    "Nødspor: tilbuddet ønskes udtaget, fordi det ikke længere er rentabelt at drive, mens kommunerne fortsat "
    "ønsker det; det sættes i det supplerende spor (modellens afsnit 6.2), så der findes en løsning i "
    "fællesskab mellem kommunerne og driftsherren."
)


def _organer(aarshjul: Aarshjul | None) -> tuple[dict[str, str], dict[str, str], str]:
    """The panel's and DAS's names (navn, kort, ejefald) and the text of a missing assessment."""
    o = organ_values(aarshjul_of(None) if aarshjul is None else aarshjul)
    return o["ekspertpanel"], o["das"], f"afventer {o['ekspertpanel']['ejefald']} vurdering"


def section_titles(aarshjul: Aarshjul | None = None) -> dict[str, str]:
    """The bilag's agenda titles (compose.SECTIONS) with the bodies' names of the annual cycle."""
    _ep, das, _afventer = _organer(aarshjul)
    return {**SECTIONS, "indstilling": f"Indstilling til {das['kort']}"}


def _og(items) -> str:
    """('A', 'B', 'C') -> 'A, B og C'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


def _answers(values) -> dict[tuple[str, str], dict[str, object]]:
    out: dict[tuple[str, str], dict[str, object]] = {}
    for v in values:
        if v.skema == Indmelding.SKEMA and v.nr is not None and v.linje is None and v.value is not None:
            out.setdefault((v.respondent_id, v.nr), {})[v.noegle] = v.value
    return out


def nominations_section(
    values, sd, panel: PanelAssessment | None, kriterier: Kriteriesaet, aarshjul: Aarshjul | None = None
) -> dict:
    """Bilag 'Ekspertpanelets vurdering af indmeldte tilbud'. `aarshjul`: the bodies' names (default:
    the bundled cycle's)."""
    ep, das, afventer = _organer(aarshjul)
    names = {d.id: d.navn for d in sd.driftsherrer}
    answers = _answers(values)
    rows = []
    for a in assess_all(kriterier, values):
        mine = answers.get((a.respondent_id, a.nr), {})
        p = panel.indmeldt.get(nomination_id(a.respondent_id, a.nr)) if panel else None
        per_kriterium = [
            {
                "navn": kriterier.etiket(c),
                "egen": str(mine.get(Indmelding.opfyldt(c)) or "ikke besvaret"),
                "egen_begrundelse": str(mine.get(Indmelding.begrundelse(c)) or ""),
                "panel": (p.svar.get(c) or "ikke besvaret") if p else afventer,
                "panel_begrundelse": p.begrundelser.get(c, "") if p else "",
                # the panel's reason once it is read, until then the driftsherre's, named as such
                "begrundelse": p.begrundelser.get(c, "")
                if p
                else (
                    f"Driftsherren: {mine[Indmelding.begrundelse(c)]}" if mine.get(Indmelding.begrundelse(c)) else ""
                ),
            }
            for c in kriterier.alle_koder()
        ]
        if p is not None:
            vurdering = assess_nomination(kriterier, p.svar, a.nyoprettet)
            resultat, begrundelser = vurdering.resultat, list(vurdering.begrundelser)
        else:
            resultat, begrundelser = afventer, []
        rows.append(
            {
                "tilbudsnavn": a.tilbudsnavn,
                "driftsherre": names.get(a.respondent_id, a.respondent_id),
                "egen_resultat": a.resultat,
                "resultat": resultat,
                "indstilling": (p.indstilling or "ikke angivet") if p else afventer,
                "indstilling_begrundelse": _reason(p.indstilling_begrundelse, p.indstilling) if p else "",
                "kriterier": per_kriterium,
                "begrundelser": begrundelser,
            }
        )
    if not rows:
        intro = "Der er ikke indmeldt nye tilbud i år."
    else:
        intro = (
            f"{len(rows)} tilbud er indmeldt. Vurderingen følger modellens tabel 2: kategori "
            f"{_og(kriterier.kraevede())} skal være opfyldt; et nyoprettet tilbud kan undtagelsesvis omfattes efter "
            f"enighed i {das['kort']}. Driftsherrens egen vurdering står ved siden af {ep['ejefald']}."
        )
        if panel is None:
            intro += f" {ep['ejefald']} vurdering er ikke modtaget: {afventer}."
    return {
        "titel": f"{ep['ejefald']} vurdering af indmeldte tilbud",
        "indledning": intro,
        "tilbud": rows,
    }


def indstilling_section(
    sd,
    aar: int,
    values,
    figures,
    warnings,
    wishes,
    panel: PanelAssessment | None,
    kriterier: Kriteriesaet,
    aarshjul: Aarshjul | None = None,
) -> dict:
    """Bilag 'Indstilling til DAS'. `wishes`: tilbud -> the municipalities' remarks and wishes
    (documents/context.index_values); `aarshjul`: the bodies' names (default: the bundled cycle's)."""
    ep, das, afventer = _organer(aarshjul)
    p = year_periods(sd, aar)
    names = {d.id: d.navn for d in sd.driftsherrer}

    def proposal(a: PanelAnswer | None, default: str = "ikke angivet") -> str:
        return afventer if panel is None else ((a.indstilling or default) if a else default)

    tilbud = []
    for f in figures:
        a = panel.tilbud.get(f.tilbud_id) if panel else None
        forslag = proposal(a)
        tilbud.append(
            {
                "navn": f.navn,
                "driftsherre": f.driftsherre,
                "forslag": forslag,
                "aendring": change_text(a.indstilling if a else None, sd, aar, f.tilbud_id),
            }
        )
    for n in assess_all(kriterier, values):
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
                    else afventer
                ),
                "b": (a_udm.konsekvenser or "ikke besvaret") if a_udm else afventer,
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
        intro = f"{ep['ejefald']} vurdering er ikke modtaget: {afventer}. Listen viser tilbuddene uden forslag."
    else:
        intro = (
            f"{ep['ejefald']} forslag til, hvilke tilbud der omfattes af det forstærkede samarbejde fra "
            f"{format_dato(p.omfattes_fra)} ({p.omfattes_periode.tekst}), og hvad der ændres. "
            f"{das['kort']} behandler forslaget."
        )
    return {
        "titel": f"Indstilling til {das['kort']}",
        "indledning": intro,
        "tilbud": tilbud,
        "udmeldinger": udmeldinger,
        "godkendelse": GODKENDELSE.format(ekspertpanel=ep["ejefald"], das=das["navn"]),
        "noedspor_tekst": NOEDSPOR,
        "signaler": signaler,
        "baeredygtighed": (panel.baeredygtighed or "Panelet har ikke skrevet en konklusion.") if panel else afventer,
        "kommuner": kommuner,
    }


def _reason(begrundelse: str, indstilling: str | None) -> str:
    """The panel's reason for its proposal, or '' when it only says the proposal again ("Forslag for
    Bostedet Egeskov: optages." right under "… indstilling: optages")."""
    said = (begrundelse or "").strip().rstrip(".").strip()
    return "" if indstilling and said.endswith(f": {indstilling}") else begrundelse
