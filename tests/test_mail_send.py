"""`skema udsend` and `skema rykker --mail`: drafts parsed back with the standard library, and
sending to a real local SMTP server (aiosmtpd on 127.0.0.1: one plain, one with STARTTLS, a
self-signed certificate made at test time and a login), started once per test run."""

import datetime as dt
import email
import shutil
import socket
import ssl
import subprocess
from email.policy import default

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.problems import UsageError
from toolkit.store import Store
from toolkit.workspace import Workspace

from conftest import EVEN_YEAR
from fill import answered_copy

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

USER, PASSWORD = "skema", "hemmeligt-kodeord"


class Inbox:
    """An aiosmtpd handler that keeps every message and refuses the addresses in `refuse`."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes, bool]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 Modtageren findes ikke"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content, session.ssl is not None))
        return "250 Message accepted for delivery"

    def parsed(self):
        return [email.message_from_bytes(content, policy=default) for _f, _r, content, _tls in self.messages]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 235 or 535


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made by the openssl program."""
    if not shutil.which("openssl"):
        pytest.skip("openssl er ikke installeret")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"),
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    return d / "cert.pem", d / "key.pem"


@pytest.fixture(scope="session")
def plain_server():
    inbox = Inbox()
    port = _free_port()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(scope="session")
def tls_server(certificate):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = _free_port()
    controller = aiosmtpd.Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticate,
        auth_required=True,
    )
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def inbox(plain_server):
    box, port = plain_server
    box.messages.clear()
    box.refuse.clear()
    return box, {"SKEMA_SMTP_VAERT": "127.0.0.1", "SKEMA_SMTP_PORT": str(port), "SKEMA_SMTP_TLS": "ingen"}


@pytest.fixture
def ws(forms_dir, tmp_path):
    """A working folder with the year's generated forms (the bundled example stamdata)."""
    shutil.copytree(forms_dir, tmp_path / "output" / str(EVEN_YEAR) / "skemaer")
    return Workspace(tmp_path)


def expected(ws: Workspace, skemaer=None) -> dict[str, set[str]]:
    """address -> the names of the forms generated for it."""
    from toolkit.forms.generate import form_filename

    planned, _ = ws.planned_forms(EVEN_YEAR, skemaer)
    out: dict[str, set[str]] = {}
    for defn, m in planned:
        out.setdefault(m.email.lower(), set()).add(form_filename(EVEN_YEAR, defn.skema, m.filnavn))
    return out


def attachments(msg) -> dict[str, bytes]:
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert len(names) == len(set(names)), names  # each form once
    return {p.get_filename(): p.get_content() for p in msg.iter_attachments()}


def to_address(msg) -> str:
    (addr,) = msg["To"].addresses
    return addr.addr_spec.lower()


def test_drafts_one_per_recipient_with_exactly_its_forms(ws):
    report = ws.udsend(EVEN_YEAR, env={})
    want = expected(ws)
    assert len(report.drafts) == len(want) and not report.sent
    forms = ws.forms_dir(EVEN_YEAR)
    seen: list[str] = []
    for path in report.drafts:
        assert path.parent == ws.out(EVEN_YEAR) / "udsendelse" and path.suffix == ".eml"
        msg = email.message_from_bytes(path.read_bytes(), policy=default)
        assert msg["X-Unsent"] == "1"
        assert msg["From"].addresses[0].addr_spec == ws.sd.setting("sekretariat_email")
        assert msg["Reply-To"].addresses[0].addr_spec == ws.sd.setting("sekretariat_email")
        got = attachments(msg)
        assert set(got) == want[to_address(msg)]
        assert all(got[name] == (forms / name).read_bytes() for name in got)  # byte-identical
        body = msg.get_body(("plain",)).get_content()
        assert "frist" in msg["Subject"] and all(name in body for name in got)
        seen += got
    generated = sorted(p.name for p in forms.glob("*.xlsx"))
    assert sorted(seen) == generated  # every generated form attached exactly once


def test_a_deadline_is_in_subject_and_text(ws):
    report = ws.udsend(EVEN_YEAR, ["udmelding"], env={})
    msg = email.message_from_bytes(report.drafts[0].read_bytes(), policy=default)
    assert msg["Subject"].endswith("frist 1. marts 2028")
    assert "senest 1. marts 2028" in msg.get_body(("plain",)).get_content()


def test_missing_forms_stop_the_send_out(ws):
    next(ws.forms_dir(EVEN_YEAR).glob("*_udmelding_*.xlsx")).unlink()
    with pytest.raises(UsageError, match="skema generer"):
        ws.udsend(EVEN_YEAR, env={})


