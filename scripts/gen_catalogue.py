#!/usr/bin/env python3
"""Generate mycnf_lint/catalogue/<flavor>.json from primary sources.

* mariadb-10.11: the installed ``mariadbd`` itself (``--help --verbose``, probing runs and a
  throwaway booted server queried over its unix socket), plus the client programs' ``--help``.
* mariadb-10.6, mariadb-11.4: the 10.11 data plus a cited delta file.
* mysql-8.0: MySQL 8.0.27 ``mysqld--help-notwin.result`` (a peer test file), the InnoDB
  variable list from ``ha_innodb.cc`` and cited ranges, all in ``catalogue_deltas/``; every
  numeric option's range from ``catalogue_deltas/mysql-<version>-ranges.toml`` (see
  ``catalogue_mysql_ranges.py``).
* mysql-8.4, mysql-5.7: the 8.0 data plus a cited delta file.

Usage: ``python scripts/gen_catalogue.py [--flavor F ...] [--check]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from catalogue_mysql_ranges import apply_facts

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "mycnf_lint" / "catalogue"
DELTA_DIR = Path(__file__).resolve().parent / "catalogue_deltas"
PEER_HELP = Path("/work/shared/peer/mysql-server/mysql-test/r/mysqld--help-notwin.result")
FLAVORS = ["mariadb-10.11", "mariadb-10.6", "mariadb-11.4", "mysql-5.7", "mysql-8.0", "mysql-8.4"]
NOISE = ("Could not increase number of max_open_files", "Could not open mysql.plugin table",
         "Some options may be missing from the help text")
Option = dict[str, Any]

# --------------------------------------------------------------------------- semantics

DURATION = {
    "wait_timeout", "interactive_timeout", "net_read_timeout", "net_write_timeout",
    "connect_timeout", "lock_wait_timeout", "innodb_lock_wait_timeout", "slave_net_timeout",
    "replica_net_timeout", "delayed_insert_timeout", "flush_time", "binlog_expire_logs_seconds",
    "aria_checkpoint_interval", "innodb_flush_log_at_timeout", "thread_pool_idle_timeout",
    "port_open_timeout", "mysqlx_wait_timeout",
    "mysqlx_read_timeout", "mysqlx_write_timeout", "mysqlx_interactive_timeout",
    "mysqlx_connect_timeout",
    "rpl_stop_slave_timeout", "rpl_stop_replica_timeout", "idle_transaction_timeout",
    "idle_readonly_transaction_timeout", "idle_write_transaction_timeout",
    "innodb_api_bk_commit_interval", "slave_transaction_retry_interval",
    "innodb_fatal_semaphore_wait_threshold", "ssl_session_cache_timeout",
    "slow_launch_time",
}
NOT_DURATION = {"innodb_rollback_on_timeout",
                "rpl_semi_sync_master_timeout", "rpl_semi_sync_source_timeout",
                "thread_pool_stall_limit", "password_reuse_interval", "default_password_lifetime"}
SIZE_RE = re.compile(
    r"(_buffer_size|_cache_size|_file_size|_block_size|_table_size|_packet|_prealloc_size"
    r"|_space_limit|_buffer_length|_mem_used|_chunk_size|_max_size|_log_size|_mmap_size"
    r"|_buff_size|_cache_limit|_max_len|_page_size|_buffer_pool_size|_usage|_max_length"
    r"|_sort_length|_min_len|_memory_limit|_memory_table_size|_disk_table_size"
    r"|_buffer_pool_chunk_size)$"
)
SIZE = {"thread_stack", "max_binlog_size", "max_relay_log_size", "histogram_size",
        "innodb_ft_cache_size", "innodb_ft_total_cache_size", "innodb_log_write_ahead_size",
        "large_page_size", "max_long_data_size", "aria_pagecache_buffer_size",
        "innodb_online_alter_log_max_size", "binlog_row_event_max_size", "max_digest_length",
        "performance_schema_max_digest_length", "performance_schema_max_sql_text_length",
        "innodb_max_undo_log_size",
        "temptable_max_ram", "temptable_max_mmap", "parser_max_mem_size",
        "innodb_redo_log_capacity"}
NOT_SIZE = {"host_cache_size", "thread_pool_size", "innodb_change_buffer_max_size",
            "aria_pagecache_file_hash_size", "innodb_sync_array_size",
            "innodb_purge_batch_size", "innodb_lru_flush_size",
            "innodb_page_cleaners", "max_join_size", "innodb_log_spin_cpu_abs_lwm",
            "innodb_buffer_pool_dump_pct", "innodb_fill_factor",
            "thread_cache_size",
            "metadata_locks_cache_size", "performance_schema_digests_size"}
PATH_RE = re.compile(r"(_dir|_file|_path|dir|^socket|_socket|_basename|_home_dir|_directory"
                     r"|_filename|_index|^log_bin|_log_file|^log_error|^relay_log)$")
PATH = {"datadir", "basedir", "tmpdir", "socket", "pid_file", "log_error", "secure_file_priv",
        "ssl_ca", "ssl_cert", "ssl_key", "ssl_capath", "ssl_crl", "ssl_crlpath", "chroot",
        "init_file", "log_tc", "language", "log_isam", "des_key_file", "log_basename",
        "wsrep_provider", "relay_log", "log_bin", "general_log_file", "slow_query_log_file",
        "log_slow_query_file", "innodb_tmpdir", "admin_ssl_ca", "admin_ssl_cert", "admin_ssl_key",
        "admin_ssl_capath", "admin_ssl_crl", "admin_ssl_crlpath", "character_sets_dir",
        "plugin_dir", "keyring_file_data", "mysqlx_socket"}
NOT_PATH = {"innodb_data_file_path", "innodb_temp_data_file_path",
            "log_bin_trust_function_creators", "sql_log_bin", "log_bin_compress",
            "innodb_log_file_size"}


def semantic_type(name: str, kind: str, help_text: str) -> str:
    """Map a storage kind (int/float/bool/enum/set/flagset/str/none) to the semantic type."""
    text = help_text.lower()
    if kind in ("bool", "enum", "set", "flagset", "none"):
        return {"bool": "boolean"}.get(kind, kind)
    if kind == "float":
        return "float"
    if kind == "str":
        if name not in NOT_PATH and (name in PATH or PATH_RE.search(name)):
            return "path"
        return "string"
    if name in DURATION or (
        name not in NOT_DURATION
        and (name.endswith("_timeout") or "in seconds" in text or "number of seconds" in text)
        and "milli" not in text and "micro" not in text and "ms" not in text.split()
    ):
        return "duration"
    if name in SIZE or (name not in NOT_SIZE and not name.startswith("performance_schema_")
                        and (SIZE_RE.search(name) or re.search(r"\bin bytes\b", text))):
        return "size"
    return "integer"


def bool_default(text: str | None) -> bool | None:
    """ON/TRUE/1 -> True, OFF/FALSE/0 -> False, else None."""
    if text is None:
        return None
    low = text.strip().lower()
    if low in ("on", "true", "1", "yes"):
        return True
    if low in ("off", "false", "0", "no"):
        return False
    return None


def parse_number(text: str | None) -> int | float | None:
    """An int or float from text, else None."""
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def typed_default(kind: str, text: str | None) -> Any:
    """Turn a textual default into the JSON default for an option of this kind."""
    if text is None or text == "(No default value)":
        return None
    if kind == "bool":
        return bool_default(text)
    if kind in ("int", "float"):
        return parse_number(text)
    if kind == "none":
        return None
    return text


def help_values(help_text: str) -> tuple[str, list[str]] | None:
    """'One of: A, B' -> ("enum", [...]); 'Any combination of: ...' -> ("set", [...])."""
    m = re.search(r"(One of|Any combination of|Possible values are):?\s+(.*)", help_text, re.S)
    if not m:
        return None
    kind = "set" if m.group(1) == "Any combination of" else "enum"
    text = re.sub(r"\([^)]*\)", "", " ".join(m.group(2).split()))
    text = re.split(r"\.(?:\s|$)", text)[0]
    vals = []
    for part in text.split(","):
        word = re.match(r"\s*\"?([A-Za-z0-9_][A-Za-z0-9_-]*)", part)
        if word:
            vals.append(word.group(1))
    return kind, vals


def deprecation(help_text: str, names: set[str]) -> tuple[str | None, str | None]:
    """Find 'Deprecated ...' in a help text; return (short text, replacement option)."""
    flat = " ".join(help_text.split())
    m = re.search(r"[^.]*\b[Dd]eprecated\b[^.]*(\.[^.]*\buse\b[^.]*)?", flat)
    if not m:
        return None, None
    text = m.group(0).strip(" .")[:120]
    rep = None
    for cand in re.findall(r"(?:use|Use|Alias for)\s+(?:--)?([a-z][a-z0-9_-]+)", flat):
        key = norm(cand)
        if key in names:
            rep = key
            break
    return text, rep


def norm(name: str) -> str:
    """Option key: lower case, '-' -> '_'."""
    return name.strip().lower().replace("-", "_")


def new_option(kind: str, arg: str, name: str, help_text: str = "") -> Option:
    """An option record with the schema's keys, filled from the storage kind."""
    getopt = {"int": "ulong", "float": "double", "bool": "bool", "str": "str", "enum": "enum",
              "set": "set", "flagset": "flagset", "none": "none"}[kind]
    return {
        "type": semantic_type(name, kind, help_text), "getopt": getopt, "arg": arg,
        "min": None, "max": None, "block_size": None, "default": None, "values": None,
        "sysvar": False, "scope": None, "dynamic": None, "deprecated": None, "replaced_by": None,
    }


