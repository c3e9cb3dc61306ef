"""Real MariaDB for the tests: `mariadbd --help --verbose` as an oracle, and throwaway servers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

INSTALL_HINT = ("needs mariadbd on PATH: apt-get install mariadb-server-core mariadb-client "
                "(scripts/test does this)")
CLIENT_HINT = "needs the MariaDB clients: apt-get install mariadb-client (scripts/test does this)"
_ROW = re.compile(r"^([a-z0-9][a-z0-9_-]*)\s{2,}(.*)$")
_SBIN = ("/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin")


def mariadbd_path() -> str | None:
    found = shutil.which("mariadbd")
    if found:
        return found
    for d in _SBIN:
        p = os.path.join(d, "mariadbd")
        if os.access(p, os.X_OK):
            return p
    return None


requires_mariadbd = pytest.mark.skipif(mariadbd_path() is None, reason=INSTALL_HINT)
# a throwaway server needs mariadb-install-db, which runs my_print_defaults (mariadb-client-core)
requires_server = pytest.mark.skipif(
    mariadbd_path() is None or not shutil.which("my_print_defaults")
    or not shutil.which("mariadb-install-db"), reason=INSTALL_HINT)
requires_clients = pytest.mark.skipif(
    not (shutil.which("mariadb") and shutil.which("mariadb-dump")), reason=CLIENT_HINT)


@dataclass
class HelpResult:
    """What `mariadbd --defaults-file=F --help --verbose` says about a file."""

    returncode: int
    values: dict[str, str]
    messages: list[str]

    @property
    def starts(self) -> bool:
        return self.returncode == 0


def help_verbose(defaults_file: str | Path | None, cwd: str | Path | None = None,
                 prefix: Sequence[str] = ()) -> HelpResult:
    """Run the server's option parsing on a file without starting anything (under `prefix`,
    a command such as taskset or prlimit that runs the server)."""
    exe = mariadbd_path()
    assert exe, INSTALL_HINT
    first = [f"--defaults-file={defaults_file}"] if defaults_file else ["--no-defaults"]
    p = subprocess.run([*prefix, exe, *first, "--help", "--verbose"], capture_output=True,
                       cwd=cwd, timeout=60)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    values: dict[str, str] = {}
    on = False
    for line in out.splitlines():
        if line.startswith("-" * 60 + " "):
            on = True
        elif on and (m := _ROW.match(line)):
            values[m.group(1).replace("-", "_")] = m.group(2).strip()
    msgs = [ln for ln in (out + err).splitlines()
            if re.search(r"\[(ERROR|Warning)\]|^error:|^Warning:", ln)]
    return HelpResult(p.returncode, values, msgs)


def normalize(value: object) -> str:
    """One spelling for a value printed by the server and a value from `effective`."""
    if isinstance(value, bool):
        return "1" if value else "0"
    s = str(value).strip()
    s = s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    up = s.upper()
    if up in ("ON", "TRUE"):
        return "1"
    if up in ("OFF", "FALSE"):
        return "0"
    try:
        f = float(s)
        return str(int(f)) if f == int(f) else repr(round(f, 6))
    except ValueError:
        return up
