import os

os.environ.setdefault("COLUMNS", "240")  # rich: no wrapping or truncation in CLI test output

import pickle
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from toolkit.definitions import load_definitions
from toolkit.stamdata import load_stamdata

EVEN_YEAR = 2028  # udmelding is only sent in even years

# Runs `skema indlaes FILE` once per file in one process (a Python start per file costs more than the
# reading): the CLI's own entry point, with its Danish error line and exit code.
EACH_ALONE = """
import contextlib, io, sys
from pathlib import Path
from toolkit.cli import main

work = Path(sys.argv[1])
for f in sys.argv[2:]:
    out = io.StringIO()
    sys.argv = ["skema", "indlaes", f, "--mappe", str(work / Path(f).name)]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code
    sys.__stdout__.write(f"{code}\\n{out.getvalue()}\\f\\n")
"""
UNO_PYTHON = "/usr/bin/python3"  # the system Python, where Debian's python3-uno installs `uno`
LO_HELPER = Path(__file__).with_name("lo_convert.py")


def pytest_collection_modifyitems(items):
    """Every test that uses LibreOffice carries the `libreoffice` marker (`-m "not libreoffice"`)."""
    for item in items:
        if {"soffice", "libreoffice"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.libreoffice)


def built_once(tmp_path_factory, name: str, build):
    """A folder built once per test run and shared by all xdist workers (pytest-xdist's documented
    pattern: the first worker builds it under a file lock, the others wait and reuse it).
    `build(folder)` may return a picklable value, which every worker gets back."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp(name)
        return out, build(out)
    root = tmp_path_factory.getbasetemp().parent
    out, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            done.write_bytes(pickle.dumps(build(out)))
    return out, pickle.loads(done.read_bytes())


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The whole demo year, once per test run (shared by the xdist workers): the richest data set we
    have. (folder, steps)."""
    from toolkit.demo.run import run_demo

    out, steps = built_once(tmp_path_factory, "demo", lambda folder: run_demo(folder, EVEN_YEAR))
    return out / "demo", steps


@pytest.fixture(scope="session")
def sd():
    return load_stamdata()


@pytest.fixture(scope="session")
def defs():
    return load_definitions()


def _generate_forms(out: Path) -> None:
    from toolkit.forms.generate import generate_forms

    results, skipped = generate_forms(load_stamdata(), EVEN_YEAR, out)
    assert not skipped and results


@pytest.fixture(scope="session")
def forms_dir(tmp_path_factory):
    """All forms of an even year, generated once for the test run."""
    out, _ = built_once(tmp_path_factory, "skemaer", _generate_forms)
    return out


@pytest.fixture(scope="session")
def soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.skip("LibreOffice er ikke installeret")
    return exe


def _has_uno() -> bool:
    try:
        return subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.fixture(scope="session")
def libreoffice(soffice, tmp_path_factory):
    """`convert(paths, fmt, outdir) -> paths` by one headless LibreOffice started for the session (one
    per xdist worker), driven over UNO by tests/lo_convert.py: a conversion then costs a document load,
    not a LibreOffice start. Without python3-uno it falls back to toolkit's convert (one start per call)."""
    if not _has_uno():
        from toolkit.documents.pdf import convert as convert_by_start

        yield convert_by_start
        return
    profile = tmp_path_factory.mktemp("lo_profil")
    pipe = f"skema_test_{os.getpid()}"
    proc = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def convert(paths, fmt: str, outdir: Path) -> list[Path]:
        outdir = Path(outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        p = subprocess.run(
            [UNO_PYTHON, str(LO_HELPER), pipe, fmt, str(outdir), *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert p.returncode == 0, p.stderr[-2000:]
        return [outdir / f"{Path(f).stem}.{fmt.split(':')[0]}" for f in paths]

    try:
        yield convert
    finally:
        _stop(proc, pipe)


def _stop(proc, pipe: str) -> None:
    """End the LibreOffice we started: ask it to quit, else end its process group (launcher and
    soffice.bin)."""
    try:
        subprocess.run([UNO_PYTHON, str(LO_HELPER), pipe, "--quit"], capture_output=True, timeout=60)
        proc.wait(timeout=30)
        return
    except subprocess.TimeoutExpired:
        pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=30)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def one_form_per_type(forms_dir: Path) -> list[Path]:
    out = []
    for skema in ("indmelding", "udmelding", "aarsrapport", "kommune"):
        out.append(sorted(forms_dir.glob(f"*_{skema}_*.xlsx"))[0])
    return out
