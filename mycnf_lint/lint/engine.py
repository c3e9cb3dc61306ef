"""Rules from rules/*.toml evaluated over the model and a workload profile -> findings.

A rule either states a condition (`when`) over effective values and `profile.KEY`s, with a
`recommend`ed value and a `message` template, or names a check written in code (`check`, see
checks.py). Reader rules (no `when`, no `check`) are raised by the reader itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mycnf_lint.findings import Edit, Finding
from mycnf_lint.lint import expr
from mycnf_lint.lint.context import Context
from mycnf_lint.lint.ruleset import Rule, RuleError, RuleSet
from mycnf_lint.profiles import Profile, human_duration, human_size
from mycnf_lint.reader import model as model_mod
from mycnf_lint.reader.catalogue import Catalogue
from mycnf_lint.reader.includes import ReadResult

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


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
        from mycnf_lint.profiles import KEYS

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
    if s.line == 0:  # a running server's value (doctor): it has no line
        return f"live on {s.file}"
    cwd = ctx.memo.get("cwd")
    if cwd is None:
        import os

        cwd = ctx.memo["cwd"] = os.getcwd()
    return "set at " + model_mod.source_of(s, cwd, cwd)


def _evaluate_condition(rule: Rule, ctx: Context) -> Finding | None:
    data = rule.data
    profile = ctx.profile
    requires = data.get("requires")
    if requires and any(profile.get(k) is None for k in requires):
        return None
    only = data.get("profiles")
    if only and profile.name not in only:
        return None
    when = data["when"]
    value = ctx.value
    variables = {n: value(n) for n in expr.names(when)}  # the condition compiled once a process
    if expr.compiled(when)(variables, profile.values) is not True:
        return None
    anchor_name = data.get("variables", [None])[0] or next(iter(sorted(variables)), None)
    anchor_name = ctx.alias(anchor_name) if anchor_name else None
    opt = ctx.server.options.get(anchor_name) if anchor_name else None
    recommended = None
    rec_vars: dict[str, Any] = {}
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
        # what the condition and the value were worked out from (the anchor too: two fixes
        # of one variable in a pass would each be planned from its old value)
        inputs = tuple(sorted({ctx.alias(n) for n in (*variables, *rec_vars)} - {
            "has_server_group"} | {anchor_name}))
        if setting is not None:
            edit = Edit("set-value", setting.file, setting.line, anchor_name,
                        file_value(opt.type if opt else None, recommended), inputs=inputs)
        else:
            gfile, gline = ctx.server_group_line()
            edit = Edit("add-option", gfile, gline, anchor_name,
                        file_value(opt.type if opt else None, recommended), "mysqld",
                        inputs=inputs)
    return Finding(rule.id, rule.name, rule.severity, file, line, column, anchor_name, message,
                   False, rule.fixable if edit else None, edit)


def evaluate(read: ReadResult, server: model_mod.Model, cat: Catalogue, rules: RuleSet,
             profile: Profile) -> list[Finding]:
    """Every rule with a condition or a check, over one file's model."""
    return list(findings(read, server, cat, rules, profile))


def findings(read: ReadResult, server: model_mod.Model, cat: Catalogue, rules: RuleSet,
             profile: Profile) -> Iterator[Finding]:
    """`evaluate`'s findings one at a time, as each rule finds them."""
    from mycnf_lint.lint import checks

    if not read.files:
        return
    ctx = Context(read, server, cat, profile, rules)
    for rule in rules.rules:
        try:
            if "when" in rule.data:
                f = _evaluate_condition(rule, ctx)
                if f is not None:
                    yield f
            elif "check" in rule.data:
                yield from checks.run(rule, ctx)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            # a rule written wrongly (usually a user's rules file): say which, never crash
            raise RuleError(f"{rule.source}: rule {rule.id} ({rule.name}) cannot be "
                            f"evaluated: {type(exc).__name__}: {exc}") from exc
