"""The data each template receives (documented in docs/skabeloner.md). Numbers and dates are
formatted the Danish way here, so templates stay simple."""

from __future__ import annotations

import datetime as dt

from toolkit.danish import format_dato, format_tal
from toolkit.fieldkeys import Aarsrapport as A
from toolkit.fieldkeys import Kommune as K


def common(sd, aar: int, today: dt.date) -> dict:
    return {
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
    }


def by_respondent(values, skema: str) -> dict[str, list]:
    """The answered values of one form, per respondent, in store order."""
    out: dict[str, list] = {}
    for v in values:
        if v.skema == skema and v.value is not None:
            out.setdefault(v.respondent_id, []).append(v)
    return out


def _num(x, dec=None) -> str:
    return "–" if x is None else format_tal(round(x, 1) if dec is None else x, dec)


def tilbud_section(fig, values, sd, aar: int, signals, received: dict) -> dict:
    years = [aar - 3, aar - 2, aar - 1]
    rep = {
        (v.noegle, v.felt_aar): v.value for v in by_respondent(values, A.SKEMA).get(fig.tilbud_id, ()) if not v.scope
    }  # the tilbud's own answers, not those per ydelse or kommune
    r = lambda noegle, year=None: rep.get((noegle, year))  # noqa: E731
    got = received.get((A.SKEMA, fig.tilbud_id))
    rows = [
        {"navn": "Belægning (%)", **{f"v{i + 1}": _num(fig.belaegning.get(y)) for i, y in enumerate(years)}},
        {"navn": "Budgetteret belægning (%)", "v1": "", "v2": "", "v3": _num(fig.budgetteret_belaegning)},
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
            f"{_num(fig.pladstal)} pladser ({format_tal(round(pct))} %). "
            f"{fig.forventet_antal_kommuner} kommuner har angivet forventninger."
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
        "navn": fig.navn,
        "driftsherre": fig.driftsherre,
        "pladstal": _num(fig.pladstal),
        "intro": f"Driftsherre: {fig.driftsherre}. Pladstal i alt: {_num(fig.pladstal)}. Årsrapport: {aarsrapport}.",
        "aarsrapport": aarsrapport,
        "noegletal": rows,
        "pladser_tekst": pladser,
        "forventet_tekst": forventet,
        "oensker": wishes(values, sd, fig.tilbud_id),
        "signaler": [s.text for s in signals],
        "oekonomi": oekonomi.strip(),
        "udvikling": udvikling or "Ingen udviklingsnoter modtaget.",
        "hoering": "Der er ikke registreret høringsbemærkninger til tilbuddet.",
    }


def wishes(values, sd, tilbud_id: str) -> list[dict]:
    names = {a.id: a.navn for a in sd.aftaleparter}
    lines: dict[tuple[str, str], dict] = {}
    out = []
    for rid, vals in sorted(by_respondent(values, K.SKEMA).items()):
        for v in vals:
            if v.tilbud_id != tilbud_id:
                continue
            if v.noegle in (K.OENSKE_OMRAADE, K.OENSKE_TEKST):
                lines.setdefault((rid, v.linje), {})[v.noegle] = v.value
            elif v.noegle in (K.BESKRIVELSER_BEMAERKNING, K.BRUG_I_STEDET):
                label = "Bemærkning til beskrivelserne" if v.noegle == K.BESKRIVELSER_BEMAERKNING else "Bruger i stedet"
                out.append({"kommune": names.get(rid, rid), "tekst": f"{label}: {v.value}"})
    for (rid, _n), line in sorted(lines.items()):
        if line.get(K.OENSKE_TEKST) or line.get(K.OENSKE_OMRAADE):
            out.append(
                {
                    "kommune": names.get(rid, rid),
                    "tekst": f"{line.get(K.OENSKE_OMRAADE, 'Ønske')}: {line.get(K.OENSKE_TEKST, '')}".rstrip(": "),
                }
            )
    return out
