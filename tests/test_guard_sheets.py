"""The guard checks a worksheet (a DTD in its prolog, the extent of its values) before python-calamine
loads it: the visible sheets up front, a hidden one (`_skema`, `_felter`, `_lister`, `_status`, or one
a respondent hid) only when the reader is about to load it. A hostile sheet that is loaded refuses the
whole file with the guard's code and message; one that is never loaded costs nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

import toolkit.returns.guards as guards
from toolkit.forms.meta import MAP_SHEET, META_SHEET
from toolkit.returns.guards import check_package
from toolkit.returns.read import read_return

from conftest import EVEN_YEAR
from fill import answered_copy

FAR = "ALL99999"  # 99.999 rows × 1.000 columns: 100 million cells, five times the guard's limit


def _absurd(name: str, part: str) -> str:
    """The guard's message for a sheet with a value at FAR."""
    return (
        f"{name}: arket {part.rsplit('/', 1)[-1]} har værdier til og med række 99.999 og kolonne 1.000 "
        f"(højst 100.000 rækker, 1.000 kolonner og 20.000.000 celler i alt)."
    )


@pytest.fixture(scope="module")
def answered(forms_dir, sd, defs, tmp_path_factory) -> Path:
    src = sorted(forms_dir.glob("*_udmelding_*.xlsx"))[0]
    return answered_copy(src, tmp_path_factory.mktemp("besvaret") / src.name, sd, defs, EVEN_YEAR)


@pytest.fixture(scope="module")
def expected(answered, sd, defs) -> dict:
    res = read_return(answered, sd, defs)
    assert not res.refused and res.values, [i.message for i in res.issues]
    return {v.key: v.value for v in res.values}


def _edited(src: Path, dst: Path, edit) -> Path:
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(dst)
    return dst


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The worksheet parts the guard checks after its up-front pass, in order."""
    seen: list[str] = []
    real = guards._check_sheet

    def spy(package, member, limits):
        seen.append(member)
        return real(package, member, limits)

    monkeypatch.setattr(guards, "_check_sheet", spy)
    return seen


def test_a_hidden_sheet_never_loaded_costs_nothing_and_the_form_is_read(
    answered, expected, sd, defs, tmp_path, checked
):
    """A hidden extra sheet with a value far beyond the limits (refused up front until now): the
    reader never loads it, so it is neither unpacked nor checked, and every answer is read."""

    def hide_far_sheet(wb):
        ws = wb.create_sheet("Noter")
        ws[FAR] = "langt ude"
        ws.sheet_state = "hidden"

    path = _edited(answered, tmp_path / "skjult_ark.xlsx", hide_far_sheet)
    part = _part_of_sheet(path, "Noter")
    refusal, _warnings, package = check_package(path)
    assert refusal is None and package is not None
    assert part not in package.parts and part not in package.checked
    package.close()
    checked.clear()
    res = read_return(path, sd, defs)
    assert not res.refused, [i.message for i in res.issues]
    assert {v.key: v.value for v in res.values} == expected
    assert part not in checked and checked == [_part_of_sheet(path, META_SHEET)]  # only `_skema` was loaded


def test_the_same_sheet_visible_is_refused_up_front(answered, tmp_path):
    def far_sheet(wb):
        wb.create_sheet("Noter")[FAR] = "langt ude"

    path = _edited(answered, tmp_path / "synligt_ark.xlsx", far_sheet)
    refusal, _warnings, package = check_package(path)
    assert package is None and refusal is not None
    assert (refusal.code, refusal.message) == ("absurd-omfang", _absurd(path.name, _part_of_sheet(path, "Noter")))


def _part_of_sheet(path: Path, sheet: str) -> str:
    package = guards.Package.open(path)
    assert package.zip is not None
    guards._hidden_sheet_parts(package)
    package.close()
    assert package.sheet_parts is not None
    return package.sheet_parts[sheet]


def test_an_absurd_skema_sheet_is_refused_when_it_is_loaded(answered, sd, defs, tmp_path):
    """`_skema` is hidden and always loaded: a value far out in it passes the up-front pass and
    refuses the whole file, with the guard's code and message, before python-calamine loads it."""
    path = _edited(answered, tmp_path / "skema_langt_ude.xlsx", lambda wb: wb[META_SHEET].__setitem__(FAR, 1))
    assert check_package(path)[0] is None
    res = read_return(path, sd, defs, original_name="indsendt.xlsx")
    assert res.refused and not res.values
    assert [(i.code, i.message, i.file) for i in res.issues] == [
        ("absurd-omfang", _absurd("indsendt.xlsx", _part_of_sheet(path, META_SHEET)), "indsendt.xlsx")
    ]


def test_an_input_sheet_the_respondent_hid_is_checked_before_it_is_loaded(answered, sd, defs, tmp_path):
    """An input sheet hidden by the respondent holds fields: the reader loads it, so its stray far
    value refuses the file as it always did."""
    wb = openpyxl.load_workbook(answered, read_only=True)
    sheet = next(s for s in wb.sheetnames if not s.startswith("_") and s != "Vejledning")
    wb.close()

    def hide(wb):
        wb[sheet][FAR] = 5
        wb[sheet].sheet_state = "hidden"
        wb.active = wb.sheetnames.index("Vejledning")

    path = _edited(answered, tmp_path / "skjult_inddata.xlsx", hide)
    assert check_package(path)[0] is None
    res = read_return(path, sd, defs)
    assert res.refused and [i.code for i in res.issues] == ["absurd-omfang"]
    assert res.issues[0].message == _absurd(path.name, _part_of_sheet(path, sheet))


