"""Typer's and Click's own words in Danish, through their public means: the module attributes of
typer.rich_utils (panel titles, "[default: …]", "[required]"; set once when the CLI is imported),
the command classes passed with Typer's `cls=` (the help option's text, the usage line's prefix,
"No such command", missing and invalid values, unknown options), `options_metavar` and
`subcommand_metavar`, and `metavar=` on our options. If a Typer release drops one of these
attributes, that text simply stays English."""

from __future__ import annotations

import difflib

import typer
from typer.core import TyperCommand, TyperGroup

from toolkit.danish import opremsning

PANELS = {
    "OPTIONS_PANEL_TITLE": "Tilvalg",
    "COMMANDS_PANEL_TITLE": "Kommandoer",
    "ARGUMENTS_PANEL_TITLE": "Argumenter",
    "ERRORS_PANEL_TITLE": "Fejl",
    "ABORTED_TEXT": "Afbrudt.",
    "RICH_HELP": "Skriv [blue]'{command_path} {help_option}'[/] for at få hjælp.",
    "DEFAULT_STRING": "[standard: {}]",
    "REQUIRED_LONG_STRING": "[skal angives]",
    "ENVVAR_STRING": "[miljøvariabel: {}]",
    "DEPRECATED_STRING": "(udgået) ",
}
HELP_TEXT = "Vis denne hjælp og afslut."
USAGE = "Brug: "
OPTIONS_METAVAR = "[TILVALG]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENTER]..."


def install() -> None:
    """Danish panel titles and markers in every help screen and error box (the CLI's edge, not the library)."""
    try:
        import typer.rich_utils as ru
    except ImportError:  # Typer without rich: plain help, no panels
        return
    for name, text in PANELS.items():
        if hasattr(ru, name):
            setattr(ru, name, text)


class UgyldigVaerdi(typer.BadParameter):
    """A bad option value, said in Danish (Typer's own wording is English)."""

    def format_message(self) -> str:
        return self.message


def _danish_help(option):
    if option is not None:
        option.help = HELP_TEXT
        option.metavar = ""  # a flag: no "<bool>" in the type column
    return option


def _hint(param) -> str:
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
    return opts[0] if opts else str(getattr(param, "human_readable_name", "") or getattr(param, "name", "")).upper()


def _danish_error(exc: Exception) -> str | None:
    """The Danish text for Click's parse errors (missing value, invalid value, unknown option); None for others."""
    if isinstance(exc, UgyldigVaerdi):
        return None  # already Danish
    if getattr(exc, "option_name", None):  # NoSuchOption
        close = sorted(getattr(exc, "possibilities", None) or ())
        name = exc.option_name  # type: ignore[attr-defined]
        return f"Ukendt tilvalg '{name}'." + (f" Mente du {opremsning(close, 'eller')}?" if close else "")
    param = getattr(exc, "param", None)
    if isinstance(exc, typer.BadParameter) and param is not None:
        if type(exc).__name__ == "MissingParameter":  # Click's class, also in Typer's own copy of Click
            what = "tilvalget" if _hint(param).startswith("--") else "argumentet"
            return f"Mangler {what} '{_hint(param)}'."
        return f"Ugyldig værdi for '{_hint(param)}': {exc.message}"
    return None


class _Dansk:
    """Danish help option, usage line and parse errors, for a command and a group alike."""

    def get_help_option(self, ctx):
        return _danish_help(super().get_help_option(ctx))  # type: ignore[misc]

    def format_usage(self, ctx, formatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE)

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except Exception as exc:
            text = _danish_error(exc)
            if text is None:
                raise
            ctx.fail(text)


class DanskCommand(_Dansk, TyperCommand):
    pass


class DanskGroup(_Dansk, TyperGroup):
    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3)
            ctx.fail(
                f"Ukendt kommando '{name}'."
                + (f" Mente du {opremsning(close, 'eller')}?" if close else " Se kommandoerne med --help.")
            )
        return super().resolve_command(ctx, args)


class DanskTyper(typer.Typer):
    """typer.Typer whose group and commands speak Danish (help option, usage line, errors, placeholders)."""

    def __init__(self, *args, cls=None, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, cls=cls or DanskGroup, **kwargs)

    def command(self, *args, cls=None, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        return super().command(*args, cls=cls or DanskCommand, **kwargs)


def parse_aar(value):
    """--aar as a year, said in Danish when it is not one."""
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    if not (text.isdigit() and len(text) == 4):
        raise UgyldigVaerdi(f"Ugyldig værdi for '--aar': '{value}' er ikke et årstal (skriv fx 2028).")
    return int(text)
