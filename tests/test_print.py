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
