"""Rule checks that need code rather than a condition: they look at lines, not just values.

Each check is a generator registered under the name a rule's `check` key gives; it yields
findings for that rule. Messages never quote the value of a secret option.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from mycnf_lint.findings import NAME_LIMIT, Edit, Finding, shortened
from mycnf_lint.lint.ruleset import Rule
from mycnf_lint.profiles import human_size
from mycnf_lint.reader.applied import Applied, Setting
from mycnf_lint.reader.catalogue import Option, normalize
from mycnf_lint.reader.groups import canonical_program, groups_for
from mycnf_lint.reader.lineparse import plain_option
from mycnf_lint.reader.optionfile import Kind, Line, OptionFile
from mycnf_lint.secrets import is_secret

if TYPE_CHECKING:
    from mycnf_lint.lint.context import Context

Check = Callable[[Rule, "Context"], Iterator[Finding]]
CHECKS: dict[str, Check] = {}

# options that accumulate instead of replacing: repeating them is not a mistake
MULTI_VALUE = {
    "replicate_do_db", "replicate_ignore_db", "replicate_do_table", "replicate_ignore_table",
    "replicate_wild_do_table", "replicate_wild_ignore_table", "replicate_rewrite_db",
    "binlog_do_db", "binlog_ignore_db", "plugin_load_add", "optimizer_switch",
    "log_slow_filter", "plugin_maturity",
}
CLIENT_PROGRAMS = ("mysql", "mysqldump", "mysqladmin")
_NUM_UNIT = re.compile(r"^\s*(['\"]?)\s*(\d+)\s*([kmgtpeshd])[a-z]*\s*\1\s*$", re.I)
_MULT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DRIVE = re.compile(r"^['\"]?[A-Za-z]:\\")
_ESCAPE = re.compile(r"\\([ntrbs])")
_SEMICOLON = re.compile(r"[ \t];")


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def run(rule: Rule, ctx: Context) -> Iterator[Finding]:
    fn = CHECKS.get(rule.data["check"])
    if fn is None:
        raise KeyError(f"{rule.source}: rule {rule.id} names an unknown check "
                       f"{rule.data['check']!r}")
    return fn(rule, ctx)


def finding(rule: Rule, of: OptionFile | str, line: Line | int, message: str,
            variable: str | None = None, edit: Edit | None = None, column: int | None = None,
            severity: str | None = None) -> Finding:
    """The finding of `rule` (its id, name and severity, unless `severity` overrides it) at a
    line of a file; line 0 (column 0) is the file or server `of` names as a whole."""
    path = of if isinstance(of, str) else of.path
    number = line if isinstance(line, int) else line.number
    col = column or ((1 if line else 0) if isinstance(line, int) else line.column)
    return Finding(rule.id, rule.name, severity or rule.severity, path, number, col, variable,
                   message, False, rule.fixable if edit else None, edit)


def _server_lines(ctx: Context) -> list[tuple[OptionFile, Line, str, Option]]:
    """Option lines in groups the server reads that give a value to a duration or an empty
    value to a known option, with the option each names (loose- removed): what the two checks
    below look at, worked out once for both (a huge file's other lines are not held)."""
    found = ctx.memo.get("server_lines")
    if found is None:
        found = ctx.memo["server_lines"] = []
        wanted = set(ctx.server.groups)
        durations = {name for name, entry in ctx.cat.server.options.raw_items()
                     if entry.get("type") == "duration"}

        def worth(raw: bytes) -> bool:  # a line of the common shape says what it sets
            got = plain_option(raw)
            return got is None or got[1] is not None and _bare(got[0]) in durations

        for of, _, _, line in ctx.read.lines.in_groups(wanted, worth):
            if line.kind is Kind.OPTION and line.group and line.group.lower() in wanted and (
                    line.has_value):
                name = _bare(line.key)
                opt = ctx.cat.server.get(name)
                if opt is not None and (opt.type == "duration" or line.raw_value == ""):
                    found.append((of, line, name, opt))
    return found


def _bare(key: str) -> str:
    """An option name as written, normalized and without `loose-`."""
    name = normalize(key)
    return name[6:] if name.startswith("loose_") else name


@check("size-suffix-on-duration")
def size_suffix_on_duration(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for of, line, name, opt in _server_lines(ctx):
        if opt.type != "duration":
            continue
        m = _NUM_UNIT.match(line.raw_value)
        if not m:
            continue
        n, unit = int(m.group(2)), m.group(3).lower()
        meant: int | None
        if unit in "shd":
            meant = n * _MULT[unit]
            msg = (f"{name} = {line.raw_value}: the server takes no time units and refuses "
                   f"'{unit}'; write the seconds: {name} = {meant}")
        else:
            shift = {"k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60}[unit]
            got = n << shift
            meant = n * 60 if unit == "m" else None
            msg = (f"{name} = {line.raw_value} is {got:,} seconds, not {n} "
                   f"{'minutes' if unit == 'm' else unit.upper()}: "
                   f"'{m.group(3)}' is a size suffix (x{1 << shift:,})")
            if meant is not None:
                msg += f"; for {n} minutes write {name} = {meant}"
        edit = Edit("set-value", of.path, line.number, name, str(meant)) if meant else None
        yield finding(rule, of, line, msg, name, edit, line.value_column)


@check("empty-value")
def empty_value(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for of, line, name, opt in _server_lines(ctx):
        if line.raw_value != "" or not opt.is_numeric:
            continue
        if opt.default == 0:  # empty is 0, which is what the option defaults to anyway
            continue
        got = ctx.server.effective.get(name)
        now = f"{got.value}" if got is not None and got.line == line.number else "0"
        default = opt.default
        rec = (human_size(default) if opt.type == "size" and isinstance(default, int)
               else str(default))
        why = " (its minimum)" if opt.min is not None and now == str(opt.min) else ""
        msg = (f"{name} has an empty value: the server reads it as 0 and uses {now}{why}, "
               f"not the default {default}; write a value, e.g. {name} = {rec}")
        edit = Edit("set-value", of.path, line.number, name, rec) if default is not None else None
        yield finding(rule, of, line, msg, name, edit)


@check("hash-in-value")
def hash_in_value(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for of, _, _, line in ctx.read.lines.options_containing(b"#"):
        if line.kind is not Kind.OPTION or line.comment is None or not line.has_value:
            continue
        text = line.raw.decode("utf-8", "surrogateescape")
        cut = text.find(line.comment)
        if cut <= 0 or text[cut - 1] in " \t" or line.raw_value == "":
            continue
        name = normalize(line.key)
        secret = is_secret(name)
        what = "the secret" if secret else "the value"
        msg = (f"'#' right after {what} of {name} starts a comment: the server cuts "
               f"{what} there and silently drops the rest")
        if not secret:
            msg += f" (it reads {line.value!r})"
        msg += "; quote the whole value if '#' belongs to it"
        whole = line.raw_value + line.comment
        edit = Edit("quote-value", of.path, line.number, name,
                    '"' + whole.replace('"', '\\"') + '"')
        yield finding(rule, of, line, msg, name, edit, column=text.find(line.comment) + 1)


@check("duplicate-option")
def duplicate_option(rule: Rule, ctx: Context) -> Iterator[Finding]:
    last = ctx.server.effective
    said: dict[str, str] = {}  # one message a winner: a file may set a name a million times
    for s in ctx.server.settings:
        if s.name in MULTI_VALUE:
            continue
        winner = last.get(s.name)
        if winner is None or winner is s:
            continue
        message = said.get(s.name)
        if message is None:
            where = os.path.relpath(winner.file) if os.path.isabs(winner.file) else winner.file
            message = said[s.name] = (f"{s.name} is set again at {where}:{winner.line}, which "
                                      "wins: this line has no effect")
        yield finding(rule, s.file, s.line, message, s.name,
                      Edit("delete-line", s.file, s.line, s.name), column=s.column)


@check("client-group-unknown-option")
def client_group_unknown_option(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Options in client-only groups that a client reading the group does not know."""
    server_groups = set(ctx.server.groups)
    refused: dict[tuple[str, int], list[str]] = {}
    readers: dict[str, list[str]] = {}
    for program in CLIENT_PROGRAMS:
        opts = ctx.cat.clients.get(program)
        # only where the catalogue lists every client option (read from the real programs)
        if opts is None or not ctx.cat.is_mariadb:
            continue
        for g in groups_for(program, ctx.cat):
            readers.setdefault(g, []).append(program)
        for e in ctx.client(program).events:
            programs = refused.setdefault((e.file, e.line), [])
            if e.rule == "unknown-option" and program not in programs:
                programs.append(program)
    for (path, number), programs in sorted(refused.items()):
        if not programs:
            continue
        found = ctx.read.line(path, number)
        line = found[1] if found is not None else None
        if line is None or (line.group or "").lower() in server_groups:
            continue
        name = normalize(line.key)
        group = (line.group or "").lower()
        everyone = set(programs) >= set(readers.get(group, programs))
        who = ", ".join(canonical_program(p) for p in programs)
        said = shortened(name, NAME_LIMIT)  # an unknown name may be kilobytes long
        if everyone and ctx.cat.server.get(name) is not None:
            msg = (f"{said} is a server variable, but [{line.group}] is read by clients only: "
                   f"the server never sees it and {who} refuse to start ('unknown variable'); "
                   "move it under [mysqld]")
        elif everyone:
            msg = (f"no client reading [{line.group}] knows {said}: {who} refuse to start "
                   "('unknown variable'); fix the name or delete the line")
        else:
            msg = (f"{said} in [{line.group}] is unknown to {who}, which reads the group too "
                   f"and refuses to start ('unknown variable'); write "
                   f"loose-{shortened(line.key.strip(), NAME_LIMIT)} "
                   "or move it to the groups of the programs that use it")
        yield finding(rule, path, number, msg, name, column=line.column)


@check("windows-path-escape")
def windows_path_escape(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for of, _, _, line in ctx.read.lines.options_containing(b"\\"):
        if line.kind is not Kind.OPTION or not line.has_value:
            continue
        raw = line.raw_value
        if not _DRIVE.match(raw) or "\\\\" in raw:
            continue
        escapes = _ESCAPE.findall(raw)
        name = normalize(line.key)
        if not escapes or is_secret(name):
            continue
        shown = ", ".join(sorted({"\\" + e for e in escapes}))
        fixed = raw.replace("\\", "/")
        yield finding(rule, of, line,
                      f"{name} = {raw} holds the escape {shown}: the server reads a newline, tab "
                      f"or space there, not a folder separator; write {fixed}", name,
                      Edit("set-value", of.path, line.number, name, fixed), line.value_column)


@check("semicolon-comment")
def semicolon_comment(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for of, _, _, line in ctx.read.lines.options_containing(b";"):
        if line.kind is not Kind.OPTION or not line.has_value:
            continue
        m = _SEMICOLON.search(line.raw_value)
        if not m or line.raw_value[:1] in "'\"":
            continue
        name = normalize(line.key)
        opt = ctx.cat.server.get(name)
        effect = ("the server refuses the number"
                  if opt is not None and opt.is_numeric else "it becomes part of the value")
        yield finding(rule, of, line,
                      f"';' after the value of {name} is not a comment (only '#' is, or ';' at "
                      f"the start of a line): {effect}; write '#' instead", name,
                      Edit("semicolon-comment", of.path, line.number, name),
                      line.value_column + m.start() + 1)


@check("client-packet-below-server")
def client_packet_below_server(rule: Rule, ctx: Context) -> Iterator[Finding]:
    server_value = ctx.server.value("max_allowed_packet")
    if not isinstance(server_value, int):
        return
    src = ctx.server.effective.get("max_allowed_packet")
    server_where = f"line {src.line}" if src is not None else "the default"
    seen: set[tuple[str, int]] = set()
    server_groups = set(ctx.server.groups)
    readers = [(program, set(groups_for(program, ctx.cat))) for program in CLIENT_PROGRAMS]
    anyone = set[str]().union(*(wanted for _, wanted in readers)) - server_groups
    lines: list[tuple[OptionFile, Line]] = []  # the client lines that set it, read once
    for of, _, _, line in ctx.read.lines.in_groups(anyone):
        if line.kind is not Kind.OPTION or not line.group or line.group.lower() not in anyone:
            continue
        name = normalize(line.key)
        if name.startswith("loose_"):
            name = name[6:]
        if name == "max_allowed_packet":
            lines.append((of, line))
    for program, wanted in readers:
        for of, line in lines:
            if line.group is None or line.group.lower() not in wanted or (
                    (of.path, line.number) in seen):
                continue
            from mycnf_lint.reader.values import convert

            opt = ctx.cat.server.get("max_allowed_packet")
            if opt is None:
                continue
            value = convert(opt, line.value).value
            if not isinstance(value, int) or value >= server_value:
                continue
            seen.add((of.path, line.number))
            yield finding(
                rule, of, line,
                f"[{line.group}] max_allowed_packet is {human_size(value)}, below the server's "
                f"{human_size(server_value)} ({server_where}): {canonical_program(program)} "
                "fails on rows the server accepts (dumps and restores of big rows break with "
                f"'Got packet bigger than max_allowed_packet'); set it to "
                f"{human_size(server_value)}",
                "max_allowed_packet",
                Edit("set-value", of.path, line.number, line.key, human_size(server_value),
                     inputs=("max_allowed_packet",)),
                line.value_column)


@check("no-error-log")
def no_error_log(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if "log_error" in ctx.server.effective or not ctx.has_server_group():
        return
    file, line, col = ctx.anchor("log_error")
    yield finding(rule, file, line,
                  "log_error is not set: the server logs to stderr or a default file that "
                  "nobody finds at 3 a.m., and crashes, aborted connections and 'packet too "
                  "large' messages go unseen; set log_error to a file",
                  "log_error", column=col)


@check("deprecated-option")
def deprecated_option(rule: Rule, ctx: Context) -> Iterator[Finding]:
    settings: Iterable[Setting] = ctx.server.settings
    if isinstance(settings, Applied):  # a huge file: only the deprecated ones made again
        settings = settings.of_options(lambda opt: bool(opt.deprecated))
    for s in settings:
        note = (s.option.deprecated or "").strip().rstrip(".")
        if not note:
            continue
        edit = None
        if note.lower().startswith("was removed"):
            msg = (f"{s.name} was removed from {ctx.cat.flavor}: the server still accepts the "
                   "name for old files but ignores the value; delete the line")
            edit = Edit("delete-line", s.file, s.line, s.name)
        else:
            msg = f"{s.name} is deprecated in {ctx.cat.flavor} ({note[0].lower()}{note[1:]})"
            rep = s.option.replaced_by
            if rep and rep not in note and rep.replace("_", "-") not in note:
                msg += f"; use {rep}"
            msg += ": a later upgrade will refuse it"
            if rep and ctx.cat.server.get(rep) is not None and normalize(s.key) == s.name:
                from mycnf_lint.lint.upgrade import renamed

                found = renamed(s.source, s.name, rep, ctx.cat)
                edit = replace(found, file=s.file) if found is not None else None
        yield finding(rule, s.file, s.line, msg, s.name, edit, column=s.column)
