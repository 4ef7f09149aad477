"""Validation problems are data: a frozen Issue with a stable kebab code from one catalogue.
The same list is printed, stored, written to 'Fejl og mangler' and asserted in tests."""
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
