"""The `skema` command line: parse options, call one library function, show the result."""

# isort: off  (importing a module registers its commands; this order is the order in `skema --help`)
import toolkit.cli.documents  # noqa: F401
import toolkit.cli.forms  # noqa: F401  (registers the commands)
import toolkit.cli.returns  # noqa: F401
from toolkit.cli.common import app, main

# isort: on

__all__ = ["app", "main"]
