"""The fill contract's fixed parts: the hidden `_skema` sheet and the defined names. Shared by the
writer and the reader so that they cannot drift apart. Documented in docs/skemaformat.md."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

META_SHEET = "_skema"
MAP_SHEET = "_felter"  # the fields' map (felt, ark, celle); in `_skema` from row 12 in forms made before it
LIST_SHEET = "_lister"
STATUS_SHEET = "_status"
META_KEYS = (
    "skema",
    "version",
    "definition_hash",
    "aar",
    "modtager_id",
    "modtager_navn",
    "genereret",
    "toolkit_version",
    "region",
)
MAP_HEADER = ("felt", "ark", "celle")
MAP_START_ROW = len(META_KEYS) + 2  # 0-based row of MAP_HEADER in `_skema` (forms made before `_felter`)
# workbook-scope names that identify the form when the _skema sheet is lost
META_NAMES = {"skema": "skema_type", "version": "skema_version", "aar": "skema_aar", "modtager_id": "skema_modtager"}
# The identity a second and third time, where deleting or renaming a sheet cannot reach it: custom
# document properties under these names, and workbook-scope defined names holding constants under
# the same names with a leading "_" ('_skema_type' -> ="kommune"). The reader falls back from
# `_skema` to the constant names to the properties; if they disagree, the form is 'manipuleret'.
META_PROPERTIES = {
    "skema": "skema_type",
    "version": "skema_version",
    "definition_hash": "skema_hash",
    "aar": "skema_aar",
    "modtager_id": "skema_modtager",
    "modtager_navn": "skema_modtager_navn",
}
META_CONSTANTS = {key: "_" + name for key, name in META_PROPERTIES.items()}
MAX_CONSTANT = 255  # Excel's limit for a text constant in a formula
# A constant name holding a digest of every input cell's name and address as the form was made: when
# the names a returned file holds give the same digest, no cell has moved, been renamed or deleted, and
# the reader need not read the map in `_felter` at all (most files); otherwise it does.
LAYOUT_CONSTANT = "_skema_layout"

_NON_NAME = re.compile(r"[^A-Za-z0-9_]")
MAX_NAME = 240  # Excel allows 255; room for the "_" suffixes that keep names unique


@lru_cache(maxsize=65536)
def _base_name(key: str) -> str:
    name = "S_" + _NON_NAME.sub("_", key.replace(".", "_"))
    if len(name) > MAX_NAME:  # Excel's limit; keep it unique with a digest of the whole key
        name = name[: MAX_NAME - 12] + "_" + hashlib.sha1(key.encode()).hexdigest()[:10]
    return name


def layout_digest(cells) -> str:
    """The digest of an iterable of (defined name, sheet, cell like 'C12') of the input cells, in
    any order."""
    text = "\n".join(sorted(["\t".join(cell) for cell in cells]))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def is_field_name(name: str) -> bool:
    return name.startswith("S_")


def defined_name(key: str, used: set[str] | None = None) -> str:
    """'aarsrapport.ydelse.T01-Y1.belaegning.2025' -> 'S_aarsrapport_ydelse_T01_Y1_belaegning_2025'.
    The 'S_' prefix and the underscores mean a name can never look like a cell reference; names stay
    within Excel's 255 characters even when they need a trailing '_' to be unique."""
    name = _base_name(key)
    if used is not None:
        while name in used:  # two keys that differ only in punctuation: later ones get a '_'
            name += "_"
        used.add(name)
    return name
