"""Rules from rules/*.toml evaluated over the model and a workload profile -> findings.

A rule either states a condition (`when`) over effective values and `profile.KEY`s, with a
`recommend`ed value and a `message` template, or names a check written in code (`check`, see
checks.py). Reader rules (no `when`, no `check`) are raised by the reader itself.
"""

from __future__ import annotations

from . import expr
from . import model as model_mod
from .catalogue import Catalogue
from .findings import Edit, Finding
from .includes import ReadResult
from .optionfile import Kind
from .profiles import Profile, human_duration, human_size
from .records import field, record
from .ruleset import Rule, RuleError, RuleSet

TYPE_CHECKING = False  # typing itself is not imported at run time (start-up cost)
if TYPE_CHECKING:
    from typing import Any


@record
class Context:
    """Everything a rule may look at for one file named on the command line."""

    read: ReadResult
    server: model_mod.Model
    cat: Catalogue
    profile: Profile
    rules: RuleSet
    _clients: dict[str, model_mod.Model] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # server values read so far

    @property
    def top_file(self) -> str:
        return self.read.files[0].path if self.read.files else ""

    def client(self, program: str) -> model_mod.Model:
        """What a client program makes of the same files (built once)."""
        if program not in self._clients:
            self._clients[program] = model_mod.build(self.read, self.cat, program)
        return self._clients[program]

    def value(self, name: str) -> Any:
        """A server value by name (the effective one, else the default); `replica_` and
        `slave_` names stand for each other; `has_server_group` tells whether the files
        configure the server at all."""
        if name not in self.values:
            if name == "has_server_group":
                from .checks import has_server_group

                self.values[name] = has_server_group(self)
            else:
                self.values[name] = self.server.value(self.alias(name))
        return self.values[name]

    def alias(self, name: str) -> str:
        """The name this flavor uses for a variable renamed between slave_ and replica_."""
        if self.server.options.get(name) is not None:
            return name
        for a, b in (("slave_", "replica_"), ("replica_", "slave_")):
            if name.startswith(a) and self.server.options.get(b + name[len(a):]) is not None:
                return b + name[len(a):]
        return name

    def anchor(self, name: str) -> tuple[str, int, int]:
        """Where a finding about `name` points: its effective line, else the first server
        group header of the top file, else line 1."""
        s = self.server.effective.get(name)
        if s is not None:
            return s.file, s.line, s.column
        wanted = set(self.server.groups)
        for of, line in self.read.lines:
            if of.path == self.top_file and line.kind is Kind.GROUP and (
                (line.group or "").lower() in wanted
            ):
                return of.path, line.number, line.column
        return self.top_file, 1, 1

    def server_group_line(self) -> tuple[str, int]:
        """The group an added option goes in: the last [mysqld]-like header of the top file."""
        wanted = set(self.server.groups)
        found = (self.top_file, 0, "mysqld")
        for of, line in self.read.lines:
            if of.path == self.top_file and line.kind is Kind.GROUP and (
                (line.group or "").lower() in wanted
            ):
                found = (of.path, line.number, line.group or "mysqld")
        return found[0], found[1]


