"""Returns that arrive as saved mails: `.eml`, Outlook `.msg` and `.mbox` files become their
spreadsheet attachments, as if each had been saved by hand, so `skema indlaes` takes a mail folder.

Every attachment is walked: mails attached to mails (forwards, `message/rfc822` parts, a `.msg`
inside a `.msg`), and `.zip` attachments (with the workbook guards' zip limits). An attachment's
name is reduced to a safe base name (RFC 2231 and encoded-word names decoded; a path in the name is
dropped) and is never used as a path: each is written to its own numbered folder of a temporary
directory that lives as long as the `MailBox`.

Hostile mail is bounded (MAIL_LIMITS: size on disk, depth, number of parts, bytes unpacked); a mail
over a limit is refused with a Danish message and the other files go on. A mail without any
spreadsheet attachment is reported ("ingen regneark vedhæftet"), never silently skipped."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import mailbox
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from toolkit.definitions.recipients import Modtager
from toolkit.problems import Issue
from toolkit.returns.guards import LIMITS
from toolkit.stamdata.model import Stamdata

MAIL_EXT = {".eml", ".msg", ".mbox"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class MailLimits:
    max_file_bytes: int = 100 * 1024 * 1024  # a saved mail or mailbox on disk
    max_depth: int = 5  # mails and zips inside each other (a forward of a forward of …)
    max_parts: int = 500  # attachments and parts walked in one mail
    max_total_bytes: int = 200 * 1024 * 1024  # everything unpacked from one mail
    max_messages: int = 2000  # mails in one .mbox


MAIL_LIMITS = MailLimits()


@dataclass(frozen=True)
class MailSource:
    """Where an attachment came from: the saved mail file, and the mail that carried it (for a
    forward: the innermost one). `senders`: every From address on the way, outermost first."""

    file: Path
    sender: str
    subject: str
    date: str | None  # ISO 8601 with zone; None: no readable Date
    senders: tuple[str, ...] = ()


class _TooMuch(Exception):
    """A limit of MAIL_LIMITS was passed; the message is Danish and names the limit."""


@dataclass
class _Walk:
    """One mail file being unpacked: what was found and how much of the limits it used."""

    file: Path
    wanted: Collection[str]
    limits: MailLimits
    found: list[tuple[str, bytes, MailSource]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # names of attachments that are not spreadsheets
    parts: int = 0
    total: int = 0

    def count(self, size: int = 0) -> None:
        self.parts += 1
        self.total += size
        if self.parts > self.limits.max_parts:
            raise _TooMuch(f"mailen har over {self.limits.max_parts:_} dele og vedhæftninger".replace("_", "."))
        if self.total > self.limits.max_total_bytes:
            raise _TooMuch(f"vedhæftningerne fylder over {self.limits.max_total_bytes / 1e6:.0f} MB udpakket")

    def deeper(self, depth: int) -> int:
        if depth >= self.limits.max_depth:
            raise _TooMuch(f"mails og zip-filer ligger mere end {self.limits.max_depth} lag inde i hinanden")
        return depth + 1

    def attachment(self, raw_name: str, data: bytes, source: MailSource, depth: int) -> None:
        name = safe_name(raw_name)
        suffix = Path(name).suffix.lower()
        if suffix in self.wanted:
            self.found.append((name, data, source))
        elif suffix == ".zip":
            self._zip(name, data, source, self.deeper(depth))
        elif suffix == ".eml":
            self.message(email.message_from_bytes(data, policy=email.policy.default), source, self.deeper(depth))
        elif suffix == ".msg" and data[:8] == OLE:
            self.outlook(data, source, self.deeper(depth))
        else:
            self.other.append(name)

    # --- the formats ----------------------------------------------------------------------------
    def message(self, msg: Message, outer: MailSource | None, depth: int) -> None:
        source = _source(self.file, msg, outer)
        stack = [msg]
        while stack:  # iterative: a deeply nested multipart does not exhaust the stack
            part = stack.pop()
            ctype = part.get_content_type()
            if ctype == "message/rfc822":  # a forward: the inner mail has its own sender
                inner = part.get_payload()
                inner = inner[0] if isinstance(inner, list) and inner else inner
                if isinstance(inner, Message):
                    self.count()
                    self.message(inner, source, self.deeper(depth))
                continue
            if part.is_multipart():
                children = part.get_payload()
                if isinstance(children, list):
                    self.count()
                    stack.extend(c for c in reversed(children) if isinstance(c, Message))
                continue
            name = _part_name(part)
            if name is None and ctype not in _SPREADSHEET_TYPES:
                continue  # a body text or an inline part without a name
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            self.count(len(data))
            self.attachment(name or f"vedhaeftning{_SPREADSHEET_TYPES.get(ctype, '')}", data, source, depth)

    def outlook(self, data: bytes | Path, outer: MailSource | None, depth: int) -> None:
        import extract_msg  # loaded when an Outlook file is met

        msg = extract_msg.openMsg(str(data) if isinstance(data, Path) else data)
        try:
            self._outlook(msg, outer, depth)
        finally:
            msg.close()

    def _outlook(self, msg, outer: MailSource | None, depth: int) -> None:
        source = _msg_source(self.file, msg, outer)
        for att in getattr(msg, "attachments", None) or []:
            data = att.data
            if hasattr(data, "attachments"):  # an Outlook item attached to the mail (a forward)
                self.count()
                self._outlook(data, source, self.deeper(depth))
            elif isinstance(data, bytes):
                self.count(len(data))
                self.attachment(att.longFilename or att.shortFilename or "vedhaeftning", data, source, depth)

    def _zip(self, name: str, data: bytes, source: MailSource, depth: int) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                problem = _zip_refusal(z)
                if problem:
                    raise _TooMuch(f"zip-filen {name} {problem}")
                for info in z.infolist():
                    if info.is_dir():
                        continue
                    self.count(info.file_size)
                    with z.open(info) as f:
                        inner = f.read(LIMITS.max_part_bytes + 1)  # the header's size is not trusted
                    if len(inner) > LIMITS.max_part_bytes:
                        raise _TooMuch(f"zip-filen {name} pakker sig ud til mere end den opgiver")
                    self.attachment(info.filename, inner, source, depth)
        except RuntimeError as exc:  # zipfile's refusal of an encrypted member
            raise _TooMuch(f"zip-filen {name} er beskyttet med adgangskode") from exc
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
            raise _TooMuch(f"zip-filen {name} kan ikke pakkes ud ({exc.__class__.__name__})") from exc


_SPREADSHEET_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}


def _zip_refusal(z: zipfile.ZipFile) -> str | None:
    """The workbook guards' zip limits (toolkit.returns.guards.LIMITS), for a `.zip` attachment."""
    infos = z.infolist()
    if len(infos) > LIMITS.max_entries:
        return f"har {len(infos):_} filer; højst {LIMITS.max_entries:_} tages imod".replace("_", ".")
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > LIMITS.max_part_bytes or (
            i.file_size > LIMITS.ratio_grace_bytes and i.compress_size < i.file_size * LIMITS.min_inflate_ratio
        ):
            return f"indeholder {safe_name(i.filename)}, der pakker sig urimeligt meget ud (mistænkelig fil)"
    if total > LIMITS.max_total_bytes:
        return f"pakker sig ud til {total / 1e6:.0f} MB (højst {LIMITS.max_total_bytes / 1e6:.0f} MB)"
    return None


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def safe_name(raw: str, max_len: int = 120) -> str:
    """An attachment's name as a plain file name: only the last part of a path ('../../x.xlsx' and
    'C:\\\\temp\\\\x.xlsx' give 'x.xlsx'), no control or reserved characters, no leading dots, at most
    `max_len` characters (the extension kept). Never empty."""
    name = unicodedata.normalize("NFC", str(raw)).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").rstrip(". ")
    if len(name) > max_len:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: max_len - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:max_len]
    return name or "vedhaeftning"


