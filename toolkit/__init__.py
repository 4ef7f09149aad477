"""skema: forms, returns and documents for det forstærkede samarbejde om de mest specialiserede
sociale tilbud.

The front door. Everything the command line and the web page use is here::

    from toolkit import Workspace
    ws = Workspace("rammeaftale-2028")          # stamdata, definitions, store and output of a folder
    ws.generate(2028)                            # the forms, one per recipient
    report, _ = ws.ingest(["indbakke"])          # read, validate, archive and store returns
    ws.consolidate(2028)                         # the consolidated workbook

and the stages one by one (`load_stamdata`, `load_definitions`, `generate_forms`, `read_return`,
`ingest`, `consolidate`, `write_bilag`, `aarshjul`, …) for callers that hold their own objects.
Names are imported on first use, so `import toolkit` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # the working folder: every step of the year
    "Workspace": "toolkit.workspace",
    "YearData": "toolkit.workspace",
    "init_workspace": "toolkit.workspace",
    "default_year": "toolkit.workspace",
    # problems and statuses
    "Issue": "toolkit.problems",
    "SkemaError": "toolkit.problems",
    "StamdataError": "toolkit.problems",
    "DefinitionError": "toolkit.problems",
    "UsageError": "toolkit.problems",
    "FileResult": "toolkit.statuses",
    "AnswerStatus": "toolkit.statuses",
    "WriteStatus": "toolkit.statuses",
    # stamdata and definitions
    "Stamdata": "toolkit.stamdata",
    "load_stamdata": "toolkit.stamdata",
    "write_stamdata": "toolkit.stamdata",
    "Skemadefinition": "toolkit.definitions",
    "load_definitions": "toolkit.definitions",
    "load_kriterier": "toolkit.definitions",
    "load_aarshjul": "toolkit.definitions",
    "plan_form": "toolkit.definitions.expand",
    "recipients": "toolkit.definitions.recipients",
    # forms
    "generate_forms": "toolkit.forms.generate",
    "planned_forms": "toolkit.forms.generate",
    "write_form": "toolkit.forms.writer",
    # returns and store
    "read_return": "toolkit.returns.read",
    "check_returns": "toolkit.returns.ingest",
    "ingest": "toolkit.returns.ingest",
    "IngestReport": "toolkit.returns.ingest",
    "Store": "toolkit.store",
    # consolidation
    "year_data": "toolkit.consolidate.year",
    "consolidate": "toolkit.consolidate.year",
    "write_reminder_list": "toolkit.consolidate.year",
    "return_status": "toolkit.consolidate.status",
    # rules (pure)
    "assess_all": "toolkit.rules.criteria",
    "early_warnings": "toolkit.rules.warnings",
    "tilbud_figures": "toolkit.rules.keyfigures",
    "aarshjul": "toolkit.rules.cycle",
    "activity_states": "toolkit.rules.cycle",
    # documents
    "write_hoering": "toolkit.documents.produce",
    "write_rykkere": "toolkit.documents.produce",
    "write_bilag": "toolkit.documents.produce",
    "write_calendar": "toolkit.documents.calendar",
    "convert": "toolkit.documents.pdf",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from toolkit.consolidate.status import return_status
    from toolkit.consolidate.year import consolidate, write_reminder_list, year_data
    from toolkit.definitions import Skemadefinition, load_aarshjul, load_definitions, load_kriterier
    from toolkit.definitions.expand import plan_form
    from toolkit.definitions.recipients import recipients
    from toolkit.documents.calendar import write_calendar
    from toolkit.documents.pdf import convert
    from toolkit.documents.produce import write_bilag, write_hoering, write_rykkere
    from toolkit.forms.generate import generate_forms, planned_forms
    from toolkit.forms.writer import write_form
    from toolkit.problems import DefinitionError, Issue, SkemaError, StamdataError, UsageError
    from toolkit.returns.ingest import IngestReport, check_returns, ingest
    from toolkit.returns.read import read_return
    from toolkit.rules.criteria import assess_all
    from toolkit.rules.cycle import aarshjul, activity_states
    from toolkit.rules.keyfigures import tilbud_figures
    from toolkit.rules.warnings import early_warnings
    from toolkit.stamdata import Stamdata, load_stamdata, write_stamdata
    from toolkit.statuses import AnswerStatus, FileResult, WriteStatus
    from toolkit.store import Store
    from toolkit.workspace import Workspace, YearData, default_year, init_workspace
