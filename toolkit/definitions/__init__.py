"""Form definitions, the criteria set and the annual cycle: YAML files in skabeloner/skemaer, loaded
into typed objects."""

from toolkit.definitions.aarshjul import Aarshjul, Aktivitet, Organ
from toolkit.definitions.kriterier import Kategori, Kriteriesaet, Kriterium
from toolkit.definitions.load import (
    Definitioner,
    bundled_definitions_dir,
    load_aarshjul,
    load_definition,
    load_definitions,
    load_kriterier,
    parse_aarshjul,
    parse_definition,
    parse_kriterier,
)
from toolkit.definitions.model import Ark, Felt, Sektion, Skemadefinition

__all__ = [
    "Aarshjul",
    "Aktivitet",
    "Ark",
    "Definitioner",
    "Felt",
    "Kategori",
    "Kriteriesaet",
    "Kriterium",
    "Organ",
    "Sektion",
    "Skemadefinition",
    "bundled_definitions_dir",
    "load_aarshjul",
    "load_definition",
    "load_definitions",
    "load_kriterier",
    "parse_aarshjul",
    "parse_definition",
    "parse_kriterier",
]