def _part_name(part: Message) -> str | None:
    try:
        name = part.get_filename()  # RFC 2231 and encoded-words, decoded by the email package
    except (ValueError, LookupError, TypeError, IndexError):
        name = None
    if name:
        return str(name)
    param = part.get_param("name", header="content-type")
    if isinstance(param, tuple):  # an RFC 2231 parameter not decoded
        param = email.utils.collapse_rfc2231_value(param)
    return str(param) if param else None


def _address(text: str) -> str:
    pairs = getaddresses([str(text or "")])
    return next((a.strip().lower() for _n, a in pairs if "@" in a), "")


def _source(file: Path, msg: Message, outer: MailSource | None) -> MailSource:
    def header(name: str) -> str:
        try:
            return str(msg.get(name, "") or "")
        except (ValueError, LookupError, TypeError, IndexError):  # a malformed header is no header
            return ""

    sender = _address(header("from"))
    try:
        when = parsedate_to_datetime(header("date")) if header("date") else None
    except (ValueError, TypeError, IndexError, OverflowError):
        when = None
    return _chain(file, sender, header("subject"), when, outer)


def _msg_source(file: Path, msg, outer: MailSource | None) -> MailSource:
    when = getattr(msg, "date", None)
    if isinstance(when, str):  # older extract-msg versions give the header text
        try:
            when = parsedate_to_datetime(when)
        except (ValueError, TypeError, IndexError, OverflowError):
            when = None
    sender = _address(getattr(msg, "sender", "") or "")
    return _chain(file, sender, str(getattr(msg, "subject", "") or ""), when, outer)


