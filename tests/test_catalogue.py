"""The per-flavor catalogue files: schema, key values, and that the generator reproduces them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.mariadb import requires_clients, requires_server

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "mycnf_lint" / "catalogue"
GENERATOR = ROOT / "scripts" / "gen_catalogue.py"
FLAVORS = ["mariadb-10.11", "mariadb-10.6", "mariadb-11.4", "mysql-5.7", "mysql-8.0", "mysql-8.4"]
TOP_KEYS = {"flavor", "product", "version", "sources", "prefix_matching", "special_prefixes",
            "options", "removed", "charsets", "collations", "clients"}
OPTION_KEYS = {"type", "getopt", "arg", "min", "max", "block_size", "default", "values", "sysvar",
               "scope", "dynamic", "deprecated", "replaced_by"}
TYPES = {"integer", "size", "duration", "boolean", "enum", "set", "flagset", "float", "string",
         "path", "none"}
GETOPTS = {"bool", "int", "uint", "long", "ulong", "ll", "ull", "double", "str", "enum", "set",
           "flagset", "none"}


def load(flavor: str) -> dict[str, Any]:
    """Read one flavor's catalogue."""
    return json.loads((CATALOGUE / f"{flavor}.json").read_text())


@pytest.mark.parametrize("flavor", FLAVORS)
def test_schema(flavor: str) -> None:
    cat = load(flavor)
    assert TOP_KEYS <= set(cat)
    assert cat["flavor"] == flavor
    assert cat["product"] == flavor.split("-")[0]
    assert cat["sources"]
    assert "autoset" in cat["special_prefixes"] if cat["product"] == "mariadb" \
        else "autoset" not in cat["special_prefixes"]
    for name, opt in cat["options"].items():
        assert name == name.lower().replace("-", "_"), name
        assert OPTION_KEYS <= set(opt), name
        assert opt["type"] in TYPES, (name, opt["type"])
        assert opt["getopt"] in GETOPTS, (name, opt["getopt"])
        assert opt["arg"] in ("none", "optional", "required"), name
        assert opt["scope"] in (None, "global", "session", "both"), name
    for name, info in cat["removed"].items():
        assert name not in cat["options"], name
        assert info["removed_in"]
    for coll, charset in cat["collations"].items():
        assert charset in cat["charsets"], coll
    for prog in ("client", "mysql", "mysqldump", "mysqladmin"):
        for name, opt in cat["clients"][prog].items():
            assert OPTION_KEYS <= set(opt), (prog, name)
            assert opt["sysvar"] is False


@pytest.mark.parametrize("flavor", FLAVORS)
def test_deterministic_layout(flavor: str) -> None:
    text = (CATALOGUE / f"{flavor}.json").read_text()
    cat = json.loads(text)
    assert list(cat) == sorted(cat)
    assert list(cat["options"]) == sorted(cat["options"])


@pytest.mark.parametrize("flavor", ["mysql-8.0", "mysql-8.4"])
def test_mysql8_network_defaults(flavor: str) -> None:
    opts = load(flavor)["options"]
    expect = {"connect_timeout": 10, "max_allowed_packet": 67108864, "net_read_timeout": 30,
              "net_write_timeout": 60, "wait_timeout": 28800, "interactive_timeout": 28800}
    for name, default in expect.items():
        assert opts[name]["default"] == default, name
    assert opts["max_allowed_packet"]["min"] == 1024
    assert opts["max_allowed_packet"]["max"] == 1073741824
    assert opts["max_allowed_packet"]["block_size"] == 1024
    assert opts["connect_timeout"]["min"] == 2
    assert load(flavor)["prefix_matching"] is False


@pytest.mark.parametrize("flavor", FLAVORS)
def test_network_types(flavor: str) -> None:
    opts = load(flavor)["options"]
    for name in ("wait_timeout", "interactive_timeout", "net_read_timeout", "net_write_timeout",
                 "connect_timeout", "lock_wait_timeout", "innodb_lock_wait_timeout"):
        assert opts[name]["type"] == "duration", name
        assert opts[name]["arg"] == "required", name
    for name in ("max_allowed_packet", "net_buffer_length", "sort_buffer_size",
                 "innodb_buffer_pool_size", "tmp_table_size", "max_heap_table_size"):
        assert opts[name]["type"] == "size", name
    for name in ("datadir", "socket", "log_error", "pid_file", "tmpdir"):
        assert opts[name]["type"] == "path", name
    assert opts["long_query_time"]["type"] == "float"
    assert opts["wait_timeout"]["min"] == 1
    assert opts["wait_timeout"]["max"] == 31536000
    assert opts["net_read_timeout"]["default"] == 30
    assert opts["net_write_timeout"]["default"] == 60


