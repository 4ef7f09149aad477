"""What a person sees on paper: every form printed by LibreOffice to PDF and read back page by page
with pdftotext (issue 13, item 7). The checks are on the text of each page, so they hold whatever
font the machine has."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

FORMS = ["kommune_aalborg", "udmelding_aalborg", "indmelding_aalborg", "aarsrapport_center_for_tale"]


def _pages(pdf) -> list[list[str]]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def printed(forms_dir, libreoffice, tmp_path_factory):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) er ikke installeret")
    # private copies: LibreOffice locks a document it opens, and the other test worker's LibreOffice
    # may be printing the same shared form at the same moment
    folder = tmp_path_factory.mktemp("print")
    paths = [Path(shutil.copy(next(forms_dir.glob(f"*_{name}*.xlsx")), folder)) for name in FORMS]
    pdfs = libreoffice(paths, "pdf", folder)
    return {name: _pages(pdf) for name, pdf in zip(FORMS, pdfs, strict=True)}


@pytest.mark.parametrize("name", FORMS)
def test_every_page_is_numbered_and_names_the_form_and_the_recipient(printed, name):
    pages = printed[name]
    for i, lines in enumerate(pages, start=1):
        assert any(f"Side {i} af {len(pages)}" in line for line in lines[-3:]), (name, i)


@pytest.mark.parametrize("name", FORMS)
def test_the_guide_is_one_page(printed, name):
    """The Vejledning is the first sheet; the first input sheet's page shows the missing count."""
    pages = printed[name]
    first_input = next(
        i
        for i, lines in enumerate(pages)
        if any(re.match(r"(Mangler: \d+ obligatorisk|Alle obligatoriske felter er udfyldt)", x) for x in lines)
    )
    assert first_input == 1, name


@pytest.mark.parametrize("name", FORMS)
def test_no_block_or_section_starts_in_the_last_lines_of_a_page(printed, name):
    """A tilbud block's header and a table's header row always have their first rows under them on
    the same page (manual page breaks, toolkit/forms/pagination.py)."""
    for i, lines in enumerate(printed[name], start=1):
        body = lines[:-1]  # the footer
        for j, line in enumerate(body):
            if line.startswith("Tilbud:") or re.match(r"(Tilbud|Nr\.|Ydelse|Kommune)\s{3,}", line):
                assert len(body) - j > 3, (name, i, line, body[j:])


def test_a_unit_that_does_not_fit_the_rest_of_the_page_starts_the_next_page():
    from toolkit.forms.pagination import page_breaks

    heights = dict.fromkeys(range(200), 20.0)  # 20 pt rows: about 33 rows a page at 100 %
    units = [2, 22, 40, 60]  # 20, 18, 20 rows
    # a page holds about 30 such rows: no two units fit together on one page
    assert page_breaks(heights, units, 2, 80, 39.0, 1.0, landscape=False) == [22, 40, 60]
    # at half the scale a page holds about 62 rows: three units share the first page
    assert page_breaks(heights, units, 2, 80, 39.0, 0.5, landscape=False) == [60]


def test_a_unit_taller_than_a_page_starts_where_it_is_unless_little_is_left():
    from toolkit.forms.pagination import page_breaks

    heights = dict.fromkeys(range(400), 20.0)
    assert page_breaks(heights, [2, 5], 2, 200, 39.0, 1.0, landscape=False) == []  # most of the page is left
    assert page_breaks(heights, [2, 30], 2, 200, 39.0, 1.0, landscape=False) == [30]  # 2 rows would be left


@pytest.fixture(scope="module")
def printed_documents(demo, libreoffice, tmp_path_factory):
    """The demo's Word documents as LibreOffice prints them: {name: (pages, heading texts)}."""
    from docx import Document

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) er ikke installeret")
    year = demo[0] / "2028"
    docs = {
        "hoeringsbrev": next((year / "hoering").glob("*_hoeringsbrev_aalborg*.docx")),
        "hoeringsmateriale": next((year / "hoering").glob("*_hoeringsmateriale.docx")),
        "rykkerbrev": next((year / "rykkere").glob("*.docx")),
        "bilag": next(year.glob("*_bilag_das_*.docx")),
    }
    folder = tmp_path_factory.mktemp("print_docx")
    copies = [Path(shutil.copy(p, folder / f"{name}.docx")) for name, p in docs.items()]
    pdfs = libreoffice(copies, "pdf", folder)
    out_ = {}
    for (name, path), pdf in zip(docs.items(), pdfs, strict=True):
        headings = {
            " ".join(p.text.split())
            for p in Document(str(path)).paragraphs
            if p.style is not None and p.style.name.startswith("Heading") and p.text.strip()
        }
        out_[name] = (_pages(pdf), headings)
    return out_


