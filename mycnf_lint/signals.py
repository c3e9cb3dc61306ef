"""The signals that end a run: SIGINT, SIGTERM and SIGHUP raise `Signalled` wherever the
program is (a fix being written removes its temporary file), and the CLI turns it into one line
and exit 128 + the signal's number. A signal the caller ignores (`nohup`, a background job's
SIGINT) stays ignored.
"""

from __future__ import annotations

import signal

SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class Signalled(BaseException):
    """A signal that ends the run; `code` is 128 + its number, as shells report it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.code = 128 + signum


def describe(code: int) -> str:
    """The one line that says why a run ended with exit `code` (128 + a signal's number)."""
    return "interrupted" if code == 128 + signal.SIGINT else f"stopped by signal {code - 128}"


def _signalled(signum: int, frame: object) -> None:
    raise Signalled(signum)


def install() -> None:
    """Make the signals that end a run raise Signalled, unless they are ignored."""
    for name in SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _signalled)
