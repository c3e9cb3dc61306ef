"""Files -> the options one program will use: name resolution, prefixes, last one wins.

This is my_getopt's handle_options() applied to the lines of the groups a program reads: exact
names win, unique prefixes are accepted where the flavor allows them, `loose-`, `skip-`,
`disable-`, `enable-`, `maximum-` (and MariaDB's `autoset-`) stack, values are converted by
`values.convert`, and the last occurrence of each option wins.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from mycnf_lint.findings import NAME_LIMIT, Edit, shortened
from mycnf_lint.reader import groups as groups_mod
from mycnf_lint.reader.applied import Applied, applied
from mycnf_lint.reader.catalogue import Catalogue, Option, OptionSet, normalize, suggest
from mycnf_lint.reader.eventlog import Events
from mycnf_lint.reader.handler import loose_failure, special
from mycnf_lint.reader.includes import Event, ReadResult
from mycnf_lint.reader.optionfile import Kind, Line, OptionFile
from mycnf_lint.reader.settings import Model, Setting
from mycnf_lint.reader.values import (
    convert,
    convert_remembered,
    expand_sql_mode,
    merge_flags,
)

if TYPE_CHECKING:
    from typing import Any


def _event(rule: str, of: OptionFile, line: Line, message: str, fatal: bool = False,
           column: int | None = None, variable: str | None = None,
           edit: Edit | None = None) -> Event:
    return Event(rule, of.path, line.number, column or line.column, sys.intern(message), fatal,
                 variable if variable is not None else normalize(line.key) or None, edit)


def build(read: ReadResult, cat: Catalogue, program: str = "mysqld",
          adjust: bool = True) -> Model:
    """Apply every option line in the groups `program` reads, in file order; then, for the
    server, its start-up checks and (unless `adjust` is off, as for a running server's values,
    already adjusted) its start-up adjustments."""
    wanted = groups_mod.groups_for(program, cat)
    model = Model(program, cat.flavor, cat, read, wanted)
    if any(of.lines.on_demand for of in read.files):  # a huge file: packed settings, events
        model.settings = Applied(model.effective, model.maximums)
        model.events = Events()
    model.events.extend(read.events)
    wanted_set = set(wanted)
    options = model.options
    server = groups_mod.is_server(program)
    option = Kind.OPTION
    for of, index, piece, line in read.lines.in_groups(wanted_set):
        if line.kind is not option or line.group is None:
            continue
        if line.group.lower() not in wanted_set:
            continue
        _apply(model, options, of, index, piece, line, server)
    if server:
        from mycnf_lint.reader import startup

        model.events.extend(startup.check(model))
        if adjust:
            startup.adjust(model)
    return model


# Options of plugins (built in or loaded) are parsed after the server's own, option set by
# option set: an error there disables the plugin instead of stopping the server. A plugin is
# known by its enable option (`--innodb=ON|OFF|FORCE`); Aria is built in without one.
_PLUGIN_STATES = {"ON", "OFF", "FORCE", "FORCE_PLUS_PERMANENT"}
# setting any of these turns ssl on (mysqld_get_one_option), until a later `ssl = 0`
SSL_IMPLIES = {"ssl_ca", "ssl_capath", "ssl_cert", "ssl_cipher", "ssl_key", "ssl_crl",
               "ssl_crlpath"}
MANDATORY_PLUGINS = {"myisam"}  # its options failing to parse stops the server
_plugins: dict[str, tuple[str, ...]] = {}


def plugin_names(cat: Catalogue) -> tuple[str, ...]:
    """The plugins of a flavor, longest name first (so innodb_trx wins over innodb)."""
    if cat.flavor not in _plugins:
        found = {"aria"}
        for name, entry in cat.server.options.raw_items():
            values = set(entry.get("values") or ())
            if (values >= {"ON", "OFF", "FORCE"} and values <= _PLUGIN_STATES
                    and not entry.get("sysvar") and not name.startswith("plugin_")):
                found.add(name)
        _plugins[cat.flavor] = tuple(sorted(found, key=len, reverse=True))
    return _plugins[cat.flavor]


def plugin_of(name: str, cat: Catalogue) -> str | None:
    """The plugin whose options `name` belongs to (`plugin_` twins included), or None for the
    server's own options."""
    entry = cat.server.options.raw(name) or {}
    twin = name.startswith("plugin_") and bool(entry.get("alias_of"))
    bare = name[len("plugin_"):] if twin else name
    for plugin in plugin_names(cat):
        if bare == plugin or bare.startswith(plugin + "_"):
            return plugin
    return bare.split("_", 1)[0] if twin else None  # plugin_X names exist only for plugins


@dataclass(frozen=True, slots=True)
class _Name:
    """What a name written in a file resolves to for one program (the value aside)."""

    found: tuple[Option, ...]
    name: str  # the name left after the special prefixes
    loose: bool = False
    maximum: bool = False
    negate: str | None = None  # "skip"/"disable" or "enable": the prefix that sets the value
    plugin: str | None = None  # the plugin whose option it is (None: the server's own)
    hint: str = ""  # for an unknown name: "; did you mean ...", or where it belongs


