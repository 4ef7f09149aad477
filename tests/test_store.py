"""Ingest into the store: archive, idempotence, supersede with history, corrections, export."""
import json

import pytest

from toolkit.returns.corrections import correct_value
from toolkit.problems import UsageError
from toolkit.store.export import export, to_csv
from toolkit.returns.ingest import ingest
from toolkit.store import Store
from toolkit.store.db import sha256_file

from conftest import EVEN_YEAR
from fill import fill_form


@pytest.fixture
def returns(forms_dir, tmp_path):
    """Two filled kommune forms and one årsrapport in an 'inbox'."""
    inbox = tmp_path / "indbakke"
    inbox.mkdir()
    k = sorted(forms_dir.glob("*_kommune_aalborg*.xlsx"))[0]
    fill_form(k, {"kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": 3.5,
                  "kommune.tilbud.T01.forventning_tekst": "Stabilt"}, inbox / k.name)
    a = sorted(forms_dir.glob("*_aarsrapport_center_for_tale*.xlsx"))[0]
    fill_form(a, {"aarsrapport.bekymring": "Nej"}, inbox / a.name)
    (inbox / "~$laast.xlsx").write_bytes(b"lock")
    (inbox / "foelgebrev.pdf").write_bytes(b"%PDF-1.4")
    return inbox


def test_ingest_archives_originals_untouched_and_is_idempotent(returns, sd, defs, tmp_path):
    with Store(tmp_path / "w") as st:
        r1 = ingest([returns], st, sd, defs)
        assert r1.count("ny") == 2 and r1.count("sprunget over") == 2
        skipped = {i.file.name: i.issues[0].code for i in r1.items if i.status == "sprunget over"}
        assert skipped == {"~$laast.xlsx": "laasefil", "foelgebrev.pdf": "ikke-regneark"}
        for f in returns.glob("2028_*.xlsx"):
            archived = tmp_path / "w" / "arkiv" / f"{sha256_file(f)}.xlsx"
            assert archived.read_bytes() == f.read_bytes()
        n_values = len(st.current_values())
        r2 = ingest([returns], st, sd, defs)
        assert r2.count("allerede indlæst") == 2 and r2.count("ny") == 0
        assert len(st.current_values()) == n_values and len(st.submissions()) == 2


def test_newer_return_supersedes_and_history_keeps_the_old(returns, forms_dir, sd, defs, tmp_path):
    with Store(tmp_path / "w") as st:
        ingest([returns], st, sd, defs)
        k = sorted(forms_dir.glob("*_kommune_aalborg*.xlsx"))[0]
        v2 = fill_form(k, {"kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029": 5}, tmp_path / "v2.xlsx")
        r = ingest([v2], st, sd, defs)
        assert [i.status for i in r.items] == ["erstatter"]
        cur = {v.felt: v.value for v in st.current_values(EVEN_YEAR, "kommune")}
        assert cur["kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029"] == 5
        assert "kommune.tilbud.T01.forventning_tekst" not in cur  # the new file is the whole answer
        hist = st.history("K851")
        assert [h.current for h in hist] == [0, 1] and hist[0].superseded_by == hist[1].id


def test_correction_is_validated_stored_with_reason_and_keeps_the_original(returns, sd, defs, tmp_path):
    key = "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029"
    with Store(tmp_path / "w") as st:
        ingest([returns], st, sd, defs)
        assert correct_value(st, sd, defs, EVEN_YEAR, "K851", key, "4,5", "Telefon med Anne 3/3") == 4.5
        cur = {v.felt: v for v in st.current_values(EVEN_YEAR)}
        assert cur[key].value == 4.5 and cur[key].rettet and "Telefon med Anne" in cur[key].kilde_fil
        raw_vals = st.con.execute("SELECT vnum FROM vals WHERE felt = ?", (key,)).fetchall()
        assert [r[0] for r in raw_vals] == [3.5]  # the original is kept
        with pytest.raises(UsageError, match="kan ikke bruges"):
            correct_value(st, sd, defs, EVEN_YEAR, "K851", key, "mange", "x")
        with pytest.raises(UsageError, match="findes ikke"):
            correct_value(st, sd, defs, EVEN_YEAR, "K851", "kommune.tilbud.T01.nope", "1", "x")