@pytest.mark.parametrize("name", ["hoeringsbrev", "hoeringsmateriale", "rykkerbrev", "bilag"])
def test_word_documents_number_their_pages_and_never_leave_a_heading_at_the_bottom(printed_documents, name):
    pages, headings = printed_documents[name]
    assert headings
    for i, lines in enumerate(pages, start=1):
        footer = [x for x in lines if re.fullmatch(rf"Side {i} af {len(pages)}", x)]
        if name == "bilag" and i == 1:
            assert not footer, "forsiden har intet sidetal"
            continue
        assert footer, (name, i)
        body = [x for x in lines if x not in footer]
        last = " ".join(body[-1].split()) if body else ""
        assert last not in headings, (name, i, last)  # keep-with-next holds it to what follows


def _carlito() -> bool:
    fc = shutil.which("fc-list")
    return bool(fc) and "carlito" in subprocess.run([fc], capture_output=True, text=True).stdout.lower()


def test_hearing_letter_keeps_tilbud_names_whole_and_fits_one_page_with_carlito(printed_documents, sd):
    """The letter's table gives the tilbud column room for its longest words ("Spiseforstyrrelser"),
    so no name is broken mid-word (as it was in four equal columns, worst in a wider fallback font),
    and with Carlito the letter, signature included, is one page."""
    pages, _ = printed_documents["hoeringsbrev"]
    words = set(" ".join(" ".join(lines) for lines in pages).split())
    listed = [t.navn for t in sd.tilbud if t.navn.split()[0] in words]
    assert len(listed) >= 8
    for navn in listed:
        for word in navn.split():
            assert word in words, (navn, word)  # whole, not "Spiseforstyrrels" + "er"
    if _carlito():
        assert len(pages) == 1, pages
        assert "Med venlig hilsen" in " ".join(pages[0])


def test_bilag_status_sections_do_not_spill_a_few_lines_onto_a_page_of_their_own(printed_documents):
    """Each section of the bilag starts a new page; with Carlito, none ends with a page holding only
    its last line or two (the status charts are low enough that a section fits its page)."""
    if not _carlito():
        pytest.skip("Carlito er ikke installeret: en bredere skrift bryder siderne anderledes")
    pages, _ = printed_documents["bilag"]
    n = len(pages)
    for i, lines in enumerate(pages[1:-1], start=2):
        body = [x for x in lines if not x.startswith("Sekretariat for") and x != f"Side {i} af {n}"]
        next_starts_section = any(x.startswith("Bilag ") for x in pages[i][:2])
        if body and not body[0].startswith("Bilag ") and next_starts_section:
            assert len(body) >= 5, (i, body)


def _table_cells(path: Path) -> list[str]:
    """The text of every non-empty cell of every table in a Word document, whitespace normalised."""
    from docx import Document

    cells = []
    for table in Document(str(path)).tables:
        for row in table.rows:
            cells += [" ".join(c.text.split()) for c in row.cells if c.text.strip()]
    return cells


def _under_headings(path: Path) -> set[str]:
    """The text of the paragraph right under each heading (a tilbud's 'Driftsherre: ...' line)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    blocks = [
        Paragraph(el, document) if el.tag == qn("w:p") else None  # None: a table
        for el in document.element.body.iterchildren(qn("w:p"), qn("w:tbl"))
    ]
    blocks = [b for b in blocks if b is None or b.text.strip()]
    return {
        " ".join(b.text.split())
        for a, b in zip(blocks, blocks[1:], strict=False)
        if a is not None and b is not None and a.style is not None and a.style.name.startswith("Heading")
    }


@pytest.fixture(scope="module")
def printed_regions(demo, libreoffice, tmp_path_factory):
    """Both examples' bilag and hearing material as LibreOffice prints them: {name: (docx, pdf text
    pages)}; the Sjælland year is the one tests/test_eksempel_sjaelland.py builds (shared)."""
    from test_eksempel_sjaelland import _build

    from conftest import built_once

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) er ikke installeret")
    out, _ = built_once(tmp_path_factory, "demo_sjaelland", _build)
    years = {"nordjylland": demo[0] / "2028", "sjaelland": out / "demo_sjaelland" / "2028"}
    docs = {}
    for region, year in years.items():
        docs[f"bilag_{region}"] = next(year.glob("*_bilag_das_*.docx"))
        docs[f"hoeringsmateriale_{region}"] = next((year / "hoering").glob("*_hoeringsmateriale.docx"))
    docs["samlet_sjaelland"] = years["sjaelland"] / "2028_samlet.xlsx"
    docs["indmelding_sjaelland"] = next((years["sjaelland"] / "skemaer").glob("*_indmelding_roskilde_kommune.xlsx"))
    folder = tmp_path_factory.mktemp("print_regions")
    copies = [Path(shutil.copy(p, folder / f"{name}{p.suffix}")) for name, p in docs.items()]
    pdfs = libreoffice(copies, "pdf", folder)
    return {name: (path, _pages(pdf), _flowing(pdf)) for (name, path), pdf in zip(docs.items(), pdfs, strict=True)}


def _flowing(pdf) -> str:
    """The PDF's text in reading order (no -layout: a table cell's lines follow each other), one space
    between words."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@pytest.mark.parametrize("region", ["nordjylland", "sjaelland"])
