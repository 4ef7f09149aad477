"""Find a respondent the way a person types it: an id or a name, in any case, with or without
"Kommune"; a near miss gets suggestions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from toolkit.danish import opremsning
from toolkit.problems import UsageError
from toolkit.stamdata.model import Stamdata


@dataclass(frozen=True)
class Respondent:
    id: str
    navn: str

    def __str__(self) -> str:
        return f"{self.navn} ({self.id})" if self.navn and self.navn != self.id else self.id


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def known_respondents(sd: Stamdata, stored: dict[str, str] | None = None) -> list[Respondent]:
    """Everyone who answers a form: aftaleparter, driftsherrer and tilbud from stamdata, and the ids a
    store holds (`stored`: id -> name, for respondents no longer in stamdata)."""
    out = {p.id: Respondent(p.id, p.navn) for p in sd.aftaleparter}
    out.update({d.id: Respondent(d.id, d.navn) for d in sd.driftsherrer if d.id not in out})
    out.update({t.id: Respondent(t.id, t.navn) for t in sd.tilbud if t.id not in out})
    for rid, navn in (stored or {}).items():
        out.setdefault(rid, Respondent(rid, navn or rid))
    return list(out.values())


def find_respondents(text: str, known: list[Respondent]) -> list[Respondent]:
    """The respondents `text` names: an id or a name in any case, a kommune also without "Kommune"
    ('læsø' finds Læsø Kommune). A name shared by several ids (a kommune that is also a driftsherre)
    gives all of them. Nothing found: UsageError with the closest ids and names."""
    t = _norm(text)
    hits = [r for r in known if _norm(r.id) == t]
    if not hits:
        hits = [r for r in known if t in (_norm(r.navn), _norm(r.navn).removesuffix(" kommune"))]
    if hits:
        return hits
    by_key: dict[str, list[Respondent]] = {}
    for r in known:
        for key in dict.fromkeys((_norm(r.id), _norm(r.navn))):
            by_key.setdefault(key, []).append(r)
    close = difflib.get_close_matches(t, list(by_key), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(str(r) for c in close for r in by_key[c]))[:4]
    if suggestions:
        hint = f" Mente du {opremsning(suggestions, 'eller')}?"
    else:
        hint = " Angiv et id (fx K851 eller T03) eller et navn."
    raise UsageError(f"Ukendt respondent '{text.strip()}'.{hint}")
