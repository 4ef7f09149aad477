"""The two mail runs of the year: the January send-out and the reminders. Each composes one mail
per address and then either writes the drafts (the default: nothing leaves the machine) or sends
them (toolkit.mail.send)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from toolkit.mail.compose import Outgoing, compose, reminder_forms, sendout_forms, write_drafts
from toolkit.mail.send import Progress, SendReport, send_mails, smtp_settings
from toolkit.stamdata.model import Stamdata
from toolkit.store.db import Store


def deliver(
    mails: list[Outgoing],
    drafts_dir: Path,
    sd: Stamdata,
    store: Store | None,
    send: bool,
    again: bool,
    env: Mapping[str, str],
    progress: Progress | None = None,
) -> SendReport:
    """Drafts in `drafts_dir`, or — with `send` — the mails sent and recorded in `store`."""
    if not send:
        return SendReport(drafts=write_drafts(mails, drafts_dir))
    settings = smtp_settings(sd, env)  # before anything is sent: a bad setting stops the run whole
    assert store is not None, "sending records every mail in the store"
    return send_mails(mails, settings, store, again, progress)


def sendout_mails(
    sd: Stamdata, planned, aar: int, forms_dir: Path, templates: Path | None, today: dt.date
) -> list[Outgoing]:
    """The send-out: every generated form of the year, one mail per address."""
    return compose("udsendelse", aar, sendout_forms(sd, planned, aar, forms_dir), sd, templates, today)


def reminder_mails(
    sd: Stamdata, statuses, aar: int, folders: list[Path], templates: Path | None, today: dt.date
) -> list[Outgoing]:
    """The reminders: the forms still missing, blank again, one mail per address."""
    return compose("rykker", aar, reminder_forms(statuses, aar, folders), sd, templates, today)
