"""Errors the user must act on. The CLI turns each into one red Danish line (exit code 2).

Problems in *returned content* are never raised: they are `toolkit.issues.Issue` values.
"""
from __future__ import annotations


class SkemaError(Exception):
    """Base: a Danish, user-facing message; the run cannot proceed."""

    exit_code = 2


class StamdataError(SkemaError):
    """The stamdata workbook is missing, unreadable or inconsistent. Carries every problem."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        head = f"Stamdata i {source} har {len(problems)} fejl"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in problems))


class DefinitionError(SkemaError):
    """A form definition file does not validate. Carries every problem with file and line."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(
            f"Skemadefinitionen {source} har {len(problems)} fejl:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


class OutputLockedError(SkemaError):
    """An output file cannot be replaced (typically open in Excel on Windows)."""

    def __init__(self, path):
        self.path = path
        super().__init__(f"Luk filen {path} i Excel og prøv igen (den er låst af et andet program).")


class UsageError(SkemaError):
    """Wrong arguments (bad date, unknown form type)."""
