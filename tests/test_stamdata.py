import datetime as dt
import json

import openpyxl
import pytest

from toolkit.problems import Issue, StamdataError
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
    for attr in ("aftaleparter", "driftsherrer", "tilbud", "ydelser", "frister", "niveauer", "klynger"):
        assert getattr(loaded, attr) == getattr(original, attr)
    assert loaded.indstillinger["region"] == "Nordjylland"


def _broken_copy(tmp_path, edit):
    path = write_stamdata(example_stamdata(), tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _problems(path) -> list[Issue]:
    with pytest.raises(StamdataError) as exc:
        load_stamdata(path)
    assert all(i.file == path.name for i in exc.value.issues)
    return exc.value.issues


def _where(issues) -> list[tuple]:
    return [(i.sheet, i.row, i.column, i.code) for i in issues]


def test_unknown_driftsherre_is_reported_with_sheet_row_and_column(tmp_path):
    def edit(wb):
        wb["Tilbud"]["C7"] = "Aalborg K"

    path = _broken_copy(tmp_path, edit)
    with pytest.raises(StamdataError) as exc:
        load_stamdata(path)
    assert str(exc.value) == (
        "Stamdata i s.xlsx har 1 fejl:\n  - ark Tilbud, række 7, kolonne C: driftsherre "
        "'Aalborg K' findes ikke i arket Driftsherrer (mente du DH-AAL?)"
    )
    [issue] = exc.value.issues
    assert _where([issue]) == [("Tilbud", 7, "C", "stamdata-ukendt-id")]


def _blank_row_before(sheet, row):
    def edit(wb):
        wb[sheet].insert_rows(row)

    return edit


@pytest.mark.parametrize(
    "edits,expected",
    [
        # a blank row 4 moves the old row 7 to row 8: the message must say 8
        (
            [_blank_row_before("Tilbud", 4), lambda wb: wb["Tilbud"].__setitem__("C8", "DH-XXX")],
            [("Tilbud", 8, "C", "stamdata-ukendt-id")],
        ),
        (
            [_blank_row_before("Ydelser", 3), lambda wb: wb["Ydelser"].__setitem__("B10", "T99")],
            [("Ydelser", 10, "B", "stamdata-ukendt-id")],
        ),
        (
            [
                _blank_row_before("Ydelser", 3),
                _blank_row_before("Ydelser", 3),
                lambda wb: wb["Ydelser"].__setitem__("D9", "mange"),
            ],
            [("Ydelser", 9, "D", "stamdata-ugyldig-vaerdi")],
        ),
        (
            [
                _blank_row_before("Tilbud", 3),
                lambda wb: [
                    wb["Tilbud"].__setitem__(c, v) for c, v in (("A11", "T01"), ("B11", "Kopi"), ("C11", "DH-AAL"))
                ],
            ],
            [("Tilbud", 11, "A", "stamdata-dublet")],
        ),
        (
            [
                _blank_row_before("Tilbud", 3),
                lambda wb: [
                    wb["Tilbud"].__setitem__(c, v)
                    for c, v in (("A11", "T09"), ("B11", "Nyt"), ("C11", "DH-AAL"), ("F11", 2029))
                ],
            ],
            [("Tilbud", 11, "A", "stamdata-ingen-ydelser")],
        ),
        (
            [_blank_row_before("Tilbud", 3), lambda wb: wb["Tilbud"].__setitem__("G6", 2020)],
            [("Tilbud", 6, "G", "stamdata-ugyldig-periode")],
        ),
    ],
)
def test_problems_name_the_real_sheet_row_after_blank_rows(tmp_path, edits, expected):
    path = _broken_copy(tmp_path, lambda wb: [e(wb) for e in edits])
    assert _where(_problems(path)) == expected


def test_type_and_reference_errors_come_in_one_pass(tmp_path):
    def edit(wb):
        wb["Aftaleparter"]["G3"] = "mange"  # not a number
        wb["Ydelser"]["D4"] = -3  # negative pladstal
        wb["Ydelser"]["B5"] = "T99"  # unknown tilbud ...
        wb["Ydelser"]["D5"] = "ti"  # ... and a bad number in the same row
        wb["Indstillinger"]["B2"] = None  # region missing
        wb["Tilbud"]["B3"] = None  # name missing
        wb["Tilbud"]["C4"] = "DH-R"  # a typo in an id

    path = _broken_copy(tmp_path, edit)
    issues = _problems(path)
    assert sorted(_where(issues)) == [
        ("Aftaleparter", 3, "G", "stamdata-ugyldig-vaerdi"),
        ("Indstillinger", 2, "B", "stamdata-mangler-indstilling"),
        ("Tilbud", 3, "B", "stamdata-mangler-vaerdi"),
        ("Tilbud", 4, "C", "stamdata-ukendt-id"),
        ("Ydelser", 4, "D", "stamdata-ugyldig-vaerdi"),
        ("Ydelser", 5, "B", "stamdata-ukendt-id"),
        ("Ydelser", 5, "D", "stamdata-ugyldig-vaerdi"),
    ]
    lines = [i.text(with_file=False) for i in issues]
    assert "ark Aftaleparter, række 3, kolonne G: 'Indbyggere' skal være et helt tal (der står 'mange')" in lines
    assert "ark Ydelser, række 4, kolonne D: 'Pladstal' må ikke være negativ (der står '-3')" in lines
    assert "ark Indstillinger, række 2, kolonne B: indstillingen 'region' mangler en værdi" in lines
    assert "ark Tilbud, række 3, kolonne B: 'Navn' mangler" in lines
    assert (
        "ark Tilbud, række 4, kolonne C: driftsherre 'DH-R' findes ikke i arket Driftsherrer (mente du DH-RN?)" in lines
    )


@pytest.mark.parametrize(
    "typed,suggestion",
    [
        ("DH-R", " (mente du DH-RN?)"),
        ("dh-aal", " (mente du DH-AAL?)"),
        ("Thisted Kommune", " (mente du DH-THI?)"),  # no id is close, but a name is
        ("XYZ", ""),
    ],
)
def test_unknown_id_suggests_the_closest_known(tmp_path, typed, suggestion):
    path = _broken_copy(tmp_path, lambda wb: wb["Tilbud"].__setitem__("C2", typed))
    [issue] = _problems(path)
    assert issue.message == f"driftsherre '{typed}' findes ikke i arket Driftsherrer{suggestion}"


@pytest.mark.parametrize(
    "sheet,cell,value,expected",
    [
        ("Aftaleparter", "E2", "anne(at)aalborg.dk", ("Aftaleparter", 2, "E", "stamdata-ugyldig-email")),
        ("Driftsherrer", "E3", "drift@aalborg", ("Driftsherrer", 3, "E", "stamdata-ugyldig-email")),
        ("Indstillinger", "B4", "rammeaftaler sekretariat.dk", ("Indstillinger", 4, "B", "stamdata-ugyldig-email")),
        ("Indstillinger", "B8", "fem", ("Indstillinger", 8, "B", "stamdata-ugyldig-vaerdi")),
    ],
)
def test_invalid_email_and_setting_are_reported(tmp_path, sheet, cell, value, expected):
    path = _broken_copy(tmp_path, lambda wb: wb[sheet].__setitem__(cell, value))
    [issue] = _problems(path)
    assert _where([issue]) == [expected]
    assert f"(der står '{value}')" in issue.message


@pytest.mark.parametrize(
    "sheet,cell,typed,read,expected",
    [
        ("Aftaleparter", "G2", "36.500", lambda sd: sd.aftaleparter[0].indbyggere, 36500),
        ("Aftaleparter", "G2", "222 000", lambda sd: sd.aftaleparter[0].indbyggere, 222000),
        ("Ydelser", "E2", "1.234,5", lambda sd: sd.ydelser[0].takst, 1234.5),
        ("Ydelser", "E2", "4.200 kr.", lambda sd: sd.ydelser[0].takst, 4200),
        ("Tilbud", "L2", "92,5", lambda sd: sd.tilbud[0].budgetteret_belaegning, 92.5),
        ("Frister", "B2", "15/4-2027", lambda sd: sd.frister[0].dato, dt.date(2027, 4, 15)),
        ("Frister", "B2", "15.4.2027", lambda sd: sd.frister[0].dato, dt.date(2027, 4, 15)),
        ("Frister", "B2", "2027-04-15", lambda sd: sd.frister[0].dato, dt.date(2027, 4, 15)),
        ("Frister", "B2", "15. april 2027", lambda sd: sd.frister[0].dato, dt.date(2027, 4, 15)),
        ("Frister", "B2", 46492, lambda sd: sd.frister[0].dato, dt.date(2027, 4, 15)),  # an Excel serial day
        ("Indstillinger", "B8", "2,5", lambda sd: sd.setting("ew_belaegning_margin"), 2.5),
    ],
)
def test_numbers_and_dates_are_read_the_danish_way(tmp_path, sheet, cell, typed, read, expected):
    path = _broken_copy(tmp_path, lambda wb: wb[sheet].__setitem__(cell, typed))
    assert read(load_stamdata(path)) == expected


@pytest.mark.parametrize(
    "sheet,cell,typed,message",
    [
        ("Aftaleparter", "G2", "1.234,5", "'Indbyggere' skal være et helt tal (der står '1.234,5')"),
        ("Frister", "B2", "31.2.2027", "'Frist (dato)' skal være en dato, fx 1.3.2027 (der står '31.2.2027')"),
        ("Frister", "B2", "snart", "'Frist (dato)' skal være en dato, fx 1.3.2027 (der står 'snart')"),
        ("Ydelser", "A2", "T01.Y1", "'Id' må kun indeholde bogstaver a-z, tal, '-' og '_' (der står 'T01.Y1')"),
        (
            "Aftaleparter",
            "C2",
            "kommunne",
            "'Type (kommune/region)' skal være 'kommune' eller 'region' (der står 'kommunne')",
        ),
    ],
)
def test_unreadable_numbers_and_dates_say_what_was_typed(tmp_path, sheet, cell, typed, message):
    path = _broken_copy(tmp_path, lambda wb: wb[sheet].__setitem__(cell, typed))
    [issue] = _problems(path)
    assert (issue.sheet, issue.row, issue.code, issue.message) == (sheet, 2, "stamdata-ugyldig-vaerdi", message)


@pytest.mark.parametrize(
    "issue,text",
    [
        (
            Issue(
                "stamdata-ukendt-id", "driftsherre 'X' findes ikke", file="s.xlsx", sheet="Tilbud", row=7, column="C"
            ),
            "s.xlsx, ark Tilbud, række 7, kolonne C: driftsherre 'X' findes ikke",
        ),
        (Issue("stamdata-mangler-ark", "arket 'Ydelser' mangler", file="s.xlsx"), "s.xlsx: arket 'Ydelser' mangler"),
        (
            Issue("definition-ugyldig", "version: mangler", file="indmelding.yaml", line=12),
            "indmelding.yaml, linje 12: version: mangler",
        ),
        (
            Issue("ikke-et-tal", "'x' er ikke et tal", sheet="Afsnit 1", cell="D7"),
            "ark Afsnit 1, celle D7: 'x' er ikke et tal",
        ),
        (Issue("tom-fil", "filen er tom"), "filen er tom"),
    ],
)
def test_issue_renders_its_position_in_danish(issue, text):
    assert issue.text() == text
    assert issue.text(with_file=False) == text.removeprefix(f"{issue.file}, ").removeprefix(f"{issue.file}: ")


def test_issue_json_form_has_stable_keys():
    j = Issue(
        "stamdata-dublet", "id 'T01' står også i række 2", file="s.xlsx", sheet="Tilbud", row=9, column="A"
    ).to_json()
    assert j == {
        "code": "stamdata-dublet",
        "severity": "fejl",
        "title": "Samme id står flere gange",
        "message": "id 'T01' står også i række 2",
        "file": "s.xlsx",
        "respondent": "",
        "skema": "",
        "sheet": "Tilbud",
        "row": 9,
        "column": "A",
        "cell": "",
        "line": None,
        "key": "",
    }
    assert json.loads(json.dumps(j)) == j


def test_a_missing_column_is_reported_once_not_per_row(tmp_path):
    path = _broken_copy(tmp_path, lambda wb: wb["Ydelser"].__setitem__("C1", "Betegnelse"))
    assert [i.text(with_file=False) for i in _problems(path)] == [
        "ark Ydelser, række 1: kolonnen 'Navn' mangler i første række"
    ]


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


def test_bundled_example_file_is_what_example_py_builds(sd):
    """toolkit/data/stamdata_eksempel.xlsx is built by `python -m toolkit.stamdata.example`: the two agree."""
    built = example_stamdata()
    for attr in ("indstillinger", "aftaleparter", "driftsherrer", "tilbud", "ydelser", "frister", "niveauer"):
        assert getattr(sd, attr) == getattr(built, attr), attr


def test_example_carries_every_setting_the_readme_describes(sd):
    from toolkit.rules.period import FIRST_PERIOD_DEFAULT
    from toolkit.rules.warnings import DEFAULTS
    from toolkit.stamdata.layout import SETTINGS

    assert sd.setting("aftaleperiode_start") == FIRST_PERIOD_DEFAULT
    for key, default in DEFAULTS.items():
        assert sd.setting(key) == default, key
    mail = {k for k in SETTINGS if k.startswith("smtp_")}  # the example region sends no mail: left empty
    assert set(SETTINGS) - mail <= set(sd.indstillinger)  # every documented setting has a row with a value
    assert set(sd.indstillinger) <= set(SETTINGS)  # and no row is read by nothing


@pytest.mark.parametrize(
    "typed,message",
    [
        ("2,5", "indstillingen 'indmelding_antal_tilbud' skal være et helt tal (der står '2,5')"),
        ("0", "indstillingen 'indmelding_antal_tilbud' skal ligge mellem 1 og 20 (der står 0)"),
        ("25", "indstillingen 'indmelding_antal_tilbud' skal ligge mellem 1 og 20 (der står 25)"),
    ],
)
def test_the_number_of_nomination_blocks_is_a_whole_number_in_range(tmp_path, typed, message):
    def edit(wb):
        ws = wb["Indstillinger"]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "indmelding_antal_tilbud")
        ws.cell(row, 2).value = typed

    [issue] = _problems(_broken_copy(tmp_path, edit))
    assert issue.message == message and issue.sheet == "Indstillinger"
