"""The DAS appendix follows the meeting: its sections under the meeting's own agenda item numbers
(`skema bilag --punkt`), appendices numbered straight through (Bilag 1…N), and documents from
elsewhere (`--vedlaeg`): a .docx is merged into the appendix (docxcompose), a .pdf into its PDF
(pypdf), each with its own index entry and page number.

`--punkt N` puts every section under agenda item N; `--punkt SEKTION=N` one section (status,
indmelding, udmelding, indstilling); without `--punkt` the sections are items 1, 2, 3 and 4. `--vedlaeg [N=]FIL`
lists a document under agenda item N (default: the bare `--punkt N`, else "Øvrige bilag"). All
appendices are numbered in the agenda's order (by item, "Øvrige bilag" last; within an item in the
document's order: the toolkit's own, then Word files, then PDF files), and the document is put in that
order after rendering, so that the index and the pages count up together. A PDF
gets a title page with its index bookmark and, when a PDF is made, one blank page for each of its
pages, so that every page number is the same in the Word file and the PDF, where the blank pages are
replaced by the PDF's own."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from toolkit.documents.docx_fields import add_bookmark
from toolkit.documents.render import PAGEREF, TemplateError
from toolkit.files import atomic_path
from toolkit.problems import UsageError

# the appendix's sections in document order, with the agenda title each gives its item
SECTIONS = {
    "status": "Årlig statusdrøftelse af tilbuddene i det forstærkede samarbejde",
    "indmelding": "Indmeldte tilbud",
    "udmelding": "Udmeldinger",
    "indstilling": "Indstilling til DAS",
}
DEFAULT_PUNKTER = {"status": 1, "indmelding": 2, "udmelding": 3, "indstilling": 4}
OTHER = "Øvrige bilag"
PLACEHOLDER = "vedlagt som PDF"  # on a PDF attachment's first page in the Word file
_SPEC = re.compile(r"^\s*(?:([A-Za-zæøåÆØÅ_]+)\s*=\s*)?(\d{1,3})\s*$")
_ATTACH = re.compile(r"^(\d{1,3})=(.+)$")


@dataclass(frozen=True)
class Punkter:
    """Agenda item per section, and the item for what is not named (None: no bare `--punkt N`)."""

    sections: dict[str, int]
    rest: int | None


def parse_punkter(specs: list[str] | tuple[str, ...] = (), sections=tuple(SECTIONS)) -> Punkter:
    """`--punkt` values: 'N' (every section not named otherwise) or 'SEKTION=N'."""
    if not specs:
        return Punkter({s: DEFAULT_PUNKTER.get(s, len(DEFAULT_PUNKTER) + 1) for s in sections}, None)
    named: dict[str, int] = {}
    rest = None
    for spec in specs:
        m = _SPEC.match(spec)
        if not m or int(m.group(2)) < 1:
            raise UsageError(
                f"--punkt '{spec}' kan ikke læses: skriv et dagsordenspunkt (fx --punkt 4) eller en sektion og et "
                f"punkt (fx --punkt status=4); sektionerne er {', '.join(sections)}."
            )
        name, nr = m.group(1), int(m.group(2))
        if name is None:
            rest = nr
        elif name not in sections:
            raise UsageError(f"--punkt '{spec}': ukendt sektion '{name}' (sektionerne er {', '.join(sections)}).")
        else:
            named[name] = nr
    missing = [s for s in sections if s not in named]
    if missing and rest is None:
        raise UsageError(
            f"Sektionen {', '.join(missing)} har intet dagsordenspunkt: angiv fx --punkt {missing[0]}=N, "
            f"eller --punkt N for alle sektioner, der ikke er nævnt."
        )
    return Punkter({s: named.get(s, rest or 0) for s in sections}, rest)


@dataclass(frozen=True)
class Attachment:
    """A document from elsewhere (`--vedlaeg`)."""

    path: Path
    punkt: int | None
    pages: int  # a PDF's page count; 0 for a Word file

    @property
    def is_pdf(self) -> bool:
        return self.path.suffix.lower() == ".pdf"

    @property
    def titel(self) -> str:
        return self.path.stem.replace("_", " ")


def read_attachments(specs: list[str] | tuple[str, ...] = ()) -> list[Attachment]:
    """`--vedlaeg [N=]FIL` values, checked before anything is written: Word files first, then PDF files
    (each in the order given)."""
    out = []
    for spec in specs:
        m = _ATTACH.match(spec)
        punkt, name = (int(m.group(1)), m.group(2)) if m and not Path(spec).exists() else (None, spec)
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"--vedlaeg: filen {path} findes ikke.")
        suffix = path.suffix.lower()
        if suffix == ".docx":
            try:
                Document(str(path))
            except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a bad file
                raise UsageError(
                    f"--vedlaeg: {path.name} kan ikke åbnes som Word-dokument ({exc.__class__.__name__})."
                ) from None
            out.append(Attachment(path, punkt, 0))
        elif suffix == ".pdf":
            out.append(Attachment(path, punkt, _pdf_pages(path)))
        else:
            raise UsageError(f"--vedlaeg: {path.name} er hverken .docx eller .pdf (gem den som en af dem).")
    return [a for a in out if not a.is_pdf] + [a for a in out if a.is_pdf]


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UsageError(f"--vedlaeg: {path.name} er beskyttet med adgangskode; vedlæg en udgave uden.")
        n = len(reader.pages)
    except (PyPdfError, OSError, ValueError) as exc:
        raise UsageError(f"--vedlaeg: {path.name} kan ikke læses som PDF ({exc.__class__.__name__}).") from None
    if n == 0:
        raise UsageError(f"--vedlaeg: {path.name} har ingen sider.")
    return n


@dataclass(frozen=True)
class Entry:
    """One appendix in the index: its section (or None for a document from elsewhere), number, anchor."""

    section: str | None
    nummer: int
    titel: str
    punkt: int | None

    @property
    def anker(self) -> str:
        return f"bilag_{self.nummer}"


def number_entries(entries: list[Entry]) -> list[Entry]:
    """Number the appendices Bilag 1…N in the agenda's order: by agenda item ("Øvrige bilag" last),
    within an item in document order. `finish_bilag` then puts the document in that order."""
    ranked = sorted(range(len(entries)), key=lambda i: (entries[i].punkt is None, entries[i].punkt or 0, i))
    numbers = {i: n for n, i in enumerate(ranked, start=1)}
    return [replace(e, nummer=numbers[i]) for i, e in enumerate(entries)]


def agenda(entries: list[Entry], titles: dict[str, str] | None = None) -> list[dict]:
    """The index for the template: the entries grouped by agenda item (ascending; "Øvrige bilag" last).
    `titles`: the sections' agenda titles (default SECTIONS; documents/indstilling.section_titles)."""
    titles = titles or SECTIONS
    groups: dict[int | None, list[Entry]] = {}
    for e in sorted(entries, key=lambda e: e.nummer):
        groups.setdefault(e.punkt, []).append(e)
    out = []
    for nr in sorted(groups, key=lambda n: (n is None, n or 0)):
        items = groups[nr]
        titel = "; ".join(dict.fromkeys(titles.get(e.section or "", "") for e in items if e.section))
        overskrift = OTHER if nr is None else f"Bilag til dagsordenspunkt {nr}" + (f": {titel}" if titel else "")
        out.append(
            {
                "nr": nr if nr is not None else "",
                "titel": titel or (OTHER if nr is None else ""),
                "overskrift": overskrift,
                "bilag": [
                    {"nummer": f"Bilag {e.nummer}", "titel": e.titel, "side": PAGEREF.format(e.anker)} for e in items
                ],
            }
        )
    return out


def attachment_entries(attachments: list[Attachment], punkter: Punkter) -> list[Entry]:
    """Index entries (not numbered yet) for the documents from elsewhere."""
    return [Entry(None, 0, a.titel, a.punkt if a.punkt is not None else punkter.rest) for a in attachments]


def finish_bilag(target: Path, attachments: list[Attachment], entries: list[Entry], reserve: bool) -> None:
    """Append the documents from elsewhere (`entries`: theirs) and put every appendix in the order of
    its number, so that the document follows the agenda."""
    doc = Document(str(target))
    if attachments:
        _append(doc, attachments, entries, reserve)
    moved = _order_by_number(doc)
    if attachments or moved:
        with atomic_path(Path(target)) as tmp:
            doc.save(str(tmp))


_BOOKMARK = re.compile(r"^bilag_(\d+)$")


def _order_by_number(doc) -> bool:
    """Reorder the body's appendices (each from its bookmarked heading to the next) by number.
    Returns whether anything moved. A template without the bookmarks is left as it is."""
    body = doc.element.body
    children = [c for c in body.iterchildren() if c.tag != qn("w:sectPr")]
    starts = []
    for i, child in enumerate(children):
        if child.tag != qn("w:p"):
            continue
        for bm in child.iter(qn("w:bookmarkStart")):
            m = _BOOKMARK.match(bm.get(qn("w:name")) or "")
            if m:
                starts.append((i, int(m.group(1))))
                break
    numbers = [n for _i, n in starts]
    if numbers == sorted(numbers):
        return False
    bounds = [i for i, _n in starts] + [len(children)]
    blocks = sorted(((n, children[bounds[k] : bounds[k + 1]]) for k, (_i, n) in enumerate(starts)), key=lambda b: b[0])
    anchor = children[bounds[0] - 1] if bounds[0] else None
    for _n, block in blocks:  # re-inserted after the front matter, in number order
        for el in block:
            if anchor is None:
                body.insert(0, el)
            else:
                anchor.addnext(el)
            anchor = el
    return True


