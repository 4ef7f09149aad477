"""Reading one returned form: values, typical mistakes, and files that are not our forms."""

import shutil
import zipfile

import openpyxl
import pytest
import xlsxwriter

from toolkit.forms.meta import META_SHEET
from toolkit.returns.read import read_return

from conftest import EVEN_YEAR
from fill import fill_form


@pytest.fixture
def aarsrapport(forms_dir, tmp_path):
    src = sorted(forms_dir.glob("*_aarsrapport_center_for_tale*.xlsx"))[0]
    return shutil.copy(src, tmp_path / src.name)


def codes(res):
    return sorted({(i.code, i.key) for i in res.issues})


def test_values_read_back_by_name_with_typical_input(aarsrapport, sd, defs):
    fill_form(
        aarsrapport,
        {
            "aarsrapport.bekymring": "x",
            "aarsrapport.ydelse.T01-Y1.belaegning.2025": "87,5 %",
            "aarsrapport.budget.2027": "1.234.500 kr.",
            "aarsrapport.ydelse.T01-Y2.belaegning.2025": "ca. 5",
        },
    )
    res = read_return(aarsrapport, sd, defs)
    assert (res.skema, res.aar, res.modtager.id) == ("aarsrapport", EVEN_YEAR, "T01")
    got = {v.key: v.value for v in res.values}
    assert got["aarsrapport.bekymring"] == "Ja"
    assert got["aarsrapport.ydelse.T01-Y1.belaegning.2025"] == 87.5
    assert got["aarsrapport.budget.2027"] == 1234500
    assert got["aarsrapport.ydelse.T01-Y2.belaegning.2025"] is None
    raw = {v.key: v.raw for v in res.values}
    assert raw["aarsrapport.ydelse.T01-Y2.belaegning.2025"] == "ca. 5"  # kept, never guessed
    assert ("ikke-et-tal", "aarsrapport.ydelse.T01-Y2.belaegning.2025") in codes(res)
    assert ("mangler-obligatorisk", "aarsrapport.faglig_udvikling") in codes(res)
    assert got["aarsrapport.kontaktperson"] == sd.driftsherre("DH-AAL").kontaktperson  # prefilled


def test_text_that_looks_like_a_formula_stays_text(aarsrapport, sd, defs):
    evil = '=HYPERLINK("http://evil.example.invalid","klik")'
    fill_form(aarsrapport, {"aarsrapport.faglig_udvikling": evil, "aarsrapport.metodeudvikling": "+45 12 34"})
    got = {v.key: v.value for v in read_return(aarsrapport, sd, defs).values}
    assert got["aarsrapport.faglig_udvikling"] == evil and got["aarsrapport.metodeudvikling"] == "+45 12 34"