def fmt_value(opt_type: str | None, value: Any) -> str:
    """A value as a person reads it: 600 (10m), 16777216 (16M), ON."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    if isinstance(value, int) and opt_type == "duration":
        h = human_duration(value)
        return f"{value}" if h == f"{value}s" else f"{value} ({h})"
    if isinstance(value, int) and opt_type == "size":
        h = human_size(value)
        return f"{value}" if h == str(value) else f"{value} ({h})"
    return str(value)


def file_value(opt_type: str | None, value: Any) -> str:
    """A recommended value as it should be written in the file."""
    if isinstance(value, bool):
        return "ON" if value else "OFF"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and opt_type == "size":
        return human_size(value)
    return str(value)


class _ProfileView:
    """`{profile}` is the name; `{profile.key}` a formatted profile value."""

    def __init__(self, profile: Profile) -> None:
        self._p = profile

    def __format__(self, spec: str) -> str:
        return self._p.name

    def __getattr__(self, key: str) -> str:
        from .profiles import KEYS

        v = self._p.get(key)
        kind = KEYS.get(key, ("",))[0]
        if isinstance(v, int) and kind == "duration":
            return human_duration(v)
        if isinstance(v, int) and kind == "size":
            return human_size(v)
        return str(v)


def _source(ctx: Context, name: str) -> str:
    s = ctx.server.effective.get(name)
    if s is None:
        return "the default"
    import os

    return "set at " + model_mod.source_of(s, os.getcwd())


def _evaluate_condition(rule: Rule, ctx: Context) -> Finding | None:
    data = rule.data
    requires = data.get("requires", [])
    if any(ctx.profile.get(k) is None for k in requires):
        return None
    only = data.get("profiles")
    if only and ctx.profile.name not in only:
        return None
    when = data["when"]
    variables = {n: ctx.value(n) for n in expr.names(when)}
    if expr.evaluate(when, variables, ctx.profile.values) is not True:
        return None
    anchor_name = data.get("variables", [None])[0] or next(iter(sorted(variables)), None)
    anchor_name = ctx.alias(anchor_name) if anchor_name else None
    opt = ctx.server.options.get(anchor_name) if anchor_name else None
    recommended = None
    if data.get("recommend"):
        rec_src = data["recommend"]
        rec_vars = {n: ctx.value(n) for n in expr.names(rec_src)}
        recommended = expr.evaluate(rec_src, rec_vars, ctx.profile.values)
    fields: dict[str, Any] = {}
    for n in set(variables) | set(data.get("variables", [])):
        o = ctx.server.options.get(ctx.alias(n))
        fields[n] = fmt_value(o.type if o else None, ctx.value(n))
        fields[f"{n}_source"] = _source(ctx, ctx.alias(n))
    fields["source"] = _source(ctx, anchor_name) if anchor_name else "the default"
    fields["recommended"] = file_value(opt.type if opt else None, recommended)
    fields["profile"] = _ProfileView(ctx.profile)
    message = " ".join(data["message"].split()).format_map(fields)
    file, line, column = ctx.anchor(anchor_name) if anchor_name else (ctx.top_file, 1, 1)
    edit = None
    # where the server stops reading, the effective values are not known: no profile fixes
    if rule.fixable and anchor_name and recommended is not None and not ctx.server.fatal:
        setting = ctx.server.effective.get(anchor_name)
        if setting is not None:
            edit = Edit("set-value", setting.file, setting.line, anchor_name,
                        file_value(opt.type if opt else None, recommended))
        else:
            gfile, gline = ctx.server_group_line()
            edit = Edit("add-option", gfile, gline, anchor_name,
                        file_value(opt.type if opt else None, recommended), "mysqld")
    return Finding(rule.id, rule.name, rule.severity, file, line, column, anchor_name, message,
                   False, rule.fixable if edit else None, edit)


def evaluate(read: ReadResult, server: model_mod.Model, cat: Catalogue, rules: RuleSet,
             profile: Profile) -> list[Finding]:
    """Every rule with a condition or a check, over one file's model."""
    from . import checks

    if not read.files:
        return []
    ctx = Context(read, server, cat, profile, rules)
    out: list[Finding] = []
    for rule in rules.rules:
        try:
            if "when" in rule.data:
                f = _evaluate_condition(rule, ctx)
                if f is not None:
                    out.append(f)
            elif "check" in rule.data:
                out.extend(checks.run(rule, ctx))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            # a rule written wrongly (usually a user's rules file): say which, never crash
            raise RuleError(f"{rule.source}: rule {rule.id} ({rule.name}) cannot be "
                            f"evaluated: {type(exc).__name__}: {exc}") from exc
    return out