def test_mariadb_1011_values() -> None:
    cat = load("mariadb-10.11")
    opts = cat["options"]
    packet = opts["max_allowed_packet"]
    assert (packet["default"], packet["min"], packet["max"], packet["block_size"]) == (
        16777216, 1024, 1073741824, 1024)
    assert packet["getopt"] == "ulong" and packet["scope"] == "both" and packet["dynamic"]
    assert opts["wait_timeout"]["default"] == 28800
    assert opts["connect_timeout"]["default"] == 10
    assert opts["net_buffer_length"]["block_size"] == 1024
    assert cat["prefix_matching"] is True


def test_mariadb_1011_complete() -> None:
    opts = load("mariadb-10.11")["options"]
    # non-sysvar options and built-in plugins' options
    for name in ("log_bin", "skip_grant_tables", "plugin_load_add", "user", "innodb",
                 "innodb_buffer_pool_size", "aria_pagecache_buffer_size", "performance_schema",
                 "wsrep_on", "bootstrap", "skip_networking", "log_basename"):
        assert name in opts, name
    assert opts["log_bin"]["arg"] == "optional"
    assert opts["bootstrap"]["arg"] == "none"  # `--bootstrap=1`: cannot take an argument
    assert opts["skip_grant_tables"]["getopt"] == "bool"
    assert opts["innodb"]["values"] == ["ON", "OFF", "FORCE", "FORCE_PLUS_PERMANENT"]
    # hidden compatibility stubs and plugin- twins
    assert "server_id_bits" in opts and opts["server_id_bits"]["deprecated"]
    assert opts["plugin_innodb_buffer_pool_size"]["alias_of"] == "innodb_buffer_pool_size"
    assert len(opts) > 900


def test_collations() -> None:
    maria = load("mariadb-10.11")
    assert "utf8mb4_0900_ai_ci" not in maria["collations"]
    assert maria["collations"]["utf8mb4_general_ci"] == "utf8mb4"
    assert maria["collations"]["utf8_general_ci"] == "utf8mb3"
    assert "utf8mb4" in maria["charsets"]
    assert load("mysql-8.0")["collations"]["utf8mb4_0900_ai_ci"] == "utf8mb4"
    assert "utf8mb4_0900_ai_ci" not in load("mysql-5.7")["collations"]
    assert not any("uca1400" in c for c in load("mariadb-10.6")["collations"])


def test_deltas() -> None:
    assert "log_slow_query" in load("mariadb-10.11")["options"]
    assert "log_slow_query" not in load("mariadb-10.6")["options"]
    assert "innodb_defragment" not in load("mariadb-11.4")["options"]
    assert "innodb_defragment" in load("mariadb-11.4")["removed"]
    my84 = load("mysql-8.4")
    assert "default_authentication_plugin" not in my84["options"]
    assert "default_authentication_plugin" in my84["removed"]
    my57 = load("mysql-5.7")
    assert my57["options"]["max_allowed_packet"]["default"] == 4194304
    assert "query_cache_size" in my57["options"]
    assert "query_cache_size" in load("mysql-8.0")["removed"]
    assert my57["prefix_matching"] is True


def test_clients() -> None:
    maria = load("mariadb-10.11")
    assert "client" in maria["client_groups"]["mysql"]
    assert {"host", "port", "user", "password", "socket"} <= set(maria["clients"]["client"])
    assert maria["clients"]["mysqldump"]["single_transaction"]["type"] == "boolean"
    my80 = load("mysql-8.0")
    assert my80["clients"]["mysql"]["max_allowed_packet"]["type"] == "size"


def test_check_without_server() -> None:
    """The flavors derived from committed files regenerate identically."""
    proc = subprocess.run([sys.executable, str(GENERATOR), "--check", "--flavor", "mysql-8.0",
                           "--flavor", "mysql-8.4", "--flavor", "mysql-5.7",
                           "--flavor", "mariadb-10.6", "--flavor", "mariadb-11.4"],
                          capture_output=True, text=True)
    if "not found" in proc.stderr and "mysqld--help" in proc.stderr:
        pytest.skip("MySQL peer help result not available")
    assert proc.returncode == 0, proc.stderr


@requires_server
@requires_clients
def test_check_mariadb_1011() -> None:
    """Regenerating mariadb-10.11 from the installed mariadbd gives the committed file."""
    pytest.importorskip("pymysql")
    proc = subprocess.run([sys.executable, str(GENERATOR), "--check", "--flavor", "mariadb-10.11"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