def test_formula_without_cached_value_and_error_cells_are_named(aarsrapport, sd, defs, tmp_path):
    wb = openpyxl.load_workbook(aarsrapport)
    put = lambda name, v: _cell(wb, name).__setattr__("value", v)  # noqa: E731
    put("S_aarsrapport_budget_2027", "=1+1")  # openpyxl writes no cached value
    put("S_aarsrapport_ydelse_T01_Y1_venteliste", "=1/0")
    wb.save(aarsrapport)
    # an error value as Excel saves it: t="e" with the cached error
    _patch_cell(aarsrapport, "S_aarsrapport_ydelse_T01_Y1_venteliste", '<c r="{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    res = read_return(aarsrapport, sd, defs)
    c = codes(res)
    assert ("formel-uden-vaerdi", "aarsrapport.budget.2027") in c
    assert ("fejlvaerdi", "aarsrapport.ydelse.T01-Y1.venteliste") in c
    got = {v.key: v.value for v in res.values}
    assert "aarsrapport.budget.2027" not in got  # not taken as 0 or as empty


def test_formula_with_cached_value_is_used_with_a_warning(forms_dir, sd, defs, tmp_path):
    src = sorted(forms_dir.glob("*_aarsrapport_center_for_tale*.xlsx"))[0]
    path = shutil.copy(src, tmp_path / "f.xlsx")
    _patch_cell(path, "S_aarsrapport_budget_2027", '<c r="{r}"><f>1000+234</f><v>1234</v></c>')
    res = read_return(path, sd, defs)
    assert {v.key: v.value for v in res.values}["aarsrapport.budget.2027"] == 1234
    assert ("formel", "aarsrapport.budget.2027") in codes(res)


def test_moved_name_wins_over_meta_address_and_is_reported(aarsrapport, sd, defs):
    wb = openpyxl.load_workbook(aarsrapport)
    dn = wb.defined_names["S_aarsrapport_telefon"]
    ((sheet, ref),) = list(dn.destinations)
    dn.attr_text = f"'{sheet}'!$B$40"
    wb[sheet]["B40"] = "+45 11 22 33 44"
    wb.save(aarsrapport)
    res = read_return(aarsrapport, sd, defs)
    assert {v.key: v.value for v in res.values}["aarsrapport.telefon"] == "+45 11 22 33 44"
    assert ("navn-flyttet", "aarsrapport.telefon") in codes(res)


def test_foreign_workbook_is_refused_with_a_danish_message(tmp_path, sd, defs):
    p = tmp_path / "budget.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Ark1").write("A1", "hej")
    wb.close()
    res = read_return(p, sd, defs)
    assert res.refused and res.issues[0].code == "fremmed-projektmappe"
    assert "ikke et skema fra sekretariatet" in res.issues[0].message


def test_unknown_version_and_unknown_respondent_are_refused(aarsrapport, sd, defs, tmp_path):
    wb = openpyxl.load_workbook(aarsrapport)
    wb[META_SHEET]["B2"] = 99
    wb.save(aarsrapport)
    res = read_return(aarsrapport, sd, defs)
    assert res.refused and res.issues[0].code == "ukendt-version"
    wb[META_SHEET]["B2"] = 1
    wb[META_SHEET]["B5"] = "T99"
    wb.save(aarsrapport)
    res = read_return(aarsrapport, sd, defs)
    assert res.refused and res.issues[0].code == "ukendt-modtager"


def test_edited_meta_sheet_is_flagged_and_stamdata_wins(aarsrapport, sd, defs):
    wb = openpyxl.load_workbook(aarsrapport)
    wb[META_SHEET]["B3"] = "0000000000000000"  # definition hash
    wb[META_SHEET]["B6"] = "Et andet navn"
    _cell(wb, next(n for n in wb.defined_names if "belaegning" in n)).value = 90  # an answer: not blank
    wb.save(aarsrapport)
    res = read_return(aarsrapport, sd, defs)
    assert not res.refused and not res.valid
    assert "manipuleret" in {i.code for i in res.issues}
    assert res.modtager.navn == sd.tilbud_by_id("T01").navn


def _cell(wb, name):
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")]


def _patch_cell(path, name, xml_template):
    """Replace one cell's XML directly (to create what Excel writes but openpyxl cannot)."""
    import re

    wb = openpyxl.load_workbook(path)
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    ref = ref.replace("$", "")
    idx = wb.sheetnames.index(sheet) + 1
    wb.close()
    member = f"xl/worksheets/sheet{idx}.xml"
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts[member].decode()
    xml, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml_template.format(r=ref), xml, count=1)
    assert n == 1
    parts[member] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)


def test_a_deficit_is_a_negative_annual_result_and_is_accepted(aarsrapport, sd, defs):
    fill_form(aarsrapport, {"aarsrapport.aarsresultat.2027": "-1.250.000 kr.", "aarsrapport.budget.2027": 9_000_000})
    res = read_return(aarsrapport, sd, defs)
    got = {v.key: v.value for v in res.values}
    assert got["aarsrapport.aarsresultat.2027"] == -1_250_000
    assert not [i for i in res.issues if i.key == "aarsrapport.aarsresultat.2027"]
