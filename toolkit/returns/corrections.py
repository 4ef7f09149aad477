"""Corrections by the secretariat (after a phone call): validated like a cell value, stored with
time and reason; the original stays in the history."""

from __future__ import annotations

from toolkit.definitions.cases import cases_from_keys, uses_cases
from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import find_recipient
from toolkit.fieldkeys import key_parts
from toolkit.problems import UsageError
from toolkit.returns.normalize import normalize


def correct_value(store, sd, defs, aar: int, respondent_id: str, felt: str, text: str, reason: str):
    skema = key_parts(felt).skema
    if skema not in defs:
        raise UsageError(
            f"'{felt}' er ikke en feltnøgle (den skal begynde med indmelding, udmelding, aarsrapport eller kommune)."
        )
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
    store.correct(aar, skema, respondent_id, felt, n.value, n.raw, reason.strip())
    return n.value
