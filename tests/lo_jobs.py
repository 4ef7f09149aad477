"""Editing forms in real LibreOffice from a test: tests/lo_edit.py runs a list of jobs (type into
cells, insert and delete rows, rename and delete sheets, save as xlsx/xls/ods) in one headless
soffice, driven over UNO by the system python3 (python3-uno is not importable from the venv)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
LO_EDIT = Path(__file__).with_name("lo_edit.py")


def lo_edit_available() -> bool:
    if not (shutil.which("soffice") or shutil.which("libreoffice")) or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def run_lo_edit(jobs: dict[str, dict], folder: Path) -> dict[str, Path]:
    """Run every job (name -> {input, output, format, edits}) in one LibreOffice; skip the calling
    test when LibreOffice or python3-uno is missing. Returns name -> the saved file."""
    if not lo_edit_available():
        pytest.skip("LibreOffice eller python3-uno (til /usr/bin/python3) er ikke installeret")
    spec = folder / "jobs.json"
    spec.write_text(json.dumps(list(jobs.values()), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([SYSTEM_PYTHON, str(LO_EDIT), str(spec)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return {name: Path(job["output"]) for name, job in jobs.items()}
