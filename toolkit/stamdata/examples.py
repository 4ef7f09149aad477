"""The bundled examples `skema init --eksempel` and `skema demo --eksempel` offer: each a stamdata
workbook and, if it has its own cycle, an aarshjul.yaml copied over the standard one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.problems import UsageError
from toolkit.stamdata.load import default_stamdata_path

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Eksempel:
    navn: str  # what the option takes: nordjylland, sjaelland
    stamdata: Path
    aarshjul: Path | None = None  # replaces skabeloner/skemaer/aarshjul.yaml


EKSEMPLER = {
    "nordjylland": Eksempel("nordjylland", default_stamdata_path()),
    "sjaelland": Eksempel("sjaelland", DATA / "sjaelland" / "stamdata.xlsx", DATA / "sjaelland" / "aarshjul.yaml"),
}
STANDARD = "nordjylland"


def eksempel(navn: str | None) -> Eksempel:
    """The bundled example `navn` (None: the standard one); an unknown name is a Danish usage error."""
    key = (navn or STANDARD).strip().lower().replace("æ", "ae")
    if key not in EKSEMPLER:
        raise UsageError(f"Ukendt eksempel '{navn}'. Brug et af: {', '.join(EKSEMPLER)}.")
    return EKSEMPLER[key]
