"""Corrections by the secretariat (after a phone call): validated like a cell value, stored with
time and reason; the original stays in the history."""

from __future__ import annotations

from toolkit.definitions.cases import cases_from_keys, uses_cases
from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import find_recipient
from toolkit.fieldkeys import Hoeringssvar, key_parts
from toolkit.problems import UsageError
from toolkit.returns.normalize import normalize


def correct_value(store, sd, defs, aar: int, respondent_id: str, felt: str, text: str, reason: str):
    skema, n = _checked(sd, defs, aar, respondent_id, felt, text, reason)
    store.correct(aar, skema, respondent_id, felt, n.value, n.raw, reason.strip())
    return n.value


def record_remark(
    store, sd, defs, aar: int, part_id: str, tilbud_id: str, tekst: str, matcher: str | None, reason: str
) -> dict[str, object]:
    """A hearing remark that arrived by mail (`skema bemaerkning`): the fields of the part's
    hoeringssvar form for one tilbud, validated like the form's cells and stored as corrections
    (who: the part; why: `reason`), all or none. Returns {key: stored value}."""
    if not (tekst.strip() or (matcher or "").strip()):
        raise UsageError("Angiv bemærkningen med --tekst (og/eller svaret med --ydelser-matcher).")
    if part_id not in {a.id for a in sd.aftaleparter}:
        known = ", ".join(a.id for a in sd.aftaleparter)
        raise UsageError(f"'{part_id}' er ikke en aftalepart i stamdata (kendte: {known}).")
    if tilbud_id not in {t.id for t in sd.omfattede_tilbud(aar)}:
        known = ", ".join(t.id for t in sd.omfattede_tilbud(aar))
        raise UsageError(f"Tilbuddet '{tilbud_id}' er ikke i høringen for {aar} (tilbuddene er {known}).")
    prefix = f"{Hoeringssvar.SKEMA}.tilbud.{tilbud_id}."
    wanted = [(Hoeringssvar.BEMAERKNING, tekst), (Hoeringssvar.YDELSER_MATCHER, matcher or "")]
    checked = [
        (prefix + noegle, _checked(sd, defs, aar, part_id, prefix + noegle, text, reason)[1])
        for noegle, text in wanted
        if text.strip()
    ]
    for felt, n in checked:  # every value is valid before the first is stored
        store.correct(aar, Hoeringssvar.SKEMA, part_id, felt, n.value, n.raw, reason.strip())
    return {felt: n.value for felt, n in checked}


def _checked(sd, defs, aar: int, respondent_id: str, felt: str, text: str, reason: str):
    """(skema, normalized value) of a correction, or the UsageError that says what is wrong."""
    skema = key_parts(felt).skema
    if skema not in defs:
        raise UsageError(f"'{felt}' er ikke en feltnøgle (den skal begynde med {', '.join(defs)}).")
    if not reason.strip():
        raise UsageError("Angiv en begrundelse med --begrundelse.")
    m = find_recipient(defs[skema], sd, aar, respondent_id)
    if m is None:
        raise UsageError(f"'{respondent_id}' modtager ikke skemaet '{skema}' i {aar}.")
    sager = cases_from_keys(defs[skema], sd, [felt]) if uses_cases(defs[skema]) else None  # the panel's cases
    fi = next((f for f in plan_form(defs[skema], sd, m, aar, sager).fields() if f.key == felt), None)
    if fi is None:
        raise UsageError(f"Feltet '{felt}' findes ikke i {skema}-skemaet for {m.navn} i {aar}.")
    n = normalize(fi.felt, text)
    if n.code:
        raise UsageError(f"Værdien kan ikke bruges: {n.detail}.")
    return skema, n
