"""The årshjul for a year with today's state, from stamdata and the store. The forms already sent
are given by the caller (the workspace looks in its output folder)."""

from __future__ import annotations

import datetime as dt

from toolkit.consolidate.status import return_status
from toolkit.rules.criteria import assess_all
from toolkit.rules.cycle import ActivityState, aarshjul, activity_states
from toolkit.statuses import AnswerStatus


def year_cycle(store, sd, defs, aar: int, sent: set[str], today: dt.date) -> list[ActivityState]:
    """`sent`: the form types (skema keys) whose forms have been generated for `aar`."""
    statuses = return_status(sd, defs, aar, store.submissions(aar), today)
    returns: dict[str, tuple[int, int]] = {}
    for s in statuses:
        got, expected = returns.get(s.skema, (0, 0))
        returns[s.skema] = (got + (s.status != AnswerStatus.MANGLER), expected + 1)
    nominations = None
    if returns.get("indmelding", (0, 0))[0]:
        nominations = len(assess_all(defs.kriterier, store.current_values(aar, "indmelding")))
    return activity_states(aarshjul(sd, aar, nominations), today, returns, sent)
