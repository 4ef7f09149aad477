"""Benchmark: unpacking saved mails (returns.mail) — an .mbox of many mails with two forms each, the
same mails as separate .eml files, and the hostile deep multipart — against reading the attachments
alone. Times the unpacking only (reading the forms is benchmarks/indlaes.py); peak memory by
the process's maximum resident size after each case (cases run in order: it only grows).

    python benchmarks/post.py [--mails 200] [--gentag 3]
"""

from __future__ import annotations

import argparse
import mailbox
import platform
import resource
import statistics
import tempfile
import time
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from toolkit.forms.generate import generate_forms
from toolkit.returns.mail import MailBox
from toolkit.stamdata import load_stamdata

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _mail(i: int, forms: list[Path]) -> EmailMessage:
    m = EmailMessage(policy=default)
    m["From"] = f"person{i}@kommune.example.invalid"
    m["Subject"] = f"Skemaer {i}"
    m["Date"] = "Mon, 06 Mar 2028 10:15:00 +0100"
    m.set_content("Hermed vores skemaer.\n")
    for f in forms:
        m.add_attachment(f.read_bytes(), *XLSX, filename=f.name)
    return m


def _timed(paths: list[Path], repeat: int) -> tuple[float, float, int]:
    times, found = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        with MailBox({".xlsx"}) as box:
            files, _issues = box.expand(paths)
            found = len(files)
        times.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    return statistics.median(times), peak / 1e6, found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mails", type=int, default=200)
    ap.add_argument("--gentag", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        results, _ = generate_forms(load_stamdata(), 2028, out / "skemaer", ["kommune"], workers=1)
        forms = [r.path for r in results]
        box_path = out / "indbakke.mbox"
        box = mailbox.mbox(box_path)
        emls = []
        for i in range(args.mails):
            pair = [forms[i % len(forms)], forms[(i + 1) % len(forms)]]
            m = _mail(i, pair)
            box.add(m)
            emls.append(out / f"mail{i}.eml")
            emls[-1].write_bytes(m.as_bytes())
        box.close()
        nest = "From: a@b.example.invalid\r\nMIME-Version: 1.0\r\n" + "".join(
            f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(3000)
        )
        deep = out / "dyb.eml"
        deep.write_bytes(nest.encode() + b"Content-Type: text/plain\r\n\r\nhej\r\n")
        print(f"{platform.python_implementation()} {platform.python_version()}, {args.mails} mails à 2 skemaer")
        for label, paths in (
            (f".mbox ({box_path.stat().st_size / 1e6:.1f} MB)", [box_path]),
            (f"{len(emls)} .eml-filer", emls),
            ("dyb multipart (3.000 lag, afvises)", [deep]),
        ):
            median, peak, found = _timed(paths, args.gentag)
            print(f"{label:40} {median:7.2f} s  maks. RSS {peak:6.0f} MB  {found} vedhæftninger")


if __name__ == "__main__":
    main()
