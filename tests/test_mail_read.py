"""`skema indlaes` on saved mails: .eml, forwards, .mbox, .zip attachments and Outlook .msg files
give the same values as the attachments saved by hand; the mail is archived and its sender,
subject and date recorded; a mail without a spreadsheet is reported."""

import mailbox
import shutil
import zipfile
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from toolkit.returns.ingest import check_returns, ingest
from toolkit.returns.mail import safe_name
from toolkit.returns.read import read_return
from toolkit.statuses import FileResult
from toolkit.store import Store

from conftest import EVEN_YEAR
from fill import answered_copy

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DATA = Path(__file__).with_name("data")


@pytest.fixture(scope="module")
def answered(forms_dir, sd, defs, tmp_path_factory):
    """Three filled forms: Læsø's kommune and udmelding forms, and Aalborg's kommune form."""
    out = tmp_path_factory.mktemp("svar")
    names = ["2028_kommune_laesoe_kommune", "2028_udmelding_laesoe_kommune", "2028_kommune_aalborg_kommune"]
    return {n: answered_copy(forms_dir / f"{n}.xlsx", out / f"{n}.xlsx", sd, defs, EVEN_YEAR) for n in names}


def typed(path: Path, sd, defs) -> dict:
    """The values the reader gets from a file saved by hand."""
    return {v.key: v.value for v in read_return(path, sd, defs).values}


def mail(sender: str, subject: str, files: list[Path], date="Mon, 06 Mar 2028 10:15:00 +0100") -> EmailMessage:
    m = EmailMessage(policy=default)
    m["From"] = sender
    m["To"] = "rammeaftaler@sekretariat.example.invalid"
    m["Subject"] = subject
    m["Date"] = date
    m.set_content("Hermed vores skemaer.\n")
    for f in files:
        m.add_attachment(f.read_bytes(), *XLSX, filename=f.name)
    return m


def stored(folder: Path, sd) -> dict[tuple[str, str], dict]:
    """(skema, respondent id) -> {key: value} of the current answers."""
    with Store(folder) as store:
        out: dict[tuple[str, str], dict] = {}
        for v in store.current_values(EVEN_YEAR):
            out.setdefault((v.skema, v.respondent_id), {})[v.felt] = v.value
        return out


def run(paths, folder, sd, defs):
    with Store(folder) as store:
        return ingest(paths, store, sd, defs, reader=read_return)


LAESOE = "Lars Læsø <{}>"


def test_an_eml_with_two_forms_gives_every_typed_value(answered, sd, defs, tmp_path):
    kom, udm = answered["2028_kommune_laesoe_kommune"], answered["2028_udmelding_laesoe_kommune"]
    eml = tmp_path / "indbakke" / "Svar fra Læsø.eml"
    eml.parent.mkdir()
    eml.write_bytes(mail(LAESOE.format(sd.aftalepart("K825").email), "Skemaer 2028", [kom, udm]).as_bytes())
    report = run([eml.parent], tmp_path / "mappe", sd, defs)
    assert sorted((i.file.name, i.status) for i in report.items) == [
        (kom.name, FileResult.NY),
        (udm.name, FileResult.NY),
    ]
    assert not [i for it in report.items for i in it.issues if i.code == "ukendt-afsender"]
    got = stored(tmp_path / "mappe", sd)
    assert got[("kommune", "K825")] == typed(kom, sd, defs)
    assert got[("udmelding", "K825")] == typed(udm, sd, defs)
    with Store(tmp_path / "mappe") as store:
        subs = store.submissions(EVEN_YEAR)
        assert sorted(s.original_name for s in subs) == sorted([kom.name, udm.name])  # kilde_fil
        mails = {store.mail(s.mail_id) for s in subs}
        assert len(mails) == 1
        (m,) = mails
        assert (m.sender, m.subject, m.sent_at) == (
            sd.aftalepart("K825").email,
            "Skemaer 2028",
            "2028-03-06T10:15:00+01:00",
        )
        assert m.original_name == eml.name
        assert (store.archive_dir / m.archive_name).read_bytes() == eml.read_bytes()  # the mail, untouched
    # read again: nothing new
    again = run([eml], tmp_path / "mappe", sd, defs)
    assert {i.status for i in again.items} == {FileResult.ALLEREDE}


