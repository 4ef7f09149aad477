"""The criteria set (kriterier.yaml in the definitions folder): the criteria with their codes and
texts, the categories and the rule that combines each category's criteria, which categories a tilbud
must meet to be recommended, and when a dispensation may be offered. The Nordjylland model (Tabel 2)
is the bundled file; rules/criteria.py assesses against whatever set it is given."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from toolkit.fieldkeys import Indmelding

REGLER = {"mindst_en": "mindst ét", "alle": "alle"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kriterium(_Strict):
    id: str = Field(min_length=1)  # "A.1"
    kode: str = Field(min_length=1)  # "a1": the form fields <kode>_opfyldt, <kode>_begrundelse
    tekst: str = Field(min_length=1)


class Kategori(_Strict):
    id: str = Field(min_length=1)  # "A"
    navn: str = Field(min_length=1)
    kriterier: tuple[str, ...] = Field(min_length=1)  # criterion ids
    regel: Literal["mindst_en", "alle"]


class Dispensation(_Strict):
    hvis_nyoprettet: bool = True  # only a newly established tilbud may be offered a dispensation
    mangler_hoejst: tuple[str, ...] | None = None  # the categories that may be unmet (None: any)


class Kriteriesaet(_Strict):
    kriterier: tuple[Kriterium, ...] = Field(min_length=1)
    kategorier: tuple[Kategori, ...] = Field(min_length=1)
    indstilles_kraever: tuple[str, ...] | None = None  # categories needed for "indstilles" (None: all)
    dispensation: Dispensation | None = None  # None: no dispensation is ever offered

    def koder(self, kategori: str) -> tuple[str, ...]:
        """The criterion codes of a category, in its order."""
        by_id = {k.id: k.kode for k in self.kriterier}
        return tuple(by_id[i] for i in self.kategori(kategori).kriterier)

    def kategori(self, kategori: str) -> Kategori:
        return next(c for c in self.kategorier if c.id == kategori)

    def alle_koder(self) -> tuple[str, ...]:
        return tuple(c for k in self.kategorier for c in self.koder(k.id))

    def etiket(self, kode: str) -> str:
        """'a1' -> 'A.1'."""
        return next((k.id for k in self.kriterier if k.kode == kode), kode)

    def kraevede(self) -> tuple[str, ...]:
        return self.indstilles_kraever if self.indstilles_kraever is not None else tuple(k.id for k in self.kategorier)

    def regel_tekst(self, kategori: str) -> str:
        """What must hold for the category, as the texts say it: 'mindst ét', 'B.1', 'både C.1 og C.2'."""
        kat = self.kategori(kategori)
        ids = list(kat.kriterier)
        if len(ids) == 1:
            return ids[0]
        if kat.regel == "mindst_en":
            return "mindst ét"
        if len(ids) == 2:
            return f"både {ids[0]} og {ids[1]}"
        return f"alle af {', '.join(ids[:-1])} og {ids[-1]}"


def cross_check(saet: Kriteriesaet) -> list[tuple[tuple, str]]:
    """References inside the set that do not resolve: (location in the file, Danish message)."""
    out: list[tuple[tuple, str]] = []
    ids = [k.id for k in saet.kriterier]
    for i, k in enumerate(saet.kriterier):
        if ids.index(k.id) != i:
            out.append((("kriterier", i, "id"), f"kriteriet '{k.id}' står der to gange"))
        if k.kode not in Indmelding.KRITERIER:
            known = ", ".join(Indmelding.KRITERIER)
            out.append((("kriterier", i, "kode"), f"koden '{k.kode}' har ingen felter i skemaerne (kendte: {known})"))
    cats = [c.id for c in saet.kategorier]
    used: dict[str, str] = {}
    for i, c in enumerate(saet.kategorier):
        if cats.index(c.id) != i:
            out.append((("kategorier", i, "id"), f"kategorien '{c.id}' står der to gange"))
        for j, kid in enumerate(c.kriterier):
            if kid not in ids:
                out.append((("kategorier", i, "kriterier", j), f"kategori {c.id} nævner det ukendte kriterium '{kid}'"))
            elif kid in used:
                out.append(
                    (("kategorier", i, "kriterier", j), f"kriteriet '{kid}' hører allerede til kategori {used[kid]}")
                )
            else:
                used[kid] = c.id
    for i, kid in enumerate(ids):
        if kid not in used:
            out.append((("kriterier", i, "id"), f"kriteriet '{kid}' hører ikke til nogen kategori"))
    for field, refs in (
        (("indstilles_kraever",), saet.indstilles_kraever or ()),
        (("dispensation", "mangler_hoejst"), (saet.dispensation and saet.dispensation.mangler_hoejst) or ()),
    ):
        for j, cid in enumerate(refs):
            if cid not in cats:
                out.append(((*field, j), f"ukendt kategori '{cid}' (kendte: {', '.join(cats)})"))
    return out
