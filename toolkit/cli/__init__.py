"""The `skema` command line: parse options, call one library function, show the result."""

# Importing a module registers its commands, and this order is the order in `skema --help`.
# isort: off
from toolkit.cli.common import app, main
import toolkit.cli.forms  # noqa: F401
import toolkit.cli.returns  # noqa: F401
import toolkit.cli.documents  # noqa: F401
import toolkit.cli.mail  # noqa: F401
import toolkit.cli.web  # noqa: F401

# isort: on

__all__ = ["app", "main"]
