"""National-scale stamdata for benchmarks: 98 municipalities + 5 regions, 60 tilbud (or `n_tilbud`), 4 ydelser each."""

from __future__ import annotations

import datetime as dt

from toolkit.stamdata.model import Aftalepart, Driftsherre, Frist, Stamdata, Tilbud, Ydelse


def national_stamdata(aar: int = 2028, n_tilbud: int = 60) -> Stamdata:
    parter, dh = [], []
    for i in range(98):
        parter.append(
            Aftalepart(
                id=f"K{i:03d}",
                navn=f"Kommune {i:03d}",
                type="kommune",
                kontaktperson=f"Kontakt {i}",
                email=f"k{i}@kommune.example.invalid",
                indbyggere=20000 + 1000 * i,
            )
        )
    for r in range(5):
        parter.append(
            Aftalepart(
                id=f"R{r}",
                navn=f"Region {r}",
                type="region",
                kontaktperson=f"Regionskontakt {r}",
                email=f"r{r}@region.example.invalid",
                indbyggere=1_000_000,
            )
        )
    for a in parter:
        dh.append(
            Driftsherre(id=f"D{a.id}", navn=a.navn, aftalepart_id=a.id, kontaktperson=a.kontaktperson, email=a.email)
        )
    tilbud, ydelser = [], []
    for t in range(n_tilbud):
        tid = f"T{t:02d}"
        tilbud.append(
            Tilbud(
                id=tid,
                navn=f"Specialtilbud nr. {t}",
                driftsherre_id=dh[(t * 7) % len(dh)].id,
                adresse=f"Vej {t}, 9000 By",
                maalgruppe="Meget kompleks målgruppe",
                omfattet_fra=2020,
                ydelseskatalog_url=f"https://x.example.invalid/{tid}/katalog",
                tilsynsrapport_url=f"https://x.example.invalid/{tid}/tilsyn",
                budgetteret_belaegning=95,
            )
        )
        for y in range(4):
            ydelser.append(Ydelse(id=f"{tid}-Y{y}", tilbud_id=tid, navn=f"Ydelse {y}", pladstal=10 + y, takst=3000))
    frister = [Frist(skema=s, dato=dt.date(aar, 3, 1)) for s in ("indmelding", "udmelding", "aarsrapport", "kommune")]
    return Stamdata(
        indstillinger={
            "region": "Danmark",
            "sekretariat": "Benchmark",
            "sekretariat_email": "b@x.example.invalid",
            "sekretariat_kontaktperson": "B",
        },
        aftaleparter=parter,
        driftsherrer=dh,
        tilbud=tilbud,
        ydelser=ydelser,
        frister=frister,
    )
