"""Render a Word template with docxtpl: sandboxed Jinja with autoescape (a value with & < > or æøå
never corrupts the document), Danish filters, errors that name the template and the tag, and the
post-processing that turns anchors into bookmarks and page references into PAGEREF fields."""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from toolkit.danish import format_dato, format_tal
from toolkit.documents.docx_fields import add_bookmark, add_field, update_fields_on_open
from toolkit.files import atomic_path
from toolkit.problems import SkemaError

ANCHOR = "\u27e6BM:{}\u27e7"
PAGEREF = "\u27e6PAGEREF:{}\u27e7"
_ANCHOR = re.compile("\u27e6BM:([A-Za-z0-9_]+)\u27e7")
_PAGEREF = re.compile("\u27e6PAGEREF:([A-Za-z0-9_]+)\u27e7")

COMMON = {
    "sekretariat",
    "sekretariat_email",
    "sekretariat_telefon",
    "kontaktperson",
    "region",
    "dato",
    "aar",
    "periode",
    "organ",
    "niveauskift",  # documents/context.py level_section
}
VARIABLES = {  # what the toolkit provides to each template (documented in docs/skabeloner.md)
    "hoeringsbrev.docx": COMMON | {"modtager", "materiale", "frist", "skema_fil"},
    "rykkerbrev.docx": COMMON | {"modtager", "mangler", "mangler_tekst", "foer_frist"},
    "hoeringsmateriale.docx": COMMON | {"tilbud", "aar_1", "aar_2", "aar_3"},
    "bilag_das.docx": COMMON
    | {"moede", "dagsorden", "status", "indmelding", "udmelding", "indstilling", "aar_1", "aar_2", "aar_3"},
}


class TemplateError(SkemaError):
    pass


def bundled_templates_dir() -> Path:
    import toolkit.skabeloner

    return Path(toolkit.skabeloner.__file__).resolve().parent


def template_path(name: str, folder: Path | None = None) -> Path:
    for d in ([Path(folder)] if folder else []) + [Path.cwd() / "skabeloner", bundled_templates_dir()]:
        if (d / name).exists():
            return d / name
    raise TemplateError(f"Skabelonen {name} findes ikke (hverken i {folder or 'skabeloner/'} eller i pakken).")


class _Env(SandboxedEnvironment):
    """Compiles each template source once: every letter of a run renders the same document XML."""

    def __init__(self):
        super().__init__(autoescape=True)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        t = self._compiled.get(source)
        if t is None:
            if len(self._compiled) > 64:
                self._compiled.clear()
            t = self._compiled[source] = super().from_string(source)
        return t


_ENV = None


def jinja_env() -> SandboxedEnvironment:
    global _ENV
    if _ENV is None:
        _ENV = _Env()
        _ENV.filters["dato"] = format_dato
        _ENV.filters["tal"] = format_tal
    return _ENV


@lru_cache(maxsize=16)
def _template_bytes(path: str, mtime: float) -> bytes:
    return Path(path).read_bytes()


def load(name: str, folder: Path | None = None) -> DocxTemplate:
    path = template_path(name, folder)
    try:
        return DocxTemplate(io.BytesIO(_template_bytes(str(path), path.stat().st_mtime)))
    except Exception as exc:  # noqa: BLE001 - a broken .docx is the user's to fix
        raise TemplateError(
            f"Skabelonen {path.name} kan ikke åbnes som Word-dokument ({exc.__class__.__name__})."
        ) from exc


def render(tpl: DocxTemplate, name: str, context: dict, target: Path) -> Path:
    try:
        tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"Skabelonen {name} har en fejl i et felt (linje {exc.lineno}): {exc.message}. "
            f"Ret feltet {{{{ … }}}} eller {{% … %}} i Word."
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"Skabelonen {name} bruger en ukendt værdi: {exc.message}. "
            f"Se docs/skabeloner.md for de værdier, der kan bruges."
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"Skabelonen {name} forsøger noget, der ikke er tilladt: {exc}") from None
    _fields(tpl.docx)
    _properties(tpl.docx, name, context)
    _pagination(tpl.docx)
    with atomic_path(Path(target)) as tmp:
        tpl.save(str(tmp))
    return Path(target)


TITLES = {
    "hoeringsbrev.docx": "Høringsbrev",
    "rykkerbrev.docx": "Rykker",
    "hoeringsmateriale.docx": "Høringsmateriale",
    "bilag_das.docx": "Bilag til {das}",  # the short name of the body 'das' in the annual cycle
}
LANGUAGE = "da-DK"


def _properties(document, name: str, context: dict) -> None:
    """Danish proofing language and document properties from stamdata, not python-docx's defaults
    (author 'python-docx', created 2013, language en-US): Word spell-checks the text as Danish and
    the PDF names the secretariat as its author."""
    props = document.core_properties
    author = str(context.get("sekretariat") or "")
    das = (context.get("organ") or {}).get("das") or {}
    title = TITLES.get(name, Path(name).stem).replace("{das}", das.get("kort", "DAS"))
    if context.get("aar"):
        title = f"{title} {context['aar']}"
    receiver = context.get("modtager")
    receiver_name = getattr(receiver, "navn", None) or (receiver.get("navn") if isinstance(receiver, dict) else None)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.author = author
    props.last_modified_by = author
    props.title = title
    props.subject = str(receiver_name or context.get("region") or "")
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = LANGUAGE
    props.created = now
    props.modified = now
    props.revision = 1
    _language(document)


