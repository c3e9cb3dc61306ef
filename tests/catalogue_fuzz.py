"""Option files made of random options of the catalogue with random values, for the
differential tests: every option type, prefix and suffix the reader must handle."""

from __future__ import annotations

import random

from mycnf_lint.reader import catalogue

# options whose effective value depends on this machine or whose start-up checks the reader
# does not model (locales, format strings, debug hooks); see the issue notes
NOT_MODELLED = {
    "ft_boolean_syntax", "date_format", "time_format",
    "datetime_format", "session_track_system_variables", "feedback_send_timeout",
    "myisam_recover_options", "innodb_use_atomic_writes", "max_session_mem_used",
    "thread_handling", "init_file", "character_sets_dir", "lc_messages_dir", "log_basename",
    "ssl_cipher", "tls_version", "event_scheduler", "wsrep_provider", "wsrep_on",
    "default_storage_engine", "default_tmp_storage_engine", "enforce_storage_engine",
    "bootstrap", "chroot", "user", "gdb", "core_file", "memlock", "large_pages",
    "plugin_load", "plugin_load_add", "skip_grant_tables", "flashback", "init_connect",
    "init_slave", "secure_file_priv", "innodb_ft_aux_table", "slave_skip_errors",
    "replica_skip_errors", "max_relay_log_size",
}
VALUES = ["0", "1", "-1", "10", "100", "1000", "65536", "1K", "16M", "2G", "3T", "ON", "OFF",
          "yes", "", "abc", "0.5", "1e3", "+7", "99999999999", "DEFAULT"]


def candidates() -> list[str]:
    cat = catalogue.load("mariadb-10.11")
    return [n for n in cat.server.names()
            if cat.server.options[n].type != "path" and n not in NOT_MODELLED
            and not n.startswith("debug") and not n.startswith("plugin_")]


def option_file(seed: int) -> str:
    cat = catalogue.load("mariadb-10.11")
    names = candidates()
    rnd = random.Random(seed)
    lines = ["[mysqld]"]
    for _ in range(rnd.randint(1, 4)):
        name = rnd.choice(names)
        opt = cat.server.options[name]
        value = rnd.choice(VALUES + list(opt.values or [])[:5])
        if opt.arg == "none" and rnd.random() < 0.7:
            lines.append(name.replace("_", "-"))
        else:
            lines.append(f"{name} = {value}")
    return "\n".join(lines) + "\n"


BAD_NUMBERS = ["10s", "abc", "-1", "1x", "1.5", "", "0x10", "5 MB"]


def range_file(seed: int) -> str:
    """`loose-` options with values the server cannot read (it logs an error and goes on),
    and values one past each end of an option's range (clamped with a warning, or refused
    when below 0 for an unsigned option)."""
    cat = catalogue.load("mariadb-10.11")
    rnd = random.Random(seed)
    names = candidates()
    numeric = [n for n in names if cat.server.options[n].is_numeric
               and cat.server.options[n].max is not None]
    enums = [n for n in names if cat.server.options[n].getopt in ("enum", "set")]
    lines = ["[mysqld]"]
    for _ in range(rnd.randint(1, 4)):
        kind = rnd.random()
        if kind < 0.35:
            name = rnd.choice(numeric)
            lines.append(f"loose-{name} = {rnd.choice(BAD_NUMBERS)}")
        elif kind < 0.45:
            lines.append(f"loose-{rnd.choice(enums)} = bogus{rnd.randint(0, 9)}")
        else:
            opt = cat.server.options[rnd.choice(numeric)]
            assert opt.max is not None
            lo = opt.min if opt.min is not None else 0
            value = rnd.choice([int(opt.max) + 1, int(lo) - 1])
            if opt.getopt == "double":
                value = rnd.choice([opt.max + 1, lo - 1])
            prefix = rnd.choice(["", "", "loose-"])
            lines.append(f"{prefix}{opt.name} = {value}")
    return "\n".join(lines) + "\n"