def test_export_long_format_json_and_csv(returns, sd, defs, tmp_path):
    with Store(tmp_path / "w") as st:
        ingest([returns], st, sd, defs)
        rows = json.loads(export(st.current_values(), "json", tmp_path / "e.json"))
    row = next(r for r in rows if r["felt"] == "kommune.tilbud.T01.ydelse.T01-Y1.forventet_pladser.2029")
    assert row["vaerdi"] == 3.5 and row["tilbud_id"] == "T01" and row["ydelse_id"] == "T01-Y1"
    assert row["kilde_fil"].startswith("2028_kommune_aalborg") and row["ark"] == "Tilbud" and row["celle"]
    assert set(row) == {"aar", "skema", "respondent_id", "tilbud_id", "ydelse_id", "felt", "vaerdi",
                        "raa_vaerdi", "kilde_fil", "ark", "celle", "modtaget"}
    a = next(r for r in rows if r["skema"] == "aarsrapport")
    assert a["tilbud_id"] == "T01"  # the årsrapport is per tilbud


@pytest.mark.parametrize("text", ["=1+1", "+45 12", "-3 pladser", "@SUM(A1)", "\tx", "\rx",
                                  '=HYPERLINK("http://x","y")'])
def test_csv_export_defuses_formula_prefixes(text):
    from types import SimpleNamespace as NS
    v = NS(aar=2028, skema="kommune", respondent_id="K1", felt="kommune.x", value=text, raw=text,
           kilde_fil="f.xlsx", ark="A", celle="B2", modtaget="2028-01-01")
    import csv, io
    from toolkit.store.export import export_rows
    rows = list(csv.DictReader(io.StringIO(to_csv(export_rows([v])).decode("utf-8-sig"), newline="")))
    assert rows[0]["vaerdi"] == "'" + text and rows[0]["raa_vaerdi"] == "'" + text


def test_next_years_aarsrapport_is_prefilled_from_history(forms_dir, sd, defs, tmp_path):
    """Belægning reported for 2026 and 2027 in the 2028 årsrapport prefills those columns in 2029."""
    import openpyxl
    from toolkit.forms.generate import generate_forms, history_prefill

    a = sorted(forms_dir.glob("*_aarsrapport_center_for_tale*.xlsx"))[0]
    (tmp_path / "in").mkdir()
    fill_form(a, {"aarsrapport.ydelse.T01-Y1.belaegning.2026": 91.5,
                  "aarsrapport.ydelse.T01-Y1.belaegning.2027": 93,
                  "aarsrapport.ydelse.T01-Y1.venteliste": 4}, tmp_path / "in" / a.name)
    with Store(tmp_path / "w") as st:
        ingest([tmp_path / "in"], st, sd, defs)
        forms, _ = generate_forms(sd, 2029, tmp_path / "2029", ["aarsrapport"], prefill=history_prefill(st, 2029))
    path = next(f.path for f in forms if f.modtager_id == "T01")
    wb = openpyxl.load_workbook(path)

    def cell(name):
        (s, r), = list(wb.defined_names[name].destinations)
        return wb[s][r.replace("$", "")].value
    assert cell("S_aarsrapport_ydelse_T01_Y1_belaegning_2026") == 91.5
    assert cell("S_aarsrapport_ydelse_T01_Y1_belaegning_2027") == 93
    assert cell("S_aarsrapport_ydelse_T01_Y1_belaegning_2028") is None  # not reported yet
    assert cell("S_aarsrapport_ydelse_T01_Y1_venteliste") is None  # status fields are not carried over
