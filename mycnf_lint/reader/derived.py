"""The values MariaDB derives at start-up: from other options (thread_cache_size, back_log,
host_cache_size, binlog_expire_logs_seconds, collation_server, the paths under datadir and
basedir, the log names of log_basename), from variables that are one variable under two names
(slow_query_log = log_slow_query) or one bit of another (log_queries_not_using_indexes is the
not_using_index bit of log_slow_filter), and from the host (host name, CPUs, time zone).

The rules are sql/mysqld.cc's (init_common_variables, get_options, fix_paths,
mysqld_get_one_option) as mariadbd 10.11 applies them before `--help --verbose` prints its
table; each value says which rule made it and whether it depends on the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mycnf_lint.reader import host

if TYPE_CHECKING:
    from typing import Any

    from mycnf_lint.reader.settings import Model

DEFAULT_HOME = "/usr"  # DEFAULT_MYSQL_HOME of the Debian build; basedir's default is /usr/
PLUGINDIR = "/usr/lib/mysql/plugin"
SHAREDIR = "/usr/share/mysql"
HOST_CACHE_SIZE = 128
DEFAULT_PORT = 3306


@dataclass(frozen=True)
class Derived:
    """A value the server computes, the rule it follows, and whether it depends on the host."""

    value: Any
    rule: str
    host: bool = False


# --------------------------------------------------------------------------- paths (mysys)


def fn_ext_replaced(name: str, ext: str) -> str:
    """fn_format(..., MY_REPLACE_EXT) / strmov(fn_ext(name), ext): the extension of the last
    path component (from its last '.') replaced by `ext`."""
    head, sep, tail = name.rpartition("/")
    dot = tail.rfind(".")
    return head + sep + (tail[:dot] if dot >= 0 else tail) + ext


def dirname_form(path: str) -> str:
    """convert_dirname(): a folder name ends with '/'."""
    return path if path.endswith("/") or not path else path + "/"


def load_path(path: str, prefix: str | None, cwd: str) -> str:
    """my_load_path(): absolute and ~/ paths stay; ./ and ../ (or no prefix) are taken from
    the current folder; anything else is put under `prefix`."""
    if path.startswith("/") or path.startswith("~/"):
        return path
    if path.startswith("./"):
        return os.path.join(cwd, "") + path[2:]
    if path.startswith("..") or prefix is None:
        return os.path.join(cwd, "") + path
    return prefix + path


def real_path(path: str, cwd: str) -> str:
    """my_realpath(): symlinks resolved when the path exists, else my_load_path(path, NULL)."""
    full = path if path.startswith("/") else os.path.join(cwd, path)
    if os.path.exists(full):
        return os.path.realpath(full)
    return load_path(path, None, cwd)


def relative_to_home(path: str) -> str:
    """get_relative_path(): a compiled-in folder under DEFAULT_MYSQL_HOME, made relative."""
    if path.startswith(DEFAULT_HOME + "/"):
        return path[len(DEFAULT_HOME):].lstrip("/")
    return path


# --------------------------------------------------------------------------- the walk


@dataclass
class _Walk:
    """Variables whose final value depends on the order of the lines that set them."""

    values: dict[str, Any]
    explicit: set[str]


_LOG_NAMES = {  # what --log-basename=B sets, in mysqld_get_one_option(OPT_LOG_BASENAME)
    "general_log_file": ".log", "slow_query_log_file": "-slow.log", "log_bin": "-bin",
    "log_bin_index": "-bin.index", "relay_log": "-relay-bin",
    "relay_log_index": "-relay-bin.index",
}
# booleans that are one bit of a set: (set variable, bit, the boolean is the bit inverted)
_BITS = {
    "log_queries_not_using_indexes": ("log_slow_filter", "not_using_index", False),
    "log_slow_admin_statements": ("log_slow_disabled_statements", "admin", True),
    "log_slow_slave_statements": ("log_slow_disabled_statements", "slave", True),
}


def _same_as(model: Model) -> dict[str, str]:
    """name -> the variable it is another name of (from the catalogue's `same_as`)."""
    out = {}
    for name, entry in model.options.options.raw_items():
        target = entry.get("same_as")
        if target:
            out[name] = target
    return out


def _walk(model: Model, same: dict[str, str]) -> _Walk:
    w = _Walk({}, set())
    opts = model.options.options
    for s in model.settings:
        if s.maximum or s.name not in opts:
            continue
        name = same.get(s.name, s.name)
        w.explicit.add(name)
        w.values[name] = s.value
        if name == "log_basename" and isinstance(s.value, str) and s.value:
            for var, ext in _LOG_NAMES.items():
                w.values[var] = s.value + ext
            if "pid_file" not in w.explicit:
                w.values["pid_file"] = fn_ext_replaced(s.value, ".pid")
        elif name == "expire_logs_days" and isinstance(s.value, (int, float)):
            w.values["binlog_expire_logs_seconds"] = int(s.value * 86400)
        elif name == "binlog_expire_logs_seconds" and isinstance(s.value, int):
            w.values["expire_logs_days"] = s.value / 86400
        elif name == "ansi":  # --ansi: ANSI sql_mode and SERIALIZABLE isolation, set here
            from mycnf_lint.reader.values import expand_sql_mode

            if "sql_mode" in opts and opts["sql_mode"].values:
                w.values["sql_mode"] = expand_sql_mode("ANSI", opts["sql_mode"].values, True)
            w.values["transaction_isolation"] = "SERIALIZABLE"
        elif name == "wsrep_sync_wait" and isinstance(s.value, int):
            w.values["wsrep_causal_reads"] = bool(s.value & 1)
        elif name == "wsrep_causal_reads" and isinstance(s.value, bool):
            wait = w.values.get("wsrep_sync_wait", opts["wsrep_sync_wait"].default
                                if "wsrep_sync_wait" in opts else 0) or 0
            w.values["wsrep_sync_wait"] = wait | 1 if s.value else wait & ~1
        elif name in _BITS and isinstance(s.value, bool):
            var, bit, inverted = _BITS[name]
            current = w.values.get(var, opts[var].default if var in opts else "") or ""
            words = [x for x in str(current).split(",") if x and x != bit]
            if s.value != inverted:
                words.append(bit)
            order = list(opts[var].values or ()) if var in opts else []
            words.sort(key=lambda x: order.index(x) if x in order else len(order))
            w.values[var] = ",".join(words)
    return w


# --------------------------------------------------------------------------- the values


def server_values(model: Model, cwd: str) -> dict[str, Derived]:
    """Every value the server derives, for the options of `model` (MariaDB servers)."""
    from mycnf_lint.reader.autosize import startup_sizes

    opts = model.options.options
    same = _same_as(model)
    walk = _walk(model, same)
    out: dict[str, Derived] = {}

    def given(name: str) -> Any:
        return walk.values.get(same.get(name, name))

    def final(name: str, default: Any = None) -> Any:
        if name in out:
            return out[name].value
        if name in walk.values:
            return walk.values[name]
        return opts[name].default if name in opts else default

    applied = {id(x) for x in model.settings}
    synthetic = {n for n, st in model.effective.items()  # set by another option (ssl by ssl_key)
                 if id(st) not in applied}
    for name in walk.values:
        if name in opts and name not in ("log_bin",) and name not in synthetic:
            out[name] = Derived(walk.values[name], "as set")
    for name, target in same.items():
        if target in walk.values:
            out[name] = Derived(walk.values[target], f"another name of {target}")
        elif target in opts:
            out[name] = Derived(opts[target].default, f"another name of {target}")
    for name, (var, bit, inverted) in _BITS.items():
        if var in walk.values and name in opts:
            on = bit in str(walk.values[var]).split(",")
            out[name] = Derived(on != inverted, f"the {bit} bit of {var}")

    # names from the host name and --log-basename
    hostname = host.hostname()
    from_host = "log_basename" not in walk.explicit
    allowed = bool(hostname) and "/" not in hostname and "\\" not in hostname
    basename = given("log_basename") or (hostname if allowed else "mysql")
    out["log_basename"] = Derived(basename, "the host name" if from_host else "as set",
                                  from_host)
    for var, ext in (("general_log_file", ".log"), ("slow_query_log_file", "-slow.log")):
        if not given(var):
            out[var] = Derived(fn_ext_replaced(basename, ext), f"log_basename + '{ext}'",
                               from_host)
    out["log_slow_query_file"] = out["slow_query_log_file"]
    if "wsrep_node_name" in opts and not given("wsrep_node_name"):
        out["wsrep_node_name"] = Derived(hostname, "the host name", True)

    # folders: fix_paths()
    home = str(final("basedir", DEFAULT_HOME + "/"))
    if "basedir" in walk.explicit:  # printed as written, used resolved
        home = dirname_form(real_path(dirname_form(home), cwd))
    datadir = str(final("datadir", "/var/lib/mysql/"))
    datadir = load_path(dirname_form(datadir), home, cwd)
    out["datadir"] = Derived(datadir, "datadir under basedir, ending in /")
    pid = str(given("pid_file") or fn_ext_replaced(basename, ".pid"))
    out["pid_file"] = Derived(load_path(pid, datadir, cwd), "pid_file under datadir",
                              from_host and "pid_file" not in walk.values)
    plugin = given("plugin_dir") or relative_to_home(PLUGINDIR)
    out["plugin_dir"] = Derived(load_path(dirname_form(str(plugin)), home, cwd),
                                "plugin_dir under basedir")
    share = dirname_form(load_path(relative_to_home(SHAREDIR), home, cwd))
    charsets = given("character_sets_dir")
    out["character_sets_dir"] = Derived(
        dirname_form(load_path(str(charsets), share, cwd)) if charsets else share + "charsets/",
        "character_sets_dir under basedir's share/mysql")
    for var in ("aria_log_dir_path", "wsrep_data_home_dir"):
        if var in opts and not given(var):
            out[var] = Derived(datadir, "datadir")
    tmpdir = given("tmpdir") or os.environ.get("TMPDIR") or opts["tmpdir"].default
    if "slave_load_tmpdir" in opts and not given("slave_load_tmpdir"):
        out["slave_load_tmpdir"] = Derived(str(tmpdir).split(":")[0], "the first tmpdir")

    # binary log name: the pid file's name with -bin (MYSQL_BIN_LOG::generate_name)
    log_bin = model.effective.get("log_bin")
    if log_bin is not None and log_bin.value not in (False, "0"):
        written = log_bin.value if isinstance(log_bin.value, str) else ""
        name = fn_ext_replaced(written, "") if written else (
            walk.values.get("log_bin") or fn_ext_replaced(
                os.path.basename(out["pid_file"].value), "") + "-bin")
        out["log_bin"] = Derived(name, "log_bin, else the pid file's name + '-bin'",
                                 from_host)
    elif "log_bin" in walk.values:
        out["log_bin"] = Derived(walk.values["log_bin"], "log_basename + '-bin'")

    # sizes: get_options() caps thread_cache_size, init_common_variables() sets the thread
    # pool's size and fits the connections and caches to the open-file limit (autosize.py),
    # then host_cache_size and back_log
    sizing = startup_sizes(model)
    if "thread_pool_size" in opts and sizing.pool_from_cpus:
        out["thread_pool_size"] = Derived(sizing.thread_pool_size, "the CPU count", True)
    for name, value in sizing.values.items():
        out[name] = Derived(value, "fitted to the open-file limit", True)
    mc = final("max_connections")
    if isinstance(mc, int):
        if "host_cache_size" in opts and given("host_cache_size") is None:
            out["host_cache_size"] = Derived(
                HOST_CACHE_SIZE + min(mc, 500) + max(mc - 500, 0) // 20,
                "128 + max_connections up to 500 + 1 per 20 above", True)
        if "back_log" in opts and not given("back_log"):
            out["back_log"] = Derived(min(900, 50 + mc // 5), "50 + max_connections / 5",
                                      True)
    if "table_cache" in opts:
        out["table_cache"] = Derived(final("table_open_cache"), "table_open_cache")
    if final("skip_networking"):
        out["port"] = Derived(0, "0 without networking")
    else:
        out["port"] = Derived(model.written("port", 0) or DEFAULT_PORT, "0 means 3306")
    sfp = given("secure_file_priv")
    if sfp == "":
        out["secure_file_priv"] = Derived(None, "empty means no restriction")
    elif isinstance(sfp, str) and os.path.isdir(sfp):
        out["secure_file_priv"] = Derived(dirname_form(os.path.realpath(sfp)),
                                          "secure_file_priv as a real folder name", True)
    relay = final("max_relay_log_size")
    if not given("max_relay_log_size") and "max_binlog_size" in opts:
        out["max_relay_log_size"] = Derived(final("max_binlog_size"), "max_binlog_size")
    elif relay == 0:
        out["max_relay_log_size"] = Derived(final("max_binlog_size"), "0 means max_binlog_size")
    if "query_cache_type" in opts and str(final("query_cache_type")).upper() in ("OFF", "0"):
        size = given("query_cache_size")  # a size written in the file turns an OFF cache ON,
        if isinstance(size, int) and size > 0:  # an OFF written too (a booted 10.11 says ON)
            out["query_cache_type"] = Derived("ON", "ON when query_cache_size is set")
    _character_sets(model, walk, out)
    _performance_schema(model, out, final)
    _version(model, walk, out, final)
    _facts(model, walk, out)
    return out


# storage/perfschema/pfs_autosize.cc: (history, history_long) per event kind, digests, and
# session attributes, for a "medium" and a "large" server
_PFS_HISTORY = ("events_waits", "events_stages", "events_statements", "events_transactions")
_PFS_SIZES = {"medium": (10, 1000, 5000, 512), "large": (10, 10000, 10000, 512)}


def _performance_schema(model: Model, out: dict[str, Derived], final: Any) -> None:
    """pfs_automated_sizing(): with the performance schema on, the history, digest and
    connect-attribute sizes left at -1 follow the server's size. Of estimate_hints()'s three
    hints only max_connections is read when it runs (measured on mariadbd 10.11: the table
    caches never change the choice, and "small" is never chosen): above 2 x 151 the server
    is "large", else "medium"."""
    if not final("performance_schema"):
        return
    mc = model.written("max_connections", final("max_connections"))
    history, long_, digests, attrs = _PFS_SIZES["large" if isinstance(mc, int) and mc > 302
                                                 else "medium"]
    sizes = {"performance_schema_digests_size": digests,
             "performance_schema_session_connect_attrs_size": attrs}
    for kind in _PFS_HISTORY:
        sizes[f"performance_schema_{kind}_history_size"] = history
        sizes[f"performance_schema_{kind}_history_long_size"] = long_
    rule = "performance schema sizing for max_connections (<= 302 medium, else large)"
    for name, value in sizes.items():
        current = final(name)
        if name in model.options.options and isinstance(current, int) and current < 0:
            out[name] = Derived(value, rule)


def _character_sets(model: Model, walk: _Walk, out: dict[str, Derived]) -> None:
    """character_set_server: the first of its list the server knows; collation_server: that
    set's default collation unless set (and ignored when a later name of the list is taken)."""
    from mycnf_lint.reader import charsets

    if "character_set_server" not in walk.values:
        return
    written = str(walk.values["character_set_server"])
    table = model.catalogue.default_collations or {}
    found, place = charsets.first_known(written, table, charsets.model_utf8_is_utf8mb3(model))
    if found is None:
        return
    if "," in written:  # the server cuts the list at the name it takes
        out["character_set_server"] = Derived(written.split(",")[place],
                                              "the first known of the list")
    if "collation_server" not in walk.values or place > 0:
        out["collation_server"] = Derived(table[found], "the default collation of "
                                          "character_set_server")


def _version(model: Model, walk: _Walk, out: dict[str, Derived], final: Any) -> None:
    """set_server_version(): -log when a log is on (general, slow or binary)."""
    if "version" in walk.values and isinstance(walk.values["version"], str):
        return
    base = model.options.options["version"].default if "version" in model.options.options \
        else None
    if not isinstance(base, str):
        return
    logging = bool(final("general_log")) or bool(final("slow_query_log")) or (
        "log_bin" in out and model.effective.get("log_bin") is not None)
    out["version"] = Derived(base + ("-log" if logging else ""), "-log when a log is on")


def _facts(model: Model, walk: _Walk, out: dict[str, Derived]) -> None:
    """Rows of the server's table that no option sets: the build's, and the host's."""
    import sys

    for name, value in (model.catalogue.facts or {}).items():
        out[name] = Derived(value, "a fact of the server build")
    port = model.written("port", 0)
    uid = host.server_uid(port if isinstance(port, int) else 0)
    out["server_uid"] = Derived(uid, "SHA-1 of the port and the hardware address", True)
    out["system_time_zone"] = Derived(host.time_zone(), "the host's time zone", True)
    out["lower_case_file_system"] = Derived(sys.platform in ("win32", "darwin"),
                                            "whether datadir's file system ignores case", True)
