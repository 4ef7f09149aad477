"""The second bundled example, Region Sjælland (issue 16, item 4): `skema init --eksempel sjaelland`
and its whole demo year, with nothing of Nordjylland left in what it writes; the Nordjylland example
stays the standard."""

import email
import email.policy
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.cli.forms import EKSEMPLER as CLI_EKSEMPLER
from toolkit.cli.forms import STANDARD_EKSEMPEL
from toolkit.stamdata import load_stamdata
from toolkit.stamdata.example_sjaelland import FOLDER, sjaelland_stamdata, write_sjaelland
from toolkit.stamdata.examples import EKSEMPLER, STANDARD
from toolkit.workspace import Workspace

from conftest import EVEN_YEAR, built_once

runner = CliRunner()
NORDJYSK = re.compile(r"nordjyl|nordjysk", re.IGNORECASE)
SJAELLANDS_KOMMUNER = {
    "Greve",
    "Faxe",
    "Guldborgsund",
    "Holbæk",
    "Kalundborg",
    "Køge",
    "Lejre",
    "Lolland",
    "Næstved",
    "Odsherred",
    "Ringsted",
    "Roskilde",
    "Slagelse",
    "Solrød",
    "Sorø",
    "Stevns",
    "Vordingborg",
}


def _build(folder: Path) -> list:
    """The Sjælland demo year, then the January send-out and the April reminders as mail drafts."""
    import datetime as dt

    from toolkit.demo.run import run_demo

    steps = run_demo(folder, EVEN_YEAR, eksempel="sjaelland")
    ws = Workspace(folder / "demo_sjaelland", output=folder / "demo_sjaelland")
    ws.udsend(EVEN_YEAR, today=dt.date(EVEN_YEAR, 1, 30))
    ws.rykker_mails(EVEN_YEAR, today=dt.date(EVEN_YEAR, 4, 20))
    return steps


@pytest.fixture(scope="session")
def sjaelland(tmp_path_factory):
    """The whole Sjælland demo year, once per test run (shared by the xdist workers). (folder, steps)"""
    out, steps = built_once(tmp_path_factory, "demo_sjaelland", _build)
    return out / "demo_sjaelland", steps


def _xml_texts(path: Path) -> dict[str, str]:
    """Every part of an Office file (cells, shared strings, defined names, sheet names, comments,
    data-validation prompts, document body, headers, footers, properties) as text."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if not n.endswith((".png", ".bin"))}


def _mail_texts(path: Path) -> dict[str, str]:
    """The subject and every text part of a mail draft, decoded."""
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    out = {"Subject": str(msg["Subject"])}
    for i, part in enumerate(msg.walk()):
        if part.get_content_maintype() == "text":
            out[f"del {i}"] = part.get_content()
    return out


def _generated(folder: Path) -> list[Path]:
    """What the year wrote: forms, filled returns, consolidated workbooks, letters, bilag, mail drafts
    (not the input the folder started with: stamdata.xlsx and skabeloner/)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in (".xlsx", ".docx", ".eml") and p.name != "stamdata.xlsx" and "skabeloner" not in p.parts
    )


