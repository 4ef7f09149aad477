"""Field keys: the parts of a key, and the noegler the code reads, which every definition must have."""

import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from toolkit.definitions import bundled_definitions_dir, load_definitions, load_kriterier
from toolkit.definitions.required import check_required_keys
from toolkit.fieldkeys import NAMED, Indmelding, KeyParts, format_key, key_parts
from toolkit.problems import DefinitionError


def problems(err) -> list[str]:
    """The problem lines as the error lists them (each naming its file when there are several)."""
    several = len({i.file for i in err.value.issues}) > 1
    return [i.text(with_file=several) for i in err.value.issues]


@given(
    hs.builds(
        KeyParts,
        skema=hs.sampled_from(["kommune", "aarsrapport"]),
        tilbud_id=hs.none() | hs.just("T01"),
        nr=hs.none() | hs.integers(1, 9).map(str),
        ydelse_id=hs.none() | hs.just("T01-Y1"),
        kommune_id=hs.none() | hs.just("K851"),
        linje=hs.none() | hs.integers(1, 12).map(str),
        noegle=hs.sampled_from(["belaegning", "a1_opfyldt"]),
        felt_aar=hs.none() | hs.integers(2000, 2040),
    )
)
def test_key_parts_and_text_key_are_each_others_inverse(parts):
    assert key_parts(format_key(parts)) == parts


def test_examples_from_the_format_document():
    assert key_parts("kommune.tilbud.T03.ydelse.T03-Y2.forventet_pladser.2029") == KeyParts(
        "kommune", "T03", None, "T03-Y2", None, None, "forventet_pladser", 2029
    )
    assert key_parts("indmelding.nr.1.linje.3.pladser") == KeyParts(
        "indmelding", None, "1", None, None, "3", "pladser", None
    )
    assert key_parts("aarsrapport.bekymring") == KeyParts(
        "aarsrapport", None, None, None, None, None, "bekymring", None
    )


def test_every_named_noegle_is_in_the_bundled_definitions(defs):
    """The demo's names too: they are not required of an edited copy, but the bundled forms have them."""
    have = {(skema, felt.noegle) for skema, d in defs.items() for _a, _s, felt in d.all_fields()}
    assert [(k.skema, k.noegle) for k in NAMED if (k.skema, k.noegle) not in have] == []
    assert check_required_keys(defs) == []


def test_criteria_fields_are_built_from_the_kode():
    assert load_kriterier().alle_koder() == ("a1", "a2", "a3", "b1", "c1", "c2")
    assert (Indmelding.opfyldt("d1"), Indmelding.begrundelse("d1")) == ("d1_opfyldt", "d1_begrundelse")


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "skemaer"
    shutil.copytree(bundled_definitions_dir(), target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return next(n for n, line in enumerate(text.replace(old, new).splitlines(), start=1) if new.strip() in line)


def test_renamed_required_noegle_fails_at_load_naming_file_line_and_the_likely_rename(copy):
    line = _edit(copy / "aarsrapport.yaml", "noegle: belaegning\n", "noegle: belaegningsgrad\n")
    with pytest.raises(DefinitionError) as err:
        load_definitions(copy)
    assert err.value.source == "aarsrapport.yaml"
    (problem,) = problems(err)
    assert problem.startswith(f"linje {line}: feltet med noeglen 'belaegning' mangler; det bruges til nøgletal")
    assert "Mente du 'belaegningsgrad' (ark 'Belægning')?" in problem
    assert "Skemadefinitionen aarsrapport.yaml har 1 fejl" in str(err.value)


def test_every_missing_noegle_is_reported_at_once(copy):
    line = _edit(copy / "kommune.yaml", "{noegle: ingen_brug,", "{noegle: ingen_brugt,")
    _edit(copy / "indmelding.yaml", "{noegle: c2_opfyldt,", "{noegle: c2_svar,")
    with pytest.raises(DefinitionError) as err:
        load_definitions(copy)
    assert err.value.source == "indmelding.yaml, kommune.yaml"
    assert [p.split("feltet")[0] for p in problems(err)] == [f"kommune.yaml, linje {line}: ", "indmelding.yaml: "]
    assert "'c2_opfyldt' mangler" in problems(err)[1]  # no similar name, so no line: the file is named


def test_a_required_noegle_outside_its_repetition_is_reported(copy):
    _edit(copy / "udmelding.yaml", "        gentag: egne_tilbud\n", "")
    with pytest.raises(DefinitionError) as err:
        load_definitions(copy)
    assert [p.split("'")[1] for p in problems(err)] == ["oenskes_udmeldt", "karakteristika", "andre_aarsager"]
    assert all("skal stå i et ark eller en sektion med 'gentag: tilbud'" in p for p in problems(err))


def test_check_returns_issues_with_code_file_and_noegle(copy, defs):
    from toolkit.definitions import load_definition

    _edit(copy / "udmelding.yaml", "{noegle: konkurrerende_tilbud,", "{noegle: eget_tilbud,")
    edited = {**defs, "udmelding": load_definition(copy / "udmelding.yaml")}
    issues = check_required_keys(edited)
    assert [(i.code, i.file, i.key, i.severity) for i in issues] == [
        ("definition-mangler-noegle", "udmelding.yaml", "konkurrerende_tilbud", "fejl")
    ]
    assert "Tilføj et felt med 'noegle: konkurrerende_tilbud'" in issues[0].message  # no close name to suggest


def test_required_years_and_repetition_are_checked(copy):
    budget = _edit(
        copy / "aarsrapport.yaml",
        "{noegle: budget, etiket: Budget (kr.), type: beloeb, obligatorisk: true, min: 0, max: 10000000000, aar: [-1]}",
        "{noegle: budget, etiket: Budget (kr.), type: beloeb, obligatorisk: true, min: 0, max: 10000000000, aar: [-2]}",
    )
    with pytest.raises(DefinitionError) as err:
        load_definitions(copy)
    assert problems(err) == [
        f"linje {budget}: feltet 'budget' (ark 'Økonomi') skal spørge til årene aar: [-1] (har [-2]); det bruges til "
        "høringsmaterialet og DAS-bilaget (budget sidste år)."
    ]


def test_the_format_document_lists_every_required_noegle():
    from pathlib import Path

    from toolkit.fieldkeys import required_keys

    doc = (Path(__file__).parent.parent / "docs" / "skemaformat.md").read_text(encoding="utf-8")
    section = doc.split("### Felter som nøgletal, regler og dokumenter bruger")[1].split("\n## ")[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 5 and cells[0].startswith("`"):
            for noegle in cells[1].split(", "):
                rows[(cells[0].strip("`"), noegle.strip("`"))] = cells[2]
    assert sorted(rows) == sorted((k.skema, k.noegle) for k in required_keys())
    for k in required_keys():
        assert all(f"`{kind}`" in rows[(k.skema, k.noegle)] for kind in k.scope), k