def test_every_row_of_the_bilag_tables_is_printed(printed_regions, region):
    """Every cell of every table in the bilag (the panel's criteria tables above all) is on paper:
    LibreOffice dropped rows A.2–C.2 of Kommunikationscentret Kalundborg's criteria table where the
    table broke across pages (a repeating header row over rows that may not split)."""
    path, _, text = printed_regions[f"bilag_{region}"]
    cells = _table_cells(path)
    assert sum("s drøftelse." in c for c in cells) >= 20  # the criteria tables are there (the demo panel's reasons)
    missing = [c for c in cells if c not in text]
    assert not missing, missing


@pytest.mark.parametrize("region", ["nordjylland", "sjaelland"])
def test_no_page_ends_with_a_heading_or_the_line_under_it(printed_regions, region):
    """A tilbud's heading and its 'Driftsherre: ...' line go with the section to the next page (the
    Sjælland hearing material left 'Synscenter Sydhavet' and that line at the foot of page 3)."""
    for name in (f"hoeringsmateriale_{region}", f"bilag_{region}"):
        path, pages, _ = printed_regions[name]
        under = _under_headings(path)
        assert any(x.startswith("Driftsherre:") for x in under)
        for i, lines in enumerate(pages[:-1], start=1):
            if any(x.startswith("Bilag ") for x in pages[i][:2]):
                continue  # the next page starts a new bilag anyway: this one ends here
            body = [x for x in lines if not re.fullmatch(r"Side \d+ af \d+", x)]
            last = " ".join(body[-1].split()) if body else ""
            assert last not in under, (name, i, last)


def test_the_count_of_missing_fields_is_singular_for_one(printed_regions):
    """The indmelding form's guide counts what is missing in Danish: '1 obligatorisk felt', not
    '1 obligatoriske felter' (the other sheets already said it right)."""
    _, pages, _ = printed_regions["indmelding_sjaelland"]
    counts = [x for x in pages[0] if x.startswith("Mangler i alt:")]
    assert counts == ["Mangler i alt: 1 obligatorisk felt"], pages[0]


def test_the_overview_prints_the_deadlines_and_gives_a_long_warning_its_lines(printed_regions):
    """Sheet 'Overblik' of the consolidated workbook: the 'Frist' column is wide enough for a Danish
    date ('15. februar 2028' printed as ###), and a warning that wraps in its column gets a row
    tall enough for its lines (Stevns' warning ran into the next tilbud's row)."""
    import openpyxl

    path, pages, _ = printed_regions["samlet_sjaelland"]
    first = " ".join(pages[0])
    assert "###" not in first
    assert "15. februar 2028" in first
    ws = openpyxl.load_workbook(path)["Overblik"]
    head = next(r for r in ws.iter_rows() if r[0].value == "Tilbud")
    col = [c.value for c in head].index("Advarsler")
    checked = 0
    for row in ws.iter_rows(min_row=head[0].row + 1):
        text = row[col].value
        if not text:
            continue
        # at most ~70 characters a line in the 70-wide column, 15 points a line
        lines = sum(-(-len(part) // 70) for part in str(text).split("\n"))
        height = ws.row_dimensions[row[0].row].height or 15.0
        assert height >= 15.0 * lines, (text, height)
        checked += 1
    assert checked >= 3