def test_a_forwarded_mail_with_the_form_inside(answered, sd, defs, tmp_path):
    kom = answered["2028_kommune_aalborg_kommune"]
    inner = mail(f"Anne <{sd.aftalepart('K851').email}>", "Kommuneskema", [kom])
    outer = EmailMessage(policy=default)
    outer["From"] = "Kollega <kollega@sekretariat.example.invalid>"
    outer["Subject"] = "VS: Kommuneskema"
    outer["Date"] = "Tue, 07 Mar 2028 09:00:00 +0100"
    outer.set_content("Videresendt.\n")
    outer.add_attachment(inner)  # message/rfc822
    eml = tmp_path / "vs.eml"
    eml.write_bytes(outer.as_bytes())
    report = run([eml], tmp_path / "mappe", sd, defs)
    assert [(i.file.name, i.status) for i in report.items] == [(kom.name, FileResult.NY)]
    assert not report.items[0].issues or all(i.code != "ukendt-afsender" for i in report.items[0].issues)
    assert stored(tmp_path / "mappe", sd)[("kommune", "K851")] == typed(kom, sd, defs)
    with Store(tmp_path / "mappe") as store:
        (s,) = store.submissions(EVEN_YEAR)
        m = store.mail(s.mail_id)
        assert (m.sender, m.subject) == (sd.aftalepart("K851").email, "Kommuneskema")  # the mail that carried it


def test_an_mbox_with_several_mails(answered, sd, defs, tmp_path):
    box_path = tmp_path / "Indbakke.mbox"
    box = mailbox.mbox(box_path)
    box.add(mail(LAESOE.format(sd.aftalepart("K825").email), "Læsø", [answered["2028_kommune_laesoe_kommune"]]))
    box.add(mail(f"<{sd.aftalepart('K851').email}>", "Aalborg", [answered["2028_kommune_aalborg_kommune"]]))
    box.add(mail("x@y.example.invalid", "Spørgsmål", []))
    box.close()
    report = run([box_path], tmp_path / "mappe", sd, defs)
    assert sorted((i.file.name, i.status) for i in report.items if i.status == FileResult.NY) == [
        ("2028_kommune_aalborg_kommune.xlsx", FileResult.NY),
        ("2028_kommune_laesoe_kommune.xlsx", FileResult.NY),
    ]
    got = stored(tmp_path / "mappe", sd)
    assert got[("kommune", "K825")] == typed(answered["2028_kommune_laesoe_kommune"], sd, defs)
    assert got[("kommune", "K851")] == typed(answered["2028_kommune_aalborg_kommune"], sd, defs)


def test_a_zip_attachment_is_unpacked(answered, sd, defs, tmp_path):
    zpath = tmp_path / "skemaer.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(answered["2028_udmelding_laesoe_kommune"], "Læsø/2028_udmelding_laesoe_kommune.xlsx")
    m = mail(LAESOE.format(sd.aftalepart("K825").email), "zip", [])
    m.add_attachment(zpath.read_bytes(), "application", "zip", filename="skemaer.zip")
    eml = tmp_path / "zip.eml"
    eml.write_bytes(m.as_bytes())
    report = run([eml], tmp_path / "mappe", sd, defs)
    assert [(i.file.name, i.status) for i in report.items] == [("2028_udmelding_laesoe_kommune.xlsx", FileResult.NY)]
    assert stored(tmp_path / "mappe", sd)[("udmelding", "K825")] == typed(
        answered["2028_udmelding_laesoe_kommune"], sd, defs
    )


def test_a_stranger_as_sender_is_a_warning_naming_both(answered, sd, defs, tmp_path):
    eml = tmp_path / "fremmed.eml"
    eml.write_bytes(
        mail("Ukendt <ukendt@andetsted.example.invalid>", "svar", [answered["2028_kommune_laesoe_kommune"]]).as_bytes()
    )
    report = run([eml], tmp_path / "mappe", sd, defs)
    (item,) = report.items
    assert item.status == FileResult.NY
    (warning,) = [i for i in item.issues if i.code == "ukendt-afsender"]
    assert "ukendt@andetsted.example.invalid" in warning.message and "Læsø Kommune" in warning.message
    assert sd.aftalepart("K825").email in warning.message


def test_a_mail_without_a_spreadsheet_is_reported(sd, defs, tmp_path):
    eml = tmp_path / "tak.eml"
    m = mail("a@b.example.invalid", "Tak", [])
    m.add_attachment(b"%PDF-1.4 ...", "application", "pdf", filename="brev.pdf")
    eml.write_bytes(m.as_bytes())
    report = run([eml], tmp_path / "mappe", sd, defs)
    (item,) = report.items
    assert item.file == eml and not item.valid and not report.ok
    assert item.issues[0].code == "ingen-regneark"
    assert "ingen regneark vedhæftet" in item.issues[0].message and "brev.pdf" in item.issues[0].message


