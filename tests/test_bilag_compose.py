"""skema bilag --punkt and --vedlaeg (documents/compose.py): the appendix under the meeting's agenda
items, numbered Bilag 1…N, with Word and PDF files from elsewhere merged in, each with its own index
entry and page number."""

import datetime as dt
import re
import subprocess

import pytest
from docx import Document

from toolkit import Workspace
from toolkit.documents.compose import Punkter, merge_pdf, parse_punkter, read_attachments
from toolkit.documents.produce import write_bilag
from toolkit.problems import UsageError
from toolkit.store import Store

AAR = 2028
MOEDE = dt.date(AAR, 5, 20)


def make_docx(path, title="Referat fra DAS-mødet 12. marts 2028"):
    d = Document()
    d.add_heading(title, 1)
    for i in range(1, 4):
        d.add_paragraph(f"Punkt {i}: godkendt uden bemærkninger.")
    d.save(str(path))
    return path


def make_pdf(path, pages=3, label="KL sagsfremstilling"):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(str(path)) as pdf:
        for i in range(1, pages + 1):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.1, 0.9, f"{label} side {i}", fontsize=16)
            pdf.savefig(fig)
            plt.close(fig)
    return path


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        ([], Punkter({"status": 1, "indmelding": 2, "udmelding": 3, "indstilling": 4}, None)),
        (["4"], Punkter({"status": 4, "indmelding": 4, "udmelding": 4, "indstilling": 4}, 4)),
        (["status=4", "5"], Punkter({"status": 4, "indmelding": 5, "udmelding": 5, "indstilling": 5}, 5)),
        (
            ["status=7", "indmelding=8", "udmelding=8", "indstilling=9"],
            Punkter({"status": 7, "indmelding": 8, "udmelding": 8, "indstilling": 9}, None),
        ),
    ],
)
def test_agenda_items_per_section(specs, expected):
    assert parse_punkter(specs) == expected


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        (["status=4"], "Sektionen indmelding, udmelding, indstilling har intet dagsordenspunkt"),
        (["fire"], "--punkt 'fire' kan ikke læses"),
        (["0"], "--punkt '0' kan ikke læses"),
        (["panelet=3", "2"], "ukendt sektion 'panelet'"),
    ],
)
def test_a_bad_agenda_item_is_refused_in_danish(specs, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_punkter(specs)


def test_attachments_are_checked_before_anything_is_written(tmp_path):
    (tmp_path / "noter.txt").write_text("x")
    (tmp_path / "itu.docx").write_bytes(b"PK\x03\x04 not a document")
    (tmp_path / "itu.pdf").write_bytes(b"%PDF-1.4 broken")
    for name, message in [
        ("mangler.docx", "filen " + str(tmp_path / "mangler.docx") + " findes ikke"),
        ("noter.txt", "noter.txt er hverken .docx eller .pdf"),
        ("itu.docx", "itu.docx kan ikke åbnes som Word-dokument"),
        ("itu.pdf", "itu.pdf kan ikke læses som PDF"),
    ]:
        with pytest.raises(UsageError, match=re.escape(message)):
            read_attachments([str(tmp_path / name)])
    pdf, docx = make_pdf(tmp_path / "b.pdf", 2), make_docx(tmp_path / "a.docx")
    got = read_attachments([f"3={pdf}", str(docx)])  # Word files first, then PDF files
    assert [(a.path.name, a.punkt, a.pages) for a in got] == [("a.docx", None, 0), ("b.pdf", 3, 2)]


@pytest.fixture
def bilag(sd, defs, tmp_path):
    """An appendix with a Word and a PDF attachment, sections under agenda items 4 and 6."""
    docx = make_docx(tmp_path / "Referat_DAS_marts.docx")
    pdf = make_pdf(tmp_path / "KL_sagsfremstilling.pdf", 3)
    attachments = read_attachments([f"2={pdf}", str(docx)])
    with Store(tmp_path / "w") as store:
        written = write_bilag(
            store,
            sd,
            defs,
            AAR,
            MOEDE,
            tmp_path / "out",
            punkter=parse_punkter(["4", "udmelding=6"]),
            attachments=attachments,
            reserve_pdf_pages=True,
        )
    return written.path, attachments


def test_the_index_follows_the_agenda_and_numbers_straight_through(bilag, sd):
    path, _ = bilag
    text = [p.text for p in Document(str(path)).paragraphs]
    n = len(sd.omfattede_tilbud(AAR))
    groups = [t for t in text if t.startswith("Bilag til dagsordenspunkt")]
    assert groups == [
        "Bilag til dagsordenspunkt 2",
        "Bilag til dagsordenspunkt 4: Årlig statusdrøftelse af tilbuddene i det forstærkede samarbejde; "
        "Indmeldte tilbud; Indstilling til DAS",
        "Bilag til dagsordenspunkt 6: Udmeldinger",
    ]
    # numbered in the agenda's order, and the document is in that order: item 2 (the PDF), item 4 (overview,
    # one per tilbud, nominations, indstilling, the Word file), item 6 (withdrawals)
    headings = [t for t in text if re.match(r"Bilag \d+: ", t)]
    assert [int(re.match(r"Bilag (\d+)", t).group(1)) for t in headings] == list(range(1, n + 7))
    assert headings[0] == "Bilag 1: KL sagsfremstilling" and headings[1] == "Bilag 2: Overblik over tilbuddene"
    assert headings[-2:] == [f"Bilag {n + 5}: Referat DAS marts", f"Bilag {n + 6}: Ønsker om udmelding af tilbud"]
    index = [t for t in text if re.match(r"Bilag \d+ ", t)]
    assert [int(t.split()[1]) for t in index] == list(range(1, n + 7))  # the index counts up too
    # the Word attachment's content is in the appendix, after its heading
    i = text.index(f"Bilag {n + 5}: Referat DAS marts")
    assert text[i + 1 : i + 3] == ["Referat fra DAS-mødet 12. marts 2028", "Punkt 1: godkendt uden bemærkninger."]
    assert "Dokumentet KL_sagsfremstilling.pdf (3 sider) er vedlagt som PDF" in text[text.index(headings[0]) + 1]


def test_page_numbers_of_merged_documents_match_the_pdf(bilag, libreoffice, tmp_path):
    path, attachments = bilag
    pdf = libreoffice([path], "pdf", tmp_path / "pdf")[0]
    before = len(_pages(pdf))
    merge_pdf(pdf, attachments)
    pages = _pages(pdf)
    assert len(pages) == before  # the reserved blank pages are replaced, one for one
    entries = re.findall(r"(Bilag \d+) (.*?)\s*\.{3,}\s*(\d+)", pages[1])
    assert sorted(int(e[0].split()[1]) for e in entries) == list(range(1, 15))  # 8 tilbud + 4 + 2 documents
    for label, _title, page in entries:
        assert re.search(rf"^\s*{label}:", pages[int(page) - 1], re.M), (label, page)
    kl = next(int(p) for label, t, p in entries if t == "KL sagsfremstilling")
    assert kl == 3  # right after the cover and the index: agenda item 2 comes first
    assert [pages[kl - 1 + i].strip() for i in (1, 2, 3)] == [f"KL sagsfremstilling side {i}" for i in (1, 2, 3)]
    assert re.search(r"^\s*Bilag 2: Overblik over tilbuddene", pages[kl + 3], re.M)  # then the toolkit's own


def _pages(pdf) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def test_workspace_refuses_a_bad_option_before_writing(tmp_path):
    ws = Workspace(tmp_path / "w")
    with pytest.raises(UsageError, match="findes ikke"):
        ws.bilag(AAR, MOEDE, vedlaeg=[str(tmp_path / "nej.pdf")])
    with pytest.raises(UsageError, match="intet dagsordenspunkt"):
        ws.bilag(AAR, MOEDE, punkter=["status=2"])
    assert not ws.out(AAR).exists()
