"""doctor without a server: saved dumps, flavors from version strings, status counters, error
log lines, drift, and every rule of rules/live.toml firing and staying quiet."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mycnf_lint.findings import Finding
from mycnf_lint.lint.ruleset import RuleSet, load
from mycnf_lint.live import drift, dumps, errorlog, status
from mycnf_lint.live.connect import Target
from mycnf_lint.live.diagnose import DoctorError, DoctorOptions, diagnose, render
from mycnf_lint.live.variables import detect_flavor, judge
from mycnf_lint.profiles import resolve_profile

RULES = load()
PEER = Path("/work/shared/peer/percona-toolkit/t/lib/samples/show-variables")
FLAVOR = "mariadb-10.11"
# `mariadb -B -N -e 'SHOW GLOBAL VARIABLES'` of a 10.11 server, cut down to what the rules read
BATCH = ("version\t10.11.6-MariaDB-0+deb12u1\nversion_comment\tDebian 12\n"
         "wait_timeout\t60\ninteractive_timeout\t28800\nmax_allowed_packet\t67108864\n"
         "net_read_timeout\t30\nnet_write_timeout\t60\nconnect_timeout\t10\n"
         "skip_name_resolve\tON\nslow_query_log\tON\nmax_connections\t100\n"
         "log_error\t/var/log/mysql/error.log\ninit_connect\t\n"
         "sql_mode\tSTRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION\n")
STATUS = ("Uptime\t7200\nConnections\t400\nAborted_clients\t40\nAborted_connects\t2\n"
          "Max_used_connections\t90\nConnection_errors_max_connections\t3\n"
          "Connection_errors_accept\t0\n")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "live"
# a MariaDB error log: aborted connections of every kind, a crash with its report, a server
# killed without one, clean and unclean restarts
MARIADB_LOG = (FIXTURES / "mariadb-error.log").read_text()
MYSQL8_LOG = (
    "2026-11-30T09:00:00.123456Z 12 [Note] [MY-010914] [Server] Aborted connection 12 to db: "
    "'unconnected' user: 'app' host: 'h' (Got timeout reading communication packets).\n"
    "2026-11-30T09:30:00.000001Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for "
    "connections. Version: '8.0.36'\n")


# --- dumps ------------------------------------------------------------------------------------

def test_the_batch_form_with_and_without_its_header() -> None:
    pairs = dumps.parse(BATCH)
    assert pairs["wait_timeout"] == "60" and pairs["init_connect"] == ""
    assert dumps.parse("Variable_name\tValue\n" + BATCH) == pairs
    assert dumps.parse("init_connect\tSET a='x\\ty'\n")["init_connect"] == "SET a='x\ty'"


@pytest.mark.skipif(not PEER.is_dir(), reason="the peer samples are not on this machine")
@pytest.mark.parametrize("name,rows,version", [
    ("vars001.txt", 270, "5.1.34-log"), ("vars002.txt", 270, "5.1.34-log"),
    ("vars003.txt", 240, "5.0.82-log"), ("vars004.txt", 240, "5.0.82-log"),
    ("vars-baron-001.txt", 288, "5.1.50-log"),
])
def test_percona_toolkits_three_forms(name: str, rows: int, version: str) -> None:
    pairs = dumps.read(str(PEER / name))
    assert len(pairs) == rows and pairs["version"] == version
    assert pairs["ft_boolean_syntax"] == '+ -><()~*:""&|' and pairs["wait_timeout"] == "28800"


def test_a_file_that_is_no_dump_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("[mysqld]\nwait_timeout = 60\n")
    with pytest.raises(dumps.DumpError, match="x.txt: no 'name<TAB>value' rows"):
        dumps.read(str(p))
    with pytest.raises(dumps.DumpError, match="cannot read"):
        dumps.read(str(tmp_path / "missing.txt"))


# --- flavors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("version,comment,flavor", [
    ("10.11.19-MariaDB-0+deb12u1-log", "Debian 12", "mariadb-10.11"),
    ("10.6.16-MariaDB", "", "mariadb-10.6"), ("10.8.1-MariaDB", "", "mariadb-10.11"),
    ("11.4.2-MariaDB", "", "mariadb-11.4"), ("11.8.1-MariaDB", "", "mariadb-11.4"),
    ("10.3.39", "MariaDB Server", "mariadb-10.6"),
    ("8.0.36", "MySQL Community Server - GPL", "mysql-8.0"), ("8.4.0", "", "mysql-8.4"),
    ("9.1.0", "", "mysql-8.4"), ("5.7.44-log", "", "mysql-5.7"), ("5.1.34-log", "", "mysql-5.7"),
    ("", "", None),
])
def test_the_flavor_from_the_version(version: str, comment: str, flavor: str | None) -> None:
    assert detect_flavor(version, comment) == flavor


# --- variables by the rules engine ------------------------------------------------------------

def test_live_values_are_judged_by_checks_rules_and_profile() -> None:
    values = dumps.parse(BATCH)
    pooled = judge(values, FLAVOR, RULES, resolve_profile("pooled", None), "server:db:3306")
    # max_connections 100 is also below pooled's 200 peak connections (MCL601)
    assert sorted(f.name for f in pooled) == ["max-connections-below-peak",
                                              "wait-timeout-below-pool-recycle"]
    (f,) = [f for f in pooled if f.name == "wait-timeout-below-pool-recycle"]
    assert (f.name, f.file, f.line, f.fix) == ("wait-timeout-below-pool-recycle",
                                               "server:db:3306", 0, None)
    assert "live on server:db:3306" in f.message
    assert judge(values, FLAVOR, RULES, resolve_profile(None, None), "server:db:3306") == []


# --- status -----------------------------------------------------------------------------------

def _names(found: list[Finding]) -> list[str]:
    return sorted(f.name for f in found)


def test_status_counters_fire_with_rates_and_meanings() -> None:
    found = status.judge(dumps.parse(STATUS), {"max_connections": "100"}, RULES, "s")
    assert _names(found) == ["aborted-clients", "aborted-connects", "connection-errors",
                             "connections-near-max"]
    by = {f.name: f for f in found}
    assert "Aborted_clients is 40 (20.0 per hour of 2h uptime, 10.0% of 400" in (
        by["aborted-clients"].message)
    assert by["aborted-clients"].severity == "warning"
    assert by["aborted-connects"].severity == "info"  # 0.5% of the connections
    assert "Connection_errors_max_connections is 3" in by["connection-errors"].message
    assert by["connection-errors"].variable == "max_connections"
    assert "90% of max_connections 100" in by["connections-near-max"].message


def test_status_counters_stay_quiet_on_a_calm_server() -> None:
    calm = {"Uptime": "86400", "Connections": "10", "Aborted_clients": "0",
            "Aborted_connects": "0", "Max_used_connections": "10",
            "Connection_errors_internal": "0"}
    assert status.judge(calm, {"max_connections": "151"}, RULES, "s") == []
    recent = status.judge({**calm, "Uptime": "600"}, {}, RULES, "s")
    assert _names(recent) == ["recent-restart"] and "10m ago" in recent[0].message
    full = status.judge({**calm, "Max_used_connections": "151"}, {"max_connections": "151"},
                        RULES, "s")
    assert [f.severity for f in full] == ["error"]


# --- error log --------------------------------------------------------------------------------

def test_error_log_lines_are_counted_dated_and_named() -> None:
    scanned = errorlog.scan_lines("err.log", MARIADB_LOG.splitlines())
    by = {(f.name, f.variable): f for f in errorlog.findings(scanned, RULES)}
    t = by[("log-timeout", "wait_timeout")]
    assert "2 times" in t.message and "last at 2026-11-30 09:13:02" in t.message and t.line == 4
    assert "once" in by[("log-read-error", None)].message
    assert by[("log-packet-too-big", "max_allowed_packet")].line == 6
    assert "last at 2026-11-30 11:00:00" in by[("log-too-many-connections",
                                                 "max_connections")].message
    crash = by[("log-crash", None)]
    # the signal with its report (its recovery not counted again), and a run that ended with
    # neither a shutdown nor a report
    assert "crashed once with a crash report and ended once with neither" in crash.message
    assert "last at 2026-11-30 12:01:00" in crash.message and crash.line == 17
    restart = by[("log-restart", None)]
    assert "started 4 times" in restart.message and "shut down cleanly once" in restart.message
    # a rotated log that begins with a recovery: the unclean end is in the older log
    rotated = errorlog.scan_lines("e", MARIADB_LOG.splitlines()[-3:])
    assert (rotated.killed.count, rotated.crashes.count, rotated.starts.count) == (1, 0, 1)


def test_mysql_8_lines_and_a_quiet_log() -> None:
    scanned = errorlog.scan_lines("e", MYSQL8_LOG.splitlines())
    found = errorlog.findings(scanned, RULES)
    assert _names(found) == ["log-restart", "log-timeout"]
    assert "last at 2026-11-30 09:00:00" in found[0].message + found[1].message
    quiet = errorlog.scan_lines("e", ["2026-11-30 08:00:00 0 [Note] InnoDB: Started"])
    assert errorlog.findings(quiet, RULES) == []


@pytest.mark.parametrize("line, stamp", [
    ("2026-12-03  8:19:16 10 [Warning] Aborted connection", "2026-12-03 08:19:16"),  # MariaDB: %2d
    ("2026-12-03 18:19:16 10 [Warning] Aborted connection", "2026-12-03 18:19:16"),
    ("2026-12-03T08:19:16.123456Z 10 [Warning]", "2026-12-03 08:19:16"),  # MySQL 8
    ("261203  8:19:07 [Warning] Aborted connection", "2026-12-03 08:19:07"),  # MySQL 5.x
    ("Version: '10.11.19-MariaDB'  socket: 'x'", None),
])
def test_a_morning_hour_padded_with_a_space_is_a_time(line: str, stamp: str | None) -> None:
    assert errorlog.timestamp(line) == stamp


# --- drift ------------------------------------------------------------------------------------

def test_drift_compares_values_not_spellings(tmp_path: Path) -> None:
    cnf = tmp_path / "my.cnf"
    cnf.write_text("[mysqld]\nmax_allowed_packet = 64M\nskip-name-resolve\nwait_timeout = 3600\n"
                   "sql_mode = TRADITIONAL\nlog_error = /var/log/mysql//error.log\n"
                   "optimizer_switch = index_merge=off\n")
    settings, files = drift.file_settings([str(cnf)], FLAVOR)
    assert files == [str(cnf)]
    live = {"max_allowed_packet": "67108864", "skip_name_resolve": "ON", "wait_timeout": "60",
            "sql_mode": "STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                        "ERROR_FOR_DIVISION_BY_ZERO,TRADITIONAL,NO_ENGINE_SUBSTITUTION",
            "log_error": "/var/log/mysql/error.log"}
    found = drift.compare(settings, live, FLAVOR)
    assert [(d.variable, d.file_value, d.live_value) for d in found] == [
        ("wait_timeout", 3600, 60)]
    assert found[0].source.endswith("my.cnf:4")
    (f,) = drift.findings(found, settings, RULES, "server:x")
    assert (f.name, f.file, f.line) == ("live-drift", str(cnf), 4)
    assert "3600 (1h) here but 60 (1m) live on server:x" in f.message


# --- the whole diagnosis offline --------------------------------------------------------------

def test_a_saved_dump_is_judged_offline(tmp_path: Path) -> None:
    variables, st, cnf = tmp_path / "vars.tsv", tmp_path / "status.tsv", tmp_path / "my.cnf"
    variables.write_text(BATCH)
    st.write_text(STATUS)
    cnf.write_text("[mysqld]\nwait_timeout = 3600\n")
    d = diagnose(DoctorOptions(paths=[str(cnf)], variables_file=str(variables),
                               status_file=str(st), profile="pooled",
                               target=Target(host="unreachable.invalid", password="Nope-123")))
    assert d.server == {"version": "10.11.6-MariaDB-0+deb12u1", "flavor": FLAVOR,
                        "uptime": 7200}
    names = _names(d.findings)
    assert "wait-timeout-below-pool-recycle" in names and "aborted-clients" in names
    assert "live-drift" in names and d.exit_code == 1
    assert [x.variable for x in d.drift] == ["wait_timeout"]
    assert not any(f.file.startswith("server:") for f in d.findings)  # it names the dump
    text = render(d, "text")
    assert text.startswith("# server 10.11.6-MariaDB-0+deb12u1 (mariadb-10.11), up 2h\n")
    assert "Nope-123" not in text + render(d, "json") + render(d, "sarif")
    flavor = diagnose(DoctorOptions(variables_file=str(variables), flavor="mysql-8.0"))
    assert flavor.server["flavor"] == "mysql-8.0"


def test_offline_input_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(DoctorError, match="nothing.tsv: cannot read"):
        diagnose(DoctorOptions(variables_file=str(tmp_path / "nothing.tsv")))
    good = tmp_path / "v.tsv"
    good.write_text(BATCH)
    with pytest.raises(DoctorError, match="unknown flavor 'mysql-3.23'"):
        diagnose(DoctorOptions(variables_file=str(good), flavor="mysql-3.23"))
    with pytest.raises(DoctorError, match="no-such.log: cannot read"):
        diagnose(DoctorOptions(variables_file=str(good), error_log=str(tmp_path / "no-such.log")))


def test_every_live_rule_fires_somewhere_in_these_tests() -> None:
    live = {r.name for r in RULES.rules if Path(r.source).name == "live.toml"}
    fired: set[str] = set()
    fired |= {f.name for f in status.judge(dumps.parse(STATUS), {"max_connections": "100"},
                                           RULES, "s")}
    fired |= {f.name for f in status.judge({"Uptime": "5"}, {}, RULES, "s")}
    fired |= {f.name for f in errorlog.findings(
        errorlog.scan_lines("e", MARIADB_LOG.splitlines()), RULES)}
    fired.add(errorlog.unreadable(None, "stderr", RULES, "s").name)
    fired.add("live-drift")  # test_drift_compares_values_not_spellings
    assert live - fired == set()


def test_live_findings_take_id_name_and_severity_from_the_rule_set_they_are_given(
        tmp_path: Path) -> None:
    """Status, error log and drift findings are made by the rules engine's finding(): what a
    rule is called and how serious it is comes from the rule set in force, never restated."""
    turn = {"error": "warning", "warning": "info", "info": "error"}
    live = {r.name for r in RULES.rules if Path(r.source).name == "live.toml"}
    rules = RuleSet([replace(r, id="X" + r.id, severity=turn[r.severity]) if r.name in live
                     else r for r in RULES.rules])
    cnf = tmp_path / "my.cnf"
    cnf.write_text("[mysqld]\n  wait_timeout = 3600\n")
    settings, _ = drift.file_settings([str(cnf)], FLAVOR)
    server = status.judge(dumps.parse(STATUS), {"max_connections": "100"}, rules, "s")
    server += status.judge({"Uptime": "5"}, {}, rules, "s")
    server.append(errorlog.unreadable(None, "stderr", rules, "s"))
    logged = errorlog.findings(errorlog.scan_lines("e", MARIADB_LOG.splitlines()), rules)
    drifted = drift.findings(drift.compare(settings, {"wait_timeout": "60"}, FLAVOR), settings,
                             rules, "s")
    found = server + logged + drifted
    assert {f.name for f in found} == live
    for f in found:
        r = rules[f.name]
        assert (f.rule, f.fix, f.edit, f.fatal) == (r.id, None, None, False)
        if f.name != "aborted-connects":  # 0.5% of the connections: info whatever the rule
            assert f.severity == r.severity, f
    assert {(f.line, f.column) for f in server} == {(0, 0)}
    assert all(f.line > 0 and f.column == 1 for f in logged)
    assert [(f.file, f.line, f.column) for f in drifted] == [(str(cnf), 2, 3)]


def test_live_modules_build_no_finding_by_hand() -> None:
    """No Finding(...) call under mycnf_lint/live: lint.checks.finding() makes them all."""
    import ast

    import mycnf_lint.live

    folder = Path(mycnf_lint.live.__file__).parent
    by_hand = [f"{path.name}:{node.lineno}" for path in sorted(folder.glob("*.py"))
               for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
               and node.func.id == "Finding"]
    assert len(list(folder.glob("*.py"))) > 5 and by_hand == []


def test_a_target_never_shows_its_password() -> None:
    t = Target(host="db", port=3307, user="app", password="S3cret-Value")
    assert "S3cret-Value" not in repr(t) + t.label
    assert t.label == "server:db:3307" and not t.uses_socket
    assert Target(socket="/tmp/x.sock").label == "server:/tmp/x.sock"


def test_doctor_judges_saved_dumps_on_the_command_line(tmp_path: Path) -> None:
    from tests.cli_runner import invoke

    variables, st = tmp_path / "vars.tsv", tmp_path / "status.tsv"
    variables.write_text("Variable_name\tValue\n" + BATCH)
    st.write_text(STATUS)
    r = invoke(["doctor", "--variables", str(variables), "--status", str(st), "--profile",
                "pooled", "--format", "json"])
    assert r.exit_code == 1 and r.stderr == ""
    doc = json.loads(r.stdout)
    assert doc["server"] == {"version": "10.11.6-MariaDB-0+deb12u1", "flavor": FLAVOR,
                             "uptime": 7200}
    assert {f["name"] for f in doc["findings"]} >= {"wait-timeout-below-pool-recycle",
                                                    "aborted-clients", "connection-errors"}
    quiet = invoke(["doctor", "--variables", str(variables)])
    assert quiet.exit_code == 0 and quiet.stdout.endswith("All checks passed.\n")
    bad = invoke(["doctor", "--variables", str(tmp_path / "none.tsv")])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "none.tsv" in bad.stderr


def test_a_server_that_accepts_and_never_answers_fails_within_the_connect_timeout() -> None:
    """A real listening socket that never sends the greeting (a hung or overloaded server)."""
    import socket
    import time

    from tests.cli_runner import invoke

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        start = time.monotonic()
        r = invoke(["doctor", "--host", "127.0.0.1", "--port", str(port), "--connect-timeout",
                    "2", "--password", "Hung-Pass-99"])
        took = time.monotonic() - start
    assert r.exit_code == 2 and 1.5 < took < 4, (took, r.output)
    assert r.stderr.startswith(f"mycnf-lint: 127.0.0.1:{port}: cannot reach the server")
    assert "Hung-Pass-99" not in r.output


def test_without_pymysql_doctor_says_how_to_install_it(tmp_path: Path) -> None:
    """PyMySQL made unimportable in a real interpreter: one line, exit 2; dumps still work."""
    import subprocess
    import sys

    variables = tmp_path / "vars.tsv"
    variables.write_text(BATCH)
    code = ("import sys; sys.modules['pymysql'] = None\n"
            "from mycnf_lint.cli import run\n"
            "sys.exit(run(sys.argv[1:]))\n")
    p = subprocess.run([sys.executable, "-c", code, "doctor", "--socket", "/nonexistent.sock"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == ("mycnf-lint: doctor needs PyMySQL to reach a server: pip install "
                        "'mycnf-lint[doctor]' (or pip install pymysql); --variables FILE works "
                        "without it\n")
    p = subprocess.run([sys.executable, "-c", code, "doctor", "--variables", str(variables)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr


@pytest.mark.parametrize("line,live,drifts", [
    # what real servers booted from corpus files showed (MariaDB 10.11)
    ("character_set_server = utf8", "utf8mb3", False),
    ("collation_server = utf8_general_ci", "utf8mb3_general_ci", False),
    ("default_storage_engine = INNODB", "InnoDB", False),
    ("default_storage_engine = MyISAM", "InnoDB", True),
    ("skip-log-bin", "OFF", False),
    ("log_bin = mysql-bin", "ON", False),
    ("log_bin = mysql-bin", "OFF", True),
    ("skip-log-bin", "ON", True),
    ("datadir = /var/lib/mysql/", "/var/lib/mysql", False),
], ids=lambda v: str(v))
def test_drift_knows_the_servers_spellings(line: str, live: str, drifts: bool,
                                           tmp_path: Path) -> None:
    cnf = tmp_path / "my.cnf"
    cnf.write_text(f"[mysqld]\n{line}\n")
    settings, _ = drift.file_settings([str(cnf)], FLAVOR)
    (name,) = settings
    assert bool(drift.compare(settings, {name: live}, FLAVOR)) is drifts


def test_live_values_are_taken_as_the_server_adjusted_them() -> None:
    """MariaDB fits max_connections to the open-file limit at start-up; a live value is already
    fitted (to the server's machine, not this one) and is judged as it is."""
    from mycnf_lint.live.variables import live_model
    from mycnf_lint.reader.catalogue import load as load_catalogue

    values = {**dumps.parse(BATCH), "max_connections": "90000", "table_open_cache": "400000"}
    server = live_model(values, load_catalogue(FLAVOR), "server:x")
    assert server.value("max_connections") == 90000
    assert server.value("table_open_cache") == 400000


def test_sarif_names_the_server_by_its_uri_not_as_a_file_of_the_checkout() -> None:
    from mycnf_lint.report.sarif import render as sarif

    found = judge(dumps.parse(BATCH), FLAVOR, RULES, resolve_profile("pooled", None),
                  "server:db1:3306")
    results = json.loads(sarif(found, RULES))["runs"][0]["results"]
    assert len(results) == 2  # MCL101 and MCL601 (max_connections 100 under pooled)
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "server:db1:3306"}
        assert location["region"] == {"startLine": 1, "startColumn": 1}


