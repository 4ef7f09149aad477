"""The mail texts: a plain-text Jinja template per kind (skabeloner/mail/udsendelse.txt and
rykker.txt) whose first line is 'Emne: …' (the subject) and the rest the body. Sandboxed, no
autoescape (it is plain text); an unknown variable is an error naming the template. The variables
are documented in docs/post.md."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from toolkit.danish import format_dato, format_tal
from toolkit.documents.render import TemplateError, bundled_templates_dir

KINDS = ("udsendelse", "rykker")
VARIABLES = {  # what every mail template receives (docs/post.md)
    "modtager",
    "kontaktperson",
    "email",
    "skemaer",
    "antal",
    "antal_tekst",
    "overskredet",
    "frist",
    "frister",
    "aar",
    "region",
    "sekretariat",
    "sekretariat_email",
    "sekretariat_telefon",
    "sekretariat_kontaktperson",
    "dato",
}


def _env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["dato"] = format_dato
    env.filters["tal"] = format_tal
    return env


def mail_template_path(kind: str, folder: Path | None = None) -> Path:
    """The template for `kind`: in `folder` (a working folder's skabeloner/mail) if there, else the
    bundled one."""
    name = f"{kind}.txt"
    for d in ([Path(folder)] if folder else []) + [bundled_templates_dir() / "mail"]:
        if (d / name).is_file():
            return d / name
    raise TemplateError(f"Mailskabelonen {name} findes ikke (hverken i {folder or 'skabeloner/mail'} eller i pakken).")


def render_mail(kind: str, context: dict, folder: Path | None = None) -> tuple[str, str]:
    """(subject, body) of the template for `kind` with `context`."""
    path = mail_template_path(kind, folder)
    try:
        source = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"Mailskabelonen {path} kan ikke læses ({exc.__class__.__name__}).") from None
    try:
        text = _env().from_string(source).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"Mailskabelonen {path.name} har en fejl i linje {exc.lineno}: {exc.message}.") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"Mailskabelonen {path.name} bruger en ukendt værdi: {exc.message}. Se docs/post.md for de værdier, "
            f"der kan bruges."
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"Mailskabelonen {path.name} forsøger noget, der ikke er tilladt: {exc}") from None
    first, _, body = text.lstrip("\ufeff").partition("\n")
    if not first.lower().startswith("emne:"):
        raise TemplateError(f"Mailskabelonen {path.name} skal begynde med en linje 'Emne: …' (mailens emne).")
    subject = " ".join(first[len("emne:") :].split())
    return subject, body.lstrip("\n").rstrip() + "\n"
