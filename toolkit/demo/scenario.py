"""What the demo's simulated respondents do, per bundled example: who nominates which tilbud and how
it meets the criteria, which årsrapport shows which early-warning signal, who does not answer, who
sends a corrected version, what the hearing replies say and how the expert panel assesses. Chosen so
that each example's demo shows every signal and every outcome of the assessment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.fieldkeys import Panel


@dataclass(frozen=True)
class Scenario:
    # nominations (driftsherre id -> the first block's answers); outcomes: indstilles / dispensation /
    # ikke / mangler svar
    nomineringer: dict[str, dict[str, Any]]
    # årsrapport per tilbud: belægning offsets from budget for the last three years, waiting list growth,
    # the operator's own concern
    aarsrapport: dict[str, dict[str, Any]]
    lav_efterspoergsel: dict[str, float]  # tilbud -> share of the places the municipalities expect to use
    ingen_brug: dict[tuple[str, str], str]  # (tilbud, kommune) -> what the kommune uses instead
    ingen_brug_aarsag: str
    udmelding: dict[tuple[str, str], str]  # (kommune, tilbud) -> why it asks for the tilbud's withdrawal
    mangler: dict[str, set[str]]  # form -> who does not answer (the demo's rykkere)
    rettet: str  # the kommune that sends a corrected version of its kommune form
    # hearing: (aftalepart, tilbud) -> (ydelser_matcher, bemaerkning); "" leaves the field empty
    hoering_svar: dict[tuple[str, str], tuple[str, str]]
    hoering_mangler: set[str]
    # arrives by mail instead of the form: (part, tilbud) -> (matcher, remark, begrundelse)
    hoering_pr_mail: dict[tuple[str, str], tuple[str, str, str]]
    # the panel: nominations by driftsherre -> (Ja/Nej per criterion, proposal); tilbud in the scheme
    # that differ from all-Ja / fortsætter
    panel_indmeldt: dict[str, tuple[dict[str, str], str]] = field(default_factory=dict)
    panel_tilbud: dict[str, tuple[dict[str, str], str]] = field(default_factory=dict)


NORDJYLLAND = Scenario(
    nomineringer={
        "DH-AAL": dict(
            tilbudsnavn="Specialenheden for Sjældne Syndromer",
            nyoprettet="Nej",
            a1="Ja",
            a2="Ja",
            a3="Nej",
            b1="Ja",
            c1="Ja",
            c2="Ja",
        ),
        "DH-RN": dict(
            tilbudsnavn="Ungeenheden for Komplekse Spiseforstyrrelser",
            nyoprettet="Ja",
            a1="Nej",
            a2="Ja",
            a3="Ja",
            b1="Ja",
            c1="Ja",
            c2="Nej",
        ),
        "DH-HJO": dict(
            tilbudsnavn="Bostedet Lindely", nyoprettet="Nej", a1="Nej", a2="Ja", a3="Nej", b1="Nej", c1="Ja", c2="Ja"
        ),
        "DH-THI": dict(
            tilbudsnavn="Kommunikationscentret Vest",
            nyoprettet="Nej",
            a1="Ja",
            a2="Nej",
            a3="Nej",
            b1="Ja",
            c1=None,
            c2="Ja",
        ),
    },
    aarsrapport={
        "T01": dict(trend=(1, 2, 1)),
        "T02": dict(trend=(-2, -4, -9)),  # under budget
        "T03": dict(trend=(6, 0, -6)),  # falling trend (and under budget)
        "T04": dict(trend=(2, 1, 2), venteliste_vaekst=4),  # growing waiting list
        "T05": dict(trend=(0, 1, 0), bekymring=True),  # the operator's own concern
        "T06": dict(trend=(1, 0, 1)),
        "T07": dict(trend=(0, 2, 1)),
        "T08": dict(trend=(1, 1, 2)),
    },
    lav_efterspoergsel={"T06": 0.45},  # municipalities expect far less use than places
    ingen_brug={("T07", "K825"): "Køber tilsvarende ydelse i Region Midtjylland"},
    ingen_brug_aarsag="Kommunens få borgere i målgruppen bor nærmere et tilsvarende tilbud i Region Midtjylland.",
    udmelding={("K825", "T06"): "Læsø Kommune har ikke haft borgere i målgruppen i fem år."},
    mangler={"kommune": {"K773", "K840"}, "aarsrapport": {"T08"}},
    rettet="K851",
    hoering_svar={
        ("K851", "T01"): ("Ja", "Vi bakker op om tilbuddets fortsatte deltagelse; ventetiden er rimelig."),
        ("K851", "T03"): ("Delvist", "Vi mangler et ambulant forløb for unge over 18 år efter udskrivning."),
        ("K810", "T02"): ("Ja", ""),
        ("K813", "T04"): ("Nej", "Ventelisten er for lang til vores behov; vi ønsker flere pladser til unge."),
        ("K860", "T05"): ("Delvist", "Driftsherrens bekymring deles: vi har hjemtaget to borgere i år."),
        ("K849", "T01"): ("Ja", ""),
        ("K825", "T06"): (
            "Nej",
            "Læsø Kommune har ikke haft borgere i målgruppen i fem år & ønsker tilbuddet udtaget.",
        ),
        ("K846", "T07"): ("Ja", "Samarbejdet om overgange fungerer godt."),
        ("K787", "T03"): ("Ja", ""),
        ("K820", "T08"): ("Delvist", "Årsrapporten mangler; vi kan ikke vurdere tilbuddet uden den."),
        ("RN", "T02"): ("Ja", "Regionen som driftsherre har ingen bemærkninger ud over årsrapporten."),
    },
    hoering_mangler={"K773", "K840"},  # they answer neither the kommune form nor the hearing
    hoering_pr_mail={
        ("K851", "T06"): (
            "Delvist",
            "Eftersendt: vi bruger tilbuddet sjældnere end forventet.",
            "modtaget pr. mail 3. maj",
        ),
    },
    panel_indmeldt={
        "DH-AAL": (dict(a1="Ja", a2="Ja", a3="Nej", b1="Ja", c1="Ja", c2="Ja"), Panel.OPTAGES),
        "DH-RN": (dict(a1="Nej", a2="Ja", a3="Ja", b1="Ja", c1="Ja", c2="Nej"), Panel.DISPENSATION),
        # B.1: the panel disagrees with the driftsherre
        "DH-HJO": (dict(a1="Nej", a2="Ja", a3="Nej", b1="Ja", c1="Ja", c2="Ja"), Panel.OPTAGES),
        "DH-THI": (dict(a1="Ja", a2="Nej", a3="Nej", b1="Ja", c1="Nej", c2="Ja"), Panel.OPTAGES_IKKE),
    },
    panel_tilbud={"T06": (dict(c2="Nej"), Panel.NOEDSPOR)},
)

SJAELLAND = Scenario(
    nomineringer={
        "DH-RS": dict(
            tilbudsnavn="Specialenheden for Sjældne Neurologiske Lidelser",
            nyoprettet="Nej",
            a1="Ja",
            a2="Ja",
            a3="Nej",
            b1="Ja",
            c1="Ja",
            c2="Ja",
        ),
        "DH-ROS": dict(
            tilbudsnavn="Ungeenheden Havblik",
            nyoprettet="Ja",
            a1="Nej",
            a2="Ja",
            a3="Ja",
            b1="Ja",
            c1="Ja",
            c2="Nej",
        ),
        "DH-HOL": dict(
            tilbudsnavn="Bostedet Egeskov", nyoprettet="Nej", a1="Nej", a2="Ja", a3="Nej", b1="Nej", c1="Ja", c2="Ja"
        ),
        "DH-KAL": dict(
            tilbudsnavn="Kommunikationscentret Kalundborg",
            nyoprettet="Nej",
            a1="Ja",
            a2="Nej",
            a3="Nej",
            b1="Ja",
            c1=None,
            c2="Ja",
        ),
    },
    aarsrapport={
        "S01": dict(trend=(1, 2, 1)),
        "S02": dict(trend=(-2, -4, -9)),  # under budget
        "S03": dict(trend=(6, 0, -6)),  # falling trend (and under budget)
        "S04": dict(trend=(2, 1, 2), venteliste_vaekst=4),  # growing waiting list
        "S05": dict(trend=(0, 1, 0), bekymring=True),  # the operator's own concern
        "S06": dict(trend=(1, 0, 2)),
        "S07": dict(trend=(1, 0, 1)),
        "S08": dict(trend=(0, 2, 1)),
        "S09": dict(trend=(1, 1, 2)),
    },
    lav_efterspoergsel={"S07": 0.45},
    ingen_brug={("S08", "K336"): "Køber tilsvarende ydelse i Region Hovedstaden"},
    ingen_brug_aarsag="Kommunens få borgere i målgruppen bor nærmere et tilsvarende tilbud i Region Hovedstaden.",
    udmelding={("K336", "S07"): "Stevns Kommune har ikke haft borgere i målgruppen i fem år."},
    mangler={"kommune": {"K360", "K350"}, "aarsrapport": {"S09"}},
    rettet="K265",
    hoering_svar={
        ("K265", "S01"): ("Ja", "Vi bakker op om tilbuddets fortsatte deltagelse; ventetiden er rimelig."),
        ("K265", "S06"): ("Delvist", "Niveauskiftet giver mening; vi ønsker fortsat adgang til døgnbehandling."),
        ("K253", "S02"): ("Ja", ""),
        ("K370", "S04"): ("Nej", "Ventelisten er for lang til vores behov; vi ønsker flere pladser til unge."),
        ("K316", "S05"): ("Delvist", "Driftsherrens bekymring deles i klyngen: vi har hjemtaget to borgere i år."),
        ("K330", "S03"): ("Ja", ""),
        ("K336", "S07"): (
            "Nej",
            "Stevns Kommune har ikke haft borgere i målgruppen i fem år & ønsker tilbuddet udtaget.",
        ),
        ("K376", "S08"): ("Ja", "Samarbejdet om overgange fungerer godt."),
        ("K259", "S09"): ("Delvist", "Årsrapporten mangler; vi kan ikke vurdere tilbuddet uden den."),
        ("K340", "S02"): ("Ja", ""),
        ("RS", "S01"): ("Ja", "Regionen som driftsherre har ingen bemærkninger ud over årsrapporten."),
    },
    hoering_mangler={"K360", "K350"},
    hoering_pr_mail={
        ("K265", "S07"): (
            "Delvist",
            "Eftersendt: vi bruger tilbuddet sjældnere end forventet.",
            "modtaget pr. mail 8. maj",
        ),
    },
    panel_indmeldt={
        "DH-RS": (dict(a1="Ja", a2="Ja", a3="Nej", b1="Ja", c1="Ja", c2="Ja"), Panel.OPTAGES),
        "DH-ROS": (dict(a1="Nej", a2="Ja", a3="Ja", b1="Ja", c1="Ja", c2="Nej"), Panel.DISPENSATION),
        "DH-HOL": (dict(a1="Nej", a2="Ja", a3="Nej", b1="Ja", c1="Ja", c2="Ja"), Panel.OPTAGES),
        "DH-KAL": (dict(a1="Ja", a2="Nej", a3="Nej", b1="Ja", c1="Nej", c2="Ja"), Panel.OPTAGES_IKKE),
    },
    panel_tilbud={"S07": (dict(c2="Nej"), Panel.NOEDSPOR)},
)

SCENARIER = {"nordjylland": NORDJYLLAND, "sjaelland": SJAELLAND}