def _resolve(options: OptionSet, key: str, cat: Catalogue,
             keep: Callable[[Option], bool]) -> _Name:
    """findopt() and the special-prefix loop of handle_options(), over the options `keep`
    selects (the server's own, or one plugin's)."""

    def find(name: str) -> tuple[Option, ...]:
        return tuple(o for o in options.matches(name, cat.prefix_matching) if keep(o))

    found = find(key)
    if found:
        return _Name(found, key)
    rest = normalize(key)
    loose = False
    restart = True
    while restart:
        restart = False
        for prefix in cat.special_prefixes:
            if not rest.startswith(prefix + "_"):
                continue
            rest = rest[len(prefix) + 1 :]
            if prefix == "loose":
                loose = True
            found = find(rest)
            if len(found) > 1:  # ambiguous after a special prefix: reported with the key
                return _Name(found, key, loose)
            if found:
                negate = prefix if prefix in ("skip", "disable", "enable") else None
                return _Name(found, rest, loose, prefix == "maximum", negate)
            restart = True
            break
    return _Name((), key, loose)


# name resolution per catalogue, program and name as written: a fleet of files repeats the
# same few hundred names, and resolving one (prefixes, plugins, "did you mean") costs far more
# than a dict lookup
_RESOLVED: dict[int, tuple[Catalogue, dict[tuple[str, str], _Name]]] = {}


def resolve(cat: Catalogue, program: str, options: OptionSet, key: str) -> _Name:
    """What `key` names for `program`: the server's own options first, then its plugins'."""
    memo = _RESOLVED.get(id(cat))
    if memo is None or memo[0] is not cat:
        memo = _RESOLVED[id(cat)] = (cat, {})
    got = memo[1].get((program, key))
    if got is None:
        got = memo[1][(program, key)] = _resolve_uncached(cat, program, options, key)
    return got


def _resolve_uncached(cat: Catalogue, program: str, options: OptionSet, key: str) -> _Name:
    server = groups_mod.is_server(program)
    res = _resolve(options, key, cat, lambda o: not server or plugin_of(o.name, cat) is None)
    if not res.found and server:
        res = _resolve(options, key, cat, lambda o: plugin_of(o.name, cat) is not None)
        if res.found:
            return _Name(res.found, res.name, res.loose, res.maximum, res.negate,
                          plugin_of(res.found[0].name, cat))
    if res.found:
        return res
    hint = suggest(key, options.names())
    did = f"; did you mean '{hint}'?" if hint else ""
    client_only = server and any(normalize(res.name) in c.options for c in cat.clients.values())
    if client_only:
        did = (f"; '{normalize(res.name)}' is a client option: it belongs under [client] "
               "or the client's own group")
    gone = cat.removed.get(normalize(res.name)) if server else None
    if gone:
        instead = gone.get("replaced_by")
        did = (f"; it was removed in {gone.get('removed_in', 'an earlier version')}"
               + (f", use {instead}" if instead else ""))
    return _Name((), res.name, res.loose, hint=did)


