"""The årshjul for a year with today's state, from stamdata, the store and the output folder."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.consolidate.year import output_dir
from toolkit.rules.criteria import assess_all
from toolkit.rules.cycle import activity_states, aarshjul
from toolkit.consolidate.status import return_status


def year_cycle(store, sd, defs, aar: int, folder: Path, today: dt.date):
    statuses = return_status(sd, defs, aar, store.submissions(aar), today)
    returns: dict[str, tuple[int, int]] = {}
    for s in statuses:
        got, expected = returns.get(s.skema, (0, 0))
        returns[s.skema] = (got + (s.status != "mangler"), expected + 1)
    nominations = None
    if returns.get("indmelding", (0, 0))[0]:
        nominations = len(assess_all(store.current_values(aar, "indmelding")))
    forms_dir = output_dir(folder, aar) / "skemaer"
    sent = {p.name.split("_")[1] for p in forms_dir.glob(f"{aar}_*.xlsx")} if forms_dir.exists() else set()
    return activity_states(aarshjul(sd, aar, nominations), today, returns, sent)