# --------------------------------------------------------------------------- --help parsing

OPT_LINE = re.compile(r"^ {1,2}(?:-(.), )?--([A-Za-z0-9_-]+)(\[?=(?:#|name)\]?)?(?:\s+(.*))?$")


def parse_help(text: str) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Parse a `--help --verbose` listing: ({name: {form, help}}, {name: table value}).

    Works on the real layout (22-column indent) and on mysqltest's whitespace-collapsed one.
    """
    lines = text.splitlines()
    try:
        table_at = next(i for i, ln in enumerate(lines) if ln.startswith("Variables (--variable"))
    except StopIteration:
        table_at = len(lines)
    options: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    started = False
    for line in lines[:table_at]:
        m = OPT_LINE.match(line)
        if m and m.group(4) and m.start(4) not in (21, 22):
            m = None  # a help line that starts with "--name", not an option line
        if m and line.startswith(" "):
            started = True
            name = norm(m.group(2))
            form = m.group(3) or ""
            current = {"form": form, "help": m.group(4) or ""}
            options.setdefault(name, current)
        elif started and current is not None and line.strip():
            current["help"] += " " + line.strip()
    table: dict[str, str] = {}
    for line in lines[table_at + 1:]:
        if not line.strip() or line.startswith(("To see what", "'", "-----", "and boolean")):
            continue
        m = re.match(r"^(\S+)\s+(.*?)\s*$", line) if " " in line else None
        name_val = (m.group(1), m.group(2)) if m else (line.strip(), "")
        table[norm(name_val[0])] = scrub_host(name_val[1])
    return options, table


def scrub_host(value: str) -> str:
    """Replace this machine's host name in a default (pid-file, log-basename...) by {hostname}."""
    host = socket.gethostname().split(".")[0]
    if not host:
        return value
    return re.sub(rf"(?<![A-Za-z0-9]){re.escape(host)}(?=[.-]|$)", "{hostname}", value)


