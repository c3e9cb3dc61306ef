"""The console script's first module: signal handlers before anything slow is imported.

Importing the command line (typer, click) takes a good part of a short run; a Ctrl-C in that
time would otherwise end in a KeyboardInterrupt traceback. So the handlers of signals.py come
first, then the command line.
"""

from __future__ import annotations

import sys

from mycnf_lint.signals import Signalled, describe, install


def main() -> None:
    """Console-script entry point: the handlers, then the command line."""
    install()
    try:
        from mycnf_lint.cli import run
    except Signalled as exc:  # still importing: nothing to clean up
        sys.stderr.write(f"mycnf-lint: {describe(exc.code)}\n")
        sys.exit(exc.code)
    sys.exit(run())
