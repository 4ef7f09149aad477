"""Simulated hearing replies for the demo: most aftaleparter return their hoeringssvar form with a few
remarks, two do not answer, and one sends its remark by mail (entered with `skema bemaerkning`). The
answers are fixed data, so a test can compare the DAS appendix with them field by field."""

from __future__ import annotations

from pathlib import Path

from toolkit.definitions.recipients import recipients
from toolkit.demo.simulate import fill_form
from toolkit.fieldkeys import Hoeringssvar as H
from toolkit.forms.generate import form_filename

# (aftalepart, tilbud) -> (ydelser_matcher, bemaerkning); "" leaves the field empty
SVAR: dict[tuple[str, str], tuple[str, str]] = {
    ("K851", "T01"): ("Ja", "Vi bakker op om tilbuddets fortsatte deltagelse; ventetiden er rimelig."),
    ("K851", "T03"): ("Delvist", "Vi mangler et ambulant forløb for unge over 18 år efter udskrivning."),
    ("K810", "T02"): ("Ja", ""),
    ("K813", "T04"): ("Nej", "Ventelisten er for lang til vores behov; vi ønsker flere pladser til unge."),
    ("K860", "T05"): ("Delvist", "Driftsherrens bekymring deles: vi har hjemtaget to borgere i år."),
    ("K849", "T01"): ("Ja", ""),
    ("K825", "T06"): ("Nej", "Læsø Kommune har ikke haft borgere i målgruppen i fem år & ønsker tilbuddet udtaget."),
    ("K846", "T07"): ("Ja", "Samarbejdet om overgange fungerer godt."),
    ("K787", "T03"): ("Ja", ""),
    ("K820", "T08"): ("Delvist", "Årsrapporten mangler; vi kan ikke vurdere tilbuddet uden den."),
    ("RN", "T02"): ("Ja", "Regionen som driftsherre har ingen bemærkninger ud over årsrapporten."),
}
MANGLER = {"K773", "K840"}  # they answer neither the kommune form nor the hearing
PR_MAIL = {  # arrives by mail instead of the form: (part, tilbud) -> (matcher, remark, begrundelse)
    ("K851", "T06"): (
        "Delvist",
        "Eftersendt: vi bruger tilbuddet sjældnere end forventet.",
        "modtaget pr. mail 3. maj",
    ),
}


def answers_for(part_id: str) -> dict[str, str]:
    """The form's answers of one aftalepart, by field key."""
    out = {}
    for (pid, tid), (matcher, tekst) in SVAR.items():
        if pid != part_id:
            continue
        prefix = f"{H.SKEMA}.tilbud.{tid}."
        if matcher:
            out[prefix + H.YDELSER_MATCHER] = matcher
        if tekst:
            out[prefix + H.BEMAERKNING] = tekst
    return out


def simulate_hoering(ws, aar: int, inbox: Path) -> int:
    """Fill the hearing-reply forms `skema hoering` wrote, read them in, and enter the mail remarks.
    Returns how many parties answered."""
    inbox.mkdir(parents=True, exist_ok=True)
    hoering_dir = ws.out(aar) / "hoering"
    n = 0
    for m in recipients(ws.defs[H.SKEMA], ws.sd, aar):
        answers = answers_for(m.id)
        if m.id in MANGLER or not answers:
            continue
        name = form_filename(aar, H.SKEMA, m.filnavn)
        fill_form(hoering_dir / name, answers, inbox / name)
        n += 1
    ws.ingest([inbox], years=[aar])
    for (pid, tid), (matcher, tekst, begrundelse) in PR_MAIL.items():
        ws.remark(aar, pid, tid, tekst, matcher, begrundelse)
    return n + len({pid for pid, _t in PR_MAIL} - {pid for pid, _t in SVAR})
