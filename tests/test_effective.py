"""`effective`: the values a program will use, with the line each comes from."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from .cli_runner import invoke
from .mariadb import requires_clients, requires_mariadbd


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def effective(*args: str) -> dict:
    result = invoke(["effective", "--flavor", "mariadb-10.11", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_names_values_raw_text_and_source_line(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nwait-timeout = 8h\nWait_Timeout = 600\n"
                                     "max_allowed_packet = 1000000\nskip-name-resolve\n"
                                     "slow_query_log = off\n")
    doc = effective("my.cnf")
    assert doc["program"] == "mysqld" and doc["flavor"] == "mariadb-10.11"
    assert doc["files"] == ["my.cnf"]
    opts = doc["options"]
    assert opts["wait_timeout"] == {"value": 600, "raw": "600", "source": "my.cnf:3"}
    assert opts["max_allowed_packet"]["value"] == 999424  # rounded down to the block size
    assert opts["skip_name_resolve"] == {"value": True, "raw": None, "source": "my.cnf:5"}
    assert opts["slow_query_log"]["value"] is False
    assert doc["warnings"] == [  # a line the server refuses is reported even if overridden
        "my.cnf:2: error: unknown suffix 'h' in '8h' for 'wait_timeout'; legal suffixes are "
        "K, M, G, T, P, E: the server refuses to start"]

def test_fatal_lines_are_reported_as_warnings_of_the_run(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nwait_timeout = 8h\n")
    doc = effective("my.cnf")
    assert "wait_timeout" not in doc["options"]
    assert any("my.cnf:2: error" in w for w in doc["warnings"])


def test_client_programs_read_their_own_groups(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nmax_allowed_packet = 1G\n[mysqldump]\n"
                                     "max_allowed_packet = 64M\n[client]\npassword = s3cr3t\n")
    doc = effective("--program", "mysqldump", "my.cnf")
    assert doc["options"]["max_allowed_packet"]["value"] == 64 * 1024 * 1024
    assert doc["options"]["password"] == {"value": "********", "raw": "********",
                                          "source": "my.cnf:6"}


def test_text_shows_the_written_form_beside_the_value(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nmax_allowed_packet = 64M\n")
    out = invoke(["effective", "--flavor", "mariadb-10.11", "my.cnf"]).stdout
    assert "max_allowed_packet = 67108864 (written 64M)  # my.cnf:2" in out


def test_only_text_options_that_can_hold_a_secret_are_masked(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nold_passwords = 1\nstrict_password_validation = 0\n"
                                     "innodb_ft_min_token_size = 2\nmax_seeks_for_key = 100\n"
                                     "report_password = hunter2\nwsrep_sst_auth = root:pw\n")
    opts = effective("--all", "my.cnf")["options"]
    assert opts["old_passwords"]["value"] is True
    assert opts["strict_password_validation"]["value"] is False
    assert opts["innodb_ft_min_token_size"]["value"] == 2
    assert opts["max_seeks_for_key"]["value"] == 100
    assert opts["disconnect_on_expired_password"]["value"] is False
    assert opts["report_password"]["value"] == "********"
    assert opts["wsrep_sst_auth"] == {"value": "********", "raw": "********",
                                      "source": "my.cnf:7"}


def test_all_marks_host_values_with_their_rule_and_prints_no_placeholder(tmp_path: Path) -> None:
    from mycnf_lint.reader import host

    (tmp_path / "my.cnf").write_text("[mysqld]\nmax_connections = 300\n")
    opts = effective("--all", "my.cnf")["options"]
    assert not any("{hostname}" in str(o["value"]) for o in opts.values())
    assert opts["log_basename"]["value"] == host.hostname()
    assert opts["pid_file"]["value"] == f"/var/lib/mysql/{host.hostname()}.pid"
    assert opts["thread_pool_size"] == {"value": host.cpu_count(), "raw": None,
                                        "source": "default", "rule": "the CPU count",
                                        "host": True}
    assert opts["back_log"]["value"] == 50 + 300 // 5 and opts["back_log"]["host"]
    assert opts["thread_cache_size"]["value"] == 256
    assert opts["port"]["value"] == 3306
    assert opts["version_comment"]["source"] == "server"


@requires_clients
def test_the_mysql_client_values_agree_with_the_real_mariadb_client(tmp_path: Path) -> None:
    """Ranges and block sizes: 0, one past the top, a huge value and a value off the block
    of every numeric option of the `mariadb` client, against its own variable table."""
    from mycnf_lint.reader import catalogue

    from .mariadb import normalize

    opts = catalogue.load("mariadb-10.11").clients["mysql"].options
    numeric = [n for n in opts if opts[n].is_numeric and n not in ("debug", "port")]
    assert {"max_allowed_packet", "net_buffer_length", "connect_timeout"} <= set(numeric)
    for value in ("0", "1000000", "3G", "99999999999", "4097"):
        lines = [f"{n.replace('_', '-')} = {value}" for n in numeric]
        path = tmp_path / "client.cnf"
        path.write_text("[client]\n" + "\n".join(lines) + "\n")
        proc = subprocess.run(["mariadb", f"--defaults-file={path}", "--help", "--verbose"],
                              capture_output=True, text=True, timeout=60)
        table = dict(re.findall(r"^([a-z][a-z0-9-]*)\s{2,}(\S.*?)\s*$", proc.stdout, re.M))
        ours = effective("--program", "mysql", str(path))["options"]
        for n in numeric:
            theirs = table[n.replace("_", "-")]
            assert normalize(ours[n]["value"]) == normalize(theirs), (n, value, theirs)


def test_path_rules_of_mysys() -> None:
    from mycnf_lint.reader.derived import dirname_form, fn_ext_replaced, load_path

    assert fn_ext_replaced("db1.example.com", ".pid") == "db1.example.pid"
    assert fn_ext_replaced("/var/log/mysql/mysql-bin.log", "") == "/var/log/mysql/mysql-bin"
    assert fn_ext_replaced("vm", "-slow.log") == "vm-slow.log"
    assert dirname_form("/data") == "/data/" and dirname_form("/data/") == "/data/"
    assert load_path("/abs/x.pid", "/var/lib/mysql/", "/cwd") == "/abs/x.pid"
    assert load_path("x.pid", "/var/lib/mysql/", "/cwd") == "/var/lib/mysql/x.pid"
    assert load_path("./x.pid", "/var/lib/mysql/", "/cwd") == "/cwd/x.pid"
    assert load_path("../x.pid", "/var/lib/mysql/", "/cwd") == "/cwd/../x.pid"


def test_derived_values_follow_the_lines_that_set_them(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text(
        "[mysqld]\ndatadir = rel/data\nslow_query_log = 1\ntmp_table_size = 64M\n"
        "expire_logs_days = 1.5\nlog_queries_not_using_indexes\nskip-networking\n"
        "character_set_server = utf8mb4\nquery_cache_size = 1M\n")
    opts = effective("--all", "my.cnf")["options"]
    assert opts["datadir"]["value"] == "/usr/rel/data/"
    assert opts["aria_log_dir_path"]["value"] == "/usr/rel/data/"
    assert opts["log_slow_query"]["value"] is True
    assert opts["tmp_memory_table_size"]["value"] == 64 * 1024 * 1024
    assert opts["binlog_expire_logs_seconds"]["value"] == 129600
    assert "not_using_index" in opts["log_slow_filter"]["value"].split(",")
    assert opts["port"]["value"] == 0
    assert opts["collation_server"]["value"] == "utf8mb4_general_ci"
    assert opts["query_cache_type"]["value"] == "ON"
    assert opts["version"]["value"].endswith("-log")


# A hard open-file limit that holds what a server with one CPU asks for (30 + 100 + 1 +
# 400 * 2 * 1 + one thread-pool descriptor = 932 files) but not what it asks for with two:
# there the server keeps max_connections = 100, with two it falls back to the soft limit and
# lowers it. Only one CPU count makes check, effective and mariadbd agree.
_TIGHT = "[mysqld]\ntable_open_cache = 400\ntable_open_cache_instances = 1\nmax_connections = 100\n"
_ONE_CPU = ["prlimit", "--nofile=500:932", "taskset", "-c", "0"]
_SIZES = ("thread_pool_size", "max_connections", "open_files_limit", "table_open_cache",
          "table_open_cache_instances")


def _ours(args: list[str], path: Path) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([*_ONE_CPU, sys.executable, "-m", "mycnf_lint", *args, "--flavor",
                           "mariadb-10.11", "--format", "json", str(path)],
                          capture_output=True, text=True, timeout=120)


@requires_mariadbd
def test_sizes_under_taskset_are_what_mariadbd_computes_under_the_same_taskset(
        tmp_path: Path) -> None:
    """thread_pool_size is the count of CPUs the process may run on (my_getncpus), and the
    open-file sizing that counts one descriptor per pool group follows it: `effective` shows
    and `check` judges what mariadbd prints when it runs the same way."""
    from .mariadb import help_verbose, normalize

    path = tmp_path / "tight.cnf"
    path.write_text(_TIGHT)
    server = help_verbose(path, cwd=tmp_path, prefix=_ONE_CPU)
    assert server.starts, server.messages
    assert server.values["thread_pool_size"] == "1"
    eff = _ours(["effective", "--all"], path)
    assert eff.returncode == 0, eff.stderr
    opts = json.loads(eff.stdout)["options"]
    assert {n: normalize(opts[n]["value"]) for n in _SIZES} == \
        {n: server.values[n] for n in _SIZES}
    assert server.values["max_connections"] == "100"  # 932 files hold one pool group's share
    chk = _ours(["check"], path)
    doc = json.loads(chk.stdout)
    lowered = [f["message"] for f in doc["findings"]
               if "max_connections" in f["message"] and "lowered" in f["message"]]
    assert lowered == []


def test_check_jobs_0_uses_the_cpus_this_process_may_run_on(tmp_path: Path) -> None:
    """`check --jobs 0` counts CPUs as the server does: under taskset -c 0, one process."""
    import sys

    code = ("from mycnf_lint.lint.pipeline import _workers\n"
            "from mycnf_lint.reader import host\n"
            "print(_workers(0, ['x.cnf'] * 10000), host.cpu_count())")
    out = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.split() == ["1", "1"]
