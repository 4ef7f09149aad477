import pytest

from toolkit.definitions import bundled_definitions_dir, parse_definition
from toolkit.definitions.expand import plan_form
from toolkit.definitions.recipients import recipients
from toolkit.problems import DefinitionError

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
    for required in ("belaegning", "venteliste", "ledige_pladser", "forbrug", "pladstal", "takst_forklaring",
                     "budget", "aarsresultat", "faglig_udvikling", "bekymring", "forventet_pladser",
                     "oenske_omraade", "ingen_brug", "brug_i_stedet", "a1_tilfaelde", "c1_alternativer",
                     "c2_optageomraade", "forpligtelse_6", "dispensation_begrundelse", "oenskes_udmeldt",
                     "konkurrerende_tilbud"):
        assert required in keys, required
    for form in ("indmelding", "udmelding", "aarsrapport", "kommune"):
        assert defs[form].skema == form and defs[form].version >= 1


def test_hash_ignores_comments_but_not_content():
    a = parse_definition(MINIMAL, "x.yaml")
    b = parse_definition("# en kommentar\n" + MINIMAL, "x.yaml")
    c = parse_definition(MINIMAL.replace("etiket: A", "etiket: B"), "x.yaml")
    assert a.hash == b.hash != c.hash


@pytest.mark.parametrize("bad,expected", [
    (MINIMAL.replace("type: tal", "type: tekst\n            min: 3"), "linje 12: ark.0.sektioner.0.felter.0: 'min' og 'max' kan kun bruges med taltyper"),
    (MINIMAL.replace("etiket: A", "etiket: A\n            obligatorsk: true"), "linje 14: ark.0.sektioner.0.felter.0.obligatorsk: ukendt nøgle (stavefejl?)"),
    (MINIMAL.replace("type: tal", "type: valg"), "type 'valg' kræver en liste 'valg'"),
    (MINIMAL.replace("modtager: kommune", "modtager: borger"), "linje 4: modtager: ugyldig værdi"),
    (MINIMAL.replace("version: 1\n", ""), "version: mangler"),
    (MINIMAL.replace("    titel: Ark 1", "    titel: [Ark 1"), "ugyldig YAML"),
    (MINIMAL.replace("navn: Ark1", "navn: 'Ark:1'"), "arknavnet 'Ark:1' er ikke tilladt"),
    (MINIMAL + "          - {noegle: a, etiket: igen, type: tekst}\n", "feltet 'a' i ark 'Ark1' giver samme nøgle"),
    (MINIMAL.replace("      - titel: S\n", "      - titel: S\n        gentag: ydelse\n"), "'gentag: ydelse' kræver et tilbud"),
])
def test_bad_definition_names_file_line_and_problem(bad, expected):
    with pytest.raises(DefinitionError) as exc:
        parse_definition(bad, "kommune.yaml")
    assert "kommune.yaml" in str(exc.value)
    assert any(expected in p for p in exc.value.problems), exc.value.problems


def test_every_bundled_file_is_in_the_package_folder():
    names = sorted(p.name for p in bundled_definitions_dir().glob("*.yaml"))
    assert names == ["aarsrapport.yaml", "indmelding.yaml", "kommune.yaml", "udmelding.yaml"]


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
    assert sheets(by_id["RN"]) == ["Afsnit 1 Driftsherre"]            # region: operator only
    assert sheets(by_id["K825"]) == ["Afsnit 2 Kommune"]              # Læsø runs no tilbud
    assert sheets(by_id["K851"]) == ["Afsnit 1 Driftsherre", "Afsnit 2 Kommune"]


def test_udmelding_afsnit_1_is_prefilled_from_the_driftsherre(defs, sd):
    from toolkit.definitions.recipients import find_recipient
    m = find_recipient(defs["udmelding"], sd, 2028, "K851")
    fields = {fi.key: fi.prefill for fi in plan_form(defs["udmelding"], sd, m, 2028).fields()}
    assert fields["udmelding.driftsherre_kontakt"] == sd.driftsherre("DH-AAL").kontaktperson
    assert fields["udmelding.kommune_kontakt"] == sd.aftalepart("K851").kontaktperson