def _apply(model: Model, options: OptionSet, of: OptionFile, index: int, piece: int, line: Line,
           server: bool) -> None:
    """Apply one option line: `of.lines[index]`, or its piece `piece`."""
    cat = model.catalogue
    key = line.key
    text: str | None = line.value if line.has_value else None
    res = resolve(cat, model.program, options, key)
    plugin = res.plugin
    if not res.found:
        kind = "variable" if line.has_value else "option"
        did, name = res.hint, shortened(key, NAME_LIMIT)  # a name may be kilobytes long
        if res.loose:
            model.events.append(_event(
                "loose-unknown-option", of, line,
                f"unknown {kind} '{name}' for {model.program} ({cat.flavor}): the server skips "
                f"it because of 'loose-'{did}"))
        else:
            model.events.append(_event(
                "unknown-option", of, line,
                f"unknown {kind} '{name}' for {model.program} ({cat.flavor}): the server "
                f"refuses to start{did}", fatal=True))
        return
    if res.negate in ("skip", "disable"):
        text = "1" if text == "0" else "0"
    elif res.negate == "enable":
        text = "0" if text == "0" else "1"
    fatal = plugin is None or plugin in MANDATORY_PLUGINS
    consequence = ("the server refuses to start" if fatal
                   else f"the server disables the {plugin} plugin")
    if len(res.found) > 1:
        names = ", ".join(o.name for o in res.found[:4]) + (", ..." if len(res.found) > 4 else "")
        model.events.append(_event(
            "ambiguous-option", of, line,
            f"'{key}' is an ambiguous abbreviation of {names}: {consequence}", fatal=fatal))
        return
    opt = res.found[0]
    if normalize(res.name) != opt.name:
        model.events.append(_event(
            "abbreviated-option", of, line,
            f"'{key}' is an abbreviation of '{opt.name}': accepted with a warning, and it "
            "breaks when a new option shares the prefix", variable=opt.name,
            edit=Edit("rename", of.path, line.number, name=_spell_out(key, res.name, opt.name))))
    if res.maximum:
        _apply_maximum(model, of, (index, piece), line, opt, text)
        return
    if opt.arg == "none" and text is not None and opt.getopt != "bool":
        model.events.append(_event(
            "unexpected-argument", of, line,
            f"'{opt.name}' takes no value, but is given one: {consequence}", fatal=fatal))
        return
    if opt.arg == "required" and text is None:
        model.events.append(_event(
            "missing-argument", of, line,
            f"'{opt.name}' needs a value ('{opt.name} = ...'): {consequence}", fatal=fatal))
        return
    conv = convert_remembered(opt, text)
    if res.loose and conv.fatal:  # my_getopt logs the error and goes on; a number becomes 0
        loose_failure(opt, conv)
        fatal, consequence = False, "the server logs an error and goes on because of 'loose-'"
    if opt.getopt == "flagset" and not conv.fatal and isinstance(conv.value, str):
        conv.value = merge_flags(_current(model, opt), conv.value, str(opt.default or ""))
    if opt.name == "sql_mode" and isinstance(conv.value, str) and opt.values:
        conv.value = expand_sql_mode(conv.value, opt.values, cat.is_mariadb)
    if not conv.fatal and server:
        special(opt, text, conv)
    for p in conv.problems or ():
        col = line.value_column or line.column
        msg = f"{p.message}: {consequence}" if p.fatal else p.message
        edit = None
        if p.rule == "value-adjusted" and line.raw_value and conv.value is not None:
            edit = Edit("set-value", of.path, line.number, opt.name,
                        _written(opt, conv.value))
        model.events.append(_event(p.rule, of, line, msg, p.fatal and fatal, column=col,
                                   variable=opt.name, edit=edit))
    if conv.fatal and not fatal and opt.is_numeric:  # a plugin's number: setval() stored 0
        conv.value, conv.problems = (0.0 if opt.getopt == "double" else 0), None
    if conv.fatal or conv.keep_previous:
        return
    setting = Setting(opt.name, conv.value, line.raw_value if line.has_value else None,
                      of.path, line.number, line.column, line.group or "", key, opt, of, index,
                      piece)
    model.settings.append(setting)
    model.effective[opt.name] = setting
    alias = _alias_of(opt)
    if alias is not None and alias in options.options:
        model.effective[alias] = setting  # one variable under two names (table_cache)
    if opt.name in SSL_IMPLIES and server and "ssl" in options.options:
        ssl = model.effective["ssl"] = applied("ssl", True, options.options["ssl"], of, index,
                                               line, piece)
        ssl.raw = None


def _alias_of(opt: Option) -> str | None:
    """The variable a deprecated alias writes to ("Deprecated; use --table-open-cache")."""
    if not opt.replaced_by:
        return None
    note = (opt.deprecated or "").lower()
    if note.startswith("deprecated") and "use --" in note:
        return opt.replaced_by
    return None


def _current(model: Model, opt: Option) -> str:
    s = model.effective.get(opt.name)
    return str(s.value) if s is not None else str(opt.default or "")


def _written(opt: Option, value: Any) -> str:
    """A value as the file should write it: sizes with a suffix when exact."""
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    if isinstance(value, int) and opt.type == "size":
        for unit, size in (("G", 1024**3), ("M", 1024**2), ("K", 1024)):
            if value >= size and value % size == 0:
                return f"{value // size}{unit}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _spell_out(key: str, abbrev: str, full: str) -> str:
    """The written name with its abbreviation completed, keeping prefixes and `-`/`_` style."""
    sep = "-" if "-" in key and "_" not in key else "_"
    n = len(abbrev)
    head = key[: len(key) - n]
    return head + key[len(key) - n :] + full[n:].replace("_", sep)


def _apply_maximum(model: Model, of: OptionFile, at: tuple[int, int], line: Line, opt: Option,
                   text: str | None) -> None:
    if text is None:
        model.events.append(_event(
            "missing-argument", of, line, f"'maximum-{opt.name}' needs a value", fatal=True))
        return
    if not (opt.sysvar and opt.scope in ("session", "both")):
        model.events.append(_event(
            "invalid-value", of, line,
            f"the maximum of '{opt.name}' cannot be set: the server refuses it", fatal=True))
        return
    conv = convert(opt, text)
    for p in conv.problems or ():
        model.events.append(_event(p.rule, of, line, p.message, p.fatal))
    if conv.fatal:
        return
    model.maximums[opt.name] = applied(opt.name, conv.value, opt, of, at[0], line, at[1],
                                       maximum=True)


def source_of(setting: Setting, base: str | None = None, cwd: str | None = None) -> str:
    """`file:line` for a setting, the file relative to `base` when given (`cwd`: the working
    directory, when the caller knows it)."""
    path = _relative(setting.file, base, cwd or os.getcwd()) if base else setting.file
    return f"{path}:{setting.line}"


@lru_cache(maxsize=4096)
def _relative(path: str, base: str, cwd: str) -> str:
    """`path` relative to `base` when it lies below it (relpath reads the working directory,
    hence `cwd` in the key of this cache)."""
    try:
        rel = os.path.relpath(path, base)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel
