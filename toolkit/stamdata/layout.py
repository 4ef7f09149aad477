"""The stamdata workbook's layout: sheet names and column headers, used by both the loader and
the writer so that they cannot drift apart."""

from __future__ import annotations

from toolkit.stamdata.model import Aftalepart, Driftsherre, Frist, Klynge, Niveau, Niveauskift, Tilbud, Ydelse

# sheet name -> (model, [(field, header, width)])
TABLES: dict[str, tuple[type, list[tuple[str, str, int]]]] = {
    "Aftaleparter": (
        Aftalepart,
        [
            ("id", "Id", 10),
            ("navn", "Navn", 28),
            ("type", "Type (kommune/region)", 20),
            ("kontaktperson", "Kontaktperson", 24),
            ("email", "E-mail", 34),
            ("telefon", "Telefon", 16),
            ("indbyggere", "Indbyggere", 12),
        ],
    ),
    "Driftsherrer": (
        Driftsherre,
        [
            ("id", "Id", 10),
            ("navn", "Navn", 28),
            ("aftalepart_id", "Aftalepart (id)", 16),
            ("kontaktperson", "Kontaktperson", 24),
            ("email", "E-mail", 34),
            ("telefon", "Telefon", 16),
        ],
    ),
    "Tilbud": (
        Tilbud,
        [
            ("id", "Id", 8),
            ("navn", "Navn", 42),
            ("driftsherre_id", "Driftsherre (id)", 16),
            ("adresse", "Adresse", 32),
            ("maalgruppe", "Målgruppe", 50),
            ("omfattet_fra", "Omfattet fra (år)", 12),
            ("omfattet_til", "Omfattet til (år)", 12),
            ("ydelseskatalog_url", "Ydelseskatalog (link)", 40),
            ("servicedeklaration_url", "Servicedeklaration (link)", 40),
            ("tilsynsrapport_url", "Seneste tilsynsrapport (link)", 40),
            ("specialiseringsniveau", "Specialiseringsniveau", 20),
            ("budgetteret_belaegning", "Budgetteret belægning (%)", 14),
        ],
    ),
    "Ydelser": (
        Ydelse,
        [
            ("id", "Id", 10),
            ("tilbud_id", "Tilbud (id)", 12),
            ("navn", "Navn", 44),
            ("pladstal", "Pladstal", 10),
            ("takst", "Takst (kr. pr. døgn/enhed)", 16),
            ("enhed", "Enhed", 12),
        ],
    ),
    "Frister": (Frist, [("skema", "Skema", 16), ("dato", "Frist (dato)", 16)]),
}

# sheets a region may leave out (levels and clusters: docs in README, "Niveauer og klynger")
OPTIONAL_TABLES: dict[str, tuple[type, list[tuple[str, str, int]]]] = {
    "Niveauer": (Niveau, [("id", "Id", 8), ("navn", "Navn", 32), ("beskrivelse", "Beskrivelse", 70)]),
    "Niveauhistorik": (
        Niveauskift,
        [("tilbud_id", "Tilbud-id", 12), ("aar", "År", 8), ("niveau", "Niveau", 16)],
    ),
    "Klynger": (
        Klynge,
        [
            ("id", "Id", 8),
            ("navn", "Navn", 28),
            ("maalgruppe", "Målgruppe", 40),
            ("tilbud", "Tilbud", 24),
            ("kommuner", "Kommuner", 40),
            ("kontaktperson", "Kontaktperson", 24),
            ("email", "E-mail", 34),
        ],
    ),
}

SETTINGS_SHEET = "Indstillinger"
SETTINGS_HEADERS = ("Nøgle", "Værdi", "Beskrivelse")

# key -> (description, required, kind); kind is "tekst", "tal" (read the Danish way), "heltal" or "email"
SETTINGS: dict[str, tuple[str, bool, str]] = {
    "region": ("Regionens navn; bruges i skemaer, breve og bilag", True, "tekst"),
    "sekretariat": ("Sekretariatets navn", True, "tekst"),
    "sekretariat_email": ("E-mail som skemaer returneres til", True, "email"),
    "sekretariat_telefon": ("Sekretariatets telefon", False, "tekst"),
    "sekretariat_kontaktperson": ("Kontaktperson i sekretariatet", True, "tekst"),
    "aftaleperiode_start": ("Et år hvor en toårig aftaleperiode begynder (standard 2028)", False, "heltal"),
    "ew_belaegning_margin": (
        "Early warning: procentpoint under budgetteret belægning før signal (standard 0)",
        False,
        "tal",
    ),
    "ew_fald_min": (
        "Early warning: mindste fald i procentpoint over 3 år for 'faldende belægning' (standard 5)",
        False,
        "tal",
    ),
    "ew_afvigelse_pct": (
        "Early warning: tilladt afvigelse i % mellem forventet brug og pladstal (standard 20)",
        False,
        "tal",
    ),
    "ew_venteliste_vaekst": ("Early warning: vækst i venteliste (personer) før signal (standard 1)", False, "tal"),
    "indmelding_antal_tilbud": (
        "Antal tilbudsblokke i indmeldingsskemaet (standard 2, højst 20); ændr den ikke, efter skemaerne er sendt",
        False,
        "heltal",
    ),
    # skema udsend --send (docs/post.md); the environment's SKEMA_SMTP_* wins, the password is only there
    "smtp_vaert": ("Mailserver til 'skema udsend --send', fx smtp.office365.com", False, "tekst"),
    "smtp_port": ("Mailserverens port (standard 587 ved starttls, 465 ved ssl, 25 ved ingen)", False, "heltal"),
    "smtp_tls": ("Kryptering: starttls (standard), ssl eller ingen", False, "tekst"),
    "smtp_bruger": ("Brugernavn på mailserveren (tom: uden login)", False, "tekst"),
}

# the range a "heltal" setting must lie in (inclusive)
SETTING_RANGES: dict[str, tuple[int, int]] = {
    "aftaleperiode_start": (2000, 2100),
    "indmelding_antal_tilbud": (1, 20),
    "smtp_port": (1, 65535),
}
