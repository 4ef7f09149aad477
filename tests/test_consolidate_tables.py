"""The data tables of the consolidated workbook (consolidate/tables.py): one row per respondent ×
scope, ordered by respondent name and then scope, the parent ids and names filled in, the source
file of the row's first value, a value of a field no longer in the definition left out."""

from toolkit.consolidate.tables import form_table
from toolkit.fieldkeys import key_parts
from toolkit.store.db import StoredValue

AAR = 2028


def stored(respondent: str, felt: str, value, kilde: str) -> StoredValue:
    return StoredValue(
        AAR, felt.split(".")[0], respondent, felt, value, str(value), kilde, "", "", "", False, *key_parts(felt)[1:]
    )


def _etiket(defn, noegle: str) -> str:
    return next(felt.etiket for _ark, _sek, felt in defn.all_fields() if felt.noegle == noegle)


def test_kommune_rows_by_name_then_scope_with_ids_names_and_source(sd, defs):
    defn = defs["kommune"]
    pladser = f"kommune.tilbud.T01.ydelse.T01-Y{{}}.forventet_pladser.{AAR + 1}"
    values = [  # Brønderslev's file first, and within a file not in scope order
        stored("K810", pladser.format(2), 4, "bronderslev.xlsx"),
        stored("K851", pladser.format(2), 2.5, "aalborg.xlsx"),
        stored("K851", "kommune.tilbud.T01.forventning_tekst", "=SUM(A1)", "aalborg.xlsx"),
        stored("K851", pladser.format(1), 30, "aalborg (rettet).xlsx"),
        stored("K851", "kommune.tilbud.T01.ydelse.T01-Y1.felt_der_er_fjernet", 99, "aalborg.xlsx"),
    ]
    table = form_table(defn, sd, AAR, values)
    assert table.columns[:7] == ["Respondent-id", "Respondent", "Tilbud-id", "Tilbud", "Ydelse-id", "Ydelse", "Kilde"]
    ids = [row[:7] for row in table.rows]
    tilbud = "Center for Tale og Hjerneskade Nord"
    assert ids == [
        ["K851", "Aalborg Kommune", "T01", tilbud, None, None, "aalborg.xlsx"],
        ["K851", "Aalborg Kommune", "T01", tilbud, "T01-Y1", "Døgnrehabilitering", "aalborg (rettet).xlsx"],
        ["K851", "Aalborg Kommune", "T01", tilbud, "T01-Y2", "Dagtilbud", "aalborg.xlsx"],
        ["K810", "Brønderslev Kommune", "T01", tilbud, "T01-Y2", "Dagtilbud", "bronderslev.xlsx"],
    ]
    col = next(i for i, c in enumerate(table.columns) if c.startswith(_etiket(defn, "forventet_pladser")))
    tekst = next(i for i, c in enumerate(table.columns) if c == _etiket(defn, "forventning_tekst"))
    assert [row[col] for row in table.rows] == [None, 30, 2.5, 4]
    assert [row[tekst] for row in table.rows] == ["=SUM(A1)", None, None, None]
    assert all(v != 99 for row in table.rows for v in row)  # the removed field has no column
    assert all(len(row) == len(table.columns) == len(table.types) for row in table.rows)


def test_a_tilbud_form_names_the_tilbud_on_its_unscoped_rows(sd, defs):
    values = [
        stored("T02", "aarsrapport.bekymring", "Nej", "t02.xlsx"),
        stored("T01", "aarsrapport.bekymring", "Ja", "t01.xlsx"),
        stored("T01", f"aarsrapport.ydelse.T01-Y1.belaegning.{AAR - 1}", 90, "t01.xlsx"),
    ]
    table = form_table(defs["aarsrapport"], sd, AAR, values)
    assert [row[:2] for row in table.rows] == [
        ["T01", "Center for Tale og Hjerneskade Nord"],
        ["T01", "Center for Tale og Hjerneskade Nord"],
        ["T02", "Døvblindecenter Nordjylland"],
    ]
    tilbud_at = table.columns.index("Tilbud-id")
    ydelse_at = table.columns.index("Ydelse-id")
    assert [(row[tilbud_at], row[ydelse_at]) for row in table.rows] == [("T01", None), ("T01", "T01-Y1"), ("T02", None)]
