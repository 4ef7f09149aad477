"""The årshjul for a year with today's state, from stamdata and the store. The forms already sent
are given by the caller (the workspace looks in its output folder)."""

from __future__ import annotations

import datetime as dt

from toolkit.consolidate.status import return_status
from toolkit.definitions.aarshjul import Aarshjul
from toolkit.definitions.kriterier import Kriteriesaet
from toolkit.fieldkeys import Indmelding
from toolkit.rules.criteria import assess_all
from toolkit.rules.cycle import ActivityState, aarshjul, activity_date, activity_states
from toolkit.statuses import AnswerStatus


def year_cycle(store, sd, defs, aar: int, sent: set[str], today: dt.date) -> list[ActivityState]:
    """`sent`: the form types (skema keys) whose forms have been generated for `aar`."""
    statuses = return_status(sd, defs, aar, store.submissions(aar), today)
    returns: dict[str, tuple[int, int]] = {}
    for s in statuses:
        got, expected = returns.get(s.skema, (0, 0))
        returns[s.skema] = (got + (s.status != AnswerStatus.MANGLER), expected + 1)
    return activity_states(
        aarshjul(sd, defs.aarshjul, aar, _nominations(store, sd, defs.kriterier, defs.aarshjul, aar, returns, today)),
        today,
        returns,
        sent,
    )


def _nominations(
    store, sd, kriterier: Kriteriesaet, model: Aarshjul, aar: int, returns: dict[str, tuple[int, int]], today: dt.date
) -> int | None:
    """How many tilbud were nominated, when that is known: as soon as one is, but "none" only when every
    driftsherre has answered or the indmelding deadline has passed (others may still nominate)."""
    got, expected = returns.get(Indmelding.SKEMA, (0, 0))
    if not got:
        return None
    n = len(assess_all(kriterier, store.current_values(aar, Indmelding.SKEMA)))
    if n or got >= expected or today > activity_date(sd, model, aar, Indmelding.SKEMA):
        return n
    return None
