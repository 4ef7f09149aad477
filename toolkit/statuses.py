"""The statuses that cross stages, as enums. Their values are the Danish words users see and the
strings stored in the database, so `FileResult.NY == "ny"` holds and old databases still read."""

from __future__ import annotations

from enum import Enum


class _Status(str, Enum):
    def __str__(self) -> str:
        return self.value


class FileResult(_Status):
    """What happened to one received file (`skema indlaes`, `skema tjek`)."""

    NY = "ny"  # stored; the first answer from this respondent to this form
    ERSTATTER = "erstatter"  # stored; replaces an earlier answer, which stays in the history
    AELDRE = "ældre version"  # stored in the history only: the current answer was saved later
    ALLEREDE = "allerede indlæst"  # the same bytes were read before: nothing changed
    AFVIST = "afvist"  # refused (guard, unknown form, manipulated …); archived and recorded
    SPRUNGET_OVER = "sprunget over"  # not a spreadsheet, a lock file: not read at all
    GYLDIG = "gyldig"  # checked only (`skema tjek`): valid
    FEJL = "fejl"  # checked only: readable, with errors


class AnswerStatus(_Status):
    """The state of one respondent's answer to one form in a year."""

    GYLDIG = "gyldig"
    FEJL = "fejl"
    AFVIST = "afvist"
    MANGLER = "mangler"


class WriteStatus(_Status):
    """What happened to one output file."""

    SKREVET = "skrevet"
    FINDES = "findes allerede"
