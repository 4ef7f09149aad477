"""Which version of an answer counts: the respondent's last save (whatever the arrival order or the
file name), refused files read again after a fix, the untouched sent form refused, and archive
copies a killed run left behind."""

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import pytest

from toolkit.returns.ingest import ingest
from toolkit.returns.saved import FROM_FILE, FROM_MTIME, last_saved
from toolkit.stamdata.model import Stamdata
from toolkit.statuses import FileResult
from toolkit.store import Store
from toolkit.store.db import sha256_file
from toolkit.store.receive import Admitted, admit

from conftest import EVEN_YEAR
from fill import fill_form

KEY = "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029"
UTC = dt.timezone.utc


def saved_at(path: Path, when: str) -> Path:
    """Rewrite `path` so that docProps/core.xml says it was last saved at `when` (W3CDTF), as Excel
    and LibreOffice write it on every save (openpyxl sets it to 'now' on save)."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data, n = re.subn(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + when.encode() + rb"\g<2>", data
                )
                assert n == 1
            dst.writestr(info, data)
    tmp.replace(path)
    return path


def kommune_form(forms_dir: Path) -> Path:
    return sorted(forms_dir.glob("*_kommune_aalborg*.xlsx"))[0]


def answer(forms_dir: Path, target: Path, pladser, when: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return saved_at(fill_form(kommune_form(forms_dir), {KEY: pladser}, target), when)


def current(st: Store, aar: int = EVEN_YEAR):
    return {v.felt: v.value for v in st.current_values(aar, "kommune") if v.respondent_id == "K851"}.get(KEY)


# --- when a file was saved ---------------------------------------------------------------------------


def test_saved_time_is_read_from_xlsx_and_survives_conversion_to_xls_and_ods(forms_dir, soffice, tmp_path):
    from toolkit.documents.pdf import convert

    x = answer(forms_dir, tmp_path / "in" / "svar.xlsx", 3, "2025-05-04T03:02:01Z")
    converted = [convert([x], fmt, tmp_path / fmt)[0] for fmt in ("xls", "ods")]
    expected = dt.datetime(2025, 5, 4, 3, 2, 1, tzinfo=UTC)
    for p in [x, *converted]:
        got = last_saved(p, mtime=0.0)
        assert (got.when, got.source) == (expected, FROM_FILE), p.name
    assert last_saved(x, 0.0).text == "2025-05-04T03:02:01.000000Z"


@pytest.mark.parametrize(
    "content",
    [
        b"not a zip at all",
        b"PK\x03\x04broken",
        "core-without-modified",
        "core-with-entity",
        "core-huge",
        "core-in-the-future",
    ],
)
def test_without_a_readable_saved_time_the_file_time_is_used(content, tmp_path):
    p = tmp_path / "x.xlsx"
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        core = {
            "core-without-modified": b"<cp:coreProperties xmlns:cp='x'/>",
            "core-with-entity": b"<!DOCTYPE a [<!ENTITY e 'x'>]><cp:coreProperties xmlns:cp='x' "
            b"xmlns:dcterms='http://purl.org/dc/terms/'><dcterms:modified>&e;"
            b"</dcterms:modified></cp:coreProperties>",
            "core-huge": b"<a>" + b" " * (2 << 20) + b"</a>",
            "core-in-the-future": b"<cp:coreProperties xmlns:cp='x' xmlns:dcterms='http://purl.org/dc/terms/'>"
            b"<dcterms:modified>8999-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>",
        }[content]
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("docProps/core.xml", core)
    got = last_saved(p, mtime=1_700_000_000.5)
    assert got.source == FROM_MTIME and got.when == dt.datetime.fromtimestamp(1_700_000_000.5, UTC)
    xls = tmp_path / "x.xls"
    xls.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    assert last_saved(xls, 5.0).source == FROM_MTIME


# --- the last save wins ------------------------------------------------------------------------------


def test_an_older_save_arriving_later_goes_to_history_and_says_so(forms_dir, sd, defs, tmp_path):
    late = answer(forms_dir, tmp_path / "a" / "rettet.xlsx", 5, "2026-03-02T09:00:00Z")
    early = answer(forms_dir, tmp_path / "b" / "original.xlsx", 3, "2026-03-01T09:00:00Z")
    with Store(tmp_path / "w") as st:
        r1 = ingest([late], st, sd, defs)
        assert [i.status for i in r1.items] == [FileResult.NY]
        r2 = ingest([early], st, sd, defs)
        (item,) = r2.items
        assert item.status == FileResult.AELDRE
        (note,) = [i for i in item.issues if i.code == "aeldre-version"]
        assert note.message.startswith("original.xlsx er gemt ")
        assert "før det svar, der allerede er indlæst (rettet.xlsx, gemt " in note.message
        assert note.message.endswith("det gemmes i historikken men erstatter ikke.")
        assert current(st) == 5
        hist = st.history("K851")
        assert [(h.original_name, h.current) for h in hist] == [("rettet.xlsx", 1), ("original.xlsx", 0)]
        assert hist[1].superseded_by == hist[0].id and hist[0].superseded_by is None
        assert hist[1].saved_at < hist[0].saved_at
        # a yet later save replaces it as usual
        newest = answer(forms_dir, tmp_path / "c" / "igen.xlsx", 7, "2026-03-03T09:00:00Z")
        assert [i.status for i in ingest([newest], st, sd, defs).items] == [FileResult.ERSTATTER]
        assert current(st) == 7


def test_in_one_batch_the_later_save_wins_whatever_the_names_and_file_times(forms_dir, sd, defs, tmp_path):
    inbox = tmp_path / "indbakke"
    fixed = answer(forms_dir, inbox / "X (rettet).xlsx", 5, "2026-03-02T09:00:00Z")
    first = answer(forms_dir, inbox / "X.xlsx", 3, "2026-03-01T09:00:00Z")
    os.utime(fixed, (1_800_000_000, 1_800_000_000))  # file times and names both point the wrong way
    os.utime(first, (1_800_000_900, 1_800_000_900))
    with Store(tmp_path / "w") as st:
        report = ingest([inbox], st, sd, defs)
        # each file is stored as soon as it is read (name order): the correction first, then the
        # original, which was saved before it and so goes into the history without replacing it
        assert {i.file.name: i.status for i in report.items} == {
            "X (rettet).xlsx": FileResult.NY,
            "X.xlsx": FileResult.AELDRE,
        }
        assert current(st) == 5
        assert [h.original_name for h in st.history("K851")] == ["X (rettet).xlsx", "X.xlsx"]


def test_equal_save_times_the_later_received_wins(forms_dir, sd, defs, tmp_path):
    a = answer(forms_dir, tmp_path / "a" / "a.xlsx", 3, "2026-03-01T09:00:00Z")
    b = answer(forms_dir, tmp_path / "b" / "b.xlsx", 4, "2026-03-01T09:00:00Z")
    with Store(tmp_path / "w") as st:
        ingest([a], st, sd, defs)
        assert [i.status for i in ingest([b], st, sd, defs).items] == [FileResult.ERSTATTER]
        assert current(st) == 4


def test_last_years_form_arriving_this_year_does_not_replace_last_years_later_answer(sd, defs, tmp_path):
    from typer.testing import CliRunner

    from toolkit.cli import app
    from toolkit.forms.generate import generate_forms

    forms, _ = generate_forms(sd, 2027, tmp_path / "2027", ["kommune"])
    blank = next(f.path for f in forms if f.modtager_id == "K851")
    key = "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2028"
    (tmp_path / "jan").mkdir()
    (tmp_path / "feb").mkdir()
    answered = saved_at(fill_form(blank, {key: 6}, tmp_path / "jan" / "svar.xlsx"), "2026-03-01T09:00:00Z")
    stale = saved_at(fill_form(blank, {key: 2}, tmp_path / "feb" / "gammel.xlsx"), "2026-02-01T09:00:00Z")
    runner = CliRunner()
    work = tmp_path / "w"
    r = runner.invoke(app, ["indlaes", str(answered), "--mappe", str(work), "--aar", "2027"])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output  # 1: mandatory fields left empty
    r = runner.invoke(app, ["indlaes", str(stale), "--mappe", str(work), "--aar", "2028"])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    out = " ".join(r.output.split())
    assert "(svar for 2027)" in out and "ældre version" in out and "erstatter ikke" in out
    with Store(work) as st:
        (v,) = [v.value for v in st.current_values(2027, "kommune") if v.felt == key and v.respondent_id == "K851"]
        assert v == 6
        assert not st.current_values(2028)


# --- a refused file can be tried again ----------------------------------------------------------------


def _without(sd: Stamdata, aftalepart: str) -> Stamdata:
    data = sd.model_dump()
    data["aftaleparter"] = [a for a in data["aftaleparter"] if a["id"] != aftalepart]
    return Stamdata.model_validate(data)


def test_a_refused_file_is_read_again_after_the_stamdata_is_fixed(forms_dir, sd, defs, tmp_path):
    f = answer(forms_dir, tmp_path / "in" / "aalborg.xlsx", 3, "2026-03-01T09:00:00Z")
    missing = _without(sd, "K851")
    with Store(tmp_path / "w") as st:
        (first,) = ingest([f], st, missing, defs).items
        assert first.status == FileResult.AFVIST and "ukendt-modtager" in {i.code for i in first.issues}
        (again,) = ingest([f], st, missing, defs).items  # still refused: said so, tried again
        assert again.status == FileResult.AFVIST
        (note,) = [i for i in again.issues if i.code == "tidligere-afvist"]
        assert "blev afvist ved indlæsningen" in note.message and "Filen er læst igen" in note.message
        assert sum(i.issue.code == "ukendt-modtager" for i in st.issues()) == 1  # only the latest attempt
        (fixed,) = ingest([f], st, sd, defs).items
        assert fixed.status == FileResult.NY
        assert "tidligere-afvist" in {i.code for i in fixed.issues}
        assert current(st) == 3
        assert not [i for i in st.issues() if i.issue.code == "ukendt-modtager"]
        rows = st.con.execute(
            "SELECT status, current, superseded_by FROM submissions WHERE file_hash = ? ORDER BY id", (sha256_file(f),)
        ).fetchall()
        assert [tuple(r) for r in rows] == [("afvist", 0, 2), ("afvist", 0, 3), ("fejl", 1, None)]  # fejl: empty fields
        (last,) = ingest([f], st, sd, defs).items
        assert last.status == FileResult.ALLEREDE


# --- the sent form is not an answer -------------------------------------------------------------------


def test_the_untouched_sent_form_is_refused_as_not_filled_in(tmp_path):
    from toolkit.workspace import Workspace

    ws = Workspace(tmp_path / "w", workers=1)
    results, _, out = ws.generate(EVEN_YEAR, ["kommune"])
    assert results and all(r.path.parent == out for r in results)
    sent = results[0].path
    (tmp_path / "svar").mkdir()
    filled = fill_form(sent, {KEY: 4}, tmp_path / "svar" / sent.name)
    report, _ = ws.ingest([out, filled.parent])
    by_name = {(i.file.parent.name, i.file.name): i for i in report.items}
    refused = [i for (folder, _), i in by_name.items() if folder == out.name]
    assert len(refused) == len(results)
    for item in refused:
        assert item.status == FileResult.AFVIST and not item.valid
        assert [i.code for i in item.issues] == ["ikke-udfyldt"]
        assert item.issues[0].message.startswith("Skemaet er ikke udfyldt – er det det udsendte skema?")
    first = by_name[(out.name, sent.name)]
    assert (first.respondent, first.skema, first.aar) == (results[0].modtager, "kommune", EVEN_YEAR)
    assert f"dannet til {results[0].modtager} ({sent.name})" in first.issues[0].message
    assert by_name[("svar", sent.name)].status == FileResult.NY
    with ws.store() as st:
        assert [s.original_name for s in st.submissions()] == [sent.name]
        assert [p.name for p in st.archive_dir.iterdir()] == [f"{sha256_file(filled)}.xlsx"]
    assert not report.ok


# --- a killed run's leftovers -------------------------------------------------------------------------


def test_archive_copies_without_a_record_are_removed_and_the_file_read_again(forms_dir, sd, defs, tmp_path):
    f = answer(forms_dir, tmp_path / "in" / "svar.xlsx", 3, "2026-03-01T09:00:00Z")
    other = answer(forms_dir, tmp_path / "other" / "andet.xlsx", 4, "2026-03-01T10:00:00Z")
    with Store(tmp_path / "w") as st:
        for p in (f, other):  # a run killed after archiving, before recording
            assert isinstance(admit(st, p), Admitted)
        leftover_tmp = st.archive_dir / ".~tmp_abc.xlsx"
        leftover_tmp.write_bytes(b"half a copy")
        unrelated = st.archive_dir / "readme.txt"
        unrelated.write_text("not ours")
        (item,) = ingest([f], st, sd, defs).items
        assert item.status == FileResult.NY  # not "allerede indlæst"
        names = sorted(p.name for p in st.archive_dir.iterdir())
        assert names == sorted([f"{sha256_file(f)}.xlsx", "readme.txt"])
        assert (st.archive_dir / f"{sha256_file(f)}.xlsx").read_bytes() == f.read_bytes()
