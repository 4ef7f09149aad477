"""Master data (stamdata): parties, driftsherrer, tilbud, ydelser, deadlines and settings; optionally
specialisation levels with their history per year, and clusters of municipalities."""

from toolkit.stamdata.load import default_stamdata_path, load_stamdata
from toolkit.stamdata.model import (
    Aftalepart,
    Driftsherre,
    Frist,
    Klynge,
    Niveau,
    Niveauskift,
    Stamdata,
    Tilbud,
    Ydelse,
)
from toolkit.stamdata.write import write_stamdata

__all__ = [
    "Aftalepart",
    "Driftsherre",
    "Frist",
    "Klynge",
    "Niveau",
    "Niveauskift",
    "Stamdata",
    "Tilbud",
    "Ydelse",
    "default_stamdata_path",
    "load_stamdata",
    "write_stamdata",
]
