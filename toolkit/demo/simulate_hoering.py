"""Simulated hearing replies for the demo: most aftaleparter return their hoeringssvar form with a few
remarks, two do not answer, and one sends its remark by mail (entered with `skema bemaerkning`). The
answers are fixed data, so a test can compare the DAS appendix with them field by field."""

from __future__ import annotations

from pathlib import Path

from toolkit.definitions.recipients import recipients
from toolkit.demo.scenario import NORDJYLLAND, Scenario
from toolkit.demo.simulate import fill_form
from toolkit.fieldkeys import Hoeringssvar as H
from toolkit.forms.generate import form_filename

# the Nordjylland demo's replies (tests compare the DAS appendix with them); see demo/scenario.py
SVAR = NORDJYLLAND.hoering_svar
MANGLER = NORDJYLLAND.hoering_mangler
PR_MAIL = NORDJYLLAND.hoering_pr_mail


def answers_for(part_id: str, scenario: Scenario = NORDJYLLAND) -> dict[str, str]:
    """The form's answers of one aftalepart, by field key."""
    out = {}
    for (pid, tid), (matcher, tekst) in scenario.hoering_svar.items():
        if pid != part_id:
            continue
        prefix = f"{H.SKEMA}.tilbud.{tid}."
        if matcher:
            out[prefix + H.YDELSER_MATCHER] = matcher
        if tekst:
            out[prefix + H.BEMAERKNING] = tekst
    return out


def simulate_hoering(ws, aar: int, inbox: Path, scenario: Scenario = NORDJYLLAND) -> int:
    """Fill the hearing-reply forms `skema hoering` wrote, read them in, and enter the mail remarks.
    Returns how many parties answered."""
    inbox.mkdir(parents=True, exist_ok=True)
    hoering_dir = ws.out(aar) / "hoering"
    n = 0
    for m in recipients(ws.defs[H.SKEMA], ws.sd, aar):
        answers = answers_for(m.id, scenario)
        if m.id in scenario.hoering_mangler or not answers:
            continue
        name = form_filename(aar, H.SKEMA, m.filnavn)
        fill_form(hoering_dir / name, answers, inbox / name)
        n += 1
    ws.ingest([inbox], years=[aar])
    pr_mail = scenario.hoering_pr_mail
    for (pid, tid), (matcher, tekst, begrundelse) in pr_mail.items():
        ws.remark(aar, pid, tid, tekst, matcher, begrundelse)
    return n + len({pid for pid, _t in pr_mail} - {pid for pid, _t in scenario.hoering_svar})
