"""The bundled Nordjylland example: real municipality names, invented tilbud and people.

`python -m toolkit.stamdata.example` rewrites toolkit/data/stamdata_eksempel.xlsx.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from toolkit.files import slug
from toolkit.stamdata.model import Aftalepart, Driftsherre, Frist, Niveau, Stamdata, Tilbud, Ydelse

KOMMUNER = [  # name, population (rounded)
    ("Aalborg", 222000),
    ("Brønderslev", 36500),
    ("Frederikshavn", 58500),
    ("Hjørring", 64000),
    ("Jammerbugt", 38500),
    ("Læsø", 1750),
    ("Mariagerfjord", 42000),
    ("Morsø", 20000),
    ("Rebild", 30500),
    ("Thisted", 43500),
    ("Vesthimmerland", 36500),
]
FORNAVNE = [
    "Anne",
    "Bjarke",
    "Camilla",
    "Dorthe",
    "Esben",
    "Frida",
    "Gorm",
    "Helle",
    "Ivan",
    "Janne",
    "Kasper",
    "Lone",
    "Mikkel",
    "Nanna",
    "Ole",
    "Pia",
]
EFTERNAVNE = ["Testesen", "Prøvegaard", "Eksempelsen", "Fiktivsen", "Opdigtet", "Modelsen", "Skabelund", "Demoholm"]

TILBUD = [  # id, name, operator id, target group, address, budgeted occupancy, ydelser
    (
        "T01",
        "Center for Tale og Hjerneskade Nord",
        "DH-AAL",
        "Voksne med erhvervet hjerneskade og svære kommunikationsvanskeligheder",
        "Hjernevej 1, 9000 Aalborg",
        95,
        [("Døgnrehabilitering", 14, 4200), ("Dagtilbud", 20, 1650), ("Ambulant taleundervisning", 40, 950)],
    ),
    (
        "T02",
        "Døvblindecenter Nordjylland",
        "DH-RN",
        "Børn og voksne med medfødt eller erhvervet døvblindhed",
        "Følevej 3, 9400 Nørresundby",
        95,
        [("Botilbud, voksne", 18, 5100), ("Aflastning, børn", 6, 4700), ("Rådgivning og udredning", 25, 1200)],
    ),
    (
        "T03",
        "Enheden for Svære Spiseforstyrrelser",
        "DH-RN",
        "Unge og voksne med svære spiseforstyrrelser med behov for højt specialiseret indsats",
        "Kostvej 7, 9800 Hjørring",
        92,
        [("Døgnbehandling", 10, 6200), ("Dagbehandling", 12, 2400)],
    ),
    (
        "T04",
        "Autismecenter Kærvang",
        "DH-JAM",
        "Voksne med svær autisme kombineret med udadreagerende adfærd eller misbrug",
        "Kærvangen 12, 9440 Aabybro",
        96,
        [
            ("Længerevarende botilbud", 22, 4900),
            ("Aflastning", 4, 4600),
            ("Beskyttet beskæftigelse", 16, 900),
            ("Skærmet enkeltmandsprojekt", 3, 9800),
        ],
    ),
    (
        "T05",
        "Bo- og Udviklingscenter Skovly",
        "DH-HJO",
        "Voksne med svær udviklingshæmning og fysisk funktionsnedsættelse",
        "Skovlyvej 20, 9800 Hjørring",
        95,
        [("Længerevarende botilbud", 30, 3900), ("Dagtilbud", 30, 1100)],
    ),
    (
        "T06",
        "Synscenter Limfjord",
        "DH-THI",
        "Børn og voksne med synshandicap og yderligere funktionsnedsættelser",
        "Fjordvej 5, 7700 Thisted",
        90,
        [("Døgnophold", 8, 3800), ("Kursus og rådgivning", 30, 1400), ("Hjælpemiddelafprøvning", 50, 600)],
    ),
    (
        "T07",
        "Børnehuset Fjordglimt",
        "DH-FRE",
        "Særligt skadede spæd- og småbørn og deres familier",
        "Havnegade 9, 9900 Frederikshavn",
        94,
        [("Døgnophold for familier", 6, 7200), ("Familiebehandling, dag", 10, 2100), ("Udredning", 12, 2800)],
    ),
    (
        "T08",
        "Hjerneskadecenter Himmerland",
        "DH-VES",
        "Unge og voksne med svær erhvervet hjerneskade og fysisk funktionsnedsættelse",
        "Himmerlandsvej 44, 9600 Aars",
        93,
        [("Døgnrehabilitering", 12, 4500), ("Neuropædagogisk dagtilbud", 14, 1300)],
    ),
]


# the Nordjylland model has one level: every tilbud is 'Mest specialiseret' (matched by name)
NIVEAUER = [
    Niveau(
        id="N1",
        navn="Mest specialiseret",
        beskrivelse="De mest specialiserede tilbud i det forstærkede samarbejde: lille målgruppe, "
        "høj specialiseringsgrad og fælles forpligtelse for alle kommuner i regionen",
    )
]


def person(i: int) -> str:
    """An invented person's name, the same for the same `i`."""
    return f"{FORNAVNE[i % len(FORNAVNE)]} {EFTERNAVNE[(i * 3) % len(EFTERNAVNE)]}"


def email(person: str, org: str) -> str:
    """'Anne Testesen', 'Aalborg' -> anne.testesen@aalborg.example.invalid"""
    first, last = person.split()
    return f"{slug(first)}.{slug(last)}@{slug(org).replace('_', '-')}.example.invalid"


