"""The problem model. Problems in content (a returned form, stamdata, a definition) are data: a
frozen `Issue` with a stable kebab code from one catalogue, a Danish message and a position. Errors
the user must act on are `SkemaError`s; the CLI turns each into one red Danish line (exit code 2)."""

from __future__ import annotations

from dataclasses import dataclass

FEJL, ADVARSEL = "fejl", "advarsel"

# code -> (severity, Danish title)
CODES: dict[str, tuple[str, str]] = {
    # whole file
    "ikke-regneark": (FEJL, "Filen er ikke et regneark"),
    "laasefil": (ADVARSEL, "Office-låsefil springes over"),
    "ulaeselig-fil": (FEJL, "Filen kan ikke læses"),
    "tom-fil": (FEJL, "Filen er tom"),
    "aeldre-version": (ADVARSEL, "Filen er gemt før det svar, der allerede er indlæst"),
    "tidligere-afvist": (ADVARSEL, "Filen blev afvist tidligere og er læst igen"),
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
    "ikke-udfyldt": (FEJL, "Skemaet er ikke udfyldt"),
    "allerede-indlaest": (ADVARSEL, "Filen er allerede indlæst"),
    "makro": (ADVARSEL, "Filen indeholder makroer (de køres ikke)"),
    # saved mails (returns.mail)
    "ingen-regneark": (FEJL, "Ingen regneark vedhæftet mailen"),
    "mail-ulaeselig": (FEJL, "Mailen kan ikke læses"),
    "mail-for-stor": (FEJL, "Mailen er for stor eller for dybt indlejret"),
    "ukendt-afsender": (ADVARSEL, "Afsenderen er ikke en kontakt for respondenten i stamdata"),
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
    "tvetydig-procent": (FEJL, "Procenten kan læses på to måder"),
    "felt-slettet": (FEJL, "Feltets række er slettet i filen"),
    # stamdata (position: file, sheet, row, column letter)
    "stamdata-mangler-fil": (FEJL, "Stamdatafilen findes ikke"),
    "stamdata-ulaeselig": (FEJL, "Stamdatafilen kan ikke læses"),
    "stamdata-mangler-ark": (FEJL, "Et ark mangler i stamdata"),
    "stamdata-mangler-kolonne": (FEJL, "En kolonne mangler i stamdata"),
    "stamdata-mangler-indstilling": (FEJL, "En indstilling mangler en værdi"),
    "stamdata-mangler-vaerdi": (FEJL, "En obligatorisk værdi mangler"),
    "stamdata-ugyldig-vaerdi": (FEJL, "Ugyldig værdi"),
    "stamdata-ugyldig-email": (FEJL, "Ugyldig e-mailadresse"),
    "stamdata-ukendt-id": (FEJL, "Henvisning til et id der ikke findes"),
    "stamdata-dublet": (FEJL, "Samme id står flere gange"),
    "stamdata-ugyldig-periode": (FEJL, "Perioden slutter før den begynder"),
    "stamdata-ingen-ydelser": (FEJL, "Tilbuddet har ingen ydelser"),
    "stamdata-raekkefoelge": (FEJL, "Årshjulets rækkefølge er brudt"),
    # form definitions (position: file, line)
    "definition-ulaeselig": (FEJL, "Definitionsfilen kan ikke læses"),
    "definition-mangler": (FEJL, "En skemadefinition mangler"),
    "definition-ugyldig-yaml": (FEJL, "Ugyldig YAML"),
    "definition-ugyldig": (FEJL, "Definitionen er ugyldig"),
    "definition-forkert-skema": (FEJL, "Filnavn og skema passer ikke sammen"),
}


@dataclass(frozen=True)
class Issue:
    """One problem and where it is. Positions are optional; use those that apply:

    - a returned form: file, respondent, skema, sheet, cell, key (the field key);
    - stamdata: file, sheet, row (the real sheet row, 1-based), column (a column letter);
    - a form definition: file, line (1-based).

    For stamdata and definitions `message` says what is wrong (and, where it can, how to fix it)
    without repeating the position, and `text()` puts the two together. (Messages about returned
    forms still name their cell in the text as well.)"""

    code: str
    message: str
    file: str = ""
    respondent: str = ""
    skema: str = ""
    sheet: str = ""
    cell: str = ""
    key: str = ""
    row: int | None = None
    column: str = ""
    line: int | None = None

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"ukendt fejlkode {self.code!r}")  # programmer error

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def title(self) -> str:
        return CODES[self.code][1]

    def position(self, with_file: bool = True) -> str:
        """'stamdata.xlsx, ark Tilbud, række 7, kolonne C' / 'indmelding.yaml, linje 12'; '' if none."""
        parts = [self.file] if with_file and self.file else []
        if self.sheet:
            parts.append(f"ark {self.sheet}")
        if self.row is not None:
            parts.append(f"række {self.row}")
        if self.column:
            parts.append(f"kolonne {self.column}")
        if self.cell:
            parts.append(f"celle {self.cell}")
        if self.line is not None:
            parts.append(f"linje {self.line}")
        return ", ".join(parts)

    def text(self, with_file: bool = True) -> str:
        """One Danish line: position, then message. 'ark Tilbud, række 7, kolonne C: driftsherre …'.
        `with_file=False` when the file is already named (as in the exceptions below)."""
        where = self.position(with_file)
        return f"{where}: {self.message}" if where else self.message

    def to_json(self) -> dict:
        """A stable, JSON-ready form (for `--json` output). Always exactly these keys:

        code (str, kebab, from CODES), severity ("fejl" | "advarsel"), title (str, Danish),
        message (str, Danish), file, respondent, skema, sheet, column, cell, key (str, "" if not
        applicable), row, line (int, or None if not applicable)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "file": self.file,
            "respondent": self.respondent,
            "skema": self.skema,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "line": self.line,
            "key": self.key,
        }


def _listing(head: str, issues: list[Issue]) -> str:
    several = len({i.file for i in issues}) > 1  # then each line names its file
    return f"{head} har {len(issues)} fejl:\n" + "\n".join(f"  - {i.text(with_file=several)}" for i in issues)


class SkemaError(Exception):
    """Base: a Danish, user-facing message; the run cannot proceed."""

    def __reduce__(self):
        # Subclasses take other constructor arguments than the message: rebuild from the message and
        # attributes, so an error raised in a worker process reaches the parent intact.
        return _rebuild_error, (self.__class__, str(self), self.__dict__)

    exit_code = 2


class StamdataError(SkemaError):
    """The stamdata workbook is missing, unreadable or inconsistent. Carries every problem as an
    `Issue` with sheet, row and column."""

    def __init__(self, source: str, issues: list[Issue]):
        self.source = source
        self.issues = list(issues)
        super().__init__(_listing(f"Stamdata i {source}", self.issues))


class DefinitionError(SkemaError):
    """A form definition file does not validate. Carries every problem as an `Issue` with file
    and line."""

    def __init__(self, source: str, issues: list[Issue]):
        self.source = source
        self.issues = list(issues)
        super().__init__(_listing(f"Skemadefinitionen {source}", self.issues))


class OutputLockedError(SkemaError):
    """An output file cannot be replaced (typically open in Excel on Windows)."""

    def __init__(self, path):
        self.path = path
        super().__init__(f"Luk filen {path} i Excel og prøv igen (den er låst af et andet program).")


class UsageError(SkemaError):
    """Wrong arguments (bad date, unknown form type)."""


def _rebuild_error(cls: type[SkemaError], message: str, attributes: dict) -> SkemaError:
    err = Exception.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(attributes)
    return err
