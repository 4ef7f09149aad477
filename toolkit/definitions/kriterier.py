"""The criteria set (kriterier.yaml in the definitions folder): the criteria with their codes and
texts, the categories and the rule that combines each category's criteria, which categories a tilbud
must meet to be recommended, and when a dispensation may be offered. The Nordjylland model (Tabel 2)
is the bundled file; rules/criteria.py assesses against whatever set it is given."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from toolkit.danish import format_tal, opremsning
from toolkit.fieldkeys import KODE

REGLER = {"mindst_en": "mindst ét", "alle": "alle"}
TALORD = {2: "begge", 3: "alle tre", 4: "alle fire", 5: "alle fem"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kriterium(_Strict):
    id: str = Field(min_length=1)  # "A.1"
    kode: str = Field(min_length=1)  # "a1": the form fields <kode>_opfyldt, <kode>_begrundelse (checked on load)
    tekst: str = Field(min_length=1)
    # an indication of the target group's size: about one case a year per this many inhabitants
    # (A.1: 40000); the texts give the figure for the region's population ({indikation.A.1})
    indikation_pr_indbyggere: int | None = Field(default=None, ge=1)

    def indikation(self, indbyggere: int) -> str:
        """'ca. 15 tilfælde årligt i regionen (ca. 1 pr. 40.000 indbyggere)' for 590.000 inhabitants."""
        per = self.indikation_pr_indbyggere
        if per is None:
            return ""
        n = round(indbyggere / per)
        if n < 1:
            return f"ca. 1 tilfælde årligt pr. {format_tal(per, 0)} indbyggere"
        return f"ca. {format_tal(n, 0)} tilfælde årligt i regionen (ca. 1 pr. {format_tal(per, 0)} indbyggere)"


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

    def betingelse(self, kategori: str) -> str:
        """What the category needs, in full: 'mindst ét af A.1, A.2 og A.3', 'B.1', 'både C.1 og C.2'."""
        kat = self.kategori(kategori)
        ids = list(kat.kriterier)
        if len(ids) == 1:
            return ids[0]
        if kat.regel == "mindst_en":
            return f"mindst ét af {opremsning(ids)}"
        return f"både {ids[0]} og {ids[1]}" if len(ids) == 2 else f"alle af {opremsning(ids)}"

    def regel(self, das: str) -> str:
        """The rule as the forms' guidance says it, written from the set: which categories are needed,
        what each needs and when a dispensation may be offered (`das`: the body that agrees to it)."""
        alle = [k.id for k in self.kategorier]
        kraevede = list(self.kraevede())
        if kraevede == alle and len(alle) > 1:
            antal = TALORD.get(len(alle), f"alle {len(alle)}")
            out = [f"Et tilbud skal opfylde {antal} kategorier {opremsning(alle)} for at blive indstillet."]
        else:
            ord_ = "kategori" if len(kraevede) == 1 else "kategorierne"
            out = [f"Et tilbud skal opfylde {ord_} {opremsning(kraevede)} for at blive indstillet."]
            rest = [k for k in alle if k not in kraevede]
            if rest:
                ord_ = "Kategori" if len(rest) == 1 else "Kategorierne"
                out.append(f"{ord_} {opremsning(rest)} vurderes, men er ikke et krav.")
        for kat in self.kategorier:
            ids = list(kat.kriterier)
            cond = self.betingelse(kat.id)
            if kat.regel == "mindst_en" and len(ids) > 1:
                cond = f"mindst ét af kriterierne {opremsning(ids)}"
            out.append(f"Kategori {kat.id} ({kat.navn.lower()}) er opfyldt, hvis {cond} er opfyldt.")
        d = self.dispensation
        if d is None:
            out.append("Der gives ikke dispensation fra kriterierne.")
        else:
            hvem = "Et nyoprettet tilbud" if d.hvis_nyoprettet else "Et tilbud"
            if d.mangler_hoejst is None or set(kraevede) <= set(d.mangler_hoejst):
                uden = "uden at opfylde alle kategorier"
            else:
                mangler = [k for k in kraevede if k in d.mangler_hoejst]
                uden = f"selv om kategori {opremsning(mangler, og='eller')} ikke er opfyldt"
            out.append(f"{hvem} kan undtagelsesvis omfattes {uden}, hvis der er enighed i {das} om behovet.")
        return " ".join(out)

    def liste(self, indbyggere: int) -> str:
        """The criteria one after another, each with its id and text, and an indication where the set
        has one ({indikation.A.1} figures from `indbyggere`)."""
        out = []
        for k in self.kriterier:
            tekst = k.tekst.rstrip(".")
            if k.indikation_pr_indbyggere:
                tekst += f" (indikation: {k.indikation(indbyggere).replace(' (', ', ').rstrip(')')})"
            out.append(f"{k.id} {tekst}.")
        return " ".join(out)


def cross_check(saet: Kriteriesaet) -> list[tuple[tuple, str]]:
    """References inside the set that do not resolve: (location in the file, Danish message)."""
    out: list[tuple[tuple, str]] = []
    ids = [k.id for k in saet.kriterier]
    codes = [k.kode for k in saet.kriterier]
    for i, k in enumerate(saet.kriterier):
        if ids.index(k.id) != i:
            out.append((("kriterier", i, "id"), f"kriteriet '{k.id}' står der to gange"))
        if not KODE.fullmatch(k.kode):
            out.append(
                (
                    ("kriterier", i, "kode"),
                    f"koden '{k.kode}' skal være små bogstaver, tal og _ og begynde med et bogstav (fx d1); "
                    "skemaernes felter hedder <kode>_opfyldt og <kode>_begrundelse",
                )
            )
        elif codes.index(k.kode) != i:
            out.append((("kriterier", i, "kode"), f"koden '{k.kode}' står der to gange"))
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
