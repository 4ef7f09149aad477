"""Who gets which mail: the year's generated forms (or, for reminders, the forms still missing)
grouped by the recipient's address, one mail per address with all its forms attached, and the
drafts written as `.eml` files."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from pathlib import Path

from toolkit.danish import format_dato
from toolkit.definitions.recipients import Modtager
from toolkit.files import slug, write_bytes_atomic
from toolkit.forms.generate import form_filename
from toolkit.mail.template import render_mail
from toolkit.problems import UsageError
from toolkit.stamdata.model import Stamdata

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class FormToSend:
    skema: str
    navn: str  # what the form is, for the text: "Årsrapport for Center for Tale og Hjerneskade"
    modtager: Modtager
    path: Path
    frist: dt.date | None
    overskredet: bool = False


@dataclass(frozen=True)
class Outgoing:
    """One mail to one address, with every form for that address attached."""

    kind: str  # udsendelse | rykker
    aar: int
    to: str
    navn: str  # who the address belongs to (a kommune, a driftsherre)
    forms: tuple[FormToSend, ...]
    message: EmailMessage

    @property
    def form_names(self) -> tuple[str, ...]:
        return tuple(sorted(f.path.name for f in self.forms))

    @property
    def draft_name(self) -> str:
        return f"{self.aar}_{self.kind}_{slug(self.to.replace('@', ' '), 60)}.eml"


def sendout_forms(sd: Stamdata, planned, aar: int, forms_dir: Path) -> list[FormToSend]:
    """Every planned (definition, recipient) as the generated file in `forms_dir`. Raises
    UsageError when any is missing: a mail without all its forms must not go out."""
    out, missing = [], []
    for defn, m in planned:
        path = Path(forms_dir) / form_filename(aar, defn.skema, m.filnavn)
        if not path.is_file():
            missing.append(path.name)
            continue
        out.append(FormToSend(defn.skema, _what(defn.navn, defn.skema, m), m, path, sd.frist(defn.skema, aar)))
    if missing:
        raise UsageError(
            f"{len(missing)} skemaer til {aar} findes ikke i {forms_dir} (fx {missing[0]}). "
            f"Dan dem først med 'skema generer --aar {aar}'."
        )
    return out


def reminder_forms(statuses: Iterable, aar: int, folders: list[Path]) -> list[FormToSend]:
    """The forms still missing (consolidate.status, status mangler), as the blank files sent out,
    found in the first of `folders` that has them (the year's forms; the hearing's own folder)."""
    from toolkit.statuses import AnswerStatus

    out, missing = [], []
    for s in statuses:
        if s.status != AnswerStatus.MANGLER:
            continue
        name = form_filename(aar, s.skema, s.modtager.filnavn)
        path = next((Path(d) / name for d in folders if (Path(d) / name).is_file()), None)
        if path is None:
            missing.append(name)
            continue
        out.append(
            FormToSend(s.skema, _what(s.skema_navn, s.skema, s.modtager), s.modtager, path, s.frist, s.overskredet)
        )
    if missing:
        raise UsageError(
            f"{len(missing)} af de manglende skemaer findes ikke længere i {folders[0]} (fx {missing[0]}); "
            f"de skal vedhæftes igen. Dan dem med 'skema generer --aar {aar}' (høringssvar: 'skema hoering'); "
            f"eksisterende filer røres ikke."
        )
    return out


def _what(navn: str, skema: str, m: Modtager) -> str:
    return f"{navn} for {m.navn}" if m.tilbud_id else navn


def compose(
    kind: str, aar: int, forms: list[FormToSend], sd: Stamdata, templates: Path | None, today: dt.date
) -> list[Outgoing]:
    """One mail per address (in stamdata order), its forms in plan order."""
    groups: dict[str, list[FormToSend]] = {}
    for f in forms:
        groups.setdefault(f.modtager.email.strip().lower(), []).append(f)
    return [_mail(kind, aar, group, sd, templates, today) for group in groups.values()]


def _owner(sd: Stamdata, m: Modtager) -> str:
    """Who an address belongs to: for a form about a tilbud, its driftsherre."""
    if m.tilbud_id and m.driftsherre_id:
        try:
            return sd.driftsherre(m.driftsherre_id).navn
        except KeyError:
            return m.navn
    return m.navn


def _mail(kind: str, aar: int, group: list[FormToSend], sd: Stamdata, templates: Path | None, today) -> Outgoing:
    first = group[0].modtager
    navn = ", ".join(dict.fromkeys(_owner(sd, f.modtager) for f in group))
    frister = sorted({f.frist for f in group if f.frist})
    n = len(group)
    context = {
        "modtager": navn,
        "kontaktperson": first.kontaktperson,
        "email": first.email,
        "skemaer": [
            {
                "navn": f.navn,
                "fil": f.path.name,
                "frist": format_dato(f.frist) if f.frist else "–",
                "overskredet": f.overskredet,
            }
            for f in group
        ],
        "antal": n,
        "overskredet": any(f.overskredet for f in group),
        "antal_tekst": "ét skema" if n == 1 else f"{n} skemaer",
        "frist": format_dato(frister[0]) if frister else "–",
        "frister": _og([format_dato(d) for d in frister]) or "–",
        "aar": aar,
        "region": sd.region,
        "sekretariat": str(sd.setting("sekretariat", "")),
        "sekretariat_email": str(sd.setting("sekretariat_email", "")),
        "sekretariat_telefon": str(sd.setting("sekretariat_telefon", "") or ""),
        "sekretariat_kontaktperson": str(sd.setting("sekretariat_kontaktperson", "")),
        "dato": format_dato(today),
    }
    subject, body = render_mail(kind, context, templates)
    msg = EmailMessage(policy=SMTP)
    sender = formataddr((str(sd.setting("sekretariat", "")), str(sd.setting("sekretariat_email", ""))))
    msg["From"] = sender
    msg["Reply-To"] = sender
    msg["To"] = formataddr((first.kontaktperson, first.email))
    msg["Subject"] = subject
    msg.set_content(body)
    for f in group:
        msg.add_attachment(f.path.read_bytes(), *XLSX, filename=f.path.name)
    return Outgoing(kind, aar, first.email, navn, tuple(group), msg)


def _og(items: list[str]) -> str:
    return items[0] if len(items) == 1 else (", ".join(items[:-1]) + " og " + items[-1] if items else "")


def write_drafts(mails: list[Outgoing], folder: Path) -> list[Path]:
    """Each mail as an unsent draft (`X-Unsent: 1`: Outlook opens it ready to send), written
    atomically; a draft of an earlier run is replaced (drafts are output, like the overview)."""
    out = []
    for m in mails:
        draft = copy.deepcopy(m.message)
        draft["X-Unsent"] = "1"
        target = Path(folder) / m.draft_name
        write_bytes_atomic(target, draft.as_bytes())
        out.append(target)
    return out
