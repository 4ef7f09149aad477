"""Convert files with the LibreOffice that the test session started (run by the system python3,
which has the `uno` module; the project's venv does not).

    /usr/bin/python3 tests/lo_convert.py PIPE_NAME FORMAT OUTDIR FILE...
    /usr/bin/python3 tests/lo_convert.py PIPE_NAME --quit

FORMAT as for `soffice --convert-to`: 'xlsx', 'ods', 'pdf' or 'xls:MS Excel 97' (extension:filter)."""

import contextlib
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

FILTERS = {  # extension -> (Calc filter, Writer filter)
    "xlsx": ("Calc MS Excel 2007 XML", None),
    "xls": ("MS Excel 97", None),
    "ods": ("calc8", None),
    "pdf": ("calc_pdf_Export", "writer_pdf_Export"),
    "docx": (None, "MS Word 2007 XML"),
}


def props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name, p.Value = k, v
        out.append(p)
    return tuple(out)


def connect(pipe: str, attempts: int = 1800):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(attempts):  # soffice may still be starting (slowly, on a busy machine)
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            time.sleep(0.1)
    raise SystemExit(f"LibreOffice svarer ikke på {pipe}")


def main(pipe: str, fmt: str, outdir: str = "", *files: str) -> None:
    desktop = connect(pipe)
    if fmt == "--quit":
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
            desktop.terminate()
        return
    ext, _, explicit = fmt.partition(":")
    for f in files:
        src = Path(f).resolve()
        doc = desktop.loadComponentFromURL(src.as_uri(), "_blank", 0, props(Hidden=True))
        try:
            calc = doc.supportsService("com.sun.star.sheet.SpreadsheetDocument")
            name = explicit or FILTERS[ext][0 if calc else 1]
            target = Path(outdir).resolve() / f"{src.stem}.{ext}"
            doc.storeToURL(target.as_uri(), props(FilterName=name, Overwrite=True))
        finally:
            doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:])