def _chain(file: Path, sender: str, subject: str, when, outer: MailSource | None) -> MailSource:
    if isinstance(when, dt.datetime) and when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    senders = (*(outer.senders if outer else ()), *((sender,) if sender else ()))
    subject = " ".join(subject.replace("\x00", "").split())[:300]
    return MailSource(
        file, sender or (outer.sender if outer else ""), subject, when.isoformat() if when else None, senders
    )


# --- the box: mail files in, attachment files out ----------------------------------------------
@dataclass
class MailBox:
    """Unpacks mail files into a temporary folder for one run. `wanted`: the attachment
    extensions to keep (spreadsheets). Use as a context manager; the folder goes with it."""

    wanted: Collection[str]
    limits: MailLimits = MAIL_LIMITS
    sources: dict[Path, MailSource] = field(default_factory=dict)
    _tmp: Path | None = None

    def __enter__(self) -> MailBox:
        return self

    def __exit__(self, *exc) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def source(self, path: Path) -> MailSource | None:
        """The mail an unpacked attachment came from (None: not from a mail)."""
        return self.sources.get(Path(path))

    def expand(self, candidates: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, Issue]]]:
        """`candidates` with every mail file replaced by its spreadsheet attachments; (mail, issue)
        for each mail that has none or cannot be read."""
        out: list[Path] = []
        issues: list[tuple[Path, Issue]] = []
        for f in candidates:
            if f.suffix.lower() not in MAIL_EXT or not f.is_file():
                out.append(f)
                continue
            got, issue = self.unpack(f)
            out += got
            if issue:
                issues.append((f, issue))
        return out, issues

    def unpack(self, f: Path) -> tuple[list[Path], Issue | None]:
        walk = _Walk(f, self.wanted, self.limits)
        try:
            size = f.stat().st_size
            if size > self.limits.max_file_bytes:
                raise _TooMuch(f"filen fylder {size / 1e6:.0f} MB (højst {self.limits.max_file_bytes / 1e6:.0f} MB)")
            if size == 0:
                return [], Issue("mail-ulaeselig", f"{f.name} er tom (0 byte).", file=f.name)
            _read_mail_file(f, walk)
        except _TooMuch as exc:
            return [], Issue(
                "mail-for-stor",
                f"{f.name} læses ikke: {exc}. Bed afsenderen sende skemaerne i en almindelig mail.",
                file=f.name,
            )
        except RecursionError:
            return [], Issue("mail-for-stor", f"{f.name} læses ikke: mailen er bygget urimeligt dybt.", file=f.name)
        except PermissionError:
            return [], Issue(
                "mail-ulaeselig",
                f"{f.name} kunne ikke åbnes: adgang nægtet – er den åben i et andet program?",
                file=f.name,
            )
        except Exception as exc:  # noqa: BLE001 - hostile bytes in a parser we do not own: the file's problem
            return [], Issue(
                "mail-ulaeselig",
                f"{f.name} kan ikke læses som mail ({exc.__class__.__name__}). Gem mailen igen fra "
                f"mailprogrammet, eller gem vedhæftningerne enkeltvis.",
                file=f.name,
            )
        if not walk.found:
            seen = f" (kun {', '.join(sorted(set(walk.other))[:5])})" if walk.other else ""
            return [], Issue("ingen-regneark", f"{f.name}: ingen regneark vedhæftet{seen}.", file=f.name)
        return [self._put_aside(name, data, source) for name, data, source in walk.found], None

    def _put_aside(self, name: str, data: bytes, source: MailSource) -> Path:
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="skema_post_"))
        target = self._tmp / f"{len(self.sources):05d}" / name
        target.parent.mkdir()
        target.write_bytes(data)
        if source.date:  # no saved time in the file: the mail's date orders its versions
            stamp = dt.datetime.fromisoformat(source.date).timestamp()
            os.utime(target, (stamp, stamp))
        self.sources[target] = source
        return target