def test_the_sjaelland_demo_runs_every_step_of_the_year(sjaelland):
    folder, steps = sjaelland
    assert [s.title[:2] for s in steps] == ["0.", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."]
    assert all(s.path is None or folder in s.path.parents or s.path == folder for s in steps)
    assert "Sjælland" in load_stamdata(folder / "stamdata.xlsx").region
    titles = [s.title for s in steps]  # the example's own bodies (its aarshjul.yaml)
    assert "6. Kriterier, early warning og Ekspertgruppens vurdering" in titles
    assert "9. Bilag til Styregruppen" in titles


def test_nothing_the_sjaelland_year_writes_mentions_nordjylland(sjaelland):
    folder, _ = sjaelland
    files = _generated(folder)
    kinds = {p.suffix for p in files}
    assert kinds == {".xlsx", ".docx", ".eml"}, kinds
    assert any(p.name.endswith("_samlet.xlsx") for p in files) and any("bilag_das" in p.name for p in files)
    found = []
    for p in files:
        parts = _mail_texts(p) if p.suffix == ".eml" else _xml_texts(p)
        for part, text in parts.items():
            for m in NORDJYSK.finditer(text):
                found.append(f"{p.relative_to(folder)} [{part}]: …{text[max(0, m.start() - 60) : m.end() + 30]}…")
    assert not found, "\n".join(found[:20])
    # the scan reads the real texts: the region's own names are there
    bilag = next(p for p in files if "bilag_das" in p.name)
    assert "Sjælland" in _xml_texts(bilag)["word/document.xml"]
    mails = [p for p in files if p.suffix == ".eml"]
    assert mails and all("sekretariat-sjaelland.example.invalid" in p.read_text("utf-8", "replace") for p in mails)


def test_the_sjaelland_year_asks_its_17_kommuner_and_the_region(sjaelland):
    folder, _ = sjaelland
    sd = load_stamdata(folder / "stamdata.xlsx")
    assert {a.navn.removesuffix(" Kommune") for a in sd.kommuner()} == SJAELLANDS_KOMMUNER
    assert [a.navn for a in sd.aftaleparter if a.type == "region"] == ["Region Sjælland"]
    ws = Workspace(folder, output=folder)
    statuses = ws.year_data(EVEN_YEAR).statuses
    asked = {s.modtager.id for s in statuses if s.skema == "kommune"}
    assert asked == {a.id for a in sd.kommuner()} and len(asked) == 17
    heard = {s.modtager.id for s in statuses if s.skema == "hoeringssvar"}
    assert heard == {a.id for a in sd.aftaleparter} and len(heard) == 18
    letters = list((folder / str(EVEN_YEAR) / "hoering").glob(f"{EVEN_YEAR}_hoeringsbrev_*.docx"))
    assert len(letters) == 18
    assert any("region_sjaelland" in p.name for p in letters)


def test_the_sjaelland_demo_shows_every_outcome_and_its_tilbud(sjaelland):
    folder, steps = sjaelland
    kriterier = next(s for s in steps if s.title.startswith("6."))
    for outcome in ("indstilles", "indstilles ikke", "kan dispenseres", "mangler svar"):
        assert outcome in kriterier.result
    wb = openpyxl.load_workbook(folder / str(EVEN_YEAR) / f"{EVEN_YEAR}_samlet.xlsx", read_only=True)
    cells = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v}
    wb.close()
    assert {"Kommunikationscenter Strandvang", "Ungecenter Fjordly", "Aktivitetshuset Bøgely"} <= cells


