"""Field keys (docs/skemaformat.md): '<skema>[.<kind>.<id>]*.<noegle>[.<år>]', and the one register of
the noegler that the code itself reads.

The store parses each key once, when it is written, into structured columns (`KeyParts`); consumers
read those attributes instead of parsing dotted strings. The noegler that key figures, rules,
documents and the demo simulator use are named here, per form, and nowhere else: the required ones
are checked when the definitions load (toolkit/definitions/required.py), so renaming one of them in
a YAML definition fails loudly instead of silently emptying an output."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

FORMS = (
    "indmelding",
    "udmelding",
    "aarsrapport",
    "kommune",
    "panel",
    "hoeringssvar",
)  # the form types: a key's first part
OWN_STEP_FORMS = ("hoeringssvar",)  # written by their own step (skema hoering), not by a plain `skema generer`
KINDS = ("tilbud", "nr", "ydelse", "kommune", "linje")  # the order they appear in a key


@dataclass(frozen=True)
class ParsedKey:
    skema: str
    scope: tuple[tuple[str, str], ...]
    noegle: str
    aar: int | None

    def get(self, kind: str) -> str | None:
        return next((i for k, i in self.scope if k == kind), None)


@lru_cache(maxsize=1 << 16)  # keys repeat for every respondent; ParsedKey is immutable
def parse_key(key: str) -> ParsedKey:
    parts = key.split(".")
    i, scope = 1, []
    while i + 2 < len(parts) and parts[i] in KINDS:  # a kind, its id and at least the noegle
        scope.append((parts[i], parts[i + 1]))
        i += 2
    noegle = parts[i]
    aar = int(parts[i + 1]) if i + 1 < len(parts) and parts[i + 1].isdigit() else None
    return ParsedKey(parts[0], tuple(scope), noegle, aar)


class KeyParts(NamedTuple):
    """A key's structured parts, in the order of the store's columns."""

    skema: str
    tilbud_id: str | None
    nr: str | None
    ydelse_id: str | None
    kommune_id: str | None
    linje: str | None
    noegle: str
    felt_aar: int | None


def key_parts(key: str) -> KeyParts:
    k = parse_key(key)
    ids = dict(k.scope)
    return KeyParts(
        k.skema,
        ids.get("tilbud"),
        ids.get("nr"),
        ids.get("ydelse"),
        ids.get("kommune"),
        ids.get("linje"),
        k.noegle,
        k.aar,
    )


def format_key(parts: KeyParts) -> str:
    """The text key of structured parts (the inverse of `key_parts`)."""
    ids = (parts.tilbud_id, parts.nr, parts.ydelse_id, parts.kommune_id, parts.linje)
    scope = [f"{kind}.{i}" for kind, i in zip(KINDS, ids, strict=True) if i is not None]
    year = [str(parts.felt_aar)] if parts.felt_aar is not None else []
    return ".".join([parts.skema, *scope, parts.noegle, *year])


# --- the noegler the code reads -----------------------------------------------------------------


@dataclass(frozen=True)
class NamedKey:
    skema: str
    noegle: str
    bruges_til: str  # Danish: which output reads it; empty for the demo's own names
    scope: tuple[str, ...] = ()  # kinds the key must carry, e.g. ('ydelse',): one value per ydelse
    aar: tuple[int, ...] = ()  # year offsets the field must ask for, e.g. (-1,): last year

    @property
    def required(self) -> bool:
        return bool(self.bruges_til)


NAMED: list[NamedKey] = []


def _required(skema: str, noegle: str, bruges_til: str, scope: tuple[str, ...] = (), aar: tuple[int, ...] = ()) -> str:
    NAMED.append(NamedKey(skema, noegle, bruges_til, scope, aar))
    return noegle


def _demo(skema: str, noegle: str) -> str:
    """A noegle only the demo simulator fills in: named here, not required of an edited definition."""
    NAMED.append(NamedKey(skema, noegle, ""))
    return noegle


def required_keys() -> list[NamedKey]:
    return [k for k in NAMED if k.required]


_KEYFIGURES = "nøgletal, early warning og høringsmateriale"
_HOERING = "høringsmaterialet og DAS-bilaget"


class Aarsrapport:
    SKEMA = "aarsrapport"
    BELAEGNING = _required(
        SKEMA, "belaegning", _KEYFIGURES + " (belægning pr. ydelse, de sidste 3 år)", ("ydelse",), (-3, -2, -1)
    )
    VENTELISTE = _required(SKEMA, "venteliste", _KEYFIGURES + " (venteliste)")
    LEDIGE_PLADSER = _required(SKEMA, "ledige_pladser", _KEYFIGURES + " (ledige pladser)")
    PLADSTAL = _required(SKEMA, "pladstal", _KEYFIGURES + " (pladstal nu og planlagt)", aar=(0,))
    BEKYMRING = _required(SKEMA, "bekymring", "early warning (driftsherrens bekymring)")
    BUDGETTERET_BELAEGNING = _required(SKEMA, "budgetteret_belaegning", _KEYFIGURES + " (budgetteret belægning)")
    BUDGET = _required(SKEMA, "budget", _HOERING + " (budget sidste år)", aar=(-1,))
    AARSRESULTAT = _required(SKEMA, "aarsresultat", _HOERING + " (årsresultat sidste år)", aar=(-1,))
    TAKST_FORKLARING = _required(SKEMA, "takst_forklaring", _HOERING + " (økonomi)")
    OEKONOMI_BEMAERKNING = _required(SKEMA, "oekonomi_bemaerkning", _HOERING + " (økonomi)")
    UDVIKLING = (
        _required(SKEMA, "faglig_udvikling", _HOERING + " (udvikling)"),
        _required(SKEMA, "metodeudvikling", _HOERING + " (udvikling)"),
        _required(SKEMA, "organisatorisk_udvikling", _HOERING + " (udvikling)"),
    )
    # filled in by the demo only
    FORBRUG = _demo(SKEMA, "forbrug")
    FORBRUG_ANDRE_REGIONER = _demo(SKEMA, "forbrug_andre_regioner")
    TAKST = _demo(SKEMA, "takst")
    BEKYMRING_BEGRUNDELSE = _demo(SKEMA, "bekymring_begrundelse")
    EFTERSPOERGSEL_AFVIGELSE = _demo(SKEMA, "efterspoergsel_afvigelse")


class Kommune:
    SKEMA = "kommune"
    FORVENTET_PLADSER = _required(
        SKEMA, "forventet_pladser", _KEYFIGURES + " (kommunernes forventede brug)", ("tilbud",)
    )
    INGEN_BRUG = _required(SKEMA, "ingen_brug", "early warning (kommuner uden brug)", ("tilbud",))
    BRUG_I_STEDET = _required(
        SKEMA, "brug_i_stedet", "early warning og høringsmaterialet (hvad kommunen bruger i stedet)", ("tilbud",)
    )
    BESKRIVELSER_BEMAERKNING = _required(
        SKEMA, "beskrivelser_bemaerkning", _HOERING + " (kommunernes ønsker)", ("tilbud",)
    )
    INGEN_BRUG_AARSAG = _required(
        SKEMA, "ingen_brug_aarsag", _HOERING + " (årsag til at kommunen ikke bruger tilbuddet)", ("tilbud",)
    )
    OENSKE_OMRAADE = _required(SKEMA, "oenske_omraade", _HOERING + " (kommunernes ønsker)", ("tilbud", "linje"))
    OENSKE_TEKST = _required(SKEMA, "oenske_tekst", _HOERING + " (kommunernes ønsker)", ("tilbud", "linje"))
    # filled in by the demo only
    FORVENTNING_TEKST = _demo(SKEMA, "forventning_tekst")
    BESKRIVELSER_TYDELIGE = _demo(SKEMA, "beskrivelser_tydelige")
    SAMKLANG = _demo(SKEMA, "samklang")


_INDMELDING = "indmelding"
_PANEL = "panel"
_PANELET = "DAS-bilaget (Ekspertpanelets vurdering"
KODE = re.compile(r"[a-z][a-z0-9_]*")  # a criterion's kode in kriterier.yaml: a1, d1, maalgruppe_2
OPFYLDT_SUFFIX = "_opfyldt"
BEGRUNDELSE_SUFFIX = "_begrundelse"


def opfyldt_key(kode: str) -> str:
    """The noegle of a criterion's answer in the indmelding and panel forms: 'a1' -> 'a1_opfyldt'."""
    return f"{kode}{OPFYLDT_SUFFIX}"


