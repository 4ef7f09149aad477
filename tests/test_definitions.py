import re

import pytest

from toolkit.definitions import bundled_definitions_dir, load_definitions, parse_definition
from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import recipients
from toolkit.files import slug
from toolkit.problems import DefinitionError
from toolkit.stamdata import Stamdata

MINIMAL = """\
skema: kommune
navn: Test
version: 1
modtager: kommune
formaal: test
ark:
  - navn: Ark1
    titel: Ark 1
    sektioner:
      - titel: S
        felter:
          - noegle: a
            etiket: A
            type: tal
"""


def test_bundled_definitions_carry_what_the_domain_requires(defs):
    keys = {f.noegle for d in defs.values() for _a, _s, f in d.all_fields()}
    for required in (
        "belaegning",
        "venteliste",
        "ledige_pladser",
        "forbrug",
        "pladstal",
        "takst_forklaring",
        "budget",
        "aarsresultat",
        "faglig_udvikling",
        "bekymring",
        "forventet_pladser",
        "oenske_omraade",
        "ingen_brug",
        "brug_i_stedet",
        "a1_tilfaelde",
        "c1_alternativer",
        "c2_optageomraade",
        "forpligtelse_6",
        "dispensation_begrundelse",
        "oenskes_udmeldt",
        "konkurrerende_tilbud",
    ):
        assert required in keys, required
    for form in ("indmelding", "udmelding", "aarsrapport", "kommune"):
        assert defs[form].skema == form and defs[form].version >= 1


def test_hash_ignores_comments_but_not_content():
    a = parse_definition(MINIMAL, "x.yaml")
    b = parse_definition("# en kommentar\n" + MINIMAL, "x.yaml")
    c = parse_definition(MINIMAL.replace("etiket: A", "etiket: B"), "x.yaml")
    assert a.hash == b.hash != c.hash


@pytest.mark.parametrize(
    "bad,line,expected",
    [
        (
            MINIMAL.replace("type: tal", "type: tekst\n            min: 3"),
            12,
            "ark.0.sektioner.0.felter.0: 'min' og 'max' kan kun bruges med taltyper",
        ),
        (
            MINIMAL.replace("etiket: A", "etiket: A\n            obligatorsk: true"),
            14,
            "ark.0.sektioner.0.felter.0.obligatorsk: ukendt nøgle (stavefejl?)",
        ),
        (MINIMAL.replace("type: tal", "type: valg"), 12, "type 'valg' kræver en liste 'valg'"),
        (
            MINIMAL.replace("modtager: kommune", "modtager: borger"),
            4,
            "modtager: ugyldig værdi, forventet 'driftsherre', 'tilbud', 'aftalepart', 'kommune' eller 'sekretariat'",
        ),
        (MINIMAL.replace("version: 1\n", ""), 1, "version: mangler"),
        (MINIMAL.replace("    titel: Ark 1", "    titel: [Ark 1"), 9, "ugyldig YAML"),
        (MINIMAL.replace("navn: Ark1", "navn: 'Ark:1'"), 7, "arknavnet 'Ark:1' er ikke tilladt"),
        (
            MINIMAL + "          - {noegle: a, etiket: igen, type: tekst}\n",
            1,
            "feltet 'a' i ark 'Ark1' giver samme nøgle",
        ),
        (
            MINIMAL.replace("      - titel: S\n", "      - titel: S\n        gentag: ydelse\n"),
            1,
            "'gentag: ydelse' kræver et tilbud",
        ),
    ],
)
def test_bad_definition_is_an_issue_with_file_and_line(bad, line, expected):
    with pytest.raises(DefinitionError) as exc:
        parse_definition(bad, "kommune.yaml")
    [issue] = exc.value.issues
    assert (issue.file, issue.line) == ("kommune.yaml", line)
    assert issue.code in ("definition-ugyldig", "definition-ugyldig-yaml") and expected in issue.message
    assert issue.text() == f"kommune.yaml, linje {line}: {issue.message}"
    assert f"Skemadefinitionen kommune.yaml har 1 fejl:\n  - linje {line}: {issue.message}" == str(exc.value)


def test_every_definition_problem_is_reported_at_once():
    bad = MINIMAL.replace("modtager: kommune", "modtager: borger").replace(
        "etiket: A", "etiket: A\n            obligatorsk: true"
    )
    with pytest.raises(DefinitionError) as exc:
        parse_definition(bad, "kommune.yaml")
    assert [(i.line, i.message.split(":")[0]) for i in exc.value.issues] == [
        (4, "modtager"),
        (14, "ark.0.sektioner.0.felter.0.obligatorsk"),
    ]
    assert str(exc.value).startswith("Skemadefinitionen kommune.yaml har 2 fejl:\n  - linje 4: modtager: ")


