"""Build hostile and broken returns, small on disk (the bombs are tiny until expanded).

    python tests/corpus/make_corpus.py UD_MAPPE GOD_FORMULAR.xlsx

Returns {file name: expected issue code} (None: not refused)."""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import xlsxwriter

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _rezip(src: Path, dst: Path, edit) -> None:
    with zipfile.ZipFile(src) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    parts = edit(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            out.writestr(name, data)


def make_corpus(out: Path, good: Path) -> dict[str, str | None]:
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}

    # a zip bomb: one 150 MB part of zeros, about 150 kB on disk
    with zipfile.ZipFile(out / "bombe.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(150):
                f.write(block)
    expected["bombe.xlsx"] = "zip-bombe"

    # a ratio bomb under the size limits: 5 MB that packs to a few kB
    with zipfile.ZipFile(out / "pakket.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/sharedStrings.xml", b" " * (5 << 20))
    expected["pakket.xlsx"] = "zip-bombe"

    # billion laughs in workbook.xml of an otherwise real form
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10) for i in range(1, 10)
        )
        + b"]>"
    )

    def xxe(parts):
        body = lambda d: d.split(b"?>", 1)[1] if d.lstrip().startswith(b"<?xml") else d  # noqa: E731
        return [(n, laughs + body(d) if n == "xl/workbook.xml" else d) for n, d in parts]

    _rezip(good, out / "entiteter.xlsx", xxe)
    expected["entiteter.xlsx"] = "xml-entitet"

    # the same DTD behind 10 kB of comment, past the guard's prolog window: the reader's XML
    # parser refuses it instead of expanding anything
    head = b'<?xml version="1.0"?>'
    padded = head + b"<!--" + b" " * 10_000 + b"-->" + laughs[len(head) :]

    def late_xxe(parts):
        body = lambda d: d.split(b"?>", 1)[1] if d.lstrip().startswith(b"<?xml") else d  # noqa: E731
        return [(n, padded + body(d) if n == "xl/workbook.xml" else d) for n, d in parts]

    _rezip(good, out / "sen_entitet.xlsx", late_xxe)
    expected["sen_entitet.xlsx"] = "ulaeselig-fil"

    # an encrypted OOXML file is an OLE compound file
    (out / "adgangskode.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    expected["adgangskode.xlsx"] = "adgangskode"

    # one cell far out: python-calamine would try to allocate the whole sheet
    wb = xlsxwriter.Workbook(str(out / "omfang.xlsx"))
    ws = wb.add_worksheet()
    ws.write(0, 0, "start")
    ws.write(1048575, 16383, "slut")
    wb.close()
    expected["omfang.xlsx"] = "absurd-omfang"

    (out / "tom.xlsx").write_bytes(b"")
    expected["tom.xlsx"] = "tom-fil"
    data = good.read_bytes()
    (out / "afbrudt.xlsx").write_bytes(data[: len(data) // 2])
    expected["afbrudt.xlsx"] = "ulaeselig-fil"
    (out / "faktura.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    expected["faktura.xlsx"] = "ikke-regneark"
    (out / "liste.xlsx").write_text("navn;antal\nAalborg;3\n", encoding="utf-8")
    expected["liste.xlsx"] = "ikke-regneark"

    with zipfile.ZipFile(out / "mange_dele.xlsx", "w") as z:
        for i in range(1001):
            z.writestr(f"x/{i}.xml", b"<a/>")
    expected["mange_dele.xlsx"] = "zip-bombe"

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(out / "dubletter.xlsx", "w") as z:
            z.writestr("[Content_Types].xml", CONTENT_TYPES)
            z.writestr("[Content_Types].xml", CONTENT_TYPES)
    expected["dubletter.xlsx"] = "zip-bombe"

    (out / "~$laast.xlsx").write_bytes(b"\0" * 165)
    expected["~$laast.xlsx"] = "laasefil"

    # a real form with a macro project added: read (values only), with a warning
    _rezip(good, out / "makro.xlsm", lambda parts: parts + [("xl/vbaProject.bin", b"\0" * 512)])
    expected["makro.xlsm"] = None
    shutil.copy(good, out / "god.xlsx")
    expected["god.xlsx"] = None
    return expected


if __name__ == "__main__":
    for name, code in make_corpus(Path(sys.argv[1]), Path(sys.argv[2])).items():
        print(f"{name:20} {code or 'læses'}")
