"""Form definitions: YAML files in skabeloner/skemaer, loaded into typed objects."""

from toolkit.definitions.load import bundled_definitions_dir, load_definition, load_definitions, parse_definition
from toolkit.definitions.model import Ark, Felt, Sektion, Skemadefinition

__all__ = [
    "Ark",
    "Felt",
    "Sektion",
    "Skemadefinition",
    "bundled_definitions_dir",
    "load_definition",
    "load_definitions",
    "parse_definition",
]