def _language(document) -> None:
    """Set da-DK on the document defaults and on every style and run that names another language."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = defaults.makeelement(qn("w:rPrDefault"), {})
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = rpr_default.makeelement(qn("w:rPr"), {})
            rpr_default.append(rpr)
        if rpr.find(qn("w:lang")) is None:
            rpr.append(rpr.makeelement(qn("w:lang"), {}))
    for root in (styles, document.element.body, document.settings.element):
        for lang in (*root.iter(qn("w:lang")), *root.iter(qn("w:themeFontLang"))):
            lang.set(qn("w:val"), LANGUAGE)
            if lang.get(qn("w:eastAsia")) is not None:
                lang.set(qn("w:eastAsia"), LANGUAGE)


def _pagination(document) -> None:
    """What a person would set by hand before printing: headings stay with what follows them, a
    table's header row repeats on every page and its rows do not split, a table short enough to fit a
    page is kept whole (keep-with-next on every row but the last: LibreOffice lost every row after
    the first when such a table broke across pages, the Sjælland bilag's criteria table), and a
    cover page (a Title page whose next heading starts a new page) carries no page number."""
    for style in document.styles:
        if getattr(style, "type", None) == WD_STYLE_TYPE.PARAGRAPH and style.name.startswith(("Heading", "Title")):
            style.paragraph_format.keep_with_next = True
    body = document.element.body
    for tbl in body.iter(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        for i, tr in enumerate(rows):
            trpr = tr.find(qn("w:trPr"))
            if trpr is None:
                trpr = tr.makeelement(qn("w:trPr"), {})
                tr.insert(1 if tr.find(qn("w:tblPrEx")) is not None else 0, trpr)
            _ensure_in_order(trpr, "w:cantSplit")
            if i == 0 and len(rows) > 1:
                _ensure_in_order(trpr, "w:tblHeader")
            if i < len(rows) - 1 and len(rows) <= KEEP_TABLE_ROWS:
                for p in tr.iter(qn("w:p")):
                    Paragraph(p, document).paragraph_format.keep_with_next = True
    _keep_short_lines_with_what_follows(document)
    if _has_cover(document.paragraphs):
        document.sections[0].different_first_page_header_footer = True


KEEP_TABLE_ROWS = 20  # a table this short fits a page, so it is kept whole (moved to the next page)
SHORT_LINE = 160  # characters: a line or two under a heading or over a table


def _keep_short_lines_with_what_follows(document) -> None:
    """A short line right under a heading (a tilbud's 'Driftsherre: ...') and a short line right over a
    table ('Panelets forslag ...') keep with what follows, so neither is left at the foot of a page
    with its heading while the section goes on overleaf."""
    blocks = list(document.element.body.iterchildren(qn("w:p"), qn("w:tbl")))
    for i, el in enumerate(blocks[:-1]):
        if el.tag != qn("w:p"):
            continue
        p = Paragraph(el, document)
        if not p.text.strip() or len(p.text) > SHORT_LINE or _is_heading(p):
            continue
        before, after = blocks[i - 1] if i else None, blocks[i + 1]
        under_heading = before is not None and before.tag == qn("w:p") and _is_heading(Paragraph(before, document))
        if under_heading or after.tag == qn("w:tbl"):
            p.paragraph_format.keep_with_next = True


def _is_heading(p) -> bool:
    return p.style is not None and p.style.name.startswith(("Heading", "Title"))


def _has_cover(paragraphs) -> bool:
    """A cover page: the document opens with a Title, and its first heading starts a new page."""
    texts = [p for p in paragraphs if p.text.strip()]
    if not texts or texts[0].style is None or texts[0].style.name != "Title":
        return False
    heading = next((p for p in texts[1:] if p.style is not None and p.style.name.startswith("Heading")), None)
    return heading is not None and bool(heading.paragraph_format.page_break_before)


_TRPR_ORDER = [
    qn(t)
    for t in (
        "w:cnfStyle",
        "w:divId",
        "w:gridBefore",
        "w:gridAfter",
        "w:wBefore",
        "w:wAfter",
        "w:cantSplit",
        "w:trHeight",
        "w:tblHeader",
        "w:tblCellSpacing",
        "w:jc",
        "w:hidden",
    )
]


def _ensure_in_order(trpr, tag: str) -> None:
    """Add an empty `tag` to a w:trPr where the schema's sequence puts it (Word refuses another order)."""
    tag = qn(tag)
    if trpr.find(tag) is not None:
        return
    later = _TRPR_ORDER[_TRPR_ORDER.index(tag) + 1 :]
    el = trpr.makeelement(tag, {})
    for i, child in enumerate(trpr):
        if child.tag in later:
            trpr.insert(i, el)
            return
    trpr.append(el)


def _fields(document) -> None:
    bid = 100
    for p in document.paragraphs:
        text = p.text
        if "\u27e6" not in text:
            continue
        for m in _ANCHOR.finditer(text):
            bid += 1
            add_bookmark(p, m.group(1), bid)
        for run in p.runs:
            if "\u27e6" in run.text:
                run.text = _ANCHOR.sub("", run.text)
        refs = [m.group(1) for m in _PAGEREF.finditer(text)]
        for run in p.runs:
            run.text = _PAGEREF.sub("", run.text)
        for ref in refs:
            add_field(p, f"PAGEREF {ref} \\h", "?")
    update_fields_on_open(document)


def check_templates(folder: Path | None = None) -> dict[str, list[str]]:
    """Per template: the variables it uses that the toolkit does not provide."""
    out = {}
    for name, provided in VARIABLES.items():
        tpl = load(name, folder)
        try:
            used = tpl.get_undeclared_template_variables(jinja_env())
        except jinja2.TemplateSyntaxError as exc:
            out[name] = [f"syntaksfejl: {exc.message}"]
            continue
        out[name] = sorted(set(used) - provided)
    return out
