"""Edit workbooks in real LibreOffice, as a person would, and save them. Run with the system
interpreter (python3-uno is not in the venv):

    /usr/bin/python3 tests/lo_edit.py jobs.json

`jobs.json` is a list of jobs; each job is
    {"input": "in.xlsx", "output": "out.xlsx", "format": "xlsx" | "xls" | "ods", "password": "optional",
     "edits": [{"op": "type", "sheet": "Belægning", "cell": "C7", "text": "95%"},
               {"op": "format_percent", "sheet": "Belægning", "cell": "C7"},
               {"op": "delete_row", "sheet": "Belægning", "row": 9},  # 1-based, as Calc shows it
               {"op": "insert_row", "sheet": "Belægning", "row": 9},  # a blank row above row 9
               {"op": "rename_sheet", "sheet": "Belægning", "to": "Min belægning"},
               {"op": "delete_sheet", "sheet": "Optageområde"}]}
"type" enters the text through the dispatcher (.uno:EnterString), exactly as if typed into the cell
and confirmed with Enter: "95%" becomes 0.95 with a percent format, "1.234" follows the locale.
One headless soffice (own user profile in a temporary folder) runs all jobs, then exits.
Writes {"ok": [...outputs], "failed": {output: error}} to stdout as JSON; exit 1 if any job failed."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

PERCENT = 128  # com.sun.star.util.NumberFormat.PERCENT
FILTERS = {"xlsx": "Calc Office Open XML", "xls": "MS Excel 97", "ods": "calc8"}
CONNECT_SECONDS = 60


def _props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name, p.Value = k, v
        out.append(p)
    return tuple(out)


def _connect(pipe: str, proc: subprocess.Popen):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("LibreOffice startede ikke") from None
            time.sleep(0.2)  # polling for soffice to open its pipe (not a test wait)


def _unprotected(sheet):
    """What a person does first (Ark > Beskyt ark): the forms' sheets are protected without a
    password, so rows can only be deleted or inserted after lifting it."""
    if sheet.isProtected():
        sheet.unprotect("")
    return sheet


def _apply(ctx, doc, edit: dict) -> None:
    sheets = doc.Sheets
    op = edit["op"]
    if op == "type":
        sheet = sheets.getByName(edit["sheet"])
        controller = doc.CurrentController
        controller.setActiveSheet(sheet)
        controller.select(sheet.getCellRangeByName(edit["cell"]))
        dispatcher = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        dispatcher.executeDispatch(controller.Frame, ".uno:EnterString", "", 0, _props(StringName=edit["text"]))
    elif op == "format_percent":  # Formater celler > Procent, as a person may do before typing
        doc_formats = doc.NumberFormats
        locale = doc_formats.getByKey(0).Locale
        key = doc_formats.getStandardFormat(PERCENT, locale)
        _unprotected(sheets.getByName(edit["sheet"])).getCellRangeByName(edit["cell"]).NumberFormat = key
    elif op == "delete_row":
        _unprotected(sheets.getByName(edit["sheet"])).Rows.removeByIndex(int(edit["row"]) - 1, 1)
    elif op == "insert_row":
        _unprotected(sheets.getByName(edit["sheet"])).Rows.insertByIndex(int(edit["row"]) - 1, 1)
    elif op == "rename_sheet":
        sheets.getByName(edit["sheet"]).Name = edit["to"]
    elif op == "delete_sheet":
        sheets.removeByName(edit["sheet"])
    else:
        raise ValueError(f"unknown edit {op!r}")


def run(jobs: list[dict]) -> dict:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("soffice not found")
    profile = tempfile.mkdtemp(prefix="lo_edit_")
    pipe = f"lo_edit_{uuid.uuid4().hex}"
    proc = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    result = {"ok": [], "failed": {}}
    try:
        ctx = _connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        private = Path(tempfile.mkdtemp(prefix="lo_edit_in_"))
        for n, job in enumerate(jobs):
            doc = None
            try:
                # a private copy: another test process may have the same source open in its own
                # LibreOffice, whose lock file would make this load fail
                source = private / f"{n}_{Path(job['input']).name}"
                shutil.copyfile(job["input"], source)
                doc = desktop.loadComponentFromURL(source.as_uri(), "_blank", 0, _props(Hidden=True, ReadOnly=False))
                if doc is None:
                    raise RuntimeError(f"LibreOffice could not open {job['input']}")
                for edit in job.get("edits", []):
                    _apply(ctx, doc, edit)
                out = Path(job["output"]).resolve()
                out.parent.mkdir(parents=True, exist_ok=True)
                save = {"FilterName": FILTERS[job.get("format", "xlsx")], "Overwrite": True}
                if job.get("password"):  # saved with a password to open, as File > Save As offers
                    save["Password"] = job["password"]
                doc.storeToURL(out.as_uri(), _props(**save))
                result["ok"].append(str(out))
            except Exception as exc:  # noqa: BLE001 - reported per job
                result["failed"][job.get("output", "?")] = f"{exc.__class__.__name__}: {exc}"
            finally:
                if doc is not None:
                    doc.close(True)
        with contextlib.suppress(Exception):  # the bridge closes while soffice exits
            desktop.terminate()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return result


def main(argv: list[str]) -> int:
    jobs = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    result = run(jobs)
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    sys.exit(main(sys.argv))
