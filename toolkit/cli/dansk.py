"""Typer's own words in Danish: the panel titles and the error hint (public module attributes of
typer.rich_utils, set once when the CLI is imported) and the help option's text (command classes
passed to Typer with its public `cls=` parameter). If a Typer release drops a panel constant, that
text simply stays English."""

from __future__ import annotations

import typer
from typer.core import TyperCommand, TyperGroup

PANELS = {
    "OPTIONS_PANEL_TITLE": "Tilvalg",
    "COMMANDS_PANEL_TITLE": "Kommandoer",
    "ARGUMENTS_PANEL_TITLE": "Argumenter",
    "ERRORS_PANEL_TITLE": "Fejl",
    "ABORTED_TEXT": "Afbrudt.",
    "RICH_HELP": "Skriv [blue]'{command_path} {help_option}'[/] for at få hjælp.",
}
HELP_TEXT = "Vis denne hjælp og afslut."


def install() -> None:
    """Danish panel titles in every help screen and error box (the CLI's edge, not the library)."""
    try:
        import typer.rich_utils as ru
    except ImportError:  # Typer without rich: plain help, no panels
        return
    for name, text in PANELS.items():
        if hasattr(ru, name):
            setattr(ru, name, text)


def _danish_help(option):
    if option is not None:
        option.help = HELP_TEXT
    return option


class DanskCommand(TyperCommand):
    def get_help_option(self, ctx):
        return _danish_help(super().get_help_option(ctx))


class DanskGroup(TyperGroup):
    def get_help_option(self, ctx):
        return _danish_help(super().get_help_option(ctx))


class DanskTyper(typer.Typer):
    """typer.Typer whose group and commands say 'Vis denne hjælp og afslut.' for --help."""

    def __init__(self, *args, cls=None, **kwargs):
        super().__init__(*args, cls=cls or DanskGroup, **kwargs)

    def command(self, *args, cls=None, **kwargs):
        return super().command(*args, cls=cls or DanskCommand, **kwargs)