def begrundelse_key(kode: str) -> str:
    """The noegle of a criterion's reason: 'a1' -> 'a1_begrundelse'."""
    return f"{kode}{BEGRUNDELSE_SUFFIX}"


def criterion_kode(skema: str, noegle: str, suffix: str = OPFYLDT_SUFFIX) -> str | None:
    """'a1' for the noegle 'a1_opfyldt' (`suffix`: or '_begrundelse') of a criterion field; None for
    any other noegle, the named ones included ('fortsat_opfyldt')."""
    if not noegle.endswith(suffix) or any(k.skema == skema and k.noegle == noegle for k in NAMED):
        return None
    kode = noegle.removesuffix(suffix)
    return kode if KODE.fullmatch(kode) else None


def criterion_keys(kriterier: Iterable[tuple[str, str]], where: str = "") -> list[NamedKey]:
    """The noegler the code reads for each criterion (id, kode) of a criteria set, required of the
    indmelding and panel forms like the named ones; `where` is added to what they are used for."""
    out = []
    for cid, kode in kriterier:
        out += [
            NamedKey(_INDMELDING, opfyldt_key(kode), f"vurderingen af indmeldte tilbud ({cid}{where})", ("nr",)),
            NamedKey(_INDMELDING, begrundelse_key(kode), f"DAS-bilaget ({cid}, begrundelse{where})", ("nr",)),
            NamedKey(_PANEL, opfyldt_key(kode), f"{_PANELET}, {cid}{where})"),
            NamedKey(_PANEL, begrundelse_key(kode), f"{_PANELET}, {cid}, begrundelse{where})"),
        ]
    return out


