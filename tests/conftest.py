import os

os.environ.setdefault("COLUMNS", "240")  # rich: no wrapping or truncation in CLI test output

import shutil
from pathlib import Path

import pytest

from toolkit.definitions import load_definitions
from toolkit.stamdata import load_stamdata

EVEN_YEAR = 2028  # udmelding is only sent in even years


@pytest.fixture(scope="session")
def sd():
    return load_stamdata()


@pytest.fixture(scope="session")
def defs():
    return load_definitions()


@pytest.fixture(scope="session")
def forms_dir(tmp_path_factory, sd):
    """All forms of an even year, generated once for the session."""
    from toolkit.forms.generate import generate_forms

    out = tmp_path_factory.mktemp("skemaer")
    results, skipped = generate_forms(sd, EVEN_YEAR, out)
    assert not skipped
    return out


@pytest.fixture(scope="session")
def soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.skip("LibreOffice er ikke installeret")
    return exe


def one_form_per_type(forms_dir: Path) -> list[Path]:
    out = []
    for skema in ("indmelding", "udmelding", "aarsrapport", "kommune"):
        out.append(sorted(forms_dir.glob(f"*_{skema}_*.xlsx"))[0])
    return out
