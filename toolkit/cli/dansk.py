"""Typer's and Click's own words in Danish, through their public means: the command classes passed
with Typer's `cls=` write the help page themselves (`format_help`, Click's documented hook for a
custom command class) from the public attributes of Click's parameters (opts, metavar, help,
required, default), so no Python type ("<list[Path]>", "TEXT") and no English word shows, whatever
Typer release draws the page; they also give the usage line's prefix, "No such command", missing and
invalid values and unknown options in Danish. The module attributes of typer.rich_utils (set once
when the CLI is imported) make Typer's own error box Danish ("Fejl", "Skriv … --help")."""

from __future__ import annotations

import difflib
import os

import typer
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
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


def _usage_name(param) -> str:
    """An argument in the usage line: STI... (required, repeatable), [MAPPE] (optional)."""
    name = param.metavar or (param.name or "").upper()
    if param.nargs != 1:
        name += "..."
    return name if param.required else f"[{name}]"


def _placeholder(param) -> str:
    """The value an option takes, as we named it (metavar=); a flag takes none. Never a Python type."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    return param.metavar if param.metavar is not None else "VÆRDI"


def _default_text(ctx, param) -> str:
    """ "[standard: 8765]" when the help text does not already say the default in words."""
    help_text = param.help or ""
    show = param.show_default if param.show_default is not None else ctx.show_default
    if isinstance(show, str):
        return f"[standard: {show}]"
    if not show or "standard" in help_text or getattr(param, "is_flag", False):
        return ""
    value = param.get_default(ctx, call=False)
    if value is None or callable(value) or value == () or value == [] or value is False or value == "":
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return f"[standard: {value}]"


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in (text or "").replace("\b", "").split("\n\n") if p.strip()]


def _panel(title: str, rows: list[list[str]], styles: tuple[str, ...], marked: bool = False) -> Panel:
    """A framed table; `marked`: the first column holds the "*" of required parameters, left out when
    no row has one."""
    if marked and not any(row[0] for row in rows):
        rows, styles = [row[1:] for row in rows], styles[1:]
    table = Table.grid(padding=(0, 2), expand=True)
    for i, style in enumerate(styles):
        last = i == len(styles) - 1
        table.add_column(style=style, no_wrap=not last, ratio=1 if last else None, overflow="fold")
    for row in rows:
        table.add_row(*[Text(cell) for cell in row])
    return Panel(table, title=title, title_align="left", border_style="dim", box=box.ROUNDED)


def help_page(command, ctx) -> Group:
    """The whole help page of a command or a group, in Danish."""
    parts: list = [Padding(Text(USAGE + ctx.command_path + " " + " ".join(command.collect_usage_pieces(ctx))), (1, 1))]
    for paragraph in _paragraphs(command.help or ""):
        parts.append(Padding(Text(paragraph), (0, 1, 1, 1)))
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    if arguments:
        rows = [
            ["*" if p.required else "", _usage_name(p).strip("[]"), _joined(p.help, _default_text(ctx, p), p.required)]
            for p in arguments
        ]
        parts.append(_panel(PANELS["ARGUMENTS_PANEL_TITLE"], rows, ("red", "bold cyan", ""), marked=True))
    if options:
        rows = [
            [
                "*" if p.required else "",
                ", ".join(list(p.opts) + list(p.secondary_opts)),
                _placeholder(p),
                _joined(p.help, _default_text(ctx, p), p.required),
            ]
            for p in options
        ]
        parts.append(_panel(PANELS["OPTIONS_PANEL_TITLE"], rows, ("red", "bold cyan", "bold yellow", ""), marked=True))
    if isinstance(command, typer.core.TyperGroup):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append([name, sub.short_help or next(iter(_paragraphs(sub.help or "")), "")])
        if rows:
            parts.append(_panel(PANELS["COMMANDS_PANEL_TITLE"], rows, ("bold cyan", "")))
    if command.epilog:
        parts.append(Padding(Text(" ".join(command.epilog.split())), (1, 1, 0, 1)))
    return Group(*parts)


def _joined(help_text: str | None, default: str, required: bool) -> str:
    return " ".join(t for t in (help_text or "", default, PANELS["REQUIRED_LONG_STRING"] if required else "") if t)


def _console() -> Console:
    width = os.environ.get("TERMINAL_WIDTH")
    return Console(width=int(width) if width and width.isdigit() else None, highlight=False)


class _Dansk:
    """Danish help page, help option, usage line and parse errors, for a command and a group alike."""

    def get_help_option(self, ctx):
        return _danish_help(super().get_help_option(ctx))  # type: ignore[misc]

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []  # type: ignore[attr-defined]
        pieces += [_usage_name(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]  # type: ignore[attr-defined]
        if isinstance(self, typer.core.TyperGroup):
            pieces.append(self.subcommand_metavar)
        return pieces

    def format_usage(self, ctx, formatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE)

    def format_help(self, ctx, formatter) -> None:
        _console().print(help_page(self, ctx))

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
