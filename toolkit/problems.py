"""The problem model. Problems in content (a returned form, stamdata, a definition) are data: a
frozen `Issue` with a stable kebab code from one catalogue, a Danish message and a position. Errors
the user must act on are `SkemaError`s; the CLI turns each into one red Danish line (exit code 2)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

FEJL, ADVARSEL = "fejl", "advarsel"

# code -> (severity, Danish title)
CODES: dict[str, tuple[str, str]] = {
    # whole file
    "ikke-regneark": (FEJL, "Filen er ikke et regneark"),
    "laasefil": (ADVARSEL, "Office-låsefil springes over"),
    "ulaeselig-fil": (FEJL, "Filen kan ikke læses"),
    "tom-fil": (FEJL, "Filen er tom"),
    "adgangskode": (FEJL, "Filen er beskyttet med adgangskode"),
    "for-stor": (FEJL, "Filen er for stor"),
    "zip-bombe": (FEJL, "Filen pakker sig ud til en urimelig størrelse"),
    "xml-entitet": (FEJL, "Filen indeholder en DTD/entitet"),
    "absurd-omfang": (FEJL, "Et ark har et urimeligt omfang"),
    "laeser-doede": (FEJL, "Læseren stoppede uventet på filen"),
    "fremmed-projektmappe": (FEJL, "Ikke et skema fra sekretariatet"),
    "ukendt-version": (FEJL, "Ukendt skemaversion"),
    "ukendt-modtager": (FEJL, "Ukendt modtager"),
    "manipuleret": (FEJL, "Skemaets skjulte oplysninger er ændret"),
    "allerede-indlaest": (ADVARSEL, "Filen er allerede indlæst"),
    "makro": (ADVARSEL, "Filen indeholder makroer (de køres ikke)"),
    "definition-mangler-noegle": (FEJL, "Definitionen mangler et felt, som dokumenter eller regler bruger"),
    # per cell
    "mangler-obligatorisk": (FEJL, "Obligatorisk felt mangler"),
    "ikke-et-tal": (FEJL, "Ikke et tal"),
    "ikke-heltal": (FEJL, "Ikke et helt tal"),
    "uden-for-interval": (FEJL, "Uden for det tilladte interval"),
    "ikke-en-dato": (FEJL, "Ikke en dato"),
    "ukendt-valg": (FEJL, "Ikke en af mulighederne"),
    "ugyldig-email": (FEJL, "Ugyldig e-mailadresse"),
    "ugyldig-url": (ADVARSEL, "Linket ser ikke ud som en webadresse"),
    "formel-uden-vaerdi": (FEJL, "Formel uden beregnet værdi"),
    "formel": (ADVARSEL, "Værdien er beregnet af en formel"),
    "fejlvaerdi": (FEJL, "Cellen indeholder en fejlværdi"),
    "navn-flyttet": (ADVARSEL, "Navngivet celle og _skema er uenige"),
    "felt-mangler-i-fil": (FEJL, "Feltet findes ikke i filen"),
    "kontroltegn": (ADVARSEL, "Kontroltegn fjernet"),
    "for-lang-tekst": (FEJL, "Teksten er længere end Excel tillader"),
}


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    file: str = ""
    respondent: str = ""
    skema: str = ""
    sheet: str = ""
    cell: str = ""
    key: str = ""

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"ukendt fejlkode {self.code!r}")  # programmer error

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def title(self) -> str:
        return CODES[self.code][1]

    def as_dict(self) -> dict:
        return {**asdict(self), "severity": self.severity, "title": self.title}




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