def test_send_arrives_intact_is_recorded_and_is_not_sent_twice(ws, inbox):
    box, env = inbox
    want = expected(ws, ["udmelding"])
    report = ws.udsend(EVEN_YEAR, ["udmelding"], send=True, env=env)
    assert report.ok and len(report.sent) == len(want) == len(box.messages)
    forms = ws.forms_dir(EVEN_YEAR)
    for (_from, rcpt, _content, _tls), msg in zip(box.messages, box.parsed(), strict=True):
        assert [r.lower() for r in rcpt] == [to_address(msg)]
        got = attachments(msg)
        assert set(got) == want[to_address(msg)]
        assert all(got[name] == (forms / name).read_bytes() for name in got)
        assert "X-Unsent" not in msg
    with Store(ws.folder) as store:
        sent = store.sent_mails(EVEN_YEAR, "udsendelse")
    assert sorted(s.message_id for s in sent) == sorted(m["Message-ID"].strip() for m in box.parsed())
    assert {s.recipient: set(s.forms) for s in sent} == want
    assert report.summary() == f"{len(want)} sendt"
    # the second --send sends nothing; --igen sends again
    again = ws.udsend(EVEN_YEAR, ["udmelding"], send=True, env=env)
    assert (len(again.sent), len(again.already), len(box.messages)) == (0, len(want), len(want))
    ws.udsend(EVEN_YEAR, ["udmelding"], send=True, again=True, env=env)
    assert len(box.messages) == 2 * len(want)


def test_a_refused_recipient_is_reported_and_the_others_are_sent(ws, inbox):
    box, env = inbox
    want = expected(ws, ["kommune"])
    refused = ws.sd.aftalepart("K851").email.lower()
    box.refuse.add(refused)
    report = ws.udsend(EVEN_YEAR, ["kommune"], send=True, env=env)
    assert [m.to.lower() for m, _why in report.failed] == [refused]
    assert len(report.sent) == len(want) - 1 == len(box.messages)
    assert refused not in {to_address(m) for m in box.parsed()}
    assert "1 fejlede: Aalborg Kommune" in report.summary() and "550" in report.summary()
    # once the address works, the next --send sends only that one
    box.refuse.clear()
    later = ws.udsend(EVEN_YEAR, ["kommune"], send=True, env=env)
    assert [m.to.lower() for m in later.sent] == [refused] and len(later.already) == len(want) - 1


def test_starttls_with_a_self_signed_certificate_and_login(ws, tls_server, certificate, monkeypatch):
    box, port = tls_server
    box.messages.clear()
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test's certificate, as a company CA would be
    env = {
        "SKEMA_SMTP_VAERT": "127.0.0.1",
        "SKEMA_SMTP_PORT": str(port),
        "SKEMA_SMTP_TLS": "starttls",
        "SKEMA_SMTP_BRUGER": USER,
        "SKEMA_SMTP_ADGANGSKODE": PASSWORD,
    }
    report = ws.udsend(EVEN_YEAR, ["udmelding"], send=True, env=env)
    assert report.ok and len(report.sent) == len(box.messages) == len(expected(ws, ["udmelding"]))
    assert all(tls for *_rest, tls in box.messages)


def test_a_refused_login_stops_the_run_with_one_reason(ws, tls_server, certificate, monkeypatch):
    box, port = tls_server
    box.messages.clear()
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    env = {
        "SKEMA_SMTP_VAERT": "127.0.0.1",
        "SKEMA_SMTP_PORT": str(port),
        "SKEMA_SMTP_TLS": "starttls",
        "SKEMA_SMTP_BRUGER": USER,
        "SKEMA_SMTP_ADGANGSKODE": "forkert",
    }
    report = ws.udsend(EVEN_YEAR, ["udmelding"], send=True, env=env)
    assert not report.sent and not box.messages
    assert len(report.failed) == len(expected(ws, ["udmelding"]))
    assert {why for _m, why in report.failed} == {report.failed[0][1]} and "login blev afvist" in report.failed[0][1]


def test_an_untrusted_certificate_is_refused_in_danish(ws, tls_server):
    _box, port = tls_server
    env = {"SKEMA_SMTP_VAERT": "127.0.0.1", "SKEMA_SMTP_PORT": str(port), "SKEMA_SMTP_TLS": "starttls"}
    report = ws.udsend(EVEN_YEAR, ["udmelding"], send=True, env=env)
    assert not report.sent and all("sikker forbindelse mislykkedes" in why for _m, why in report.failed)


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "smtp_vaert"),
        ({"SKEMA_SMTP_VAERT": "x", "SKEMA_SMTP_TLS": "tls"}, "smtp_tls er 'tls'"),
        ({"SKEMA_SMTP_VAERT": "x", "SKEMA_SMTP_PORT": "abc"}, "smtp_port er 'abc'"),
        ({"SKEMA_SMTP_VAERT": "x", "SKEMA_SMTP_BRUGER": "u"}, "SKEMA_SMTP_ADGANGSKODE"),
    ],
)
def test_bad_smtp_settings_stop_before_anything_is_sent(ws, env, message):
    with pytest.raises(UsageError, match=message):
        ws.udsend(EVEN_YEAR, ["udmelding"], send=True, env=env)


