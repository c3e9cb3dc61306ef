"""Files -> the options one program will use: name resolution, prefixes, last one wins.

This is my_getopt's handle_options() applied to the lines of the groups a program reads: exact
names win, unique prefixes are accepted where the flavor allows them, `loose-`, `skip-`,
`disable-`, `enable-`, `maximum-` (and MariaDB's `autoset-`) stack, values are converted by
`values.convert`, and the last occurrence of each option wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import groups as groups_mod
from .catalogue import Catalogue, Option, OptionSet, normalize, suggest
from .includes import Event, ReadResult
from .optionfile import Kind, Line, OptionFile
from .values import convert


@dataclass(slots=True)
class Setting:
    """One option line that the program applies."""

    name: str  # the option's full name: lower case, underscores
    value: Any  # the typed value after conversion (None when the line was rejected)
    raw: str | None  # the value as written, None for a bare option
    file: str
    line: int
    column: int
    group: str
    key: str  # the name as written, prefixes included
    option: Option
    source: Line
    maximum: bool = False  # `maximum-X`: sets X's session ceiling, not X


@dataclass
class Model:
    """What one program makes of a set of option files."""

    program: str
    flavor: str
    catalogue: Catalogue
    read: ReadResult
    groups: list[str]
    settings: list[Setting] = field(default_factory=list)
    effective: dict[str, Setting] = field(default_factory=dict)
    maximums: dict[str, Setting] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        return any(e.fatal for e in self.events)

    @property
    def files(self) -> list[str]:
        return [f.path for f in self.read.files]

    def value(self, name: str, default: Any = None) -> Any:
        """The effective value of `name`, else the catalogue's default, else `default`."""
        s = self.effective.get(name)
        if s is not None:
            return s.value
        opt = self.options.get(name)
        if opt is not None and opt.default is not None:
            return opt.default
        return default

    @property
    def options(self) -> OptionSet:
        if groups_mod.is_server(self.program):
            return self.catalogue.server
        return self.catalogue.client_options(groups_mod.canonical_program(self.program))


def _event(rule: str, of: OptionFile, line: Line, message: str, fatal: bool = False,
           column: int | None = None) -> Event:
    return Event(rule, of.path, line.number, column or line.column, message, fatal)


def build(read: ReadResult, cat: Catalogue, program: str = "mysqld") -> Model:
    """Apply every option line in the groups `program` reads, in file order."""
    wanted = groups_mod.groups_for(program, cat)
    model = Model(program, cat.flavor, cat, read, wanted)
    model.events.extend(read.events)
    wanted_set = set(wanted)
    options = model.options
    for of, line in read.lines:
        if line.kind is not Kind.OPTION or line.group is None:
            continue
        if line.group.lower() not in wanted_set:
            continue
        _apply(model, options, of, line)
    return model


def _apply(model: Model, options: OptionSet, of: OptionFile, line: Line) -> None:
    cat = model.catalogue
    key = line.key
    text: str | None = line.value if line.has_value else None
    found = options.matches(key, cat.prefix_matching)
    loose = maximum = False
    name = key
    if not found:
        rest = normalize(key)
        restart = True
        while restart and not found:
            restart = False
            for prefix in cat.special_prefixes:
                if rest.startswith(prefix + "_"):
                    rest = rest[len(prefix) + 1 :]
                    if prefix == "loose":
                        loose = True
                    found = options.matches(rest, cat.prefix_matching)
                    if len(found) > 1:
                        model.events.append(_event(
                            "ambiguous-option", of, line,
                            f"'{key}' is ambiguous: it could mean "
                            f"{', '.join(o.name for o in found[:4])}; the server refuses it",
                            fatal=True))
                        return
                    if found:
                        if prefix in ("skip", "disable"):
                            text = "1" if text == "0" else "0"
                        elif prefix == "enable":
                            text = "0" if text == "0" else "1"
                        elif prefix == "maximum":
                            maximum = True
                        name = rest
                        break
                    restart = True
                    break
    if not found:
        kind = "variable" if line.has_value else "option"
        hint = suggest(key, options.names())
        did = f"; did you mean '{hint}'?" if hint else ""
        if loose:
            model.events.append(_event(
                "loose-unknown-option", of, line,
                f"unknown {kind} '{key}' for {model.program} ({cat.flavor}): the server skips "
                f"it because of 'loose-'{did}"))
        else:
            model.events.append(_event(
                "unknown-option", of, line,
                f"unknown {kind} '{key}' for {model.program} ({cat.flavor}): the server "
                f"refuses to start{did}", fatal=True))
        return
    if len(found) > 1:
        model.events.append(_event(
            "ambiguous-option", of, line,
            f"'{key}' is an ambiguous abbreviation of "
            f"{', '.join(o.name for o in found[:4])}{', ...' if len(found) > 4 else ''}: "
            "the server refuses it", fatal=True))
        return
    opt = found[0]
    if normalize(name) != opt.name:
        model.events.append(_event(
            "abbreviated-option", of, line,
            f"'{key}' is an abbreviation of '{opt.name}': accepted with a warning, and it "
            "breaks when a new option shares the prefix"))
    if maximum:
        _apply_maximum(model, of, line, opt, text)
        return
    if opt.arg == "none" and text is not None and opt.getopt != "bool":
        model.events.append(_event(
            "unexpected-argument", of, line,
            f"'{opt.name}' takes no value, but is given one: the server refuses it", fatal=True))
        return
    if opt.arg == "required" and text is None:
        model.events.append(_event(
            "missing-argument", of, line,
            f"'{opt.name}' needs a value ('{opt.name} = ...'): the server refuses a bare name",
            fatal=True))
        return
    conv = convert(opt, text)
    for p in conv.problems or ():
        col = line.value_column or line.column
        model.events.append(_event(p.rule, of, line, p.message, p.fatal, column=col))
    if conv.fatal or conv.keep_previous:
        return
    setting = Setting(opt.name, conv.value, line.raw_value if line.has_value else None,
                      of.path, line.number, line.column, line.group or "", key, opt, line)
    model.settings.append(setting)
    model.effective[opt.name] = setting


def _apply_maximum(model: Model, of: OptionFile, line: Line, opt: Option,
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
    model.maximums[opt.name] = Setting(opt.name, conv.value, line.raw_value, of.path,
                                       line.number, line.column, line.group or "", line.key,
                                       opt, line, maximum=True)


def source_of(setting: Setting, base: str | None = None) -> str:
    """`file:line` for a setting, the file relative to `base` when given."""
    import os

    path = setting.file
    if base:
        try:
            rel = os.path.relpath(path, base)
            if not rel.startswith(".."):
                path = rel
        except ValueError:
            pass
    return f"{path}:{setting.line}"