@pytest.mark.parametrize("given,file,expected", [
    ({}, "", "server:/x.sock"),  # the file's socket (written below)
    ({"host": "db1"}, "", "server:db1:3306"),  # a host means TCP, the file's socket unused
    ({"port": 3307}, "", "server:localhost:3307"),  # a port without a socket: TCP
    ({"port": 3307, "socket": "/y.sock"}, "", "server:/y.sock"),
    ({}, "host = db2\nport = 3310\n", "server:db2:3310"),
], ids=str)
def test_where_doctor_connects_follows_the_mysql_client(given: dict[str, Any], file: str,
                                                         expected: str, tmp_path: Path) -> None:
    from mycnf_lint.live.connect import resolve

    client = tmp_path / "client.cnf"
    client.write_text(f"[client]\nsocket = /x.sock\nport = 3306\nuser = app\n{file}")
    target = resolve(Target(**given), str(client), FLAVOR, environ={})
    assert target.label == expected and target.user == "app"


@pytest.mark.parametrize("old_mode,line,live,drifts", [
    # utf8 is utf8mb4 to a MariaDB whose old_mode lacks UTF8_IS_UTF8MB3 (mariadbd --help
    # --verbose derives utf8mb4_general_ci for `character_set_server = utf8` then)
    ("", "character_set_server = utf8", "utf8mb4", False),
    ("", "character_set_server = utf8", "utf8mb3", True),
    ("NO_PROGRESS_INFO", "collation_server = utf8_general_ci", "utf8mb4_general_ci", False),
    ("UTF8_IS_UTF8MB3", "collation_server = utf8_general_ci", "utf8mb4_general_ci", True),
    ("UTF8_IS_UTF8MB3", "character_set_server = foo,utf8", "utf8mb3", False),
], ids=lambda v: str(v))
def test_drift_reads_utf8_as_the_files_old_mode_makes_it(old_mode: str, line: str, live: str,
                                                         drifts: bool, tmp_path: Path) -> None:
    cnf = tmp_path / "my.cnf"
    cnf.write_text(f"[mysqld]\nold_mode = {old_mode}\n{line}\n")
    settings, _ = drift.file_settings([str(cnf)], FLAVOR)
    name = line.split(" =")[0]
    live_vars = {name: live, "old_mode": old_mode}
    assert bool(drift.compare(settings, live_vars, FLAVOR)) is drifts