def _read_mail_file(f: Path, walk: _Walk) -> None:
    ext = f.suffix.lower()
    if ext == ".msg":
        walk.outlook(f, None, 0)
    elif ext == ".mbox":
        box = mailbox.mbox(f, create=False)
        try:
            for n, key in enumerate(box.iterkeys()):
                if n >= walk.limits.max_messages:
                    raise _TooMuch(f"postkassen har over {walk.limits.max_messages:_} mails".replace("_", "."))
                walk.parts = walk.total = 0  # the limits hold per mail; the file's size bounds the box
                walk.message(email.message_from_bytes(box.get_bytes(key), policy=email.policy.default), None, 1)
        finally:
            box.close()
    else:
        with open(f, "rb") as fh:
            walk.message(email.message_from_binary_file(fh, policy=email.policy.default), None, 0)


# --- after reading: who sent it ------------------------------------------------------------------
def contacts(sd: Stamdata, m: Modtager) -> set[str]:
    """The addresses stamdata has for a respondent: its own contact, its driftsherre's and the
    driftsherre's aftalepart's."""
    out = {m.email}
    if m.driftsherre_id:
        try:
            d = sd.driftsherre(m.driftsherre_id)
            out.add(d.email)
            if d.aftalepart_id:
                out.add(sd.aftalepart(d.aftalepart_id).email)
        except KeyError:
            pass
    return {a.strip().lower() for a in out if a}


def sender_issue(sd: Stamdata, source: MailSource, m: Modtager | None, name: str) -> Issue | None:
    """A warning when no sender on the mail's way matches any of the respondent's contacts."""
    if m is None or not source.senders:
        return None
    known = contacts(sd, m)
    if known & set(source.senders):
        return None
    return Issue(
        "ukendt-afsender",
        f"{name} kom fra {source.sender}, som ikke er en kontakt for {m.navn} i stamdata "
        f"({', '.join(sorted(known))}). Tjek at svaret er fra {m.navn}.",
        file=name,
        respondent=m.navn,
    )