def test_tjek_reads_mails_without_storing(answered, sd, defs, tmp_path):
    eml = tmp_path / "svar.eml"
    eml.write_bytes(mail("a@b.example.invalid", "svar", [answered["2028_kommune_laesoe_kommune"]]).as_bytes())
    report = check_returns([eml], sd, defs, reader=read_return)
    assert [(i.file.name, i.skema) for i in report.items] == [("2028_kommune_laesoe_kommune.xlsx", "kommune")]
    assert not (tmp_path / "skema.sqlite").exists()


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("../../x.xlsx", "x.xlsx"),
        ("C:\\Users\\a\\skema.xlsx", "skema.xlsx"),
        ("..", "vedhaeftning"),
        ("a\x00b:c?.xlsx", "a_b_c_.xlsx"),
        (".skjult.xlsx", "skjult.xlsx"),
        ("x" * 300 + ".xlsx", "x" * 115 + ".xlsx"),
    ],
)
def test_attachment_names_become_safe_base_names(raw, safe):
    assert safe_name(raw) == safe


def test_rfc2231_and_encoded_word_names_are_decoded(answered, sd, defs, tmp_path):
    data = answered["2028_kommune_laesoe_kommune"].read_bytes()
    b64 = __import__("base64").encodebytes(data).decode()
    raw = (
        "From: a@b.example.invalid\r\nSubject: =?utf-8?q?Sk=C3=A6ma?=\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhej\r\n'
        "--XX\r\nContent-Type: application/octet-stream\r\n"
        "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fsv%C3%A6r%20L%C3%A6s%C3%B8.xlsx\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n"
        '--XX\r\nContent-Type: application/octet-stream; name="=?utf-8?b?w6Zyw7hfMi54bHN4?="\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--XX--\r\n"
    )
    eml = tmp_path / "navne.eml"
    eml.write_bytes(raw.encode())
    report = check_returns([eml], sd, defs, reader=read_return)
    assert sorted(i.file.name for i in report.items) == ["svær Læsø.xlsx", "ærø_2.xlsx"]
    assert all(i.skema == "kommune" for i in report.items)


# --- Outlook .msg: real files from Apache POI's test data (tests/data/README.md) ----------------
def test_real_outlook_msg_without_a_spreadsheet_is_reported(sd, defs, tmp_path):
    pytest.importorskip("extract_msg")
    report = run([DATA / "attachment_test_msg.msg", DATA / "58214_with_attachment.msg"], tmp_path, sd, defs)
    assert [(i.file.name, i.issues[0].code) for i in report.items] == [
        ("attachment_test_msg.msg", "ingen-regneark"),
        ("58214_with_attachment.msg", "ingen-regneark"),
    ]
    assert "test-unicode.doc" in report.items[0].issues[0].message


def test_real_outlook_msg_carrying_a_form(answered, sd, defs, tmp_path):
    """A real .msg (POI's attachment_test_msg.msg, sent by Outlook) whose .doc attachment is
    replaced, in place, by a filled form of the same size (padded with a zip comment) and renamed:
    olefile can only rewrite a stream at its size, and no public sample .msg carries a spreadsheet."""
    olefile = pytest.importorskip("olefile")
    form = answered["2028_udmelding_laesoe_kommune"]
    msg = tmp_path / "svar.msg"
    shutil.copy(DATA / "attachment_test_msg.msg", msg)
    with olefile.OleFileIO(str(msg), write_mode=True) as ole:
        (data_stream,) = [e for e in ole.listdir() if e[-1] == "__substg1.0_37010102" and _is_doc(ole, e)]
        size = ole.get_size("/".join(data_stream))
        padded = _padded_zip(form.read_bytes(), size)
        ole.write_stream("/".join(data_stream), padded)
        long_name = "/".join([*data_stream[:-1], "__substg1.0_3707001F"])
        ole.write_stream(long_name, "udmelding_1.xlsx".encode("utf-16-le"))  # as long as test-unicode.doc
    report = run([msg], tmp_path / "mappe", sd, defs)
    assert [(i.file.name, i.status) for i in report.items] == [("udmelding_1.xlsx", FileResult.NY)]
    assert stored(tmp_path / "mappe", sd)[("udmelding", "K825")] == typed(form, sd, defs)
    with Store(tmp_path / "mappe") as store:
        (s,) = store.submissions(EVEN_YEAR)
        m = store.mail(s.mail_id)
        assert m.subject == "test pièce jointe 1" and m.sent_at.startswith("2009-04-22")