def _append(doc, attachments: list[Attachment], entries: list[Entry], reserve: bool) -> None:
    """Each document after a heading that carries its index bookmark: a Word file's content itself;
    for a PDF a title page and, when `reserve` (a PDF will be made), a blank page for each of its
    pages, which `merge_pdf` replaces by the PDF's pages."""
    from docxcompose.composer import Composer

    composer = Composer(doc)
    bid = 9000  # above the template's bookmarks (render._fields numbers from 101)
    for a, e in zip(attachments, entries, strict=True):
        h = doc.add_heading(f"Bilag {e.nummer}: {e.titel}", 1)
        h.paragraph_format.page_break_before = True
        bid += 1
        add_bookmark(h, e.anker, bid)
        if not a.is_pdf:
            composer.append(Document(str(a.path)))
            continue
        doc.add_paragraph(
            _title_text(a) + (" og følger efter denne side i PDF-udgaven af bilaget." if reserve else ".")
        )
        for _ in range(a.pages if reserve else 0):
            doc.add_paragraph().paragraph_format.page_break_before = True


def _title_text(a: Attachment) -> str:
    return f"Dokumentet {a.path.name} ({_sider(a.pages)}) er {PLACEHOLDER}"


def _sider(n: int) -> str:
    return "1 side" if n == 1 else f"{n} sider"


def merge_pdf(pdf: Path, attachments: list[Attachment]) -> Path:
    """Replace the pages reserved for each PDF attachment (after its title page) by its pages."""
    from pypdf import PdfReader, PdfWriter

    pdfs = [a for a in attachments if a.is_pdf]
    if not pdfs:
        return pdf
    reader = PdfReader(str(pdf))
    texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    writer = PdfWriter()
    i = 0
    for a in pdfs:  # each: its title page (found by its text, in document order), then its pages
        title = next((j for j in range(i, len(texts)) if _title_text(a) in texts[j]), None)
        if title is None or title + a.pages >= len(texts):
            raise TemplateError(
                f"PDF'en {pdf.name} har ikke siderne til {a.path.name} (en side med '{_title_text(a)}' og "
                f"{_sider(a.pages)} efter den); er skabelonen ændret?"
            )
        for page in reader.pages[i : title + 1]:
            writer.add_page(page)
        for page in PdfReader(str(a.path)).pages:
            writer.add_page(page)
        i = title + 1 + a.pages  # the reserved blank pages are left out
    for page in reader.pages[i:]:
        writer.add_page(page)
    with atomic_path(Path(pdf)) as tmp, open(tmp, "wb") as fh:
        writer.write(fh)
    return pdf
