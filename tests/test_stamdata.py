import openpyxl
import pytest

from toolkit.problems import StamdataError
from toolkit.stamdata import load_stamdata, write_stamdata
from toolkit.stamdata.example import example_stamdata


def test_example_has_nordjylland_parties_and_tilbud(sd):
    kommuner = [a.navn for a in sd.kommuner()]
    assert len(kommuner) == 11 and "Læsø Kommune" in kommuner
    assert [a.navn for a in sd.aftaleparter if a.type == "region"] == ["Region Nordjylland"]
    assert len(sd.tilbud) == 8
    assert all(2 <= len(sd.ydelser_for(t.id)) <= 5 for t in sd.tilbud)
    assert all(a.email.endswith(".example.invalid") for a in sd.aftaleparter)


def test_write_then_load_gives_the_same_stamdata(tmp_path):
    original = example_stamdata(2029)
    path = write_stamdata(original, tmp_path / "s.xlsx")
    loaded = load_stamdata(path)
    for attr in ("aftaleparter", "driftsherrer", "tilbud", "ydelser", "frister"):
        assert getattr(loaded, attr) == getattr(original, attr)
    assert loaded.indstillinger["region"] == "Nordjylland"


def _broken_copy(tmp_path, edit):
    path = write_stamdata(example_stamdata(), tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def test_unknown_driftsherre_is_reported_with_sheet_and_row(tmp_path):
    def edit(wb):
        ws = wb["Tilbud"]
        ws["C7"] = "Aalborg K"
    path = _broken_copy(tmp_path, edit)
    with pytest.raises(StamdataError) as exc:
        load_stamdata(path)
    assert "ark Tilbud, række 7: driftsherre 'Aalborg K' findes ikke i arket Driftsherrer" in str(exc.value)


def test_all_problems_are_reported_at_once(tmp_path):
    def edit(wb):
        wb["Aftaleparter"]["G3"] = "mange"          # not a number
        wb["Ydelser"]["D4"] = -3                   # negative pladstal
        wb["Ydelser"]["B5"] = "T99"                # unknown tilbud (reported after row errors)
        wb["Indstillinger"]["B2"] = None           # region missing
        wb["Tilbud"]["A3"] = "T.02"                # a dot would break field keys
    path = _broken_copy(tmp_path, edit)
    with pytest.raises(StamdataError) as exc:
        load_stamdata(path)
    problems = exc.value.problems
    assert "ark Aftaleparter, række 3, kolonne G: 'Indbyggere' skal være et helt tal" in problems
    assert "ark Ydelser, række 4, kolonne D: 'Pladstal' må ikke være negativ" in problems
    assert "ark Indstillinger: indstillingen 'region' mangler en værdi" in problems
    assert "ark Tilbud, række 3, kolonne A: 'Id' må kun indeholde bogstaver a-z, tal, '-' og '_'" in problems


def test_missing_sheet_and_unreadable_file(tmp_path):
    path = _broken_copy(tmp_path, lambda wb: wb.remove(wb["Ydelser"]))
    with pytest.raises(StamdataError, match="arket 'Ydelser' mangler"):
        load_stamdata(path)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("ikke excel")
    with pytest.raises(StamdataError, match="kan ikke læses"):
        load_stamdata(junk)


def test_deadline_falls_back_to_same_day_in_other_years(sd):
    assert sd.frist("aarsrapport", 2027).isoformat() == "2027-04-15"
    assert sd.frist("aarsrapport", 2031).isoformat() == "2031-04-15"
    assert sd.frist("ukendt", 2027) is None