def test_unreadable_or_mismatched_definition_files_name_the_file(tmp_path):
    for form in ("indmelding", "udmelding", "aarsrapport", "kommune"):
        (tmp_path / f"{form}.yaml").write_text(
            (bundled_definitions_dir() / f"{form}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "kommune.yaml").write_bytes(b"\xff\xfe skema: kommune")
    with pytest.raises(DefinitionError) as exc:
        load_definitions(tmp_path)
    assert [(i.code, i.file) for i in exc.value.issues] == [("definition-ulaeselig", "kommune.yaml")]
    (tmp_path / "kommune.yaml").write_text(MINIMAL.replace("skema: kommune", "skema: udmelding"), encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        load_definitions(tmp_path)
    assert [(i.code, i.file) for i in exc.value.issues] == [("definition-forkert-skema", "kommune.yaml")]


def test_every_bundled_file_is_in_the_package_folder():
    names = sorted(p.name for p in bundled_definitions_dir().glob("*.yaml"))
    assert names == [
        "aarshjul.yaml",
        "aarsrapport.yaml",
        "hoeringssvar.yaml",
        "indmelding.yaml",
        "kommune.yaml",
        "kriterier.yaml",
        "panel.yaml",
        "udmelding.yaml",
    ]


def test_keys_are_unique_and_follow_the_documented_scheme(defs, sd):
    d = defs["aarsrapport"]
    m = recipients(d, sd, 2028)[0]
    keys = [fi.key for fi in plan_form(d, sd, m, 2028).fields()]
    assert len(keys) == len(set(keys))
    y = sd.ydelser_for(m.tilbud_id)[0].id
    assert f"aarsrapport.ydelse.{y}.belaegning.2025" in keys
    assert f"aarsrapport.ydelse.{y}.pladstal.2031" in keys
    assert "aarsrapport.kommune.K825.forbrug.2027" in keys
    assert "aarsrapport.bekymring" in keys


def test_udmelding_sections_depend_on_the_recipient(defs, sd):
    d = defs["udmelding"]
    by_id = {m.id: m for m in recipients(d, sd, 2028)}
    sheets = lambda m: [s.ark.navn for s in plan_form(d, sd, m, 2028).sheets]  # noqa: E731
    assert sheets(by_id["RN"]) == ["Afsnit 1 Driftsherre"]  # region: operator only
    assert sheets(by_id["K825"]) == ["Afsnit 2 Kommune"]  # Læsø runs no tilbud
    assert sheets(by_id["K851"]) == ["Afsnit 1 Driftsherre", "Afsnit 2 Kommune"]


def test_udmelding_afsnit_1_is_prefilled_from_the_driftsherre(defs, sd):
    from toolkit.definitions.recipients import find_recipient

    m = find_recipient(defs["udmelding"], sd, 2028, "K851")
    fields = {fi.key: fi.prefill for fi in plan_form(defs["udmelding"], sd, m, 2028).fields()}
    assert fields["udmelding.driftsherre_kontakt"] == sd.driftsherre("DH-AAL").kontaktperson
    assert fields["udmelding.kommune_kontakt"] == sd.aftalepart("K851").kontaktperson


def test_guidance_names_only_sheets_the_form_has(defs):
    """A Vejledning that says "brug arket 'X'" must name a sheet that exists in that form."""
    for d in defs.values():
        sheets = {a.navn for a in d.ark}
        texts = [d.formaal, *(a.tekst for a in d.vejledning)]
        for text in texts:
            for named in re.findall(r"arket '([^']+)'", text):
                assert named in sheets, (d.skema, named, sorted(sheets))


def test_a_ja_nej_list_is_never_described_as_a_cross_or_typed_text(defs):
    """Ja/Nej fields are a list in the cell (data validation refuses 'x'): the labels and the guidance
    say so, instead of "(sæt kryds)" or "skriv 'Nej'"."""
    for d in defs.values():
        for _a, _s, f in d.all_fields():
            if f.type == "ja_nej":
                assert "kryds" not in f.etiket.lower() and "kryds" not in (f.hjaelp or "").lower(), (d.skema, f.noegle)
        for afsnit in d.vejledning:
            assert not re.search(r"skriv '?(Ja|Nej)", afsnit.tekst), (d.skema, afsnit.overskrift)
    udmelding = " ".join(a.tekst for a in defs["udmelding"].vejledning)
    assert "vælg 'Nej'" in udmelding


def test_the_kommune_form_asks_why_a_tilbud_is_not_used(defs):
    """Model, boks 2 point 3: the municipality states the reason when a tilbud is not (expected to be) used."""
    fields = {f.noegle: f for _a, _s, f in defs["kommune"].all_fields()}
    assert "ingen_brug_aarsag" in fields and fields["ingen_brug_aarsag"].type == "langtekst"
    assert "årsag" in fields["ingen_brug_aarsag"].etiket.lower()


def test_the_number_of_nomination_blocks_follows_the_stamdata_setting(defs, sd):
    m = recipients(defs["indmelding"], sd, 2028)[0]
    blocks = lambda s: len(plan_form(defs["indmelding"], s, m, 2028).sheets[1].blocks)  # noqa: E731
    assert blocks(sd) == int(sd.setting("indmelding_antal_tilbud"))
    more = changed(sd, indstillinger={**sd.indstillinger, "indmelding_antal_tilbud": 4})
    assert blocks(more) == 4


def changed(sd, **fields):
    return Stamdata(**{**{k: getattr(sd, k) for k in Stamdata.model_fields}, **fields})


def test_file_names_of_recipients_are_unique_and_cut_between_words(defs, sd):
    """Two tilbud whose names agree beyond the cut still get two files; a name part is never cut
    mid-word ('frederikshavn_kommun', 'svaere_spiseforsty')."""
    first = sd.tilbud[0]
    twins = [
        first.model_copy(update={"id": f"T9{i}", "navn": f"{first.navn} og en meget lang tilføjelse nr. {i}"})
        for i in (1, 2)
    ]
    names = [m.filnavn for m in recipients(defs["aarsrapport"], changed(sd, tilbud=[*sd.tilbud, *twins]), 2028)]
    assert len(names) == len(set(names)), names
    for d in defs.values():
        for m in recipients(d, sd, 2028):
            words = set(slug(m.navn, 1000).split("_"))
            if d.modtager == "tilbud":
                dh = sd.driftsherre(m.driftsherre_id).navn
                words |= set(slug(dh, 1000).split("_"))
            if d.modtager == "sekretariat":  # the panel's own form is named for what it is
                words |= set(slug(d.navn, 1000).split("_"))
            assert set(m.filnavn.split("_")) <= words, m.filnavn