def test_the_field_map_is_checked_only_when_it_is_read(answered, expected, sd, defs, tmp_path, checked):
    """`_felter` is read only when the names are not as the form was made: a far value in it
    costs nothing while the layout is intact, and refuses the file once the map is needed."""
    intact = _edited(answered, tmp_path / "felter_langt_ude.xlsx", lambda wb: wb[MAP_SHEET].__setitem__(FAR, 1))
    map_part = _part_of_sheet(intact, MAP_SHEET)
    res = read_return(intact, sd, defs)
    assert not res.refused and {v.key: v.value for v in res.values} == expected
    assert map_part not in checked

    def lose_a_name(wb):
        wb[MAP_SHEET][FAR] = 1
        field = next(n for n in wb.defined_names if n.startswith("S_"))
        del wb.defined_names[field]

    broken = _edited(answered, tmp_path / "felter_laeses.xlsx", lose_a_name)
    res = read_return(broken, sd, defs)
    assert res.refused and [(i.code, i.message) for i in res.issues] == [
        ("absurd-omfang", _absurd(broken.name, map_part))
    ]


LAUGHS = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def _rezip(src: Path, dst: Path, member: str, edit) -> Path:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            out.writestr(info.filename, edit(data) if info.filename == member else data)
    return dst


def _with_dtd(data: bytes) -> bytes:
    head, sep, body = data.partition(b"?>")
    return head + sep + LAUGHS + body if sep else LAUGHS + data


def test_a_dtd_in_a_loaded_hidden_sheet_is_refused_as_before(answered, sd, defs, tmp_path):
    part = _part_of_sheet(answered, META_SHEET)
    path = _rezip(answered, tmp_path / "skema_dtd.xlsx", part, _with_dtd)
    assert check_package(path)[0] is None  # `_skema` is checked when it is loaded
    res = read_return(path, sd, defs)
    assert res.refused and [(i.code, i.message) for i in res.issues] == [
        (
            "xml-entitet",
            f"{path.name}: delen {part} indeholder en DTD/entitetserklæring, som Excel aldrig skriver "
            f"(mulig XML-angreb). Filen læses ikke.",
        )
    ]


def test_a_dtd_in_a_hidden_sheet_never_loaded_is_harmless(answered, expected, sd, defs, tmp_path):
    part = _part_of_sheet(answered, "_lister")
    res = read_return(_rezip(answered, tmp_path / "lister_dtd.xlsx", part, _with_dtd), sd, defs)
    assert not res.refused and {v.key: v.value for v in res.values} == expected


def test_a_sheet_list_the_guard_cannot_place_defers_nothing(answered, tmp_path):
    """A relationship target that readers might resolve differently ('..' in it): the guard does
    not guess which part a hidden sheet is, but checks every worksheet up front."""

    def far_felter(wb):
        wb[MAP_SHEET][FAR] = 1

    far = _edited(answered, tmp_path / "felter.xlsx", far_felter)
    part = _part_of_sheet(far, MAP_SHEET)
    assert check_package(far)[0] is None  # deferred: `_felter` is hidden
    target = part.removeprefix("xl/")
    odd = _rezip(
        far,
        tmp_path / "uplaceret.xlsx",
        "xl/_rels/workbook.xml.rels",
        lambda d: d.replace(f'"/{part}"'.encode(), f'"../xl/{target}"'.encode()).replace(
            f'"{target}"'.encode(), f'"../xl/{target}"'.encode()
        ),
    )
    refusal, _warnings, package = check_package(odd)
    assert package is None and refusal is not None
    assert (refusal.code, refusal.message) == ("absurd-omfang", _absurd(odd.name, part))


def test_a_damaged_part_is_refused_as_damaged(answered, sd, defs, tmp_path):
    """The guard inflates the parts itself from the file's bytes: a part whose bytes were damaged
    (one byte changed in the middle of a visible sheet) fails its checksum, as zipfile's would."""
    part = _part_of_sheet(answered, "Vejledning")
    data = bytearray(answered.read_bytes())
    with zipfile.ZipFile(answered) as z:
        info = z.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x55
    path = tmp_path / "beskadiget.xlsx"
    path.write_bytes(bytes(data))
    refusal, _warnings, package = check_package(path)
    assert package is None and refusal is not None and refusal.code == "ulaeselig-fil"
    res = read_return(path, sd, defs)
    assert res.refused and [i.code for i in res.issues] == ["ulaeselig-fil"]


def test_a_part_read_by_the_guard_equals_zipfiles(answered):
    refusal, _warnings, package = check_package(answered)
    assert refusal is None and package is not None and package.zip is not None
    with zipfile.ZipFile(answered) as z:
        for info in z.infolist():
            whole = z.read(info)
            assert package.unpack(info) == whole
            assert package.unpack(info, 100) == whole[:100]
    package.close()
