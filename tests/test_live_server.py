"""doctor against a real throwaway mariadbd booted from a file that `render` wrote: one boot for
the module; each test that changes the server sets it back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mycnf_lint.live.connect import ConnectError, Target
from mycnf_lint.live.diagnose import Diagnosis, DoctorOptions, diagnose
from mycnf_lint.render import render
from tests.mariadb import requires_clients, requires_server

pytestmark = requires_server
FLAVOR = "mariadb-10.11"
PASSWORD = "Doctor-Right-7319"
WRONG = "Doctor-Wrong-4826"


@dataclass
class Server:
    """The booted server: the rendered file, its socket, its error log, a connection factory
    and the diagnosis taken right after the boot."""

    cnf: Path
    socket: str
    error_log: str
    connect: Any
    fresh: Diagnosis

    def target(self, **kw: Any) -> Target:
        return Target(**{"socket": self.socket, "user": "root", "password": "", **kw})

    def sql(self, *statements: str) -> list[Any]:
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                out = []
                for s in statements:
                    cur.execute(s)
                    out.append(cur.fetchall())
                return out
        finally:
            conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from tests.server_boot import boot_server

    tmp = tmp_path_factory.mktemp("doctor")
    cnf = tmp / "my.cnf"
    cnf.write_text(render("pooled", FLAVOR, [], None).text)
    with boot_server(cnf, tmp) as connect:
        conn = connect()
        with conn.cursor() as cur:
            cur.execute("SELECT @@socket, @@log_error")
            sock, log = cur.fetchone()
            cur.execute(f"CREATE USER doctor@localhost IDENTIFIED BY '{PASSWORD}'")
            cur.execute(f"CREATE USER locked@localhost IDENTIFIED BY '{PASSWORD}' ACCOUNT LOCK")
        conn.close()
        fresh = diagnose(DoctorOptions(target=Target(socket=sock, user="root", password=""),
                                       profile="pooled"))
        yield Server(cnf, sock, log, connect, fresh)


def _serious(d: Diagnosis) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in d.findings if f.severity in ("error", "warning")]


def test_a_server_booted_from_a_rendered_file_has_nothing_serious(server: Server) -> None:
    assert _serious(server.fresh) == []
    assert server.fresh.exit_code == 0
    assert server.fresh.server["flavor"] == FLAVOR
    assert server.fresh.server["version"].startswith("10.11.")
    assert 0 <= server.fresh.server["uptime"] < 3600
    assert "recent-restart" in [f.name for f in server.fresh.findings]  # info: it just started


def test_set_global_wait_timeout_is_flagged_under_pooled_and_drifts_from_the_file(
        server: Server) -> None:
    server.sql("SET GLOBAL wait_timeout = 60")
    try:
        d = diagnose(DoctorOptions(paths=[str(server.cnf)], target=server.target(),
                                   profile="pooled"))
        default = diagnose(DoctorOptions(target=server.target()))
    finally:
        server.sql("SET GLOBAL wait_timeout = 28800")
    (f,) = [f for f in d.findings if f.name == "wait-timeout-below-pool-recycle"]
    assert (f.file, f.line, f.severity) == (f"server:{server.socket}", 0, "error")
    assert "wait_timeout is 60 (1m) (live on server:" in f.message
    assert f.fix is None and f.edit is None
    assert d.exit_code == 1
    assert "wait-timeout-below-pool-recycle" not in [f.name for f in default.findings]
    drift = {x.variable: x for x in d.drift}
    assert (drift["wait_timeout"].file_value, drift["wait_timeout"].live_value) == (28800, 60)
    # the boot's command line moves the logs; nothing else differs from the rendered file
    assert set(drift) == {"wait_timeout", "log_error", "slow_query_log_file"}
    (g,) = [g for g in d.findings if g.name == "live-drift" and g.variable == "wait_timeout"]
    assert g.file == str(server.cnf) and drift["wait_timeout"].source == f"{server.cnf}:{g.line}"
    assert server.cnf.read_text().splitlines()[g.line - 1].startswith("wait_timeout")
    doc = d.to_json()
    assert set(doc) == {"server", "findings", "drift"}
    assert set(doc["server"]) == {"version", "flavor", "uptime"}
    assert {"variable": "wait_timeout", "file_value": 28800, "live_value": 60,
            "source": drift["wait_timeout"].source} in doc["drift"]


_HOLD = ("import pymysql, sys, time\n"
         "c = pymysql.connect(unix_socket=sys.argv[1], user='root', password='')\n"
         "print('connected', flush=True)\n"
         "time.sleep(120)\n")


def _kill_connected_clients(socket: str, n: int) -> None:
    """Clients that connect, then die without COM_QUIT (SIGKILL)."""
    for _ in range(n):
        p = subprocess.Popen([sys.executable, "-c", _HOLD, socket], stdout=subprocess.PIPE)
        try:
            assert p.stdout is not None and p.stdout.readline().strip() == b"connected"
        finally:
            p.kill()
            p.wait()


def _status(server: Server, name: str) -> int:
    ((row,),) = server.sql(f"SHOW GLOBAL STATUS LIKE '{name}'")
    return int(row[1])


def test_aborted_clients_and_the_error_log_lines_they_leave(server: Server) -> None:
    import pymysql

    before = _status(server, "Aborted_clients")
    _kill_connected_clients(server.socket, 3)
    # a client idle past its session's wait_timeout
    idle = server.connect()
    with idle.cursor() as cur:
        cur.execute("SET SESSION wait_timeout = 1")
    time.sleep(2.5)
    idle.close()
    # a statement over max_allowed_packet (lowered for the moment, to keep the packet small)
    server.sql("SET GLOBAL max_allowed_packet = 1048576")
    try:
        big = pymysql.connect(unix_socket=server.socket, user="root", password="",
                              max_allowed_packet=16 * 1024 * 1024)
        with pytest.raises(pymysql.err.OperationalError), big.cursor() as cur:
            cur.execute("SELECT %s", ("x" * (2 * 1024 * 1024),))
    finally:
        server.sql("SET GLOBAL max_allowed_packet = 67108864")
    deadline = time.monotonic() + 10
    while _status(server, "Aborted_clients") < before + 5 and time.monotonic() < deadline:
        time.sleep(0.2)
    d = diagnose(DoctorOptions(target=server.target(), profile="pooled"))
    by_name = {f.name: f for f in d.findings}
    aborted = by_name["aborted-clients"]
    count = _status(server, "Aborted_clients")
    assert count >= before + 5
    assert f"Aborted_clients is {count} (" in aborted.message
    assert "per hour of" in aborted.message and "died or was killed" in aborted.message
    # the server's own error log, found through @@log_error
    stamp = time.strftime("%Y-%m-%d")
    for name, variable, text in [
        ("log-timeout", "wait_timeout", "Got timeout reading communication packets"),
        ("log-packet-too-big", "max_allowed_packet", "Got a packet bigger than"),
        ("log-read-error", None, "Got an error reading (or writing) communication packets"),
    ]:
        f = by_name[name]
        assert f.file == server.error_log and f.line > 0 and f.variable == variable
        assert text in f.message and f"last at {stamp}" in f.message
    log_lines = Path(server.error_log).read_text().splitlines()
    assert "Got an error reading communication packets" in log_lines[
        by_name["log-read-error"].line - 1]
    broken = sum("(Got an error reading communication packets)" in ln
                 or "(Got an error writing communication packets)" in ln for ln in log_lines)
    assert broken >= 3  # the three killed clients
    assert f"' {broken} times in the error log" in by_name["log-read-error"].message
    assert by_name["log-packet-too-big"].severity == "error"
    assert d.exit_code == 1
    # the same log given by name counts the same lines
    named = diagnose(DoctorOptions(target=server.target(), error_log=server.error_log))
    assert ([f.message for f in named.findings if f.file == server.error_log]
            == [f.message for f in d.findings if f.file == server.error_log])


def test_a_wrong_password_is_one_clear_error_without_the_password(server: Server) -> None:
    with pytest.raises(ConnectError) as exc:
        diagnose(DoctorOptions(target=server.target(user="doctor", password=WRONG)))
    message = str(exc.value)
    assert "login refused for user 'doctor'" in message and "\n" not in message
    assert WRONG not in message and PASSWORD not in message


def test_a_locked_account_is_a_refused_login(server: Server) -> None:
    with pytest.raises(ConnectError) as exc:
        diagnose(DoctorOptions(target=server.target(user="locked", password=PASSWORD)))
    assert "login refused for user 'locked'" in str(exc.value) and "locked" in str(exc.value)
    assert PASSWORD not in str(exc.value)


def test_a_user_without_any_privilege_can_be_diagnosed(server: Server) -> None:
    """SHOW GLOBAL VARIABLES and SHOW GLOBAL STATUS need no privilege (MariaDB 10.11)."""
    (grants,) = server.sql("SHOW GRANTS FOR doctor@localhost")
    assert [row[0].split(" TO ")[0] for row in grants] == ["GRANT USAGE ON *.*"]
    d = diagnose(DoctorOptions(target=server.target(user="doctor", password=PASSWORD)))
    assert d.server["flavor"] == FLAVOR and d.server["uptime"] is not None


def test_an_unreachable_socket_fails_within_the_connect_timeout(server: Server,
                                                                tmp_path: Path) -> None:
    start = time.monotonic()
    with pytest.raises(ConnectError) as exc:
        diagnose(DoctorOptions(target=Target(socket=str(tmp_path / "none.sock"), user="root",
                                             password=WRONG, connect_timeout=3)))
    assert time.monotonic() - start < 3 + 2
    assert "cannot reach the server" in str(exc.value) and WRONG not in str(exc.value)


def test_credentials_come_from_the_clients_option_file(server: Server, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    client = tmp_path / "client.cnf"
    client.write_text(f"[client]\nuser = doctor\npassword = \"{PASSWORD}\"\n"
                      f"socket = {server.socket}\n")
    monkeypatch.delenv("MYSQL_PWD", raising=False)
    d = diagnose(DoctorOptions(defaults_file=str(client)))
    assert d.server["flavor"] == FLAVOR
    # MYSQL_PWD comes before the file, and the command line before both
    monkeypatch.setenv("MYSQL_PWD", WRONG)
    with pytest.raises(ConnectError):
        diagnose(DoctorOptions(defaults_file=str(client)))
    d = diagnose(DoctorOptions(target=Target(password=PASSWORD), defaults_file=str(client)))
    assert d.server["flavor"] == FLAVOR


def test_home_my_cnf_is_read_when_no_defaults_file(server: Server, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".my.cnf").write_text(f"[mysql]\nuser = doctor\npassword = {PASSWORD}\n"
                                      f"socket = {server.socket}\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("MYSQL_PWD", raising=False)
    assert os.path.expanduser("~/.my.cnf") == str(tmp_path / ".my.cnf")
    d = diagnose(DoctorOptions(target=Target(socket=server.socket)))
    assert d.server["flavor"] == FLAVOR


# --- the command line -------------------------------------------------------------------------

def test_doctor_on_the_command_line_in_every_format(server: Server) -> None:
    from tests.cli_runner import invoke

    base = ["doctor", "--socket", server.socket, "--user", "root", "--profile", "pooled"]
    r = invoke([*base, "--format", "json"])
    assert r.stderr == ""
    doc = json.loads(r.stdout)
    assert doc["server"]["flavor"] == FLAVOR and doc["drift"] == []
    # other tests of this module provoke aborted clients and log lines; the variables, as
    # rendered, give nothing
    assert [f for f in doc["findings"] if f["rule"] < "MCL500"] == []
    serious = any(f["severity"] in ("error", "warning") for f in doc["findings"])
    assert r.exit_code == (1 if serious else 0)
    text = invoke(base)
    assert text.exit_code == r.exit_code and text.stdout.startswith("# server 10.11.")
    for fmt in ("sarif", "github", "concise"):
        assert invoke([*base, "--format", fmt]).exit_code == r.exit_code
    server.sql("SET GLOBAL wait_timeout = 60")
    try:
        r = invoke([*base, str(server.cnf), "--format", "concise"])
    finally:
        server.sql("SET GLOBAL wait_timeout = 28800")
    assert r.exit_code == 1
    assert f"server:{server.socket}:1:1: MCL101" in r.stdout
    assert f"{server.cnf}:" in r.stdout and "MCL501" in r.stdout


@pytest.mark.parametrize("how", ["--password", "MYSQL_PWD", "defaults-file"])
def test_a_refused_login_on_the_command_line_is_exit_2_without_the_password(
        server: Server, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.cli_runner import invoke

    args = ["doctor", "--socket", server.socket, "--user", "doctor"]
    monkeypatch.delenv("MYSQL_PWD", raising=False)
    if how == "--password":
        args += ["--password", WRONG]
    elif how == "MYSQL_PWD":
        monkeypatch.setenv("MYSQL_PWD", WRONG)
    else:
        client = tmp_path / "client.cnf"
        client.write_text(f"[client]\npassword = {WRONG}\n")
        args += ["--defaults-file", str(client)]
    for fmt in ("text", "json", "sarif"):
        r = invoke([*args, "--format", fmt])
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr.count("\n") == 1 and "login refused for user 'doctor'" in r.stderr
        assert WRONG not in r.output and PASSWORD not in r.output


def test_an_unreachable_socket_on_the_command_line_is_exit_2(tmp_path: Path) -> None:
    from tests.cli_runner import invoke

    missing = tmp_path / "gone.sock"
    start = time.monotonic()
    r = invoke(["doctor", "--socket", str(missing), "--password", WRONG, "--connect-timeout",
                "2"])
    assert time.monotonic() - start < 4
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith(f"mycnf-lint: {missing}: cannot reach the server")
    assert r.stderr.count("\n") == 1 and WRONG not in r.output


def test_a_bare_p_prompts_on_the_terminal(server: Server) -> None:
    """`-p` with no value asks on the terminal (a real pseudo-terminal), as mysql does."""
    import pty

    exe = Path(sys.executable).with_name("mycnf-lint")
    pid, fd = pty.fork()
    if pid == 0:  # the child: doctor on the pty
        os.execv(str(exe), [str(exe), "doctor", "--socket", server.socket, "--user", "doctor",
                            "-p", "--format", "concise"])
    out = b""
    try:
        while b"Enter password:" not in out:
            out += os.read(fd, 1024)
        os.write(fd, PASSWORD.encode() + b"\n")
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    finally:
        _, wait_status = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(wait_status) in (0, 1), text
    assert f"server:{server.socket}" in text and PASSWORD not in text


def test_the_mysql_clients_attached_password_form(server: Server) -> None:
    """`-pSECRET` is the password (not `-p -S ECRET`, a socket named after the password)."""
    from tests.cli_runner import invoke

    ok = invoke(["doctor", "--socket", server.socket, "--user", "doctor", f"-p{PASSWORD}"])
    assert ok.exit_code in (0, 1) and ok.stdout.startswith("# server 10.11."), ok.output
    wrong = invoke(["doctor", "--socket", server.socket, "--user", "doctor", f"-p{WRONG}"])
    assert wrong.exit_code == 2 and "login refused for user 'doctor'" in wrong.stderr
    assert WRONG[1:] not in wrong.output and PASSWORD not in ok.output + wrong.output


@requires_clients
def test_dumps_the_mariadb_client_saved_are_judged_offline_as_the_live_server(
        server: Server, tmp_path: Path) -> None:
    """`mariadb -B -N -e 'SHOW GLOBAL VARIABLES'` (and STATUS) of the same server, with no
    connection: the same rule findings and drift as live."""
    server.sql("SET GLOBAL wait_timeout = 60")
    try:
        dumps = {}
        for what in ("VARIABLES", "STATUS"):
            p = subprocess.run(["mariadb", "--no-defaults", f"--socket={server.socket}", "-uroot",
                                "-B", "-N", "-e", f"SHOW GLOBAL {what}"],
                               capture_output=True, timeout=60, check=True)
            dumps[what] = tmp_path / f"{what.lower()}.tsv"
            dumps[what].write_bytes(p.stdout)
        live = diagnose(DoctorOptions(paths=[str(server.cnf)], target=server.target(),
                                      profile="pooled"))
    finally:
        server.sql("SET GLOBAL wait_timeout = 3600")
    offline = diagnose(DoctorOptions(paths=[str(server.cnf)], profile="pooled",
                                     variables_file=str(dumps["VARIABLES"]),
                                     status_file=str(dumps["STATUS"])))
    assert offline.server["flavor"] == live.server["flavor"] == FLAVOR
    assert offline.server["version"] == live.server["version"]

    def rules_and_drift(d: Diagnosis) -> tuple[list[tuple[str, str | None]], list[Any]]:
        judged = [(f.rule, f.variable) for f in d.findings if f.rule < "MCL500"]
        return judged, [(x.variable, x.file_value, x.live_value) for x in d.drift]

    assert rules_and_drift(offline) == rules_and_drift(live)
    assert ("MCL101", "wait_timeout") in rules_and_drift(offline)[0]
    assert {f.file for f in offline.findings if f.rule == "MCL101"} == {str(dumps["VARIABLES"])}