def parties(
    kommuner: list[tuple[str, str, int]], region: tuple[str, str, int]
) -> tuple[list[Aftalepart], list[Driftsherre]]:
    """The aftaleparter and their driftsherrer: every kommune (id, name, population) and the region
    (id, 'Region …', population), with invented contact people."""
    parter, driftsherrer = [], []
    for i, (kid, navn, pop) in enumerate(kommuner):
        p = person(i)
        parter.append(
            Aftalepart(
                id=kid,
                navn=f"{navn} Kommune",
                type="kommune",
                kontaktperson=p,
                email=email(p, navn),
                telefon=f"+45 00 00 {10 + i:02d} 00",
                indbyggere=pop,
            )
        )
        d = person(i + 5)
        driftsherrer.append(
            Driftsherre(
                id=f"DH-{slug(navn)[:3].upper()}",
                navn=f"{navn} Kommune",
                aftalepart_id=kid,
                kontaktperson=d,
                email=email(d, navn + " drift"),
                telefon=f"+45 00 00 {10 + i:02d} 50",
            )
        )
    rid, rnavn, rpop = region
    p, d = person(len(kommuner)), person(len(kommuner) + 2)
    parter.append(
        Aftalepart(
            id=rid,
            navn=rnavn,
            type="region",
            kontaktperson=p,
            email=email(p, rid.lower()),
            telefon="+45 00 00 99 00",
            indbyggere=rpop,
        )
    )
    driftsherrer.append(
        Driftsherre(
            id=f"DH-{rid}",
            navn=rnavn,
            aftalepart_id=rid,
            kontaktperson=d,
            email=email(d, rid.lower() + " drift"),
            telefon="+45 00 00 99 50",
        )
    )
    return parter, driftsherrer


def tilbud_with_ydelser(
    tid: str,
    navn: str,
    driftsherre: str,
    maalgruppe: str,
    adresse: str,
    budget: float,
    ydelser: Sequence[tuple[str, float, float]],
    *,
    omfattet_fra: int,
    niveau: str,
    aar: int,
) -> tuple[Tilbud, list[Ydelse]]:
    """One tilbud with invented links and its ydelser (name, pladstal, takst), ids '<tilbud>-Y<n>'."""
    base = f"https://tilbud.example.invalid/{slug(navn).replace('_', '-')}"
    tilbud = Tilbud(
        id=tid,
        navn=navn,
        driftsherre_id=driftsherre,
        adresse=adresse,
        maalgruppe=maalgruppe,
        omfattet_fra=omfattet_fra,
        omfattet_til=None,
        ydelseskatalog_url=f"{base}/ydelseskatalog",
        servicedeklaration_url=f"{base}/servicedeklaration",
        tilsynsrapport_url=f"{base}/tilsynsrapport-{aar - 1}",
        specialiseringsniveau=niveau,
        budgetteret_belaegning=budget,
    )
    rows = [
        Ydelse(
            id=f"{tid}-Y{j}",
            tilbud_id=tid,
            navn=ynavn,
            pladstal=pladser,
            takst=takst,
            enhed="døgn" if "døgn" in ynavn.lower() or "bo" in ynavn.lower() else "dag",
        )
        for j, (ynavn, pladser, takst) in enumerate(ydelser, start=1)
    ]
    return tilbud, rows


KOMMUNE_IDS = {
    "Aalborg": "K851",
    "Brønderslev": "K810",
    "Frederikshavn": "K813",
    "Hjørring": "K860",
    "Jammerbugt": "K849",
    "Læsø": "K825",
    "Mariagerfjord": "K846",
    "Morsø": "K773",
    "Rebild": "K840",
    "Thisted": "K787",
    "Vesthimmerland": "K820",
}


def example_stamdata(aar: int = 2027) -> Stamdata:
    parter, driftsherrer = parties(
        [(KOMMUNE_IDS[navn], navn, pop) for navn, pop in KOMMUNER], ("RN", "Region Nordjylland", 590000)
    )
    tilbud, ydelser = [], []
    for n, (tid, navn, dh, mg, adr, budget, ys) in enumerate(TILBUD):
        t, rows = tilbud_with_ydelser(
            tid, navn, dh, mg, adr, budget, ys, omfattet_fra=2019 + (n % 4), niveau="Mest specialiseret", aar=aar
        )
        tilbud.append(t)
        ydelser += rows
    frister = []
    for y in (aar, aar + 1):
        frister += [
            Frist(skema="indmelding", dato=dt.date(y, 3, 1)),
            Frist(skema="udmelding", dato=dt.date(y, 3, 1)),
            Frist(skema="aarsrapport", dato=dt.date(y, 4, 15)),
            Frist(skema="kommune", dato=dt.date(y, 3, 15)),
        ]
    sek = person(7)
    return Stamdata(
        indstillinger={
            "region": "Nordjylland",
            "sekretariat": "Sekretariat for Rammeaftaler, Nordjylland",
            "sekretariat_email": "rammeaftaler@sekretariat.example.invalid",
            "sekretariat_telefon": "+45 00 00 00 00",
            "sekretariat_kontaktperson": sek,
            # the defaults of rules/period.py and rules/warnings.py, written out so the secretariat sees them
            "aftaleperiode_start": 2028,
            "ew_belaegning_margin": 0,
            "ew_fald_min": 5,
            "ew_afvigelse_pct": 20,
            "ew_venteliste_vaekst": 1,
            "indmelding_antal_tilbud": 2,
        },
        aftaleparter=parter,
        driftsherrer=driftsherrer,
        tilbud=tilbud,
        ydelser=ydelser,
        frister=frister,
        niveauer=NIVEAUER,
    )


if __name__ == "__main__":
    from toolkit.stamdata.write import write_stamdata

    out = Path(__file__).resolve().parent.parent / "data" / "stamdata_eksempel.xlsx"
    write_stamdata(example_stamdata(), out)
    print(out)
