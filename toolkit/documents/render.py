"""Render a Word template with docxtpl: sandboxed Jinja with autoescape (a value with & < > or æøå
never corrupts the document), Danish filters, errors that name the template and the tag, and the
post-processing that turns anchors into bookmarks and page references into PAGEREF fields."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import jinja2
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
}
VARIABLES = {  # what the toolkit provides to each template (documented in docs/skabeloner.md)
    "hoeringsbrev.docx": COMMON | {"modtager", "materiale", "frist"},
    "rykkerbrev.docx": COMMON | {"modtager", "mangler", "mangler_tekst", "foer_frist"},
    "hoeringsmateriale.docx": COMMON | {"tilbud", "aar_1", "aar_2", "aar_3"},
    "bilag_das.docx": COMMON | {"moede", "dagsorden", "status", "indmelding", "udmelding", "aar_1", "aar_2", "aar_3"},
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
    with atomic_path(Path(target)) as tmp:
        tpl.save(str(tmp))
    return Path(target)


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
