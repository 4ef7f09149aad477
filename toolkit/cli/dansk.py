"""Typer's own words in Danish (panel titles, the help option, the error hint). Each patch is
guarded: if a Typer release moves a name, that text simply stays English."""
from __future__ import annotations

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
    try:
        import typer.rich_utils as ru

        for name, text in PANELS.items():
            if hasattr(ru, name):
                setattr(ru, name, text)
    except ImportError:
        return
    try:
        from typer._click.core import Command
    except ImportError:
        return
    original = getattr(Command, "get_help_option", None)
    if original is None or getattr(original, "_dansk", False):
        return

    def get_help_option(self, ctx):
        opt = original(self, ctx)
        if opt is not None:
            opt.help = HELP_TEXT
        return opt

    get_help_option._dansk = True
    Command.get_help_option = get_help_option