def form_kind(form: str, help_text: str) -> tuple[str, str]:
    """(kind, arg) from the `--help` argument form and help text."""
    arg = "optional" if form.startswith("[") else ("required" if form else "none")
    if "#" in form:
        return "int", arg
    if "name" in form:
        hv = help_values(help_text)
        return (hv[0] if hv else "str"), arg
    if "Defaults to on" in help_text or "use --skip-" in help_text:
        return "bool", "optional"
    return "none", "none"


# --------------------------------------------------------------------------- MariaDB (live)


def run(cmd: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing text output."""
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def stderr_lines(proc: subprocess.CompletedProcess[str]) -> str:
    """The stderr of a probe without the environment's noise lines."""
    return "\n".join(ln for ln in proc.stderr.splitlines() if not any(n in ln for n in NOISE))


def probe(binary: str, *args: str) -> tuple[int, str]:
    """Run `binary --no-defaults --disable-getopt-prefix-matching ARGS --help --verbose`."""
    proc = run([binary, "--no-defaults", "--disable-getopt-prefix-matching", *args,
                "--help", "--verbose"])
    return proc.returncode, stderr_lines(proc)


def parallel(func: Any, items: list[Any]) -> list[Any]:
    """Map func over items on a few threads, keeping order."""
    with concurrent.futures.ThreadPoolExecutor(max(2, (os.cpu_count() or 2) * 2)) as pool:
        return list(pool.map(func, items))


def is_unknown(err: str) -> bool:
    """Whether a probe's stderr reports an unknown option or variable."""
    return "unknown option" in err or "unknown variable" in err


class Server:
    """A throwaway mariadbd on a temporary datadir, reachable over a unix socket."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.dir = Path(tempfile.mkdtemp(prefix="mycnf-cat-"))
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        data = self.dir / "data"
        install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
        if install:
            proc = run([install, "--no-defaults", f"--datadir={data}", "--user=root",
                        "--auth-root-authentication-method=normal"], timeout=300)
        else:
            proc = subprocess.run([self.binary, "--no-defaults", "--bootstrap", f"--datadir={data}",
                                   "--user=root"], input="", capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"creating a datadir failed: {proc.stderr[-2000:]}")
        self.proc = subprocess.Popen(
            [self.binary, "--no-defaults", f"--datadir={data}", f"--socket={self.socket}",
             "--skip-networking", f"--pid-file={self.dir / 'p.pid'}", "--user=root",
             f"--log-error={self.dir / 'err.log'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            if Path(self.socket).exists():
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("the temporary server did not start: "
                           + (self.dir / "err.log").read_text(errors="replace")[-2000:])

    @property
    def socket(self) -> str:
        """The unix socket path."""
        return str(self.dir / "s.sock")

    def query(self, sql: str) -> list[dict[str, Any]]:
        """Run one query as root over the socket; rows as dicts."""
        import pymysql  # lazy: only the generator needs it

        conn = pymysql.connect(unix_socket=self.socket, user="root")
        try:
            with conn.cursor(pymysql.cursors.DictCursor) as cur:
                cur.execute(sql)
                return list(cur.fetchall())
        finally:
            conn.close()

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


SCOPES = {"SESSION": "both", "GLOBAL": "global", "SESSION ONLY": "session"}
VARTYPES = {"BIGINT UNSIGNED": ("int", "ulong"), "INT UNSIGNED": ("int", "uint"),
            "BIGINT": ("int", "long"), "INT": ("int", "int"), "BOOLEAN": ("bool", "bool"),
            "DOUBLE": ("float", "double"), "VARCHAR": ("str", "str"), "ENUM": ("enum", "enum"),
            "SET": ("set", "set"), "FLAGSET": ("flagset", "flagset")}


def apply_sysvar(opt: Option, name: str, row: dict[str, Any], help_text: str) -> None:
    """Fill an option from its information_schema.SYSTEM_VARIABLES row."""
    kind, getopt = VARTYPES[row["VARIABLE_TYPE"]]
    if opt["getopt"] not in ("none", "bool") or kind == "bool":
        if not (kind == "bool" and opt["getopt"] == "str"):  # e.g. log_bin: a path option
            opt["getopt"] = getopt
            comment = row["VARIABLE_COMMENT"] or ""
            opt["type"] = semantic_type(name, kind, f"{help_text} {comment}")
    opt["sysvar"] = True
    opt["scope"] = SCOPES[row["VARIABLE_SCOPE"]]
    opt["dynamic"] = row["READ_ONLY"] == "NO"
    if kind == "int" and opt["getopt"] not in ("bool", "str", "none"):
        opt["min"] = parse_number(row["NUMERIC_MIN_VALUE"])
        opt["max"] = parse_number(row["NUMERIC_MAX_VALUE"])
        opt["block_size"] = parse_number(row["NUMERIC_BLOCK_SIZE"])
    elif kind == "float":
        opt["min"] = parse_number(row["NUMERIC_MIN_VALUE"])
        opt["max"] = parse_number(row["NUMERIC_MAX_VALUE"])
    if kind in ("enum", "set", "flagset") and row["ENUM_VALUE_LIST"]:
        opt["values"] = row["ENUM_VALUE_LIST"].split(",")
    if kind == "enum" and not opt["values"]:  # character sets, collations, locales
        opt["getopt"], opt["type"] = "str", "string"
    elif row["DEFAULT_VALUE"] is not None and opt["getopt"] == getopt and kind != "str":
        opt["default"] = typed_default(kind, row["DEFAULT_VALUE"])


def probe_noarg(binary: str, names: list[str]) -> dict[str, str]:
    """For options shown without an argument: 'bool' if `--x=1` is accepted, else 'none'."""
    def one(name: str) -> str:
        rc, err = probe(binary, f"--{name}=1")
        if "cannot take an argument" in err:
            return "none"
        if is_unknown(err):
            raise RuntimeError(f"--{name} is not accepted: {err}")
        return "bool"
    return dict(zip(names, parallel(one, names), strict=True))


NUMERIC = ("int", "uint", "long", "ulong", "ll", "ull")
_ADJUSTED = re.compile(r"value -?\d+ adjusted to (-?\d+)")


def probe_limits(binary: str, name: str) -> tuple[int | None, int | None]:
    """(min, max) of a numeric option, as the server adjusts 0 and a huge value."""
    limits = []
    for value in ("0", "99999999999999999"):
        _, err = probe(binary, f"--{name}={value}")
        m = _ADJUSTED.search(err)
        limits.append(int(m.group(1)) if m else (0 if value == "0" else None))
    return limits[0], limits[1]


def probe_locales(binary: str) -> list[str]:
    """The locale names lc_messages and lc_time_names accept: every ll_CC string in the
    binary that `--lc-time-names=NAME` takes without "Unknown locale"."""
    with open(binary, "rb") as fh:
        found = sorted({m.decode() for m in re.findall(rb"(?<![A-Za-z0-9_])([a-z]{2}_[A-Z]{2})\x00",
                                                         fh.read())})
    ok = parallel(lambda n: "Unknown locale" not in probe(binary, f"--lc-time-names={n}")[1],
                  found)
    return [n for n, good in zip(found, ok, strict=True) if good]


def is_switch(binary: str, name: str) -> bool:
    """A boolean handled as NO_ARG: `--x=2` is ignored ("ignoring option ... due to invalid
    value") instead of setting OFF ("wasn't recognized")."""
    _, err = probe(binary, f"--{name}=2")
    return "ignoring option" in err


def probe_arg(binary: str, name: str) -> str:
    """How a hidden option takes its argument: none, optional or required."""
    _, err = probe(binary, f"--{name}=1")
    if "cannot take an argument" in err:
        return "none"
    _, err = probe(binary, f"--{name}")
    return "required" if "requires an argument" in err else "optional"


def probe_plugin_aliases(binary: str, names: list[str]) -> list[str]:
    """Which `plugin-<name>` aliases mariadbd accepts (plugin options' hidden twins)."""
    def one(name: str) -> bool:
        _, err = probe(binary, f"--loose-plugin-{name}=0")
        return "unknown variable" not in err
    return [n for n, ok in zip(names, parallel(one, names), strict=True) if ok]


def hidden_from_strings(binary: str, known: set[str]) -> list[str]:
    """Scan the binary's strings for option names `--help` does not print (slow: minutes)."""
    data = Path(binary).read_bytes()
    found_strings = {m.decode() for m in re.findall(rb"[a-z][a-z0-9_-]{2,63}(?=\x00)", data)}
    cands = sorted(c for c in found_strings
                   if norm(c) not in known and not c.endswith(("-", "_")))

    def one(name: str) -> bool:
        _, err = probe(binary, f"--loose-{name}=0")
        return "unknown variable" not in err
    found = [c for c, ok in zip(cands, parallel(one, cands), strict=True) if ok]
    specials = ("skip_", "disable_", "enable_", "maximum_", "loose_", "autoset_", "plugin_")
    names = {norm(c) for c in found}
    return sorted(n for n in names
                  if not (n.startswith(specials) and n.split("_", 1)[1] in names | known))


def load_toml(name: str) -> dict[str, Any]:
    """Read scripts/catalogue_deltas/<name>."""
    with open(DELTA_DIR / name, "rb") as fh:
        return tomllib.load(fh)


def options_from_help(help_opts: dict[str, dict[str, Any]], table: dict[str, str],
                      kinds: dict[str, str]) -> dict[str, Option]:
    """Option records from parsed `--help` output; `kinds` settles the no-argument forms."""
    out: dict[str, Option] = {}
    for name, info in help_opts.items():
        kind, arg = form_kind(info["form"], info["help"])
        if not info["form"]:
            kind = kinds.get(name, kind)
            arg = "optional" if kind == "bool" else "none"
        opt = new_option(kind, arg, name, info["help"])
        hv = help_values(info["help"])
        if hv and kind in ("enum", "set"):
            opt["values"] = hv[1]
        opt["default"] = typed_default(kind, table.get(name))
        out[name] = opt
    names = set(out)
    for name, info in help_opts.items():
        out[name]["deprecated"], out[name]["replaced_by"] = deprecation(info["help"], names)
    return out


def build_mariadb(binary: str, hidden_scan: bool = False) -> dict[str, Any]:
    """The mariadb-10.11 catalogue from the installed server and clients."""
    proc = run([binary, "--no-defaults", "--help", "--verbose"])
    help_opts, table = parse_help(proc.stdout)
    version = re.search(r"Ver (\d+\.\d+\.\d+)", proc.stdout)
    noarg = [n for n, i in help_opts.items() if not i["form"]]
    options = options_from_help(help_opts, table, probe_noarg(binary, noarg))
    with Server(binary) as srv:
        sysvars = {r["VARIABLE_NAME"].lower(): r
                   for r in srv.query("SELECT * FROM information_schema.SYSTEM_VARIABLES")}
        charset_rows = srv.query("SHOW CHARACTER SET")
        charsets = sorted(r["Charset"] for r in charset_rows)
        default_collations = {r["Charset"]: r["Default collation"] for r in charset_rows}
        colls = {r["FULL_COLLATION_NAME"]: r["CHARACTER_SET_NAME"] for r in srv.query(
            "SELECT FULL_COLLATION_NAME, CHARACTER_SET_NAME"
            " FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY")}
        plugins = sorted({r["PLUGIN_NAME"].lower() for r in srv.query(
            "SELECT PLUGIN_NAME FROM information_schema.PLUGINS")})
    for name, opt in options.items():
        if name in sysvars:
            apply_sysvar(opt, name, sysvars[name], help_opts[name]["help"])
    # numeric options that are no system variables: their limits, from the server's own
    # "adjusted to" warnings for a huge value and for 0
    unknown = sorted(n for n, o in options.items() if o["getopt"] in NUMERIC
                     and o["min"] is None and o["max"] is None and n not in sysvars)
    for name, (lo, hi) in zip(unknown, parallel(lambda n: probe_limits(binary, n), unknown),
                              strict=True):
        options[name]["min"], options[name]["max"] = lo, hi
        if hi == 2**32 - 1 and options[name]["getopt"] in ("ulong", "ull"):
            options[name]["getopt"] = "uint"
        elif hi == 2**31 - 1 and options[name]["getopt"] in ("long", "ll"):
            options[name]["getopt"] = "int"
    # booleans that read a value the NO_ARG way (first character; a value it cannot read makes
    # the server ignore the line) rather than by word (an unknown word sets OFF)
    bools = sorted(n for n, o in options.items() if o["getopt"] == "bool" and o["arg"] != "none")
    for name, switch in zip(bools, parallel(lambda n: is_switch(binary, n), bools), strict=True):
        if switch:
            options[name]["arg"] = "none"
    # hidden options: MySQL-compatibility and removed-option stubs
    hidden = load_toml("mariadb-10.11-hidden.toml")["names"]
    if hidden_scan:
        hidden = hidden_from_strings(binary, set(options))
    for name in hidden:
        rc, err = probe(binary, f"--loose-{name}=0")
        if "unknown variable" in err:
            raise RuntimeError(f"hidden option {name} is not accepted: {err}")
        arg = probe_arg(binary, name)
        opt = new_option("none" if arg == "none" else "str", arg, name)
        msg = re.search(r"\[Warning\] '[^']*' (.*)", err)
        opt["deprecated"] = msg.group(1).strip()[:120] if msg else "undocumented; no effect"
        options[name] = opt
    # `plugin-<option>` twins of every plugin option
    plugin_opts = [n for n in options
                   if any(n == p or n.startswith(p + "_") for p in plugins)]
    for name in probe_plugin_aliases(binary, plugin_opts):
        twin = copy.deepcopy(options[name])
        twin.update(sysvar=False, scope=None, dynamic=None, alias_of=name)
        options["plugin_" + name] = twin
    locales = probe_locales(binary)
    # utf8_* names are accepted as aliases of utf8mb3_* (old_mode UTF8_IS_UTF8MB3, the default)
    for coll, cs in list(colls.items()):
        if cs == "utf8mb3":
            colls["utf8_" + coll[len("utf8mb3_"):]] = "utf8mb3"
    not_options = sorted(n for n in sysvars if n not in options)
    cat = skeleton("mariadb-10.11", "mariadb", version.group(1) if version else "10.11")
    cat["sources"] = [
        f"{binary} --no-defaults --help --verbose (options, argument forms, help texts, defaults)",
        "probes: mariadbd --no-defaults --disable-getopt-prefix-matching --NAME=1 --help --verbose"
        " (boolean vs NO_ARG), --NAME=2 (booleans read as switches), --loose-plugin-NAME=0"
        " (plugin- aliases)",
        "information_schema.SYSTEM_VARIABLES of a throwaway server booted from a temp datadir"
        " (types, min/max/block size, enum values, scope, read-only, compiled defaults)",
        "SHOW CHARACTER SET and information_schema.COLLATION_CHARACTER_SET_APPLICABILITY;"
        " utf8_* collation names added as aliases of utf8mb3_*",
        "locales: the ll_CC strings of the binary that --lc-time-names accepts",
        "scripts/catalogue_deltas/mariadb-10.11-hidden.toml (options --help does not print)",
        "client programs' --help (mariadb, mariadb-dump, mariadb-admin)",
        "getopt 'ulong'/'long' stand for any 64-bit unsigned/signed storage (ulong or ulonglong"
        " are the same on LP64 and SYSTEM_VARIABLES does not tell them apart)",
    ]
    cat["prefix_matching"] = True
    cat["special_prefixes"] = ["skip", "disable", "enable", "maximum", "loose", "autoset"]
    cat["options"] = options
    cat["sysvars_not_options"] = not_options
    cat["charsets"] = sorted(set(charsets) | {"utf8"})
    cat["collations"] = dict(sorted(colls.items()))
    cat["locales"] = locales
    cat["default_collations"] = dict(sorted(default_collations.items()))
    mark_aliases(options, help_opts)
    cat["facts"] = facts_from_table(table, options)
    mark_help_defaults(options, table)
    cat["clients"], cat["client_groups"] = build_mariadb_clients()
    cat["removed"] = removed_for(cat)
    return cat


def mark_aliases(options: dict[str, Option], help_opts: dict[str, dict[str, Any]]) -> None:
    """`same_as`: options that are another name of one variable ("Alias for log_slow_query"),
    so setting either sets both."""
    for name, info in help_opts.items():
        m = re.match(r"\s*Alias for ([a-z0-9_-]+)", info["help"])
        if m and norm(m.group(1)) in options and name in options:
            options[name]["same_as"] = norm(m.group(1))


def facts_from_table(table: dict[str, str], options: dict[str, Option]) -> dict[str, str]:
    """Rows of the `--help --verbose` table that no option sets: facts of the build
    (version_comment, version_ssl_library, protocol_version, ...) and of the host
    (server_uid, system_time_zone, lower_case_file_system; computed by the reader)."""
    return {n: v for n, v in sorted(table.items()) if n not in options and n not in HOST_FACTS}


# facts of the machine the server runs on: computed by mycnf_lint/reader/host.py, not stored
HOST_FACTS = {"server_uid", "system_time_zone", "lower_case_file_system"}


def mark_help_defaults(options: dict[str, Option], table: dict[str, str]) -> None:
    """`help_default`: an enum whose `--help` table value is not the value the running server
    starts with (slave_parallel_mode: the option's compiled default says conservative, the
    server's replication setup makes it optimistic). The catalogue keeps the running value."""
    for name, opt in options.items():
        shown = table.get(name)
        if (opt["getopt"] == "enum" and shown and opt["default"] is not None
                and shown.lower() != str(opt["default"]).lower()):
            opt["help_default"] = shown


MARIADB_CLIENTS = {"mysql": "mariadb", "mysqldump": "mariadb-dump", "mysqladmin": "mariadb-admin"}
# further programs that read [client]: only their option names (for the [client] intersection)
# and groups are used
MARIADB_OTHER_CLIENTS = {"mysqlcheck": "mariadb-check", "mysqlimport": "mariadb-import",
                         "mysqlshow": "mariadb-show", "mysqlslap": "mariadb-slap",
                         "mysqlbinlog": "mariadb-binlog", "mysql_upgrade": "mariadb-upgrade"}


def client_probe(prog: str, names: list[str]) -> dict[str, str]:
    """For a client's options shown without an argument: 'bool' or 'none'."""
    def one(name: str) -> str:
        proc = run([prog, "--no-defaults", f"--{name}=1", "--help"])
        return "none" if "cannot take an argument" in proc.stderr + proc.stdout else "bool"
    return dict(zip(names, parallel(one, names), strict=True))


HUGE = 99999999999999999


def client_limits(prog: str, options: dict[str, Option]) -> None:
    """min, max and block size of a client's numeric options, from its own "adjusted to"
    warnings for 0, a huge value and the maximum minus one (`mariadb` caps max_allowed_packet
    at 2G and rounds it to 1024-byte blocks)."""
    def adjusted(name: str, value: int) -> int | None:
        """The value the client's variable table shows for `--name=value` (it rounds to the
        block size silently, so the table is read rather than the warning)."""
        proc = run([prog, "--no-defaults", f"--{name}={value}", "--help", "--verbose"])
        shown = parse_help(proc.stdout)[1].get(name)
        return int(shown) if shown is not None and re.fullmatch(r"\d+", shown) else None

    def one(name: str) -> tuple[int, int | None, int]:
        lo = adjusted(name, 0) or 0
        hi = adjusted(name, HUGE)
        block = 1
        if hi is not None and hi > lo + 1:
            below = adjusted(name, hi - 1)
            block = hi - below if below is not None and below < hi - 1 else 1
        if hi == HUGE:
            hi = None  # no limit below the storage type's own
        return lo, hi, block
    names = [n for n, o in options.items() if o["getopt"] in NUMERIC]
    for name, (lo, hi, block) in zip(names, parallel(one, names), strict=True):
        options[name].update(min=lo, max=hi, block_size=block)


def build_mariadb_clients() -> tuple[dict[str, dict[str, Option]], dict[str, list[str]]]:
    """Options and option groups of the MariaDB client programs, from their --help.

    "client" holds the options every installed program that reads [client] accepts.
    """
    clients: dict[str, dict[str, Option]] = {}
    groups: dict[str, list[str]] = {}
    names: list[set[str]] = []
    for key, prog in {**MARIADB_CLIENTS, **MARIADB_OTHER_CLIENTS}.items():
        path = shutil.which(prog)
        if not path:
            if key in MARIADB_CLIENTS:
                raise RuntimeError(f"{prog} not found: apt-get install mariadb-client")
            continue
        text = run([path, "--no-defaults", "--help"]).stdout
        m = re.search(r"The following groups are read: (.*)", text)
        groups[key] = m.group(1).split() if m else []
        help_opts, table = parse_help(text)
        if "client" in groups[key]:
            names.append(set(help_opts))
        if key in MARIADB_CLIENTS:
            kinds = client_probe(path, [n for n, i in help_opts.items() if not i["form"]])
            clients[key] = options_from_help(help_opts, table, kinds)
            client_limits(path, clients[key])
    common = set.intersection(*names)
    clients["client"] = {n: clients["mysql"][n] for n in sorted(common)}
    return clients, dict(sorted(groups.items()))


# --------------------------------------------------------------------------- MySQL 8.0


def build_mysql80(help_path: Path) -> dict[str, Any]:
    """The mysql-8.0 catalogue: MySQL 8.0.27 `mysqld --help --verbose` (its own test result)
    plus the InnoDB variables, ranges and clients in catalogue_deltas/mysql-8.0.toml."""
    if not help_path.exists():
        raise SystemExit(f"{help_path} not found (pass --mysql-help)")
    data = load_toml("mysql-8.0.toml")
    help_opts, table = parse_help(help_path.read_text())
    for name, value in table.items():  # options the test's filters cut from the list above
        if name not in help_opts:
            form = "" if value.upper() in ("TRUE", "FALSE") else (
                "=#" if re.fullmatch(r"-?\d+", value) else "=name")
            help_opts[name] = {"form": form, "help": ""}
    kinds = {n: ("bool" if table.get(n, "").upper() in ("TRUE", "FALSE") else "none")
             for n, i in help_opts.items() if not i["form"]}
    kinds.update({n: k for n, k in data.get("noarg_kinds", {}).items()})
    options = options_from_help(help_opts, table, kinds)
    maria_cat = json.loads((OUT_DIR / "mariadb-10.11.json").read_text())
    mariadb = maria_cat["options"]
    for name, spec in data.get("extra", {}).items():
        options[name] = _client_option(name, spec)
    for name, spec in data["innodb"].items():
        kind = spec.get("kind") or _kind_like(mariadb.get(name))
        arg = "optional" if kind == "bool" else "required"
        opt = new_option(kind, arg, name)
        if kind in ("enum", "set") and name in mariadb:
            opt["values"] = mariadb[name]["values"]
        options[name] = opt
    for name, opt in options.items():
        borrowed = mariadb.get(name)
        if borrowed and "alias_of" not in borrowed:
            if opt["getopt"] in ("ulong", "uint", "long", "int", "ll", "ull") and \
                    borrowed["getopt"] in ("ulong", "uint", "long", "int"):
                opt["getopt"] = borrowed["getopt"]
            if borrowed["getopt"] == "double" and opt["getopt"] in ("ulong", "uint", "long", "int"):
                opt.update(type="float", getopt="double")
                opt["default"] = None if opt["default"] is None else float(opt["default"])
            opt["sysvar"] = borrowed["sysvar"]
            opt["scope"], opt["dynamic"] = borrowed["scope"], borrowed["dynamic"]
        elif name.startswith(("innodb_", "performance_schema", "mysqlx_", "ssl_")):
            opt["sysvar"] = True
    for name, fields in data.get("fields", {}).items():
        options[name].update({k: v for k, v in fields.items() if k != "source"})
    cat = skeleton("mysql-8.0", "mysql", "8.0.27")
    cat["sources"] = data["sources"]
    cat["prefix_matching"] = False
    cat["special_prefixes"] = ["skip", "disable", "enable", "maximum", "loose"]
    cat["options"] = options
    cat["charsets"] = data["charsets"]
    cat["collations"] = _mysql_collations(data, maria_cat)
    common = data["clients"]["client"]
    cat["clients"] = {}
    for prog, opts in data["clients"].items():
        merged = opts if prog == "client" else {**common, **opts}
        cat["clients"][prog] = {n: _client_option(n, spec) for n, spec in merged.items()}
    cat["client_groups"] = data["client_groups"]
    cat["removed"] = removed_for(cat)
    apply_facts(cat, "mysql-8.0", base=True)
    return cat


def _kind_like(opt: Option | None) -> str:
    """The storage kind of a MariaDB option record (for an InnoDB name MySQL shares)."""
    if not opt:
        return "int"
    return {"bool": "bool", "double": "float", "str": "str", "enum": "enum", "set": "set",
            "flagset": "flagset", "none": "none"}.get(opt["getopt"], "int")


def _client_option(name: str, spec: dict[str, Any]) -> Option:
    """An option from its TOML spec (kind, arg, default, min/max, values)."""
    kind = spec["kind"]
    arg = spec.get("arg") or ("optional" if kind == "bool" else "none" if kind == "none"
                              else "required")
    opt = new_option(kind, arg, name)
    opt.update({k: v for k, v in spec.items() if k in opt})
    return opt


def _mysql_collations(data: dict[str, Any], mariadb: dict[str, Any]) -> dict[str, str]:
    """MySQL collations: MariaDB's minus its own families, plus the MySQL-only names."""
    drop = re.compile(data["mariadb_only_collations"])
    out = {k: v for k, v in mariadb["collations"].items() if not drop.search(k)}
    for cs, names in data["mysql_only_collations"].items():
        out.update({name: cs for name in names})
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- deltas


def apply_delta(base: dict[str, Any], flavor: str) -> dict[str, Any]:
    """A flavor derived from a base catalogue and scripts/catalogue_deltas/<flavor>.toml."""
    delta = load_toml(f"{flavor}.toml")
    cat = copy.deepcopy(base)
    cat["flavor"], cat["version"] = flavor, delta["version"]
    cat["sources"] = [f"derived from {base['flavor']} ({base['version']})"] + delta["sources"]
    for key in ("prefix_matching", "special_prefixes"):
        if key in delta:
            cat[key] = delta[key]
    opts = cat["options"]
    for group in delta.get("remove", []):
        for name in group["names"]:
            if name not in opts:
                raise SystemExit(f"{flavor}: cannot remove unknown option {name}")
            del opts[name]
            twin = "plugin_" + name
            if opts.get(twin, {}).get("alias_of") == name:
                del opts[twin]
    for spec in delta.get("add", []):
        for name in spec["names"]:
            like = spec.get("like")
            opt = copy.deepcopy(opts[like]) if like else new_option(spec["kind"], spec.get(
                "arg", "optional" if spec["kind"] == "bool" else "required"), name)
            opt.pop("alias_of", None)
            opt.update({k: v for k, v in spec.items() if k in opt})
            opts[name] = opt
    for name, spec in delta.get("change", {}).items():
        opts[name].update({k: v for k, v in spec.items() if k in opts[name]})
    # names the base flavor deprecated later (8.0.26's slave/master terminology), current here
    for group in delta.get("undeprecate", []):
        for name, opt in opts.items():
            text = opt.get("deprecated") or ""
            if any(re.fullmatch(p, name) for p in group.get("patterns", [])) or any(
                    t in text for t in group.get("texts", [])):
                opt["deprecated"], opt["replaced_by"] = None, None
    drop = delta.get("collations_drop")
    if drop:
        cat["collations"] = {k: v for k, v in cat["collations"].items() if not re.search(drop, k)}
    cat["collations"].update(delta.get("collations_add", {}))
    cat["collations"] = dict(sorted(cat["collations"].items()))
    cat["charsets"] = sorted(set(cat["charsets"]) - set(delta.get("charsets_drop", []))
                             | set(delta.get("charsets_add", [])))
    if "sysvars_not_options" in cat:
        cat["sysvars_not_options"] = sorted(
            set(cat["sysvars_not_options"]) - set(delta.get("sysvars_not_options_drop", [])))
    for prog, names in delta.get("clients_remove", {}).items():
        for name in names:
            cat["clients"][prog].pop(name, None)
    if "facts" in cat:  # the base server's build (version_source_revision, ...), not this one's
        cat["facts"] = {}
    cat["removed"] = removed_for(cat)
    return cat


# --------------------------------------------------------------------------- shared pieces


def skeleton(flavor: str, product: str, version: str) -> dict[str, Any]:
    """An empty catalogue with the schema's keys."""
    return {"flavor": flavor, "product": product, "version": version, "sources": [],
            "prefix_matching": product == "mariadb", "special_prefixes": [], "options": {},
            "removed": {}, "charsets": [], "collations": {}, "clients": {}}


def removed_for(cat: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The cited removed-options list of the product, minus what this flavor still accepts."""
    entries = load_toml(f"removed-{cat['product']}.toml")["removed"]
    out = {}
    for name, info in sorted(entries.items()):
        if name in cat["options"] or info.get("flavors") and cat["flavor"] not in info["flavors"]:
            continue
        out[name] = {"removed_in": info["removed_in"], "replaced_by": info.get("replaced_by")}
    return out


def dumps(cat: dict[str, Any]) -> str:
    """Deterministic JSON: sorted keys, one option per line."""
    lines = ["{"]
    keys = sorted(cat)
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        val = cat[key]
        if key in ("options", "removed", "collations"):
            lines.append(f" {json.dumps(key)}: {{")
            items = sorted(val.items())
            for j, (name, rec) in enumerate(items):
                sep = "," if j < len(items) - 1 else ""
                lines.append(f"  {json.dumps(name)}: {json.dumps(rec, sort_keys=True)}{sep}")
            lines.append(f" }}{comma}")
        elif key == "clients":
            lines.append(f" {json.dumps(key)}: {{")
            progs = sorted(val)
            for j, prog in enumerate(progs):
                lines.append(f"  {json.dumps(prog)}: {{")
                items = sorted(val[prog].items())
                for k, (name, rec) in enumerate(items):
                    sep = "," if k < len(items) - 1 else ""
                    lines.append(f"   {json.dumps(name)}: {json.dumps(rec, sort_keys=True)}{sep}")
                lines.append("  }" + ("," if j < len(progs) - 1 else ""))
            lines.append(f" }}{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(val, sort_keys=True)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- driver


def build(flavor: str, args: argparse.Namespace,
          cache: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Build one flavor's catalogue (bases are built once and cached)."""
    if flavor in cache:
        return cache[flavor]
    if flavor == "mariadb-10.11":
        binary = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
        if not Path(binary).exists():
            raise SystemExit("mariadbd not found: apt-get install mariadb-server-core")
        cat = build_mariadb(binary, args.discover_hidden)
    elif flavor == "mysql-8.0":
        cat = build_mysql80(args.mysql_help)
    else:
        product, _ = flavor.split("-", 1)
        base_flavor = "mariadb-10.11" if product == "mariadb" else "mysql-8.0"
        if args.base_from_file or base_flavor not in args.flavor:
            base = json.loads((OUT_DIR / f"{base_flavor}.json").read_text())
        else:
            base = copy.deepcopy(build(base_flavor, args, cache))
        cat = apply_delta(base, flavor)
        if product == "mysql":
            apply_facts(cat, flavor, base=False)
    cache[flavor] = cat
    return cat


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flavor", action="append", choices=FLAVORS,
                    help="flavor to generate (repeatable; default: all)")
    ap.add_argument("--check", action="store_true",
                    help="regenerate in memory; exit 1 if the committed files differ")
    ap.add_argument("--discover-hidden", action="store_true",
                    help="rescan the mariadbd binary for options --help does not print (minutes)")
    ap.add_argument("--mysql-help", type=Path, default=PEER_HELP,
                    help="MySQL 8.0 mysql-test/r/mysqld--help-notwin.result")
    ap.add_argument("--base-from-file", action="store_true",
                    help="derive delta flavors from the committed base JSON, not a rebuilt one")
    args = ap.parse_args(argv)
    args.flavor = args.flavor or FLAVORS
    cache: dict[str, dict[str, Any]] = {}
    status = 0
    for flavor in args.flavor:
        text = dumps(build(flavor, args, cache))
        path = OUT_DIR / f"{flavor}.json"
        if args.check:
            if not path.exists() or path.read_text() != text:
                print(f"{path.relative_to(ROOT)} is out of date", file=sys.stderr)
                status = 1
            else:
                print(f"{path.relative_to(ROOT)} is up to date")
        else:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)} ({len(cache[flavor]['options'])} options)")
    return status


if __name__ == "__main__":
    sys.exit(main())