def test_the_nordjylland_demo_is_still_the_standard(demo):
    folder, steps = demo
    assert folder.name == "demo"
    assert "9. Bilag til DAS" in [s.title for s in steps]
    assert [s.title[:2] for s in steps] == ["0.", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."]
    sd = load_stamdata(folder / "stamdata.xlsx")
    assert sd.region == "Nordjylland" and len(sd.kommuner()) == 11
    assert sd.model_dump(exclude={"kilde"}) == load_stamdata().model_dump(exclude={"kilde"})
    for outcome in ("indstilles", "indstilles ikke", "kan dispenseres", "mangler svar"):
        assert outcome in next(s for s in steps if s.title.startswith("6.")).result
    assert not list((folder / "skabeloner" / "skemaer").glob("*sjaelland*"))


def test_init_copies_the_sjaelland_stamdata_and_its_aarshjul(tmp_path):
    r = runner.invoke(app, ["init", str(tmp_path), "--eksempel", "sjaelland"])
    assert r.exit_code == 0, r.output
    sd = load_stamdata(tmp_path / "stamdata.xlsx")
    assert sd.region == "Region Sjælland" and sd.setting("aftaleperiode_start") == 2027
    copied = yaml.safe_load((tmp_path / "skabeloner" / "skemaer" / "aarshjul.yaml").read_text("utf-8"))
    assert {"id": "kkr", "navn": "KKR Sjælland", "kort": "KKR"} in copied["organer"]
    assert any(a["organ"] == "kkr" for a in copied["aktiviteter"])
    assert (tmp_path / "skabeloner" / "skemaer" / "kommune.yaml").exists()
    assert any((tmp_path / "skabeloner").glob("*.docx"))
    r = runner.invoke(app, ["generer", "--aar", "2028", "--skema", "kommune", "--mappe", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert len(list((tmp_path / "output" / "2028" / "skemaer").glob("2028_kommune_*.xlsx"))) == 17
    assert "indbyggede eksempel" not in r.output
    ud = tmp_path / "klynge"  # the cluster's five municipalities, about its one tilbud
    r = runner.invoke(
        app, ["generer", "--aar", "2028", "--klynge", "KL-VEST", "--mappe", str(tmp_path), "--ud", str(ud)]
    )
    assert r.exit_code == 0, r.output
    kommuner = sorted(p.name.split("_")[2] for p in ud.glob("2028_kommune_*.xlsx"))
    assert kommuner == ["holbaek", "kalundborg", "odsherred", "slagelse", "soroe"]
    assert [p.name.split("_klynge")[0] for p in ud.glob("2028_aarsrapport_*.xlsx")] == [
        "2028_aarsrapport_bocenter_lindegaarden_holbaek_kommune"
    ]


def test_init_without_eksempel_is_nordjylland(tmp_path):
    r = runner.invoke(app, ["init", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert load_stamdata(tmp_path / "stamdata.xlsx").region == "Nordjylland"


def test_an_unknown_eksempel_is_refused_in_danish(tmp_path):
    r = runner.invoke(app, ["init", str(tmp_path), "--eksempel", "fyn"])
    assert r.exit_code == 2
    assert "Ukendt eksempel 'fyn'" in " ".join(r.output.split()) and "sjaelland" in r.output
    assert not (tmp_path / "stamdata.xlsx").exists()


def test_demo_command_names_the_examples_region(monkeypatch, tmp_path):
    import toolkit.demo.run

    called = {}
    monkeypatch.setattr(toolkit.demo.run, "run_demo", lambda ud, aar, **kw: called.update(kw, ud=ud, aar=aar))
    r = runner.invoke(app, ["demo", "--eksempel", "sjaelland", "--ud", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "Demo: det forstærkede samarbejde, Region Sjælland, 2028" in r.output and "Nordjylland" not in r.output
    assert called["eksempel"] == "sjaelland" and called["ud"] == tmp_path


def test_the_fallback_message_names_the_region_from_the_stamdata(tmp_path):
    r = runner.invoke(app, ["generer", "--aar", "2028", "--skema", "aarsrapport", "--mappe", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert f"Bruger det indbyggede eksempel ({load_stamdata().region})" in " ".join(r.output.split())


def test_the_cli_names_the_bundled_examples():
    assert tuple(EKSEMPLER) == CLI_EKSEMPLER and STANDARD_EKSEMPEL == STANDARD


def test_the_bundled_sjaelland_workbook_is_what_the_generator_writes(tmp_path):
    """toolkit/data/sjaelland/stamdata.xlsx is built by `python -m toolkit.stamdata.example_sjaelland`."""
    built = load_stamdata(write_sjaelland(tmp_path / "s.xlsx"))
    bundled = load_stamdata(FOLDER / "stamdata.xlsx")
    assert built.model_dump(exclude={"kilde"}) == bundled.model_dump(exclude={"kilde"})
    positions = {"kilde", "frist_raekker"}  # where the loader found things
    assert bundled.model_dump(exclude=positions) == sjaelland_stamdata().model_dump(exclude=positions)


def test_sjaelland_has_tilbud_on_all_three_levels_a_level_change_and_clusters():
    sd = load_stamdata(FOLDER / "stamdata.xlsx")
    assert [n.id for n in sd.niveauer] == ["N1", "N2", "N3"]
    assert {sd.niveau(t.id, 2028) for t in sd.tilbud} == {"N1", "N2", "N3"}
    moved = [t.id for t in sd.tilbud if sd.niveau(t.id, 2027) != sd.niveau(t.id, 2028)]
    assert moved == ["S06"] and (sd.niveau("S06", 2027), sd.niveau("S06", 2028)) == ("N1", "N2")
    parter, tilbud = {a.id for a in sd.aftaleparter}, {t.id for t in sd.tilbud}
    assert sd.klynger
    for k in sd.klynger:
        assert set(k.tilbud) <= tilbud and set(k.kommuner) <= parter and k.email.endswith(".example.invalid")
    assert all(p.email.endswith(".example.invalid") for p in [*sd.aftaleparter, *sd.driftsherrer])
    # the populations feed the expected number of cases in the texts: about 850.000 people
    assert 820_000 < sum(k.indbyggere for k in sd.kommuner()) < 880_000
    assert sd.setting("aftaleperiode_start") == 2027


def _docx_text(path: Path) -> str:
    """A Word file's paragraphs and table rows (cells joined by ' | '), as a reader sees them."""
    from docx import Document

    d = Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def _year_texts(folder: Path) -> dict[str, str]:
    """The year's letters, hearing material and bilag (Word) and forms and workbooks (cells), by name."""
    out = {}
    for p in _generated(folder):
        if p.suffix == ".docx":
            out[p.name] = _docx_text(p)
        elif p.suffix == ".xlsx":
            wb = openpyxl.load_workbook(p, read_only=True)
            out[p.name] = "\n".join(
                str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
            )
            wb.close()
    return out


def test_the_long_names_take_their_short_genitive_in_running_text(sjaelland):
    """aarshjul.yaml gives Sjælland's bodies an ejefald ("Ekspertgruppens", "Styregruppens"): no
    letter, form or bilag writes "Faglig Ekspertgruppe Sjællands" or "Rammeaftale Sjællands"."""
    folder, _ = sjaelland
    texts = _year_texts(folder)
    heavy = [
        f"{n}: {m}"
        for n, t in texts.items()
        for m in re.findall(r".{40}(?:Ekspertgruppe|Rammeaftale) Sjællands.{20}", t)
    ]
    assert not heavy, "\n".join(heavy[:10])
    letter = texts[f"{EVEN_YEAR}_hoeringsbrev_roskilde_kommune.docx"]
    assert "i Ekspertgruppens drøftelse og i Styregruppens årlige statusdrøftelse" in letter
    bilag = next(t for n, t in texts.items() if "bilag_das" in n)
    assert "Ekspertgruppens vurdering: indstilles" in bilag
    assert "Driftsherrens egen vurdering står ved siden af Ekspertgruppens." in bilag
    assert "Kriterium | Driftsherrens egen vurdering | Ekspertgruppen | Begrundelse" in bilag
    assert "Styregruppen for Rammeaftale Sjælland" in bilag  # the full name where it names the body
    kommune = next(t for n, t in texts.items() if n.startswith(f"{EVEN_YEAR}_kommune_"))
    assert "i Styregruppens årlige dialog om tilbuddene" in kommune


def test_the_panel_is_called_by_its_name_in_the_bilag_and_the_workbook(sjaelland):
    """Sjælland's panel is "Faglig Ekspertgruppe Sjælland": no "Panelets"/"Panelet" in the bilag, the
    consolidated workbook's panel sheet or the demo's simulated texts."""
    folder, _ = sjaelland
    texts = _year_texts(folder)
    bilag = next(t for n, t in texts.items() if "bilag_das" in n)
    panelet = re.compile(r"\b[Pp]anel(?:et|ets)?\b")
    assert not [line for line in bilag.splitlines() if panelet.search(line)], bilag
    assert "Ekspertgruppens konklusion: Ekspertgruppen drøftede i april" in bilag
    assert "efter ekspertgruppens drøftelse." in bilag
    assert "Tilbud | Driftsherre | Ekspertgruppens forslag | Ændring fra 1. januar" in bilag
    sheet = openpyxl.load_workbook(folder / str(EVEN_YEAR) / f"{EVEN_YEAR}_samlet.xlsx")["Ekspertpanel"]
    heads = next(sheet.iter_rows(max_row=1, values_only=True))
    assert "Ekspertgruppen: kategori A" in heads and "Ekspertgruppens indstilling" in heads
    assert "Ekspertgruppens begrundelser" in heads and not any(panelet.search(str(h)) for h in heads)
    assert "Ekspertgruppens vurdering" in sheet.oddHeader.left.text
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert "Ekspertgruppens konklusion om bæredygtighed" in cells


def test_a_level_change_is_told_where_the_tilbud_is_described(sjaelland, tmp_path):
    """Ungecenter Fjordly moves from the first to the second level in 2028: its status page in the
    bilag, its section of the hearing material and the proposal list (Bilag 13) say so."""
    folder, _ = sjaelland
    texts = _year_texts(folder)
    skift = f"Skifter specialiseringsniveau i {EVEN_YEAR}: Mest specialiseret → Specialiseret."
    bilag = next(t for n, t in texts.items() if "bilag_das" in n)
    status = bilag[bilag.index("Status: Ungecenter Fjordly\nDriftsherre") :]
    assert status.split("\n")[2] == skift, status[:300]
    assert "Ungecenter Fjordly | Roskilde Kommune | fortsætter | fortsætter; skifter niveau til Specialiseret" in bilag
    assert bilag.count("Skifter specialiseringsniveau") == 1  # only the tilbud that changes
    materiale = texts[f"{EVEN_YEAR}_hoeringsmateriale.docx"]
    section = materiale[materiale.index("\nUngecenter Fjordly\nDriftsherre") :]
    assert section.split("\n")[3] == skift, section[:300]
    ws = Workspace(folder, output=tmp_path)  # the shared year's folder stays as the demo left it
    wb = openpyxl.load_workbook(ws.rammeaftale(EVEN_YEAR), read_only=True)
    rows = {r[0]: r for r in wb.worksheets[0].iter_rows(values_only=True) if r[0]}
    wb.close()
    assert rows["Ungecenter Fjordly"][4] == "fortsætter; skifter niveau til Specialiseret"
    assert [r[0] for r in rows.values() if "skifter niveau" in str(r[4])] == ["Ungecenter Fjordly"]
    assert any(r[4] == "fortsætter uændret" for r in rows.values())  # the others go on as they were
    assert "Ekspertgruppens forslag" in rows["Tilbud"]


def test_a_respondents_text_mid_sentence_starts_in_lower_case(sjaelland):
    folder, _ = sjaelland
    bilag = next(t for n, t in _year_texts(folder).items() if "bilag_das" in n)
    assert "(bruger i stedet: køber tilsvarende ydelse" in bilag and "(bruger i stedet: Køber" not in bilag
    assert "for tilbuddet med lav efterspørgsel anbefales" in bilag


def test_the_region_is_named_as_region_sjaelland_in_running_text(sjaelland):
    folder, _ = sjaelland
    texts = _year_texts(folder)
    letter = texts[f"{EVEN_YEAR}_hoeringsbrev_roskilde_kommune.docx"]
    assert "sociale tilbud i Region Sjælland" in letter
    mails = [_mail_texts(p) for p in folder.rglob("*.eml")]
    bodies = [t for m in mails for k, t in m.items() if k != "Subject"]
    assert bodies and all(" i Sjælland" not in t for t in bodies)
    assert any("sociale tilbud i Region Sjælland" in t for t in bodies)
    assert not [n for n, t in texts.items() if re.search(r"\bi Sjælland\b", t)]
