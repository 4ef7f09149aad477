"""The second bundled example, Region Sjælland: the 17 real municipalities with their approximate
populations, invented tilbud on the three levels of the "dynamiske tredeling" (the region's paper in
the seeds: very specialised tilbud with a strong mutual obligation, specialised tilbud run in clusters
of municipalities, general tilbud each municipality runs), a tilbud that moves level in 2028, two
clusters and invented people on example.invalid.

`python -m toolkit.stamdata.example_sjaelland` rewrites toolkit/data/sjaelland/stamdata.xlsx.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.stamdata.example import email, parties, person, tilbud_with_ydelser
from toolkit.stamdata.model import Frist, Klynge, Niveau, Niveauskift, Stamdata

FOLDER = Path(__file__).resolve().parent.parent / "data" / "sjaelland"

KOMMUNER = [  # id (kommunekode), name, population (rounded, 2025)
    ("K320", "Faxe", 38000),
    ("K253", "Greve", 51000),
    ("K376", "Guldborgsund", 60000),
    ("K316", "Holbæk", 73000),
    ("K326", "Kalundborg", 48500),
    ("K259", "Køge", 63000),
    ("K350", "Lejre", 29000),
    ("K360", "Lolland", 40000),
    ("K370", "Næstved", 84500),
    ("K306", "Odsherred", 33000),
    ("K329", "Ringsted", 36500),
    ("K265", "Roskilde", 91000),
    ("K330", "Slagelse", 80000),
    ("K269", "Solrød", 24500),
    ("K340", "Sorø", 30500),
    ("K336", "Stevns", 23000),
    ("K390", "Vordingborg", 45500),
]
REGION = ("RS", "Region Sjælland", 850000)

# the three levels of the dynamiske tredeling: id, name, description
NIVEAUER = [
    (
        "N1",
        "Mest specialiseret",
        "Høj specialiseringsgrad og lille målgruppe: stærk gensidig forpligtelse for alle 17 kommuner "
        "og regionen om tilbud, viden og kompetencer.",
    ),
    (
        "N2",
        "Specialiseret",
        "Medium specialiseringsgrad og målgruppe: klynger af kommuner samarbejder og deler viden ud fra "
        "de lokale behov.",
    ),
    (
        "N3",
        "Alment",
        "Mindre specialiseringsgrad og stor målgruppe: den enkelte kommune leverer til egne borgere og "
        "sælger pladser til andre.",
    ),
]

# id, name, driftsherre, target group, address, budgeted occupancy, ydelser, covered from, level
TILBUD = [
    (
        "S01",
        "Kommunikationscenter Strandvang",
        "DH-RS",
        "Børn og voksne med medfødt døvblindhed eller svær kombineret høre- og synsnedsættelse",
        "Strandvangen 4, 4200 Slagelse",
        95,
        [("Botilbud, voksne", 16, 5300), ("Aflastning, børn", 5, 4800), ("Rådgivning og udredning", 30, 1250)],
        2020,
        "N1",
    ),
    (
        "S02",
        "Specialcenter Skovbrynet",
        "DH-RS",
        "Voksne med udviklingshæmning og dom til anbringelse eller behandling",
        "Skovbrynet 10, 4180 Sorø",
        97,
        [("Sikret botilbud", 12, 8900), ("Skærmet botilbud", 20, 6100), ("Beskyttet beskæftigelse", 24, 950)],
        2019,
        "N1",
    ),
    (
        "S03",
        "Neurocenter Vestsjælland",
        "DH-SLA",
        "Unge og voksne med svær erhvervet hjerneskade og behov for døgnrehabilitering",
        "Rehabiliteringsvej 2, 4200 Slagelse",
        93,
        [("Døgnrehabilitering", 14, 4600), ("Neuropædagogisk dagtilbud", 16, 1350)],
        2021,
        "N1",
    ),
    (
        "S04",
        "Autismecenter Engbakken",
        "DH-NAE",
        "Voksne med svær autisme og udadreagerende adfærd",
        "Engbakken 7, 4700 Næstved",
        96,
        [("Længerevarende botilbud", 24, 5000), ("Aflastning", 4, 4700), ("Skærmet enkeltmandsprojekt", 3, 9900)],
        2020,
        "N1",
    ),
    (
        "S05",
        "Bocenter Lindegården",
        "DH-HOL",
        "Unge voksne med autisme og angst, der skal lære at bo i egen bolig",
        "Lindegårdsvej 15, 4300 Holbæk",
        94,
        [("Midlertidigt botilbud", 18, 3400), ("Bostøtte i egen bolig", 30, 750)],
        2022,
        "N2",
    ),
    (
        "S06",
        "Ungecenter Fjordly",
        "DH-ROS",
        "Unge med svære spiseforstyrrelser og selvskade",
        "Fjordlyvej 3, 4000 Roskilde",
        92,
        [("Døgnbehandling", 10, 6300), ("Dagbehandling", 14, 2500)],
        2019,
        "N2",  # N1 until 2027: see NIVEAUHISTORIK
    ),
    (
        "S07",
        "Synscenter Sydhavet",
        "DH-VOR",
        "Børn og voksne med synshandicap og yderligere funktionsnedsættelser",
        "Synsvej 8, 4760 Vordingborg",
        90,
        [("Døgnophold", 8, 3700), ("Kursus og rådgivning", 28, 1450)],
        2021,
        "N2",
    ),
    (
        "S08",
        "Bofællesskabet Kløverhøj",
        "DH-GUL",
        "Voksne med moderat udviklingshæmning",
        "Kløverhøj 21, 4800 Nykøbing F",
        96,
        [("Længerevarende botilbud", 26, 2600), ("Dagtilbud", 26, 900)],
        2023,
        "N3",
    ),
    (
        "S09",
        "Aktivitetshuset Bøgely",
        "DH-KOE",
        "Voksne med sindslidelse, der har brug for aktivitets- og samværstilbud og beskæftigelse",
        "Bøgelyvej 2, 4600 Køge",
        92,
        [("Aktivitets- og samværstilbud", 40, 450), ("Beskyttet beskæftigelse", 30, 700)],
        2023,
        "N3",
    ),
]
# (tilbud, year, level from that year on): Fjordly moves from the first to the second level in 2028,
# when the municipalities around Roskilde have built their own treatment for the milder cases
NIVEAUHISTORIK = [("S06", 2019, "N1"), ("S06", 2028, "N2")]

# id, name, target group, tilbud, municipalities
KLYNGER = [
    (
        "KL-VEST",
        "Klynge Vest: unge med autisme",
        "Unge voksne med autisme og angst",
        ["S05"],
        ["K316", "K326", "K306", "K330", "K340"],
    ),
    (
        "KL-OEST",
        "Klynge Øst: spiseforstyrrelser",
        "Unge med svære spiseforstyrrelser og selvskade",
        ["S06"],
        ["K265", "K253", "K269", "K350", "K259"],
    ),
]

# form deadlines (the other activities' dates are in the example's aarshjul.yaml)
FRISTER = {"indmelding": (2, 15), "udmelding": (2, 15), "kommune": (3, 1), "aarsrapport": (4, 1)}


def sjaelland_stamdata(aar: int = 2027) -> Stamdata:
    parter, driftsherrer = parties([(kid, navn, pop) for kid, navn, pop in KOMMUNER], REGION)
    tilbud, ydelser = [], []
    for tid, navn, dh, mg, adr, budget, ys, fra, niveau in TILBUD:
        t, rows = tilbud_with_ydelser(tid, navn, dh, mg, adr, budget, ys, omfattet_fra=fra, niveau=niveau, aar=aar)
        tilbud.append(t)
        ydelser += rows
    frister = [Frist(skema=skema, dato=dt.date(y, *md)) for y in (aar, aar + 1) for skema, md in FRISTER.items()]
    return Stamdata(
        indstillinger={
            "region": "Region Sjælland",  # in running text: "tilbud i Region Sjælland"
            "sekretariat": "Rammesekretariatet, Region Sjælland og de 17 kommuner",
            "sekretariat_email": "rammeaftale@sekretariat-sjaelland.example.invalid",
            "sekretariat_telefon": "+45 00 00 00 17",
            "sekretariat_kontaktperson": person(9),
            "aftaleperiode_start": 2027,
            "ew_belaegning_margin": 1,
            "ew_fald_min": 5,
            "ew_afvigelse_pct": 25,
            "ew_venteliste_vaekst": 2,
            "indmelding_antal_tilbud": 2,
        },
        aftaleparter=parter,
        driftsherrer=driftsherrer,
        tilbud=tilbud,
        ydelser=ydelser,
        frister=frister,
        niveauer=[Niveau(id=i, navn=navn, beskrivelse=tekst) for i, navn, tekst in NIVEAUER],
        niveauhistorik=[Niveauskift(tilbud_id=t, aar=y, niveau=n) for t, y, n in NIVEAUHISTORIK],
        klynger=[
            Klynge(
                id=kid,
                navn=navn,
                maalgruppe=mg,
                tilbud=t,
                kommuner=k,
                kontaktperson=person(20 + i),
                email=email(person(20 + i), "klynge " + kid),
            )
            for i, (kid, navn, mg, t, k) in enumerate(KLYNGER)
        ],
    )


def write_sjaelland(target: Path | None = None) -> Path:
    from toolkit.stamdata.write import write_stamdata

    return write_stamdata(sjaelland_stamdata(), Path(target or FOLDER / "stamdata.xlsx"))


if __name__ == "__main__":
    print(write_sjaelland())