def test_cli_udsend_send_prints_the_summary(ws, inbox):
    box, env = inbox
    box.refuse.add(ws.sd.aftalepart("K825").email.lower())
    result = CliRunner().invoke(
        app, ["udsend", "--aar", str(EVEN_YEAR), "--skema", "udmelding", "--send", "--mappe", str(ws.folder)], env=env
    )
    n = len(expected(ws, ["udmelding"]))
    assert result.exit_code == 1, result.output
    assert f"{n - 1} sendt, 1 fejlede: Læsø Kommune" in result.output


def test_rykker_mail_attaches_the_missing_blank_forms_again(ws, sd, defs, tmp_path):
    forms = ws.forms_dir(EVEN_YEAR)
    (tmp_path / "svar").mkdir()
    answered = answered_copy(
        forms / "2028_udmelding_laesoe_kommune.xlsx", tmp_path / "svar" / "udm.xlsx", sd, defs, EVEN_YEAR
    )
    ws.ingest([answered], years=[])
    late = ws.rykker_mails(EVEN_YEAR, today=dt.date(EVEN_YEAR, 5, 1)).drafts[0]
    assert email.message_from_bytes(late.read_bytes(), policy=default)["Subject"].startswith("Påmindelse")
    report = ws.rykker_mails(EVEN_YEAR, today=dt.date(EVEN_YEAR, 1, 15))
    seen = []
    laesoe = sd.aftalepart("K825").email.lower()
    for path in report.drafts:
        assert path.parent == ws.out(EVEN_YEAR) / "rykkere"
        msg = email.message_from_bytes(path.read_bytes(), policy=default)
        assert msg["X-Unsent"] == "1" and msg["Subject"].startswith("Husk fristen")  # before the deadlines
        got = attachments(msg)
        assert all(got[n] == (forms / n).read_bytes() for n in got)  # the blank form, as sent out
        if to_address(msg) == laesoe:
            assert "2028_udmelding_laesoe_kommune.xlsx" not in got and "2028_kommune_laesoe_kommune.xlsx" in got
        seen += got
    assert sorted(seen) == sorted(
        p.name for p in forms.glob("*.xlsx") if p.name != "2028_udmelding_laesoe_kommune.xlsx"
    )


def test_cli_rykker_mail_writes_drafts(ws):
    Store(ws.folder).close()  # rykker works on a folder with a store
    result = CliRunner().invoke(app, ["rykker", "--mail", "--aar", str(EVEN_YEAR), "--mappe", str(ws.folder)])
    assert result.exit_code == 0, result.output
    assert "kladder skrevet" in result.output
    assert list((ws.out(EVEN_YEAR) / "rykkere").glob("*.eml"))


def test_init_copies_the_mail_texts_and_an_edited_text_is_used(ws):
    from toolkit.workspace import init_workspace

    init_workspace(ws.folder)
    text = ws.folder / "skabeloner" / "mail" / "udsendelse.txt"
    assert text.is_file() and (ws.folder / "skabeloner" / "mail" / "rykker.txt").is_file()
    text.write_text("Emne: Hej {{ modtager }}\n\nSvar senest {{ frist }}, {{ kontaktperson }}.\n", encoding="utf-8")
    report = ws.udsend(EVEN_YEAR, ["udmelding"], env={})
    msg = email.message_from_bytes(report.drafts[0].read_bytes(), policy=default)
    assert msg["Subject"].startswith("Hej ") and "Svar senest 1. marts 2028" in msg.get_body(("plain",)).get_content()


def test_an_unknown_value_in_the_text_names_the_template(ws):
    from toolkit.problems import SkemaError

    text = ws.folder / "skabeloner" / "mail" / "udsendelse.txt"
    text.parent.mkdir(parents=True)
    text.write_text("Emne: {{ ukendt_vaerdi }}\n\nx\n", encoding="utf-8")
    with pytest.raises(SkemaError, match="udsendelse.txt bruger en ukendt værdi"):
        ws.udsend(EVEN_YEAR, ["udmelding"], env={})
    assert not (ws.out(EVEN_YEAR) / "udsendelse").exists()
