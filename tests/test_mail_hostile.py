"""Hostile saved mails get the treatment of hostile workbooks: huge or deeply nested mails, names with
paths or odd encodings, a thousand attachments, a zip inside a zip inside a mail, a zip bomb, a broken
.msg. Each is read by `skema indlaes` in a process under a 1 GiB address-space limit: a Danish
message and its code, exit code 1, no traceback, and a good mail in the same folder is stored."""

import io
import os
import resource
import sqlite3
import subprocess
import sys
import zipfile
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from conftest import EACH_ALONE, EVEN_YEAR
from fill import answered_copy

GIB = 1024**3
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DATA = Path(__file__).with_name("data")


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def _mail(parts=(), subject="svar", sender="a@b.example.invalid") -> EmailMessage:
    m = EmailMessage(policy=default)
    m["From"] = sender
    m["Subject"] = subject
    m.set_content("Hermed.\n")
    for name, data, ctype in parts:
        m.add_attachment(data, *ctype, filename=name)
    return m


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _nested_forwards(depth: int, form: bytes) -> EmailMessage:
    inner = _mail([("dybt.xlsx", form, XLSX)])
    for i in range(depth):
        outer = _mail(subject=f"VS {i}")
        outer.add_attachment(inner)
        inner = outer
    return inner


def make_hostile(out: Path, form: bytes) -> dict[str, str]:
    """Write the hostile mails; name -> the issue code `skema indlaes` must report."""
    zipped = ("application", "zip")
    cases: dict[str, str] = {}

    def put(name: str, data: bytes, code: str) -> None:
        (out / name).write_bytes(data)
        cases[name] = code

    with open(out / "kaempe.eml", "wb") as f:  # over the size limit: refused before it is read
        f.truncate(101 * 1024 * 1024)
    cases["kaempe.eml"] = "mail-for-stor"
    many = _mail([(f"bilag{i}.txt", b"x", ("text", "plain")) for i in range(1000)])
    put("tusind_bilag.eml", many.as_bytes(), "mail-for-stor")
    put("dybe_videresendelser.eml", _nested_forwards(12, form).as_bytes(), "mail-for-stor")
    nest = "From: a@b.example.invalid\r\nMIME-Version: 1.0\r\n"
    nest += "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(3000))
    put("dyb_multipart.eml", nest.encode() + b"Content-Type: text/plain\r\n\r\nhej\r\n", "mail-for-stor")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bombe.xlsx", b"\0" * (300 * 1024 * 1024))
    put("zipbombe.eml", _mail([("skema.zip", bomb.getvalue(), zipped)]).as_bytes(), "mail-for-stor")
    deep_zip = form
    for i in range(7):
        deep_zip = _zip({f"lag{i}.zip" if i else "skema.xlsx": deep_zip})
    put("zip_i_zip_i_zip.eml", _mail([("lag.zip", deep_zip, zipped)]).as_bytes(), "mail-for-stor")
    put("ingen_regneark.eml", _mail([("brev.pdf", b"%PDF-1.4", ("application", "pdf"))]).as_bytes(), "ingen-regneark")
    msg = (DATA / "attachment_test_msg.msg").read_bytes()
    put("afbrudt.msg", msg[: len(msg) // 3], "mail-ulaeselig")
    put("tom.eml", b"", "mail-ulaeselig")
    big = _mail([("stor.xlsx", os.urandom(24 * 1024 * 1024), XLSX)])  # read, then refused by the workbook guard
    put("stor_vedhaeftning.eml", big.as_bytes(), "for-stor")
    return cases


@pytest.fixture(scope="module")
def form(forms_dir, sd, defs, tmp_path_factory):
    out = tmp_path_factory.mktemp("svar")
    return answered_copy(
        forms_dir / "2028_udmelding_laesoe_kommune.xlsx",
        out / "2028_udmelding_laesoe_kommune.xlsx",
        sd,
        defs,
        EVEN_YEAR,
    )


@pytest.fixture(scope="module")
def hostile(form, tmp_path_factory):
    out = tmp_path_factory.mktemp("fjendtlige_mails")
    return out, make_hostile(out, form.read_bytes())


def _skema(*args, timeout=600):
    return subprocess.run(
        [sys.executable, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limits,
        env={**os.environ, "COLUMNS": "250"},
    )


def test_each_hostile_mail_alone_is_refused_with_its_danish_message(hostile, tmp_path):
    out, cases = hostile
    files = sorted(cases)
    p = _skema("-c", EACH_ALONE, tmp_path, *(out / f for f in files))
    assert p.returncode == 0, p.stderr[-2000:]
    results = dict(zip(files, p.stdout.split("\f\n")[:-1], strict=True))
    for name in files:
        exit_code, output = results[name].split("\n", 1)
        assert exit_code == "1", (name, output[-800:])
        assert "Traceback" not in output, name
        assert cases[name] in output, (name, output[-1500:])


def test_a_zip_in_a_zip_in_a_mail_is_read(form, tmp_path):
    inner = _zip({"skema.xlsx": form.read_bytes()})
    eml = tmp_path / "zipzip.eml"
    eml.write_bytes(_mail([("ydre.zip", _zip({"indre.zip": inner}), ("application", "zip"))]).as_bytes())
    p = _skema("-m", "toolkit", "indlaes", eml, "--mappe", tmp_path / "mappe")
    assert "Traceback" not in p.stdout + p.stderr
    con = sqlite3.connect(tmp_path / "mappe" / "skema.sqlite")
    assert con.execute("SELECT original_name, skema, respondent_id FROM submissions").fetchall() == [
        ("skema.xlsx", "udmelding", "K825")
    ]


def test_a_folder_of_hostile_mails_keeps_the_good_one(hostile, form, tmp_path):
    out, cases = hostile
    good = _mail([("../../../ude/2028_udmelding_laesoe_kommune.xlsx", form.read_bytes(), XLSX)])
    (out / "god.eml").write_bytes(good.as_bytes())
    try:
        p = _skema("-m", "toolkit", "indlaes", out, "--mappe", tmp_path / "mappe")
    finally:
        (out / "god.eml").unlink()
    assert p.returncode == 1 and "Traceback" not in p.stdout + p.stderr, p.stderr[-2000:]
    con = sqlite3.connect(tmp_path / "mappe" / "skema.sqlite")
    stored = con.execute("SELECT original_name, status FROM submissions WHERE status != 'afvist'").fetchall()
    assert [name for name, _status in stored] == ["2028_udmelding_laesoe_kommune.xlsx"]
    assert not (tmp_path / "ude").exists() and not (out.parent / "ude").exists()  # the name's path was dropped
    for name, code in cases.items():
        if code != "for-stor":
            assert name in p.stdout, name
