"""Sending by SMTP. The settings come from stamdata (Indstillinger: smtp_vaert, smtp_port, smtp_tls =
ingen|starttls|ssl, smtp_bruger), each overridable by the environment (SKEMA_SMTP_VAERT, …); the
password only from SKEMA_SMTP_ADGANGSKODE, never from a file or the store.

Every mail sent is recorded in the store (Message-ID, recipient, forms, time) right after the
server took it; a mail whose forms were all sent to that address before is not sent again unless
`again`. A recipient the server refuses is reported and the others go on."""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate, make_msgid

from toolkit.mail.compose import Outgoing
from toolkit.problems import UsageError
from toolkit.stamdata.model import Stamdata
from toolkit.store.db import SentMail, Store

TLS_MODES = ("ingen", "starttls", "ssl")
DEFAULT_PORT = {"ingen": 25, "starttls": 587, "ssl": 465}
TIMEOUT = 30  # seconds for one SMTP conversation step


@dataclass(frozen=True)
class SmtpSettings:
    vaert: str
    port: int
    tls: str
    bruger: str
    adgangskode: str = field(default="", repr=False)


def smtp_settings(sd: Stamdata, env: Mapping[str, str]) -> SmtpSettings:
    """The SMTP settings: the environment's SKEMA_SMTP_* before stamdata's smtp_*. Raises
    UsageError (Danish) for a missing host, a bad port or TLS mode, or a user without password."""

    def get(key: str) -> str:
        value = env.get(f"SKEMA_SMTP_{key.upper()}")
        if value is None or value == "":
            value = sd.setting(f"smtp_{key}", "")
        return str(value if value is not None else "").strip()

    vaert = get("vaert")
    if not vaert:
        raise UsageError(
            "Der er ingen mailserver: udfyld 'smtp_vaert' i stamdata (arket Indstillinger) eller sæt "
            "SKEMA_SMTP_VAERT. Uden --send skrives mailene som kladder, der kan sendes fra Outlook."
        )
    tls = get("tls").lower() or "starttls"
    if tls not in TLS_MODES:
        raise UsageError(f"smtp_tls er '{tls}'; brug en af: {', '.join(TLS_MODES)}.")
    port_text = get("port")
    try:
        port = int(float(port_text)) if port_text else DEFAULT_PORT[tls]
    except ValueError:
        raise UsageError(f"smtp_port er '{port_text}'; det skal være et portnummer, fx 587.") from None
    if not 0 < port < 65536:
        raise UsageError(f"smtp_port er {port}; det skal være et portnummer mellem 1 og 65535.")
    bruger = get("bruger")
    adgangskode = env.get("SKEMA_SMTP_ADGANGSKODE", "")
    if bruger and not adgangskode:
        raise UsageError(
            f"Mailserveren kræver login som {bruger}: sæt adgangskoden i miljøvariablen "
            f"SKEMA_SMTP_ADGANGSKODE (den gemmes aldrig i en fil)."
        )
    return SmtpSettings(vaert, port, tls, bruger, adgangskode)


@dataclass
class SendReport:
    """What a run did: drafts written, mails sent, mails sent before (not again), failures."""

    drafts: list = field(default_factory=list)
    sent: list[Outgoing] = field(default_factory=list)
    already: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        """'12 sendt, 1 fejlede: Aalborg Kommune (a@b.dk): …'"""
        parts = [f"{len(self.sent)} sendt"]
        if self.already:
            parts.append(f"{len(self.already)} sendt før (ikke igen; brug --igen)")
        text = ", ".join(parts)
        if self.failed:
            why = "; ".join(f"{m.navn} ({m.to}): {reason}" for m, reason in self.failed)
            text += f", {len(self.failed)} fejlede: {why}"
        return text


def _sent_before(store: Store, mails: list[Outgoing]) -> set[int]:
    """Indexes of `mails` whose every form was sent to that address before (same kind and year)."""
    if not mails:
        return set()
    done: dict[str, set[str]] = {}
    for s in store.sent_mails(mails[0].aar, mails[0].kind):
        done.setdefault(s.recipient.lower(), set()).update(s.forms)
    return {i for i, m in enumerate(mails) if set(m.form_names) <= done.get(m.to.lower(), set())}


def _connect(s: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()  # the system's trusted certificates (SSL_CERT_FILE honoured)
    if s.tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.vaert, s.port, timeout=TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(s.vaert, s.port, timeout=TIMEOUT)
    try:
        if s.tls == "starttls":
            smtp.starttls(context=context)
        if s.bruger:
            smtp.login(s.bruger, s.adgangskode)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _why(exc: Exception) -> str:
    """A server's refusal or a connection problem, said briefly."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"modtageren blev afvist af serveren ({code} {_text(text)})"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"login blev afvist ({exc.smtp_code} {_text(exc.smtp_error)})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"serveren afviste mailen ({exc.smtp_code} {_text(exc.smtp_error)})"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return f"sikker forbindelse mislykkedes ({exc.__class__.__name__}: {exc})"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "serveren svarede ikke i tide"
    if isinstance(exc, OSError | smtplib.SMTPException):
        return f"forbindelsen til mailserveren mislykkedes ({exc.__class__.__name__}: {exc})"
    return f"{exc.__class__.__name__}: {exc}"


def _text(raw) -> str:
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)).strip()


Progress = Callable[[Outgoing, str], None]


def send_mails(
    mails: list[Outgoing],
    settings: SmtpSettings,
    store: Store,
    again: bool = False,
    progress: Progress | None = None,
) -> SendReport:
    """Send each mail over one SMTP connection (opened again if the server drops it). A mail the
    server refuses is reported and the next one goes on; each mail sent is recorded at once."""
    report = SendReport()
    before = set() if again else _sent_before(store, mails)
    smtp: smtplib.SMTP | None = None
    domain = settings_domain(mails)
    try:
        for i, m in enumerate(mails):
            if i in before:
                report.already.append(m)
                if progress:
                    progress(m, "sendt før")
                continue
            if smtp is None:
                try:
                    smtp = _connect(settings)
                except (smtplib.SMTPException, OSError, ssl.CertificateError) as exc:
                    # the server, not this recipient: the rest would fail alike, so the run stops here
                    why = _why(exc)
                    report.failed += [(rest, why) for j, rest in enumerate(mails[i:], i) if j not in before]
                    report.already += [mails[j] for j in sorted(before) if j > i]
                    break
            msg = m.message
            del msg["Message-ID"], msg["Date"]
            msg["Message-ID"] = make_msgid(domain=domain)
            msg["Date"] = formatdate(localtime=True)
            try:
                smtp.send_message(msg)
            except (smtplib.SMTPException, OSError) as exc:
                report.failed.append((m, _why(exc)))
                if progress:
                    progress(m, "fejlede")
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    smtp.close()
                    smtp = None  # connect again for the next one
                continue
            store.record_sent_mail(
                SentMail(
                    str(msg["Message-ID"]),
                    m.aar,
                    m.kind,
                    m.to,
                    m.form_names,
                    str(msg["Subject"]),
                    dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                )
            )
            report.sent.append(m)
            if progress:
                progress(m, "sendt")
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    return report


def settings_domain(mails: list[Outgoing]) -> str | None:
    """The domain of the From address, for Message-IDs."""
    if not mails:
        return None
    sender = str(mails[0].message.get("From", ""))
    return sender.rsplit("@", 1)[-1].rstrip(">").strip() or None if "@" in sender else None
