"""Form definitions and the criteria set: YAML files in skabeloner/skemaer, loaded into typed objects."""

from toolkit.definitions.kriterier import Kategori, Kriteriesaet, Kriterium
from toolkit.definitions.load import (
    Definitioner,
    bundled_definitions_dir,
    load_definition,
    load_definitions,
    load_kriterier,
    parse_definition,
    parse_kriterier,
)
from toolkit.definitions.model import Ark, Felt, Sektion, Skemadefinition

__all__ = [
    "Ark",
    "Definitioner",
    "Felt",
    "Kategori",
    "Kriteriesaet",
    "Kriterium",
    "Sektion",
    "Skemadefinition",
    "bundled_definitions_dir",
    "load_definition",
    "load_definitions",
    "load_kriterier",
    "parse_definition",
    "parse_kriterier",
]
