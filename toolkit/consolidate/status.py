"""Who has returned which form, who is missing, and what is overdue (pure over stamdata + store rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.definitions.load import Definitioner
from toolkit.definitions.recipients import Modtager, recipients
from toolkit.fieldkeys import FORMS, Hoeringssvar
from toolkit.rules.cycle import aarshjul
from toolkit.stamdata.model import Stamdata
from toolkit.statuses import AnswerStatus


@dataclass(frozen=True)
class ReturnStatus:
    skema: str
    skema_navn: str
    modtager: Modtager
    frist: dt.date | None
    modtaget: str | None  # received time of the current submission
    status: AnswerStatus  # gyldig | fejl | mangler (a refused file is not an answer)
    overskredet: bool
    kilde_fil: str = ""


def return_status(
    sd: Stamdata,
    defs: Definitioner,
    aar: int,
    submissions,
    today: dt.date | None = None,
    by_mail: dict[tuple[str, str], str] | None = None,
    not_sent: frozenset[str] | set[str] = frozenset(),
) -> list[ReturnStatus]:
    """`by_mail`: (skema, respondent) -> time, for answers the secretariat entered itself (a hearing
    remark received by mail, `skema bemaerkning`): such a respondent has answered without a file.
    `not_sent`: forms not sent out yet (the hearing replies before `skema hoering`): listed only
    once someone has answered them."""
    today = today or dt.date.today()
    hoering = {a.key: a.dato for a in aarshjul(sd, defs.aarshjul, aar)}.get("hoering")  # (checks the order)
    by_mail = by_mail or {}
    current = {(s.skema, s.respondent_id): s for s in submissions if s.current and s.aar == aar}
    out = []
    for skema in FORMS:
        defn = defs[skema]
        if (defn.kun_lige_aar and aar % 2) or defn.modtager == "sekretariat":  # the panel's form is no return
            continue
        if skema in not_sent and not any(k[0] == skema for k in (*current, *by_mail)):
            continue
        frist = sd.frist(skema, aar)
        if skema == Hoeringssvar.SKEMA and frist is None:  # the årshjul's hearing deadline (Frister: hoering)
            frist = hoering
        for m in recipients(defn, sd, aar):
            s = current.get((skema, m.id))
            mail = by_mail.get((skema, m.id)) if s is None else None
            if mail:
                out.append(ReturnStatus(skema, defn.navn, m, frist, mail, AnswerStatus.GYLDIG, False, "pr. mail"))
                continue
            late = s is None and frist is not None and today > frist
            out.append(
                ReturnStatus(
                    skema,
                    defn.navn,
                    m,
                    frist,
                    s.received_at if s else None,
                    AnswerStatus(s.status) if s else AnswerStatus.MANGLER,
                    late,
                    s.original_name if s else "",
                )
            )
    return out