class Indmelding:
    SKEMA = _INDMELDING
    TILBUDSNAVN = _required(SKEMA, "tilbudsnavn", "vurderingen af indmeldte tilbud", ("nr",))
    NYOPRETTET = _required(SKEMA, "nyoprettet", "vurderingen af indmeldte tilbud (dispensation)", ("nr",))

    # one pair of fields per criterion of the folder's kriterier.yaml (checked when definitions load)
    opfyldt = staticmethod(opfyldt_key)
    begrundelse = staticmethod(begrundelse_key)

    # filled in by the demo only
    INDMELDER = _demo(SKEMA, "indmelder")  # "Nej": nothing to nominate this year (an answer, not a blank form)
    ADRESSE = _demo(SKEMA, "adresse")
    MAALGRUPPE = _demo(SKEMA, "maalgruppe")
    A1_TILFAELDE = _demo(SKEMA, "a1_tilfaelde")
    C1_ALTERNATIVER = _demo(SKEMA, "c1_alternativer")
    C2_OPTAGEOMRAADE = _demo(SKEMA, "c2_optageomraade")
    DISPENSATION_BEGRUNDELSE = _demo(SKEMA, "dispensation_begrundelse")
    FORPLIGTELSER = tuple(_demo(_INDMELDING, f"forpligtelse_{n}") for n in range(1, 7))
    YDELSE_NAVN = _demo(SKEMA, "ydelse_navn")
    PLADSER = _demo(SKEMA, "pladser")
    TAKST = _demo(SKEMA, "takst")


class Udmelding:
    SKEMA = "udmelding"
    OENSKES_UDMELDT = _required(SKEMA, "oenskes_udmeldt", "DAS-bilaget (driftsherrers udmeldinger)", ("tilbud",))
    OENSKES_UDTAGET = _required(SKEMA, "oenskes_udtaget", "DAS-bilaget (kommuners ønsker om udtagning)", ("tilbud",))
    AARSAGER = (
        _required(SKEMA, "karakteristika", "DAS-bilaget (årsager til udmelding)", ("tilbud",)),
        _required(SKEMA, "andre_aarsager", "DAS-bilaget (årsager til udmelding)", ("tilbud",)),
        _required(SKEMA, "aarsag", "DAS-bilaget (årsager til udmelding)", ("tilbud",)),
        _required(SKEMA, "haandtering", "DAS-bilaget (årsager til udmelding)", ("tilbud",)),
    )
    AARSAG = AARSAGER[2]
    KONKURRERENDE_TILBUD = _required(SKEMA, "konkurrerende_tilbud", "DAS-bilaget (konkurrerende tilbud)", ("tilbud",))


class Panel:
    """The panel's own assessment (skabeloner/skemaer/panel.yaml): one block per tilbud in the scheme
    (kind 'tilbud'), per nominated tilbud (kind 'nr', id '<driftsherre>-<nr>') and per withdrawal."""

    SKEMA = _PANEL
    opfyldt = staticmethod(opfyldt_key)  # the same <kode>_opfyldt, <kode>_begrundelse as the indmelding
    begrundelse = staticmethod(begrundelse_key)
    INDSTILLING = _required(SKEMA, "indstilling", "DAS-bilaget (Indstilling til DAS) og rammeaftalens liste")
    INDSTILLING_BEGRUNDELSE = _required(SKEMA, "indstilling_begrundelse", "DAS-bilaget (Indstilling til DAS)")
    FORTSAT_OPFYLDT = _required(SKEMA, "fortsat_opfyldt", "DAS-bilaget (udmelding a: opfylder fortsat kriterierne)")
    FORTSAT_BEGRUNDELSE = _required(SKEMA, "fortsat_begrundelse", "DAS-bilaget (udmelding a: begrundelse)")
    KONSEKVENSER = _required(SKEMA, "konsekvenser", "DAS-bilaget (udmelding b: konsekvenser af udmelding)")
    BAEREDYGTIGHED = _required(SKEMA, "baeredygtighed", "DAS-bilaget (aprilmødets konklusion om bæredygtighed)")
    # the choices of `indstilling` the code reads (the definition's valg must hold them)
    FORTSAETTER = "fortsætter"
    OPTAGES = "optages"
    OPTAGES_IKKE = "optages ikke"
    UDTRAEDER = "udtræder"
    DISPENSATION = "optages på dispensation"
    NOEDSPOR = "nødspor"
    VALG = (FORTSAETTER, UDTRAEDER, NOEDSPOR, OPTAGES, OPTAGES_IKKE, DISPENSATION)  # checked when definitions load


class Hoeringssvar:
    """The aftalepart's hearing reply, one block per tilbud in the hearing material (skema hoering)."""

    SKEMA = "hoeringssvar"
    BEMAERKNING = _required(SKEMA, "bemaerkning", "høringsmaterialet og DAS-bilaget (høringsbemærkninger)", ("tilbud",))
    YDELSER_MATCHER = _required(
        SKEMA, "ydelser_matcher", "høringsmaterialet og DAS-bilaget (matcher ydelserne behovet)", ("tilbud",)
    )
