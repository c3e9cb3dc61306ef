"""doctor reads a real server's crash, kill and restart lines: three boots of one data folder,
the first ended by SIGSEGV (MariaDB writes a crash report), the second by SIGKILL (it writes
nothing), the third left running."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from mycnf_lint.live.connect import Target
from mycnf_lint.live.diagnose import DoctorOptions, diagnose
from mycnf_lint.render import render
from tests.mariadb import requires_server

pytestmark = requires_server


def _end(tmp: Path, sig: signal.Signals) -> None:
    """Send `sig` to the server this test booted (its pid file) and wait until it is gone."""
    pid = int((tmp / "mysqld.pid").read_text().split()[0])
    os.kill(pid, sig)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.1)
    raise AssertionError(f"mariadbd {pid} did not end after {sig.name}")


def test_a_crash_a_kill_and_the_restarts_in_the_servers_own_log(tmp_path: Path) -> None:
    from tests.server_boot import boot_server

    cnf = tmp_path / "my.cnf"
    cnf.write_text(render("pooled", "mariadb-10.11", [], None).text)
    with boot_server(cnf, tmp_path):
        _end(tmp_path, signal.SIGSEGV)
    with boot_server(cnf, tmp_path, again=True):
        _end(tmp_path, signal.SIGKILL)
    with boot_server(cnf, tmp_path, again=True) as connect:
        conn = connect()
        with conn.cursor() as cur:
            cur.execute("SELECT @@socket")
            (sock,) = cur.fetchone()
        conn.close()
        d = diagnose(DoctorOptions(target=Target(socket=sock, user="root", password="")))
    log = (tmp_path / "err.log").read_text(errors="replace").splitlines()
    by = {f.name: f for f in d.findings}
    crash = by["log-crash"]
    assert crash.severity == "error" and crash.file == str(tmp_path / "err.log")
    assert ("crashed once with a crash report and ended once with neither a shutdown nor a "
            "report") in crash.message
    assert "as process" in log[crash.line - 1]  # the start after the kill
    assert sum("got signal 11" in line for line in log) == 1
    assert "started 3 times" in by["log-restart"].message
    assert "never shut down cleanly" in by["log-restart"].message
    assert d.exit_code == 1
    with pytest.raises(KeyError):
        by["log-packet-too-big"]  # nothing provoked one