def _is_doc(ole, entry) -> bool:
    return ole.openstream("/".join(entry)).read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _padded_zip(data: bytes, size: int) -> bytes:
    """The same zip, `size` bytes long: the difference as the zip's comment."""
    import io

    short = size - len(data)
    assert 0 <= short <= 65535, (len(data), size)
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.comment = b" " * short
    out = buf.getvalue()
    assert len(out) == size
    return out


def test_a_store_of_schema_2_gets_the_mail_tables_and_keeps_its_rows(tmp_path):
    """2 → 3: submissions.mail_id (NULL for what came before), and the tables mails and sent_mails."""
    import sqlite3

    with Store(tmp_path) as st:
        st.record(
            file_hash="h1",
            original_name="v.xlsx",
            archive_name="h1.xlsx",
            received_at="2028-03-01T10:00:00",
            skema="kommune",
            aar=EVEN_YEAR,
            respondent_id="K851",
            respondent_navn="Aalborg",
            version=1,
            status="gyldig",
            values=[],
            issues=[],
        )
    con = sqlite3.connect(tmp_path / "skema.sqlite")  # back to schema 2: submissions without mail_id
    create = con.execute("SELECT sql FROM sqlite_master WHERE name = 'submissions'").fetchone()[0]
    v2 = create.replace("CREATE TABLE submissions", "CREATE TABLE s2").replace(
        ",                 -- when the respondent last saved the file (UTC, sortable); NULL: not known\n"
        "    -- mail_id: the saved mail the file was attached to (mails); NULL: saved by hand\n"
        "    mail_id INTEGER REFERENCES mails(id)",
        "",
    )
    assert "mail_id" not in v2
    con.executescript(
        f"PRAGMA foreign_keys=OFF; {v2}; INSERT INTO s2 SELECT id, file_hash, original_name, archive_name, "
        "received_at, "
        "skema, aar, respondent_id, respondent_navn, definition_version, status, current, superseded_by, saved_at "
        "FROM submissions; DROP TABLE submissions; ALTER TABLE s2 RENAME TO submissions; DROP TABLE mails; "
        "DROP TABLE sent_mails; PRAGMA user_version = 2;"
    )
    con.close()
    with Store(tmp_path) as st:
        assert st.con.execute("PRAGMA user_version").fetchone()[0] == 4
        (s,) = st.submissions()
        assert (s.original_name, s.current, s.mail_id) == ("v.xlsx", 1, None)
        assert st.sent_mails(EVEN_YEAR) == [] and st.mail(1) is None
        assert not st.con.execute("PRAGMA foreign_key_check").fetchall()


def test_the_stranger_warning_is_stored_with_the_file(answered, sd, defs, tmp_path):
    eml = tmp_path / "fremmed.eml"
    eml.write_bytes(
        mail("ukendt@andetsted.example.invalid", "svar", [answered["2028_kommune_laesoe_kommune"]]).as_bytes()
    )
    run([eml], tmp_path / "mappe", sd, defs)
    with Store(tmp_path / "mappe") as store:
        assert "ukendt-afsender" in {r.issue.code for r in store.issues(EVEN_YEAR)}


def test_the_limits_hold_per_mail_in_an_mbox(answered, tmp_path):
    """An .mbox of many mails is not one huge mail: the part limit counts each mail on its own."""
    from toolkit.returns.mail import MailBox, MailLimits

    forms = [answered["2028_kommune_laesoe_kommune"], answered["2028_udmelding_laesoe_kommune"]]
    box_path = tmp_path / "mange.mbox"
    box = mailbox.mbox(box_path)
    for i in range(4):
        box.add(mail(f"p{i}@x.example.invalid", f"svar {i}", forms))
    box.close()
    with MailBox({".xlsx"}, MailLimits(max_parts=3)) as mails:
        files, issues = mails.expand([box_path])
        assert (len(files), issues) == (8, [])
    many = tmp_path / "mange.eml"
    many.write_bytes(mail("a@x.example.invalid", "mange", forms * 2).as_bytes())
    with MailBox({".xlsx"}, MailLimits(max_parts=3)) as mails:
        files, issues = mails.expand([many])
        assert files == [] and [i.code for _m, i in issues] == ["mail-for-stor"]
        assert "over 3 dele" in issues[0][1].message
