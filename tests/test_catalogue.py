"""The per-flavor catalogue files: schema, key values, and that the generator reproduces them."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mycnf_lint.reader import catalogue, model
from mycnf_lint.reader.includes import read_tree
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
    assert my57["prefix_matching"] is False  # WL#6978 removed unique option prefixes in 5.7


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


# --------------------------------------------------------------------------- MySQL ranges

MYSQL = ["mysql-5.7", "mysql-8.0", "mysql-8.4"]
NUMERIC = ("int", "uint", "long", "ulong", "ll", "ull", "double")


def ranges_module() -> ModuleType:
    """scripts/catalogue_mysql_ranges.py (a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location(
        "catalogue_mysql_ranges", ROOT / "scripts" / "catalogue_mysql_ranges.py")
    assert spec and spec.loader
    module = sys.modules.get(spec.name) or importlib.util.module_from_spec(spec)
    if spec.name not in sys.modules:
        sys.modules[spec.name] = module  # dataclasses look their module up while defined
        spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("flavor", MYSQL)
def test_mysql_numeric_options_have_cited_ranges(flavor: str) -> None:
    """Every numeric option carries min/max, each equal to a fact of this flavor's ranges file
    that names its source file (repository, path, version) and declaration. A fact 8.4 or 5.7
    takes over from the 8.0 declarations (no copy of that version's file could be read) says so."""
    facts = ranges_module().load_facts(flavor)
    opts = load(flavor)["options"]
    numeric = sorted(n for n, o in opts.items() if o["getopt"] in NUMERIC)
    assert len(numeric) > 200
    uncited = [n for n in numeric if n not in facts]
    assert uncited == []
    for name in numeric:
        opt, fact = opts[name], facts[name]
        assert (opt["min"], opt["max"]) == (fact.min, fact.max), name
        assert opt["min"] <= opt["max"], name
        if opt["getopt"] != "double":
            assert opt["block_size"] == (fact.block or 1), name
        repo_path, at = fact.source.split(": ", 1)
        assert "(" in repo_path and at, name  # "repo path (version): declaration"
        assert flavor == "mysql-8.0" or "[carried from mysql-8.0" in fact.source or (
            "mysql-8.0" not in fact.source), name
        if opt["default"] is not None and opt["getopt"] != "double":
            assert opt["min"] <= opt["default"] <= opt["max"], name


def read(tmp_path: Path, text: str, flavor: str) -> model.Model:
    path = tmp_path / "my.cnf"
    path.write_text(text)
    return model.build(read_tree(str(path)), catalogue.load(flavor), "mysqld")


def test_mysql80_max_connections_zero_clamps_to_one(tmp_path: Path) -> None:
    """sql/sys_vars.cc Sys_max_connections: VALID_RANGE(1, 100000); the server's own test,
    mysql-test/suite/sys_vars/r/max_connections_basic.result (mysql/mysql-server 0cc127b4):
    `SET @@global.max_connections = 0` gives Warning 1292 and the value 1. The manual gives the
    same minimum (https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html
    #sysvar_max_connections: Minimum Value 1)."""
    m = read(tmp_path, "[mysqld]\nmax_connections = 0\n", "mysql-8.0")
    assert not m.fatal
    assert m.effective["max_connections"].value == 1
    assert [e.rule for e in m.events] == ["value-adjusted"]
    high = read(tmp_path, "[mysqld]\nmax_connections = 100001\n", "mysql-8.0")
    assert high.effective["max_connections"].value == 100000


def test_mysql_signed_options_clamp_negative_values(tmp_path: Path) -> None:
    """Sys_var_long (performance_schema_*_size, VALID_RANGE(-1, ...)) takes -1 (autosize);
    Sys_var_ulong refuses a negative number."""
    m = read(tmp_path, "[mysqld]\nperformance_schema_accounts_size = -5\n", "mysql-8.0")
    assert not m.fatal and m.effective["performance_schema_accounts_size"].value == -1
    assert read(tmp_path, "[mysqld]\nmax_connections = -1\n", "mysql-8.0").fatal


def test_mysql_number_kind_follows_the_declaration(tmp_path: Path) -> None:
    """Sys_expire_logs_days is a Sys_var_ulong in 5.7 and 8.0 (MariaDB's is a double): 1.5 is not
    a number there. Sys_secondary_engine_cost_threshold is a Sys_var_double."""
    assert read(tmp_path, "[mysqld]\nexpire_logs_days = 1.5\n", "mysql-8.0").fatal
    assert read(tmp_path, "[mysqld]\nexpire_logs_days = 7\n", "mysql-5.7").effective[
        "expire_logs_days"].value == 7
    m = read(tmp_path, "[mysqld]\nsecondary_engine_cost_threshold = 2.5\n", "mysql-8.0")
    assert m.effective["secondary_engine_cost_threshold"].value == 2.5
    opts = load("mysql-8.0")["options"]
    assert (opts["expire_logs_days"]["type"], opts["secondary_engine_cost_threshold"]["type"]) == (
        "integer", "float")


def test_mysql_block_sizes_round_down(tmp_path: Path) -> None:
    """BLOCK_SIZE(IO_SIZE) of binlog_cache_size: 10000 becomes 8192."""
    m = read(tmp_path, "[mysqld]\nbinlog_cache_size = 10000\n", "mysql-8.0")
    assert m.effective["binlog_cache_size"].value == 8192


def test_mysql57_refuses_unique_option_prefixes(tmp_path: Path) -> None:
    """WL#6978 removed unique option prefixes in 5.7 (https://dev.mysql.com/worklog/task/?id=6978):
    `wait = 16` is an unknown variable there, as in 8.0."""
    m = read(tmp_path, "[mysqld]\nwait = 16\n", "mysql-5.7")
    assert m.fatal and [e.rule for e in m.events] == ["unknown-option"]
    assert read(tmp_path, "[mysqld]\nwait_timeout = 16\n", "mysql-5.7").effective[
        "wait_timeout"].value == 16


def test_mysql57_ranges_differ_where_its_declarations_do() -> None:
    """5.7's sys_vars.cc: performance_schema_*_classes VALID_RANGE(0, 256) (1024 in 8.0),
    max_prepared_stmt_count up to 1024*1024, DEFAULT_ERROR_COUNT 64, query cache variables."""
    my57, my80 = load("mysql-5.7")["options"], load("mysql-8.0")["options"]
    assert my57["performance_schema_max_mutex_classes"]["max"] == 256
    assert my80["performance_schema_max_mutex_classes"]["max"] == 1024
    assert my57["max_prepared_stmt_count"]["max"] == 1048576
    assert (my57["max_error_count"]["default"], my80["max_error_count"]["default"]) == (64, 1024)
    assert my57["query_cache_size"]["block_size"] == 1024
    assert my57["binlog_group_commit_sync_delay"]["getopt"] == "ulong"  # Sys_var_ulong in 5.7
    assert "temptable_max_mmap" not in my57 and "rpl_read_size" not in my57
    assert (my57["event_scheduler"]["default"], my80["event_scheduler"]["default"]) == ("OFF", "ON")


def test_mysql57_innodb_where_8_0_changed_it(tmp_path: Path) -> None:
    """8.0 raised innodb_undo_tablespaces' minimum from 0 to 2 (WL#10583 FR1) and its default
    from 0 to 2 (WL#10498); 5.7 keeps 0 and tops out at 95. Defaults 8.0 changed: flush_neighbors
    1 -> 0 (WL#9631), max_dirty_pages_pct 75 and its low water mark 0 (5.7 manual)."""
    m57 = read(tmp_path, "[mysqld]\ninnodb_undo_tablespaces = 0\n", "mysql-5.7")
    assert not m57.events and m57.effective["innodb_undo_tablespaces"].value == 0
    m80 = read(tmp_path, "[mysqld]\ninnodb_undo_tablespaces = 0\n", "mysql-8.0")
    assert m80.effective["innodb_undo_tablespaces"].value == 2
    high = read(tmp_path, "[mysqld]\ninnodb_undo_tablespaces = 96\n", "mysql-5.7")
    assert high.effective["innodb_undo_tablespaces"].value == 95
    my57 = load("mysql-5.7")["options"]
    assert "worklog/task/?id=10583" in ranges_module().load_facts("mysql-5.7")[
        "innodb_undo_tablespaces"].source
    assert [my57[n]["default"] for n in ("innodb_undo_tablespaces", "innodb_flush_neighbors",
                                         "innodb_max_dirty_pages_pct",
                                         "innodb_max_dirty_pages_pct_lwm")] == [0, 1, 75.0, 0.0]


def test_mysql84_carried_facts_are_marked() -> None:
    facts = ranges_module().load_facts("mysql-8.4")
    assert "[carried from mysql-8.0" in facts["max_connections"].source
    assert facts["innodb_redo_log_capacity"].max == 549755813888
    assert "carried" not in facts["innodb_redo_log_capacity"].source


def test_extractor_reads_declarations(tmp_path: Path) -> None:
    """scripts/extract_mysql_ranges.py on hand-written declarations in the two shapes it reads."""
    spec = importlib.util.spec_from_file_location(
        "extract_mysql_ranges", ROOT / "scripts" / "extract_mysql_ranges.py")
    assert spec and spec.loader
    ext = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = ext
    spec.loader.exec_module(ext)
    source = """
static Sys_var_ulong Sys_demo_size(
    "demo_size", "A size, (with a comma)", GLOBAL_VAR(demo), CMD_LINE(REQUIRED_ARG),
    VALID_RANGE(1024, ULONG_MAX), DEFAULT(32 * 1024), BLOCK_SIZE(IO_SIZE));
static Sys_var_long Sys_demo_signed("demo_signed", "x", READ_ONLY GLOBAL_VAR(d),
    CMD_LINE(REQUIRED_ARG), VALID_RANGE(-1, 1024 * 1024), DEFAULT(PFS_AUTOSIZE_VALUE),
    BLOCK_SIZE(1));
static Sys_var_charptr Sys_demo_path("demo_path", "x", READ_ONLY GLOBAL_VAR(p),
    CMD_LINE(REQUIRED_ARG), DEFAULT(0));
static Sys_var_uint Sys_demo_nocmd("demo_nocmd", "x", GLOBAL_VAR(n), NO_CMD_LINE,
    VALID_RANGE(0, 10), DEFAULT(1), BLOCK_SIZE(1));
static MYSQL_SYSVAR_ULONG(demo_pages, srv_demo, PLUGIN_VAR_RQCMDARG, "pages (1, 2)",
    nullptr, nullptr, 100, 1, 1UL << 20, 0);
static MYSQL_SYSVAR_ULONG(demo_odd, srv_odd, PLUGIN_VAR_RQCMDARG, "x", nullptr, nullptr,
    SOME_MACRO, 0, ~0UL, 0);
"""
    decls = {d.name: d for d in ext.declarations(source, prefix="innodb_")}
    assert set(decls) == {"demo_size", "demo_signed", "innodb_demo_pages", "innodb_demo_odd"}
    assert decls["demo_size"] == ext.Decl("demo_size", "ulong", 1024, 2**64 - 1, 32768, 4096)
    assert (decls["demo_signed"].min, decls["demo_signed"].default) == (-1, -1)
    assert decls["innodb_demo_pages"] == ext.Decl(
        "innodb_demo_pages", "ULONG", 1, 1 << 20, 100, None)
    assert decls["innodb_demo_odd"].default == "SOME_MACRO"
    assert decls["innodb_demo_odd"].max == 2**64 - 1
    line = ext.toml_line(decls["demo_size"], "Sys_demo_size")
    assert line.startswith("demo_size = {min = 1024, max = 18446744073709551615, block = 4096")
    facts = tmp_path / "mysql-x-ranges.toml"
    facts.write_text('[ranges_sys_vars]\ndemo_size = {min = 512, max = 18446744073709551615, '
                     'block = 4096, at = "x"}\n')
    assert ext.differences(list(decls.values()), facts) == [
        "demo_size: min 512 in mysql-x-ranges.toml, 1024 here"]
