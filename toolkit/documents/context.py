"""The data each template receives (documented in docs/skabeloner.md). Numbers and dates are
formatted the Danish way here, so templates stay simple."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.consolidate.niveauer import level_changes
from toolkit.danish import antal, format_dato, format_tal
from toolkit.definitions import load_definitions
from toolkit.definitions.aarshjul import Aarshjul
from toolkit.documents.oevrige import extra_rows
from toolkit.fieldkeys import Aarsrapport as A
from toolkit.fieldkeys import Hoeringssvar as H
from toolkit.fieldkeys import Kommune as K
from toolkit.rules.period import year_periods
from toolkit.rules.tekster import organ_values
from toolkit.rules.warnings import format_distinct


def common(sd, aar: int, today: dt.date, defs=None) -> dict:
    """Variables every template receives, among them the agreement period (`periode`, rules/period.py)
    and the bodies of the annual cycle (`organ.das.navn`, `organ.ekspertpanel.ejefald`, …) from the
    definitions folder `defs` (default: the bundled one)."""
    return {
        "organ": organ_values(aarshjul_of(defs)),
        "periode": year_periods(sd, aar, aarshjul_of(defs)).texts(),
        "sekretariat": str(sd.setting("sekretariat", "")),
        "sekretariat_email": str(sd.setting("sekretariat_email", "")),
        "sekretariat_telefon": str(sd.setting("sekretariat_telefon", "") or ""),
        "kontaktperson": str(sd.setting("sekretariat_kontaktperson", "")),
        "region": sd.region,
        "dato": format_dato(today),
        "aar": aar,
        "aar_1": aar - 3,
        "aar_2": aar - 2,
        "aar_3": aar - 1,
        "niveauskift": level_section(sd, aar),
    }


def level_section(sd, aar: int) -> dict:
    """The tilbud that change specialisation level in `aar` (consolidate/niveauer.py); `vis` is false
    when levels are not in use and nothing changes, and the bilag then says nothing about levels."""
    changes = level_changes(sd, aar)
    if changes:
        tekst = f"{antal(len(changes), 'tilbud', 'tilbud')} skifter specialiseringsniveau i {aar}:"
    else:
        tekst = f"Ingen tilbud skifter niveau i {aar}."
    return {
        "vis": bool(changes) or sd.niveauer_i_brug,
        "tekst": tekst,
        "skift": [
            {
                "id": c.tilbud_id,
                "tilbud": c.tilbud,
                "driftsherre": c.driftsherre,
                "foer": c.foer or "intet niveau",
                "nu": c.nu or "intet niveau",
            }
            for c in changes
        ],
    }


def aarshjul_of(defs) -> Aarshjul:
    """The annual cycle (with the bodies' names) of a definitions folder; the bundled one without."""
    return defs.aarshjul if defs is not None else load_definitions().aarshjul


def by_respondent(values, skema: str) -> dict[str, list]:
    """The answered values of one form, per respondent, in store order."""
    out: dict[str, list] = {}
    for v in values:
        if v.skema == skema and v.value is not None:
            out.setdefault(v.respondent_id, []).append(v)
    return out


def _parter(n: int) -> str:
    return "én aftalepart" if n == 1 else f"{n} aftaleparter"


def _num(x, dec=None) -> str:
    return "–" if x is None else format_tal(round(x, 1) if dec is None else x, dec)


def _pct(x) -> str:
    """A percentage with one decimal always ("96,0" next to "97,1"), as in the signals' texts."""
    return "–" if x is None else format_tal(round(x, 1), 1)


@dataclass(frozen=True)
class TilbudValues:
    """The year's values indexed by tilbud once, so each section reads only its own (linear in the
    number of tilbud and values, not their product)."""

    own: dict[str, dict[tuple, object]]  # tilbud -> {(noegle, felt_aar): value}: the årsrapport's own answers
    wishes: dict[str, list[dict]]  # tilbud -> the municipalities' remarks and wishes
    replies: dict[str, list[dict]]  # tilbud -> the hearing replies: {fra, ydelser_matcher, bemaerkning}
    # document -> tilbud -> the answers to fields marked `i_dokumenter` (documents/oevrige.py)
    oevrige: dict[str, dict[str, list[dict]]] | None = None


_NOTE_LABELS = {  # the municipalities' free-text answers shown per tilbud, in this order within a kommune
    K.BESKRIVELSER_BEMAERKNING: "Bemærkning til beskrivelserne",
    K.INGEN_BRUG_AARSAG: "Årsag til ingen brug",
    K.BRUG_I_STEDET: "Bruger i stedet",
}


def index_values(values, sd, defs=None) -> TilbudValues:
    """`defs`: the definitions, whose fields marked `i_dokumenter` are shown under "Øvrige oplysninger"."""
    names = {a.id: a.navn for a in sd.aftaleparter}
    own: dict[str, dict[tuple, object]] = {}
    notes: dict[str, list[tuple[str, dict]]] = {}
    lines: dict[str, dict[tuple[str, str], dict]] = {}
    replies: dict[str, dict[str, dict]] = {}  # tilbud -> aftalepart -> {noegle: value}
    for v in values:
        if v.value is None:
            continue
        if v.skema == A.SKEMA and not v.scope:  # the tilbud's own answers, not those per ydelse or kommune
            own.setdefault(v.respondent_id, {})[(v.noegle, v.felt_aar)] = v.value
        elif v.skema == H.SKEMA and v.tilbud_id is not None and v.noegle in (H.BEMAERKNING, H.YDELSER_MATCHER):
            replies.setdefault(v.tilbud_id, {}).setdefault(v.respondent_id, {})[v.noegle] = v.value
        elif v.skema == K.SKEMA and v.tilbud_id is not None:
            if v.noegle in (K.OENSKE_OMRAADE, K.OENSKE_TEKST):
                lines.setdefault(v.tilbud_id, {}).setdefault((v.respondent_id, v.linje), {})[v.noegle] = v.value
            elif v.noegle in _NOTE_LABELS:
                label = _NOTE_LABELS[v.noegle]
                notes.setdefault(v.tilbud_id, []).append(
                    (
                        v.respondent_id,
                        {"kommune": names.get(v.respondent_id, v.respondent_id), "tekst": f"{label}: {v.value}"},
                    )
                )
    wishes: dict[str, list[dict]] = {}
    for tid in set(notes) | set(lines):
        out = [n for _rid, n in sorted(notes.get(tid, ()), key=lambda x: x[0])]  # stable: store order within
        for (rid, _n), line in sorted(lines.get(tid, {}).items()):
            if line.get(K.OENSKE_TEKST) or line.get(K.OENSKE_OMRAADE):
                out.append(
                    {
                        "kommune": names.get(rid, rid),
                        "tekst": f"{line.get(K.OENSKE_OMRAADE, 'Ønske')}: {line.get(K.OENSKE_TEKST, '')}".rstrip(": "),
                    }
                )
        wishes[tid] = out
    order = {a.id: i for i, a in enumerate(sd.aftaleparter)}  # the stamdata's order of the parties
    hearing = {
        tid: [
            {
                "fra": names.get(rid, rid),
                "ydelser_matcher": str(r.get(H.YDELSER_MATCHER) or ""),
                "bemaerkning": str(r.get(H.BEMAERKNING) or ""),
            }
            for rid, r in sorted(per_party.items(), key=lambda x: (order.get(x[0], len(order)), x[0]))
        ]
        for tid, per_party in replies.items()
    }
    return TilbudValues(own, wishes, hearing, extra_rows(values, sd, defs) if defs is not None else None)


def tilbud_section(fig, index: TilbudValues, aar: int, signals, received: dict) -> dict:
    years = [aar - 3, aar - 2, aar - 1]
    rep = index.own.get(fig.tilbud_id, {})
    r = lambda noegle, year=None: rep.get((noegle, year))  # noqa: E731
    got = received.get((A.SKEMA, fig.tilbud_id))
    belaegning = {y: _pct(fig.belaegning.get(y)) for y in years}
    budgetteret = _pct(fig.budgetteret_belaegning)
    last = fig.belaegning.get(aar - 1)
    if last is not None and fig.budgetteret_belaegning is not None:  # as many decimals as tell them apart
        belaegning[aar - 1], budgetteret = format_distinct(last, fig.budgetteret_belaegning)
    rows = [
        {"navn": "Belægning (%)", **{f"v{i + 1}": belaegning[y] for i, y in enumerate(years)}},
        {"navn": "Budgetteret belægning (%)", "v1": "", "v2": "", "v3": budgetteret},
    ]
    planned = ", ".join(f"{y}: {_num(v)}" for y, v in sorted(fig.planlagt_pladstal.items()))
    pladser = (
        f"Venteliste nu: {_num(fig.venteliste.get(aar))}"
        + (f" (sidste år {_num(fig.venteliste.get(aar - 1))})" if fig.venteliste.get(aar - 1) is not None else "")
        + f". Ledige pladser nu: {_num(fig.ledige)}."
        + (f" Pladstal nu og planlagt: {planned}." if planned else "")
    )
    if fig.forventet is None:
        forventet = "Der er ikke modtaget kommunale indmeldinger om tilbuddet."
    else:
        pct = fig.forventet / fig.pladstal * 100 if fig.pladstal else 0
        forventet = (
            f"Kommunerne forventer samlet at bruge {_num(fig.forventet)} pladser i {aar + 1} mod "
            f"{_num(fig.pladstal)} pladser ({_pct(pct)} %). "
            f"{antal(fig.forventet_antal_kommuner, 'kommune', 'kommuner')} har angivet forventninger."
        )
    budget, resultat = r(A.BUDGET, aar - 1), r(A.AARSRESULTAT, aar - 1)
    oekonomi = (
        f"Budget {aar - 1}: {_num(budget, 0)} kr.; årsresultat {aar - 1}: {_num(resultat, 0)} kr. "
        if budget is not None or resultat is not None
        else "Ingen økonomital modtaget. "
    )
    oekonomi += " ".join(str(x) for x in (r(A.TAKST_FORKLARING), r(A.OEKONOMI_BEMAERKNING)) if x)
    udvikling = " ".join(str(x) for x in (r(n) for n in A.UDVIKLING) if x)
    aarsrapport = f"modtaget {format_dato(dt.date.fromisoformat(got[:10]))}" if got else "ikke modtaget"
    return {
        "id": fig.tilbud_id,
        "navn": fig.navn,
        "driftsherre": fig.driftsherre,
        "pladstal": _num(fig.pladstal),
        "intro": f"Driftsherre: {fig.driftsherre}. Pladstal i alt: {_num(fig.pladstal)}. Årsrapport: {aarsrapport}.",
        "aarsrapport": aarsrapport,
        "noegletal": rows,
        "pladser_tekst": pladser,
        "forventet_tekst": forventet,
        "oensker": index.wishes.get(fig.tilbud_id, []),
        "signaler": [s.text for s in signals],
        "oekonomi": oekonomi.strip(),
        "udvikling": udvikling or "Ingen udviklingsnoter modtaget.",
        "hoeringssvar": index.replies.get(fig.tilbud_id, []),
        "oevrige": {d: rows.get(fig.tilbud_id, []) for d, rows in (index.oevrige or {}).items()},
        "hoering": "Der er ikke registreret høringsbemærkninger til tilbuddet."
        if not index.replies.get(fig.tilbud_id)
        else f"Høringssvar fra {_parter(len(index.replies[fig.tilbud_id]))}.",
    }
