"""What the server does with its options after reading them, before it starts: the checks
that stop it (character sets, collations, the folders it must resolve) and the values it
adjusts (sizes fitted to the open-file limit, lower_case_table_names on case-sensitive disks)."""

from __future__ import annotations

import os

from mycnf_lint.reader import charsets as cs_mod
from mycnf_lint.reader.catalogue import Catalogue
from mycnf_lint.reader.includes import Event
from mycnf_lint.reader.settings import Model, Setting

_CHARSET_VARS = ("character_set_server", "character_set_filesystem")


def _event(s: Setting, message: str) -> Event:
    return Event("startup-check", s.file, s.line, s.column, message, fatal=True)


_KNOWN: dict[str, tuple[frozenset[str], dict[str, str]]] = {}


def _known(cat: Catalogue) -> tuple[frozenset[str], dict[str, str]]:
    """The flavor's character sets and collation -> character set, by their own names (the
    catalogue's utf8 names are utf8mb3's)."""
    if cat.flavor not in _KNOWN:
        _KNOWN[cat.flavor] = (
            frozenset(cs_mod.charset(c) for c in cat.charsets),
            {cs_mod.collation(k): cs_mod.charset(v) for k, v in cat.collations.items()},
        )
    return _KNOWN[cat.flavor]


def check(model: Model) -> list[Event]:
    """Start-up checks on the server's effective values (only when the catalogue knows the
    character sets, collations or locales of the flavor)."""
    cat = model.catalogue
    out: list[Event] = []
    eff = model.effective
    charsets, collations = _known(cat)
    mb3 = cs_mod.model_utf8_is_utf8mb3(model)
    listed = 0  # the place in character_set_server's list of the set the server takes
    if charsets:
        for var in _CHARSET_VARS:
            s = eff.get(var)
            if s is None:
                continue
            if var == "character_set_server":
                found, listed = cs_mod.first_known(str(s.value), charsets, mb3)
            else:
                found = cs_mod.charset(str(s.value), mb3)
            if found not in charsets:
                out.append(_event(s, f"unknown character set {s.value!r} for {var}: the "
                                     "server refuses to start"))
    co = eff.get("collation_server")
    if collations and co is not None and listed <= 0:  # a later name in the list: ignored
        owner = collations.get(cs_mod.collation(str(co.value), mb3))
        cs_setting = eff.get("character_set_server")
        default = model.options.get("character_set_server")
        written = str(cs_setting.value) if cs_setting else str(
            default.default if default is not None and default.default else "latin1")
        charset = cs_mod.first_known(written, charsets, mb3)[0] or cs_mod.charset(written, mb3)
        if owner is None:
            out.append(_event(co, f"unknown collation {co.value!r} for collation_server in "
                                  f"{cat.flavor}: the server refuses to start"))
        elif charset in charsets and owner != charset:
            where = (f"character_set_server = {cs_setting.value} (line {cs_setting.line})"
                     if cs_setting else f"the default character set {charset}")
            out.append(_event(co, f"collation {co.value!r} belongs to {owner}, not to "
                                  f"{where}: the server refuses to start"))
    if cat.locales:
        for var in ("lc_messages", "lc_time_names"):
            s = eff.get(var)
            if s is not None and str(s.value).lower() not in cat.locales:
                out.append(_event(s, f"unknown locale {s.value!r} for {var} (names look like "
                                     "en_US or de_DE): the server refuses to start"))
    sfp = eff.get("secure_file_priv")
    if sfp is not None and sfp.value not in ("", None) and str(sfp.value).upper() != "NULL":
        path = str(sfp.value)
        if not os.path.isdir(path):
            out.append(_event(sfp, f"secure_file_priv folder {path!r} does not exist on this "
                                   "machine: the server cannot resolve it and refuses to start"))
    return out


def adjust(model: Model) -> None:
    """Apply the server's own start-up adjustments to the effective values."""
    if model.catalogue.is_mariadb:
        _autosize(model)
    _case_insensitive_names(model)
    port = model.effective.get("port")
    if port is not None and port.value == 0:  # 0 means the compiled-in port
        port.value = 3306
    relay = model.effective.get("max_relay_log_size")
    if relay is not None and relay.value == 0:  # 0 means "as large as a binary log"
        relay.value = model.value("max_binlog_size", 0)


def _case_insensitive_names(model: Model) -> None:
    """lower_case_table_names = 2 needs a case-insensitive data folder (Windows, macOS);
    elsewhere the server falls back to 0 with a warning."""
    import sys

    s = model.effective.get("lower_case_table_names")
    if s is None or s.value != 2 or sys.platform in ("win32", "darwin"):
        return
    s.value = 0
    model.events.append(Event(
        "value-adjusted", s.file, s.line, s.column,
        "lower_case_table_names = 2 needs a case-insensitive file system (Windows, macOS); on "
        "this one the server uses 0", variable=s.name))


def _autosize(model: Model) -> None:
    """Apply MariaDB's start-up sizing of connections and caches to the open-file limit."""
    from mycnf_lint.reader.autosize import startup_sizes

    sizing = startup_sizes(model)
    if sizing.divides_by_zero is not None:
        name = sizing.divides_by_zero
        s = model.effective.get(name)
        if s is not None:  # init_common_variables divides by both
            model.events.append(Event(
                "startup-check", s.file, s.line, s.column,
                f"{name} ends up 0: mariadbd divides by it while sizing its caches and dies "
                "(SIGFPE) before it starts", fatal=True, variable=name))
        return
    sized = sizing.values
    for name, value in sized.items():
        s = model.effective.get(name)
        if s is None or s.value == value:
            continue
        if name == "max_connections" and value < s.value:
            model.events.append(Event(
                "value-adjusted", s.file, s.line, s.column,
                f"max_connections = {s.value} is lowered to {value} at start-up on this "
                f"machine: its open-file limit ({sized['open_files_limit']}) cannot hold more "
                "connections and table caches; raise LimitNOFILE or lower max_connections",
                variable=name))
        s.value = value
