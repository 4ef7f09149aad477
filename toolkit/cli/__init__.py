"""The `skema` command line: parse options, call one library function, show the result."""

from toolkit.cli.common import app, main
import toolkit.cli.forms  # noqa: F401,E402  (registers the commands)
import toolkit.cli.returns  # noqa: F401,E402
import toolkit.cli.documents  # noqa: F401,E402

__all__ = ["app", "main"]
