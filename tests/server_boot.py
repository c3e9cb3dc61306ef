"""A throwaway mariadbd booted from an option file, for tests that need a real server."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.mariadb import INSTALL_HINT, mariadbd_path

START_TIMEOUT = 15.0
STOP_TIMEOUT = 30.0
Connect = Callable[[], Any]


def install_db(datadir: Path) -> None:
    """Initialise an empty data directory with the system tables."""
    exe = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
    # a temp folder of its own: in the shared /tmp, bootstrap's temporary tables vanished
    # under it while other servers started ("Could not remove temporary table ... error: 2")
    args = [exe, "--no-defaults", f"--datadir={datadir}", f"--tmpdir={datadir.parent}",
            "--auth-root-authentication-method=normal", "--skip-test-db"]
    if os.geteuid() == 0:
        args.append("--user=root")
    p = subprocess.run(args, capture_output=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("mariadb-install-db failed: "
                           + p.stderr.decode("utf-8", "replace")[-2000:])


def _log(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-3000:] if path.exists() else ""


@contextmanager
def boot_server(defaults_file: str | Path, tmp_path: Path, again: bool = False
                ) -> Iterator[Connect]:
    """Start mariadbd with `defaults_file` on a fresh datadir in `tmp_path` (with `again`, on
    the one an earlier boot in `tmp_path` left, appending to its error log), networking off and
    logs inside `tmp_path`; yield a factory of PyMySQL connections over the unix socket; stop
    the server with SIGTERM and wait for it, whatever happens."""
    import pymysql

    exe = mariadbd_path()
    assert exe, INSTALL_HINT
    datadir = tmp_path / "data"
    if not (again and datadir.is_dir()):
        datadir.mkdir()
        install_db(datadir)
    short = None
    sock = tmp_path / "mysqld.sock"
    if len(str(sock)) > 100:  # a unix socket path has at most 107 bytes
        short = Path(tempfile.mkdtemp(prefix="mcl-"))
        sock = short / "mysqld.sock"
    err_log = tmp_path / "err.log"
    args = [exe, f"--defaults-file={defaults_file}", f"--datadir={datadir}",
            f"--socket={sock}", f"--pid-file={tmp_path / 'mysqld.pid'}", "--skip-networking",
            f"--log-error={err_log}", f"--slow-query-log-file={tmp_path / 'slow.log'}",
            f"--tmpdir={tmp_path}"]
    if os.geteuid() == 0:
        args.append("--user=root")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)

    def connect() -> Any:
        return pymysql.connect(unix_socket=str(sock), user="root", password="",
                               connect_timeout=5, autocommit=True)

    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mariadbd exited with {proc.returncode}:\n{_log(err_log)}")
            if sock.exists():
                try:
                    connect().close()
                    break
                except pymysql.err.OperationalError:
                    pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"mariadbd did not open {sock} within {START_TIMEOUT:.0f} s:"
                                   f"\n{_log(err_log)}")
            time.sleep(0.1)
        yield connect
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if short is not None:
            shutil.rmtree(short, ignore_errors=True)
