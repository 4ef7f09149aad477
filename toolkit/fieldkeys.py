"""Parse field keys (docs/skemaformat.md): '<skema>[.<kind>.<id>]*.<noegle>[.<år>]'."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

KINDS = ("tilbud", "nr", "ydelse", "kommune", "linje")


@dataclass(frozen=True)
class ParsedKey:
    skema: str
    scope: tuple[tuple[str, str], ...]
    noegle: str
    aar: int | None

    def get(self, kind: str) -> str | None:
        return next((i for k, i in self.scope if k == kind), None)


@lru_cache(maxsize=1 << 16)  # keys repeat for every respondent; ParsedKey is immutable
def parse_key(key: str) -> ParsedKey:
    parts = key.split(".")
    i, scope = 1, []
    while i + 2 < len(parts) and parts[i] in KINDS:  # a kind, its id and at least the noegle
        scope.append((parts[i], parts[i + 1]))
        i += 2
    noegle = parts[i]
    aar = int(parts[i + 1]) if i + 1 < len(parts) and parts[i + 1].isdigit() else None
    return ParsedKey(parts[0], tuple(scope), noegle, aar)
