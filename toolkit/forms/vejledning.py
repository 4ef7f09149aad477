"""The 'Vejledning' (guidance) sheet: purpose, deadline, how to fill and return, contact, and the
criteria or duties the form refers to."""

from __future__ import annotations

from collections.abc import Callable

from toolkit.danish import format_dato
from toolkit.definitions import load_definitions
from toolkit.forms.layout import estimate_height
from toolkit.forms.meta import STATUS_SHEET
from toolkit.rules.tekster import form_texts
from toolkit.stamdata.model import Stamdata

WIDTH = 88

FILL_HELP = (
    "Gule felter er obligatoriske (markeret med *) og bliver hvide, når de er udfyldt. "
    "Grå felter er forudfyldt fra sekretariatets stamdata og kan ikke ændres. "
    "Hvide felter med kant er til jeres svar; forudfyldte kontaktoplysninger må gerne rettes. "
    "Ja/Nej og andre valg vælges fra en liste i cellen. Tal skrives uden enhed (fx 87,5). "
    "Når du vælger en celle, vises en kort hjælpetekst. Øverst på hvert ark står, hvor mange "
    "obligatoriske felter der mangler."
)


def definition_texts(sd: Stamdata, defs, aar: int) -> dict[str, str]:
    """The values of the placeholders in the texts of `defs` (a definitions folder) in `aar`: the
    folder's cycle and criteria set with the year's stamdata (rules/tekster.py)."""
    return form_texts(sd, defs.aarshjul, defs.kriterier, aar)


def bundled_texts(sd: Stamdata, aar: int) -> dict[str, str]:
    """definition_texts for the bundled definitions (made once per stamdata and year)."""
    memo = sd.memo.setdefault("bundled_texts", {})
    if aar not in memo:
        memo[aar] = definition_texts(sd, load_definitions(), aar)
    return memo[aar]


def write_vejledning(ws, st, plan, sd, frist, generated, totals, tekst: Callable[[str], str] = str) -> None:
    """`tekst` fills in the placeholders of the definition's texts (definitions/tekster.py)."""
    sums, initial_missing = totals
    defn, m = plan.defn, plan.modtager
    ws.set_column(0, 0, WIDTH)
    ws.hide_gridlines(2)
    r = 0

    def line(text, fmt=st.text, height=None):
        nonlocal r
        ws.write_string(r, 0, text, fmt)
        ws.set_row(r, height or estimate_height(text, WIDTH))
        r += 1

    line(f"{defn.navn} {plan.aar}", st.title, 26)
    line(f"Til: {m.navn} (att. {m.kontaktperson})", st.subtitle)
    line(f"Frist for returnering: {format_dato(frist)}" if frist else "Frist: se følgebrevet", st.missing)
    if sums:
        ref = "+".join(f"{STATUS_SHEET}!{s}" for s in sums)
        felter = "obligatorisk felt" if initial_missing == 1 else "obligatoriske felter"
        text = (
            "Alle obligatoriske felter er udfyldt"
            if initial_missing == 0
            else f"Mangler i alt: {initial_missing} {felter}"
        )
        ws.write_formula(
            r,
            0,
            f'=IF(({ref})=0,"Alle obligatoriske felter er udfyldt",'
            f'"Mangler i alt: "&({ref})&IF(({ref})=1," obligatorisk felt"," obligatoriske felter"))',
            st.missing,
            text,
        )
        ws.conditional_format(r, 0, r, 0, {"type": "formula", "criteria": f"=({ref})=0", "format": st.done})
        r += 1
    r += 1
    line("Formål", st.para_head)
    line(tekst(defn.formaal))
    r += 1
    line("Sådan udfylder du skemaet", st.para_head)
    line(FILL_HELP)
    r += 1
    line("Sådan returnerer du skemaet", st.para_head)
    frist_txt = f" senest {format_dato(frist)}" if frist else ""
    line(
        f"Gem filen som Excel-fil (.xlsx) og send den som vedhæftet fil til "
        f"{sd.setting('sekretariat_email')}{frist_txt}. Behold filnavnet, omdøb ikke arkene, og "
        f"indsæt ikke rækker eller kolonner. Filen må ikke beskyttes med adgangskode. "
        f"Sender I en rettet udgave, erstatter den den tidligere."
    )
    for afsnit in defn.vejledning:
        r += 1
        line(tekst(afsnit.overskrift), st.para_head)
        line(tekst(afsnit.tekst))
    r += 1
    line("Kontakt", st.para_head)
    contact = [
        str(sd.setting("sekretariat", "")),
        str(sd.setting("sekretariat_kontaktperson", "")),
        str(sd.setting("sekretariat_email", "")),
        str(sd.setting("sekretariat_telefon", "")),
    ]
    line(", ".join(c for c in contact if c))
    r += 1
    line(f"Skema: {defn.skema}, version {defn.version} · dannet {format_dato(generated.date())}", st.help)
